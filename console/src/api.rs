//! The console's typed client of the worker: the agent routes and the reports, with the agent's token (always in
//! the `Authorization` header, the CSV export too; sockets open with a single-use ticket asked for just before).

use baton_shared::config::Webhook;
use baton_shared::protocol::agent::{
    AgentConversation, AgentCreated, AgentDeleted, AgentList, AgentProfile, AgentSession,
    CloseConversation, CreateAgent, CreateSite, Deliveries, SiteCreated, TransferConversation,
    UpdateAgent,
};
use baton_shared::protocol::metrics::{Figure, FigureConversations, MetricsQuery, MetricsReport};
use baton_shared::protocol::site_config::{
    ConfigDiff, ConfigState, ConfigVersion, Draft, PublishDraft, RestoreVersion, SaveDraft,
    VersionList, VersionSummary, WebhookTestResult,
};
use baton_shared::protocol::ticket::{RequestTicket, SocketTicket};
use baton_shared::protocol::{ErrorBody, paths};
use baton_web::{ApiBase, Refusal, SocketPlan};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Who is signed in where.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentClient {
    pub base: ApiBase,
    pub site_id: String,
    pub token: String,
}

/// The signed-in agent: their client and session.
#[derive(Clone)]
pub struct SignedIn {
    pub client: AgentClient,
    pub session: AgentSession,
}

impl AgentClient {
    pub async fn me(&self) -> Result<AgentSession, String> {
        self.get(&paths::agent_me(&self.site_id)).await
    }

    pub async fn conversation(&self, id: &str) -> Result<AgentConversation, String> {
        self.get(&paths::agent_conversation(&self.site_id, id, None))
            .await
    }

    pub async fn claim(&self, id: &str) -> Result<AgentConversation, String> {
        self.post(
            &paths::agent_conversation(&self.site_id, id, Some("claim")),
            &(),
        )
        .await
    }

    pub async fn close(
        &self,
        id: &str,
        body: &CloseConversation,
    ) -> Result<AgentConversation, String> {
        self.post(
            &paths::agent_conversation(&self.site_id, id, Some("close")),
            body,
        )
        .await
    }

    pub async fn transfer(
        &self,
        id: &str,
        body: &TransferConversation,
    ) -> Result<AgentConversation, String> {
        self.post(
            &paths::agent_conversation(&self.site_id, id, Some("transfer")),
            body,
        )
        .await
    }

    pub async fn create_agent(&self, body: &CreateAgent) -> Result<AgentCreated, String> {
        self.post(&paths::agents(&self.site_id), body).await
    }

    /// Admins: every account of the site, disabled ones too.
    pub async fn agents(&self) -> Result<AgentList, String> {
        self.get(&paths::agents(&self.site_id)).await
    }

    /// Admins: disables or enables an account (a disabled agent is signed out at once).
    pub async fn update_agent(
        &self,
        agent_id: &str,
        body: &UpdateAgent,
    ) -> Result<AgentProfile, String> {
        self.send(
            Method::Patch,
            &paths::agent(&self.site_id, agent_id),
            Some(body),
        )
        .await
        .map_err(|refusal| refusal.message)
    }

    /// Admins: deletes an account for good.
    pub async fn delete_agent(&self, agent_id: &str) -> Result<AgentDeleted, String> {
        self.send::<(), _>(Method::Delete, &paths::agent(&self.site_id, agent_id), None)
            .await
            .map_err(|refusal| refusal.message)
    }

    /// Admins: the newest webhook deliveries.
    pub async fn deliveries(&self) -> Result<Deliveries, String> {
        self.get(&paths::agent_webhooks(&self.site_id)).await
    }

    /// Staff: the report for a range and filters (an agent's covers their teams).
    pub async fn metrics(&self, query: &MetricsQuery) -> Result<MetricsReport, String> {
        self.get(&paths::metrics(
            &self.site_id,
            &paths::metrics_query(query, None),
        ))
        .await
    }

    /// Staff: the conversations behind one figure, for the same range and filters.
    pub async fn metrics_conversations(
        &self,
        query: &MetricsQuery,
        figure: Figure,
    ) -> Result<FigureConversations, String> {
        self.get(&paths::metrics_conversations(
            &self.site_id,
            &paths::metrics_query(query, Some(figure)),
        ))
        .await
    }

    /// Staff: one CSV row per conversation in the range, as text (the token stays in the header, never in a link).
    pub async fn metrics_csv(&self, query: &MetricsQuery) -> Result<String, String> {
        let path = paths::metrics_csv(&self.site_id, &paths::metrics_query(query, None));
        let response = self
            .request(Method::Get, &path)
            .build()
            .map_err(|_| UNREACHABLE.to_string())?
            .send()
            .await
            .map_err(|_| UNREACHABLE.to_string())?;
        if response.ok() {
            return response.text().await.map_err(|error| error.to_string());
        }
        Err(refusal_message(response).await)
    }

    /// Admins: the published configuration and the draft, if any.
    pub async fn config_state(&self) -> Result<ConfigState, String> {
        self.get(&paths::site_config(&self.site_id)).await
    }

    /// Admins: saves the draft (kept even with problems, which come back with it).
    pub async fn save_draft(&self, body: &SaveDraft) -> Result<Draft, Refusal> {
        self.send(Method::Put, &paths::config_draft(&self.site_id), Some(body))
            .await
    }

    /// Admins: throws the draft away.
    pub async fn discard_draft(&self) -> Result<(), Refusal> {
        match self
            .send::<(), serde::de::IgnoredAny>(
                Method::Delete,
                &paths::config_draft(&self.site_id),
                None,
            )
            .await
        {
            Ok(_) => Ok(()),
            // 204: no body to decode.
            Err(refusal)
                if refusal
                    .status
                    .is_some_and(|status| (200..300).contains(&status)) =>
            {
                Ok(())
            }
            Err(refusal) => Err(refusal),
        }
    }

    /// Admins: publishes the draft; a 409 means the published version is no longer `base_version`.
    pub async fn publish(&self, body: &PublishDraft) -> Result<VersionSummary, Refusal> {
        self.send(
            Method::Post,
            &paths::config_publish(&self.site_id),
            Some(body),
        )
        .await
    }

    /// Admins: the published versions, newest first.
    pub async fn versions(&self) -> Result<VersionList, String> {
        self.get(&paths::config_versions(&self.site_id)).await
    }

    /// Admins: one version with its configuration.
    pub async fn config_version(&self, version: u32) -> Result<ConfigVersion, String> {
        self.get(&paths::config_version(&self.site_id, version))
            .await
    }

    /// Admins: what changed from `from` to `to` (version numbers, or `draft`).
    pub async fn config_diff(&self, from: &str, to: &str) -> Result<ConfigDiff, String> {
        self.get(&paths::config_diff(&self.site_id, from, to)).await
    }

    /// Admins: publishes a new version equal to `version`.
    pub async fn restore(
        &self,
        version: u32,
        body: &RestoreVersion,
    ) -> Result<VersionSummary, Refusal> {
        self.send(
            Method::Post,
            &paths::config_restore(&self.site_id, version),
            Some(body),
        )
        .await
    }

    /// Admins: sends one webhook a signed sample handoff, as real ones are sent.
    pub async fn test_webhook(&self, webhook: &Webhook) -> Result<WebhookTestResult, String> {
        self.post(&paths::config_webhook_test(&self.site_id), webhook)
            .await
    }

    /// A socket on this worker at `path`, opened with a fresh ticket for `request`: a ticket opens one socket, so
    /// every (re)connect asks for a new one.
    pub fn socket(&self, request: RequestTicket, path: String) -> SocketPlan {
        let client = self.clone();
        SocketPlan::new(self.base.clone(), path, move || {
            let client = client.clone();
            let request = request.clone();
            async move {
                client
                    .send::<_, SocketTicket>(
                        Method::Post,
                        &paths::socket_tickets(&client.site_id),
                        Some(&request),
                    )
                    .await
            }
        })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, String> {
        self.send::<(), _>(Method::Get, path, None)
            .await
            .map_err(|refusal| refusal.message)
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, String> {
        self.send(Method::Post, path, Some(body))
            .await
            .map_err(|refusal| refusal.message)
    }

    async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Refusal> {
        let builder = self.request(method, path);
        let unreachable = || Refusal {
            status: None,
            message: UNREACHABLE.into(),
        };
        let response = match body {
            Some(body) => builder.json(body).map_err(|error| Refusal {
                status: None,
                message: error.to_string(),
            })?,
            None => builder.build().map_err(|_| unreachable())?,
        }
        .send()
        .await
        .map_err(|_| unreachable())?;
        decode(response).await
    }

    /// A request to `path` on this worker with the agent's token.
    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let url = self.base.url(path);
        match method {
            Method::Get => Request::get(&url),
            Method::Post => Request::post(&url),
            Method::Patch => Request::patch(&url),
            Method::Put => Request::put(&url),
            Method::Delete => Request::delete(&url),
        }
        .header("Authorization", &format!("Bearer {}", self.token))
    }
}

/// The operator (`BATON_ADMIN_TOKEN`): creates a site with its starter configuration and first admin. The secret
/// travels in the `Authorization` header only, like every token.
pub async fn create_site(
    base: ApiBase,
    operator_secret: String,
    body: &CreateSite,
) -> Result<SiteCreated, String> {
    let operator = AgentClient {
        base,
        site_id: String::new(),
        token: operator_secret,
    };
    operator.post(paths::SITES, body).await
}

const UNREACHABLE: &str = "Cannot reach Baton; check the connection.";

enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, Refusal> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|error| Refusal {
            status: Some(status),
            message: error.to_string(),
        });
    }
    Err(Refusal {
        status: Some(status),
        message: refusal_message(response).await,
    })
}

/// What a refused request's error body says, or its status when it has none.
async fn refusal_message(response: Response) -> String {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => body.error.message,
        Err(_) => format!("Baton answered {status}"),
    }
}
