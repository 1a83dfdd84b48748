//! FIXME(lead): remove once callers move. The inbox's client as it was before typed calls (string paths, one
//! `Action` for four commands, no caller's time), kept as thin wrappers over [`super::client`] so the worker compiles
//! while its callers still use it; and the three raw requests `routes::agent` still sends (`/live`, `/items`,
//! `/deliveries`), read into calls. The wrappers send at `clock::system_ms()`, the time these requests had before
//! (no internal request carried the test clock), except a hand-over, sent at its item's handoff time.

use baton_shared::protocol::agent::{AgentProfile, InboxItem};
use baton_shared::protocol::live::CloseOutcome;
use baton_shared::protocol::ticket::{SocketTicket, TICKET_PARAM};
use serde::{Deserialize, Serialize};
use worker::{Env, Request};

use super::{Forgotten, HandOver, HandedOver, InboxCall, SeenUpdate, client};
use crate::clock;
use crate::error::ApiError;
use crate::rooms::call::Envelope;
use crate::rooms::{SITE_HEADER, agent_of, required_header};

/// `/claim`, `/close`, `/transfer`: an agent's action on one conversation.
#[derive(Debug, Serialize, Deserialize)]
pub struct Action {
    pub conversation_id: String,
    #[serde(default)]
    pub outcome: Option<CloseOutcome>,
    #[serde(default)]
    pub team: Option<String>,
    /// The account a transfer goes to (its teams decide whether it may take it).
    #[serde(default)]
    pub to_agent: Option<AgentProfile>,
}

/// An agent's action on a conversation: `client::claim`, `client::transfer` or `client::close` by `path`.
pub async fn act(
    env: &Env,
    agent: &AgentProfile,
    path: &str,
    action: &Action,
) -> Result<InboxItem, ApiError> {
    let now_ms = clock::system_ms();
    let id = action.conversation_id.as_str();
    match path {
        "/claim" => super::claim(env, agent, id, now_ms).await,
        "/transfer" => {
            let (team, to_agent) = (action.team.clone(), action.to_agent.clone());
            super::transfer(env, agent, id, team, to_agent, now_ms).await
        }
        "/close" => {
            let outcome = action.outcome.unwrap_or(CloseOutcome::Resolved);
            super::close(env, &agent.site_id, id, outcome, now_ms).await
        }
        other => Err(ApiError::Internal(format!(
            "the inbox has no action {other}"
        ))),
    }
}

pub async fn hand_over(env: &Env, site_id: &str, body: &HandOver) -> Result<HandedOver, ApiError> {
    client::hand_over(env, site_id, body, body.item.handed_off_at_ms).await
}

pub async fn teams_online(env: &Env, site_id: &str) -> Vec<String> {
    client::teams_online(env, site_id, clock::system_ms()).await
}

pub async fn items(env: &Env, agent: &AgentProfile) -> Result<Vec<InboxItem>, ApiError> {
    client::items(env, agent, clock::system_ms()).await
}

pub async fn ticket(env: &Env, agent: &AgentProfile) -> Result<SocketTicket, ApiError> {
    client::ticket(env, agent, clock::system_ms()).await
}

pub async fn revoke(
    env: &Env,
    agent: &AgentProfile,
    reason: &str,
) -> Result<Vec<String>, ApiError> {
    client::revoke(env, agent, reason, clock::system_ms()).await
}

pub async fn forget(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
) -> Result<Forgotten, ApiError> {
    client::forget(env, site_id, conversation_id, clock::system_ms()).await
}

impl SeenUpdate {
    pub async fn send(self, env: Env) {
        super::seen(&env, self, clock::system_ms()).await
    }
}

/// The call a raw request of `routes::agent` stands for; `None` for a typed call.
pub(super) fn envelope(req: &Request) -> Result<Option<Envelope<InboxCall>>, ApiError> {
    let call = match req.path().as_str() {
        "/call" => return Ok(None),
        "/live" => InboxCall::Live {
            ticket: req
                .url()?
                .query_pairs()
                .find(|(name, _)| name == TICKET_PARAM)
                .map(|(_, value)| value.into_owned()),
        },
        "/items" => InboxCall::Items {
            agent: agent_of(req)?
                .ok_or_else(|| ApiError::Internal("items without an agent".into()))?,
        },
        "/deliveries" => InboxCall::Deliveries,
        path => {
            return Err(ApiError::NotFound(format!(
                "the inbox has no internal route {path}"
            )));
        }
    };
    Ok(Some(Envelope {
        site_id: required_header(req, SITE_HEADER)?,
        now_ms: clock::system_ms(),
        call,
    }))
}
