//! The typed client of the worker's HTTP API: one async fn per endpoint, protocol types in and out. Bodies go out as
//! JSON; answers are asked for, and read, in the wire encoding (`Accept: application/vnd.baton.wire`), so the
//! widget carries no JSON decoder for them. Error bodies stay JSON (`error_message`).

use baton_shared::protocol::agent::Rate;
use baton_shared::protocol::ticket::{RequestTicket, SocketTicket};
use baton_shared::protocol::{
    ConversationCreated, CreateConversation, Identify, LeadCreated, MessagesAppended, PostMessage,
    StaffingNow, SubmitForm, SubmitLead, WidgetConfig, WidgetFaq, paths, wire,
};
use baton_web::{ApiBase, Refusal};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use web_sys::RequestCache;

use crate::fetch::{Reply, Request};

/// Where the worker is and which site this widget belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiClient {
    base: ApiBase,
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

impl From<ApiFailure> for Refusal {
    /// The socket's view of a failed call: the status, and the sentence the visitor is shown if it ends the socket.
    fn from(failure: ApiFailure) -> Refusal {
        let status = match &failure {
            ApiFailure::Network => None,
            ApiFailure::Refused { status, .. } => Some(*status),
        };
        Refusal {
            status,
            message: failure.to_string(),
        }
    }
}

impl ApiClient {
    pub fn new(base: String, site_id: String) -> ApiClient {
        ApiClient {
            base: ApiBase::new(&base),
            site_id,
        }
    }

    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// Where the worker is, for the live socket's address.
    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    /// The site's widget configuration and its bytes as text (`wire::to_text`, what the `localStorage` copy
    /// keeps), or `None` when `cached_version` is still current (304). Asked in the compact wire encoding: decoding
    /// it takes a fraction of a JSON decoder's code in the download every page view pays.
    pub async fn widget_config(
        &self,
        cached_version: Option<&str>,
    ) -> Result<Option<(WidgetConfig, String)>, ApiFailure> {
        let url = self.base.url(&paths::widget_config(&self.site_id));
        let etag = cached_version.map(|version| WidgetConfig::etag(version, true));
        let Some(bytes) = get_newer(&url, etag.as_deref()).await? else {
            return Ok(None);
        };
        let widget_config = WidgetConfig::from_wire(&bytes).map_err(|_| unreadable())?;
        Ok(Some((widget_config, wire::to_text(&bytes))))
    }

    /// The site's FAQ when it is newer than `cached_version`: as [`ApiClient::widget_config`], for the chat.
    pub async fn widget_faq(
        &self,
        cached_version: Option<&str>,
    ) -> Result<Option<(WidgetFaq, String)>, ApiFailure> {
        let url = self.base.url(&paths::widget_faq(&self.site_id));
        let etag = cached_version.map(|version| WidgetFaq::etag(version, true));
        let Some(bytes) = get_newer(&url, etag.as_deref()).await? else {
            return Ok(None);
        };
        let faq = WidgetFaq::from_wire(&bytes).map_err(|_| unreadable())?;
        Ok(Some((faq, wire::to_text(&bytes))))
    }

    pub async fn create_conversation(
        &self,
        body: &CreateConversation,
    ) -> Result<ConversationCreated, ApiFailure> {
        let url = self.base.url(&paths::conversations(&self.site_id));
        decode(post_json(&url, body).await?)
    }

    /// The conversation's messages after sequence number `since`.
    pub async fn history(
        &self,
        session: &Session,
        since: u64,
    ) -> Result<MessagesAppended, ApiFailure> {
        let url = self.base.url(&paths::history(
            &self.site_id,
            &session.conversation_id,
            since,
        ));
        let bearer = format!("Bearer {}", session.visitor_token);
        let request = Request::get(&url)
            .header("Authorization", &bearer)
            .header("Accept", wire::MEDIA_TYPE);
        decode(ok_bytes(request.send().await.map_err(|_| ApiFailure::Network)?).await?)
    }

    pub async fn post_message(
        &self,
        session: &Session,
        body: &PostMessage,
    ) -> Result<MessagesAppended, ApiFailure> {
        let path = paths::messages(&self.site_id, &session.conversation_id);
        self.post_as_visitor(&path, session, body).await
    }

    /// Sends what `Baton('identify', …)` said. The answer (`Identified`, what the conversation now knows) is not
    /// read: `identify` runs from the page-load module, which decodes no JSON.
    pub async fn identify(&self, session: &Session, body: &Identify) -> Result<(), ApiFailure> {
        let path = paths::identify(&self.site_id, &session.conversation_id);
        let json = baton_web::json::to_string(body).ok_or(ApiFailure::Network)?;
        self.send_as_visitor(&path, session, json).await.map(drop)
    }

    pub async fn submit_form(
        &self,
        session: &Session,
        body: &SubmitForm,
    ) -> Result<MessagesAppended, ApiFailure> {
        let path = paths::form(&self.site_id, &session.conversation_id);
        self.post_as_visitor(&path, session, body).await
    }

    /// A single-use ticket for the visitor's live socket (asked for before every connect).
    pub async fn socket_ticket(&self, session: &Session) -> Result<SocketTicket, ApiFailure> {
        let body = RequestTicket {
            conversation_id: Some(session.conversation_id.clone()),
            inbox: false,
        };
        let path = paths::socket_tickets(&self.site_id);
        self.post_as_visitor(&path, session, &body).await
    }

    /// The visitor's rating of a closed conversation.
    pub async fn rate(&self, session: &Session, body: &Rate) -> Result<Rate, ApiFailure> {
        let path = paths::csat(&self.site_id, &session.conversation_id);
        self.post_as_visitor(&path, session, body).await
    }

    /// Who can answer now (teams with an agent online, business hours open); cacheable for 30 s. Asked in the wire
    /// encoding, as the campaigns that need it run from the page-load module.
    pub async fn staffing(&self) -> Result<StaffingNow, ApiFailure> {
        let url = self.base.url(&paths::staffing(&self.site_id));
        // Asked without a tag, it is never a 304.
        let bytes = get_newer(&url, None).await?.ok_or_else(unreadable)?;
        wire::from_bytes(&bytes).map_err(|_| unreadable())
    }

    /// A campaign's lead form, sent without a conversation.
    pub async fn submit_lead(&self, body: &SubmitLead) -> Result<LeadCreated, ApiFailure> {
        let url = self.base.url(&paths::leads(&self.site_id));
        decode(post_json(&url, body).await?)
    }

    /// Where batches of campaign events go (`fetch(keepalive)` and `sendBeacon`, see `campaigns/recorder.rs`).
    pub fn campaign_events_url(&self) -> String {
        self.base.url(&paths::campaign_events(&self.site_id))
    }

    /// Where a site goal the page tracked goes (`fetch(keepalive)`, see `campaigns/actions.rs`).
    pub fn goals_url(&self) -> String {
        self.base.url(&paths::goals(&self.site_id))
    }

    /// `POST` a JSON body to a conversation's route with the visitor's token. Only the (de)serialising is generic:
    /// the request itself is one function, so each endpoint does not add its own copy of it to the download.
    async fn post_as_visitor<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        session: &Session,
        body: &B,
    ) -> Result<T, ApiFailure> {
        let json = baton_web::json::to_string(body).ok_or(ApiFailure::Network)?;
        decode(self.send_as_visitor(path, session, json).await?)
    }

    async fn send_as_visitor(
        &self,
        path: &str,
        session: &Session,
        json: String,
    ) -> Result<(u16, Vec<u8>), ApiFailure> {
        let url = self.base.url(path);
        let bearer = format!("Bearer {}", session.visitor_token);
        let request = Request::post(&url)
            .header("Authorization", &bearer)
            .header("Content-Type", "application/json")
            .header("Accept", wire::MEDIA_TYPE)
            .body(json);
        ok_bytes(request.send().await.map_err(|_| ApiFailure::Network)?).await
    }
}

/// `GET url` in the wire encoding, revalidating `etag` when given. The browser's HTTP cache may still hold a JSON
/// answer from a deployment before the wire encoding (sent without `Vary: Accept`): then the worker is asked again,
/// past the cache, once.
/// The body of a versioned answer (the configuration, the FAQ) in the wire encoding, or `None` when the copy
/// tagged `etag` is current (304).
async fn get_newer(url: &str, etag: Option<&str>) -> Result<Option<Vec<u8>>, ApiFailure> {
    let response = get_in_wire(url, etag).await?;
    match response.status() {
        304 => Ok(None),
        200 => Ok(Some(response.bytes().await.map_err(|_| unreadable())?)),
        _ => Err(failure(response).await),
    }
}

/// A 200 whose body is not what it should be.
fn unreadable() -> ApiFailure {
    ApiFailure::Refused {
        status: 200,
        message: "unreadable response".into(),
    }
}

async fn get_in_wire(url: &str, etag: Option<&str>) -> Result<Reply, ApiFailure> {
    let mut past_the_cache = false;
    loop {
        let mut request = Request::get(url).header("Accept", wire::MEDIA_TYPE);
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        if past_the_cache {
            request = request.cache(RequestCache::Reload);
        }
        let response = request.send().await.map_err(|_| ApiFailure::Network)?;
        let json = response
            .header("Content-Type")
            .is_some_and(|media| !media.starts_with(wire::MEDIA_TYPE));
        if response.status() == 200 && json && !past_the_cache {
            past_the_cache = true;
            continue;
        }
        return Ok(response);
    }
}

/// A successful response's status and body, or what went wrong.
async fn ok_bytes(response: Reply) -> Result<(u16, Vec<u8>), ApiFailure> {
    let status = response.status();
    if !response.ok() {
        return Err(failure(response).await);
    }
    let bytes = response.bytes().await.map_err(|_| ApiFailure::Refused {
        status,
        message: "unreadable response".into(),
    })?;
    Ok((status, bytes))
}

/// `POST`s `body` as JSON, without credentials, asking for the answer in the wire encoding.
async fn post_json<B: Serialize>(url: &str, body: &B) -> Result<(u16, Vec<u8>), ApiFailure> {
    let json = baton_web::json::to_string(body).ok_or(ApiFailure::Network)?;
    let request = Request::post(url)
        .header("Content-Type", "application/json")
        .header("Accept", wire::MEDIA_TYPE)
        .body(json);
    ok_bytes(request.send().await.map_err(|_| ApiFailure::Network)?).await
}

/// A successful answer in the wire encoding as a `T`.
fn decode<T: DeserializeOwned>((status, bytes): (u16, Vec<u8>)) -> Result<T, ApiFailure> {
    wire::from_bytes(&bytes).map_err(|_| ApiFailure::Refused {
        status,
        message: "unreadable response".into(),
    })
}

/// What an unsuccessful response says went wrong.
async fn failure(response: Reply) -> ApiFailure {
    let status = response.status();
    let message = response
        .text()
        .await
        .ok()
        .and_then(|body| error_message(&body))
        .unwrap_or_else(|| "unexpected response".into());
    ApiFailure::Refused { status, message }
}

/// The `error.message` of an error body ([`ErrorBody`](baton_shared::protocol::ErrorBody)), the one part of it
/// the widget shows. Read from the browser's `JSON.parse` directly: every call can fail, those of the page-load
/// module too, which decodes no JSON with serde (that code would be in every page view's download).
fn error_message(body: &str) -> Option<String> {
    let value = js_sys::JSON::parse(body).ok()?;
    let error = js_sys::Reflect::get(&value, &"error".into()).ok()?;
    js_sys::Reflect::get(&error, &"message".into())
        .ok()?
        .as_string()
}
