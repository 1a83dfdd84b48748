//! The console's typed client of the worker: the agent routes, with the agent's token.

use baton_shared::protocol::agent::{
    AgentConversation, AgentCreated, AgentSession, CloseConversation, CreateAgent,
    TransferConversation,
};
use baton_shared::protocol::{ErrorBody, paths};
use gloo_net::http::{Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Who is signed in where.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentClient {
    pub base: String,
    pub site_id: String,
    pub token: String,
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

    pub async fn deliveries(&self) -> Result<serde_json::Value, String> {
        self.get(&paths::agent_webhooks(&self.site_id)).await
    }

    /// A socket address on this worker with the token (`ws(s)://…?access_token=…`).
    pub fn socket_url(&self, path: &str) -> String {
        let base = self
            .base
            .replacen("https://", "wss://", 1)
            .replacen("http://", "ws://", 1);
        format!("{base}{path}?access_token={}", self.token)
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, String> {
        let response = Request::get(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .send()
            .await
            .map_err(|_| "Cannot reach Baton; check the connection.".to_string())?;
        decode(response).await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, String> {
        let response = Request::post(&format!("{}{path}", self.base))
            .header("Authorization", &format!("Bearer {}", self.token))
            .json(body)
            .map_err(|error| error.to_string())?
            .send()
            .await
            .map_err(|_| "Cannot reach Baton; check the connection.".to_string())?;
        decode(response).await
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, String> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|error| error.to_string());
    }
    let status = response.status();
    Err(match response.json::<ErrorBody>().await {
        Ok(body) => body.error.message,
        Err(_) => format!("Baton answered {status}"),
    })
}
