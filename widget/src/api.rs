//! The typed client of the worker's HTTP API: one async fn per endpoint, protocol types in and out.

use baton_shared::protocol::agent::Rate;
use baton_shared::protocol::{
    ConversationCreated, CreateConversation, ErrorBody, Identified, Identify, MessagesAppended,
    PostMessage, SubmitForm, WidgetConfig, paths,
};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Where the worker is and which site this widget belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiClient {
    base: String,
    site_id: String,
}

/// The conversation this widget is in: its id and the token proving the visitor started it. Kept in localStorage so
/// the conversation continues across pages and reloads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub conversation_id: String,
    pub visitor_token: String,
}

/// Why a call failed, in words a visitor can be shown.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// No response: offline, DNS, CORS refusal.
    Network,
    /// The worker answered with an error body.
    Refused { status: u16, message: String },
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiFailure::Network => write!(
                f,
                "Can't reach the chat service. Check your connection and try again."
            ),
            ApiFailure::Refused { status, message } => {
                write!(f, "The chat service refused this ({status}): {message}")
            }
        }
    }
}

impl ApiClient {
    pub fn new(base: String, site_id: String) -> ApiClient {
        ApiClient {
            base: base.trim_end_matches('/').to_string(),
            site_id,
        }
    }

    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// The site's widget configuration and its JSON text, or `None` when `cached_version` is still current (304).
    pub async fn widget_config(
        &self,
        cached_version: Option<&str>,
    ) -> Result<Option<(WidgetConfig, String)>, ApiFailure> {
        let url = format!("{}{}", self.base, paths::widget_config(&self.site_id));
        let mut request = Request::get(&url);
        if let Some(version) = cached_version {
            request = request.header("If-None-Match", &format!("\"{version}\""));
        }
        let response = request.send().await.map_err(|_| ApiFailure::Network)?;
        match response.status() {
            304 => Ok(None),
            200 => {
                let unreadable = || ApiFailure::Refused {
                    status: 200,
                    message: "unreadable response".into(),
                };
                let json = response.text().await.map_err(|_| unreadable())?;
                let widget_config = serde_json::from_str(&json).map_err(|_| unreadable())?;
                Ok(Some((widget_config, json)))
            }
            _ => Err(failure(response).await),
        }
    }

    pub async fn create_conversation(
        &self,
        body: &CreateConversation,
    ) -> Result<ConversationCreated, ApiFailure> {
        let url = format!("{}{}", self.base, paths::conversations(&self.site_id));
        let request = Request::post(&url)
            .json(body)
            .map_err(|_| ApiFailure::Network)?;
        decode(request.send().await.map_err(|_| ApiFailure::Network)?).await
    }

    /// The conversation's messages after sequence number `since`.
    pub async fn history(
        &self,
        session: &Session,
        since: u64,
    ) -> Result<MessagesAppended, ApiFailure> {
        let url = format!(
            "{}{}",
            self.base,
            paths::history(&self.site_id, &session.conversation_id, since)
        );
        let request = Request::get(&url).header(
            "Authorization",
            &format!("Bearer {}", session.visitor_token),
        );
        decode(request.send().await.map_err(|_| ApiFailure::Network)?).await
    }

    pub async fn post_message(
        &self,
        session: &Session,
        body: &PostMessage,
    ) -> Result<MessagesAppended, ApiFailure> {
        let path = paths::messages(&self.site_id, &session.conversation_id);
        self.post_as_visitor(&path, session, body).await
    }

    pub async fn identify(
        &self,
        session: &Session,
        body: &Identify,
    ) -> Result<Identified, ApiFailure> {
        let path = paths::identify(&self.site_id, &session.conversation_id);
        self.post_as_visitor(&path, session, body).await
    }

    pub async fn submit_form(
        &self,
        session: &Session,
        body: &SubmitForm,
    ) -> Result<MessagesAppended, ApiFailure> {
        let path = paths::form(&self.site_id, &session.conversation_id);
        self.post_as_visitor(&path, session, body).await
    }

    /// The visitor's live socket address (`ws(s)://`), without `since`.
    pub fn live_url(&self, session: &Session) -> String {
        let base = self
            .base
            .replacen("https://", "wss://", 1)
            .replacen("http://", "ws://", 1);
        format!(
            "{base}{}?access_token={}",
            paths::live(&self.site_id, &session.conversation_id),
            session.visitor_token
        )
    }

    /// The visitor's rating of a closed conversation.
    pub async fn rate(&self, session: &Session, body: &Rate) -> Result<Rate, ApiFailure> {
        let path = paths::csat(&self.site_id, &session.conversation_id);
        self.post_as_visitor(&path, session, body).await
    }

    /// `POST` a JSON body to a conversation's route with the visitor's token.
    async fn post_as_visitor<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        session: &Session,
        body: &B,
    ) -> Result<T, ApiFailure> {
        let request = Request::post(&format!("{}{path}", self.base))
            .header(
                "Authorization",
                &format!("Bearer {}", session.visitor_token),
            )
            .json(body)
            .map_err(|_| ApiFailure::Network)?;
        decode(request.send().await.map_err(|_| ApiFailure::Network)?).await
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiFailure::Refused {
            status,
            message: "unreadable response".into(),
        });
    }
    Err(failure(response).await)
}

/// What an unsuccessful response says went wrong.
async fn failure(response: Response) -> ApiFailure {
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.error.message,
        Err(_) => "unexpected response".into(),
    };
    ApiFailure::Refused { status, message }
}
