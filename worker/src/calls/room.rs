//! The calls to a conversation's room (`rooms::conversation`), and its client. A visitor's request reaches the room
//! already decoded by the worker ([`VisitorCall`]); agents' actions and the inbox's notices are calls of their own.

use std::collections::BTreeMap;

use baton_shared::conversation::AssignedAgent;
use baton_shared::protocol::agent::{AgentProfile, Rate};
use baton_shared::protocol::live::CloseOutcome;
use baton_shared::protocol::{
    AiSummary, CreateConversation, HandoffNotice, PostMessage, SubmitForm, SubmitLead,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Env, Response};

use super::Envelope;
use crate::error::ApiError;

/// The binding's name, as in `wrangler.toml`.
const CONVERSATIONS: &str = "CONVERSATIONS";

/// A call to a conversation's room.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum RoomCall {
    /// A visitor's request; the reply depends on it (see [`VisitorRequest`]).
    Visitor(VisitorCall),
    /// → `101`: a socket, opened with a single-use ticket (`side` says whose it must be). `wire`: the visitor's
    /// socket gets its events in the wire encoding, as binary frames (`?encoding=wire`).
    Live {
        ticket: Option<String>,
        since: u64,
        side: Side,
        #[serde(default)]
        wire: bool,
    },
    /// → `MessagesAppended`: every message.
    Messages,
    /// → `MessagesAppended` (the new ones): an agent took the conversation.
    Join { agent: AssignedAgent },
    /// → `MessagesAppended`: moved to another team (`team`: id and name) and/or agent. Agents' sockets that no longer
    /// serve its team are closed.
    Transferred {
        team: Option<(String, String)>,
        agent: Option<AssignedAgent>,
    },
    /// → `MessagesAppended`: nobody replied in time; the notice says what the visitor is asked.
    Missed { notice: HandoffNotice },
    /// → `MessagesAppended`: an agent closed it (archived for the retention).
    Close {
        outcome: CloseOutcome,
        agent_name: String,
    },
    /// → `u64`, the messages deleted: everything the room holds, under its turn lock.
    Erase,
    /// → `()`: closes an agent's sockets for good (`code` from `protocol::ticket`).
    CloseAgentSockets {
        agent_id: String,
        code: u16,
        reason: String,
    },
    /// → `bool`, whether the package took it: the model's summary of the handoff made at `handed_off_at_ms`, asked
    /// by the room itself in the background; kept in the package (unless a later handoff replaced it, or it was
    /// erased) and sent to the agents' sockets.
    AiSummary {
        conversation_id: String,
        handed_off_at_ms: u64,
        summary: AiSummary,
    },
    /// → `SocketTicket`: a single-use ticket for one socket on this conversation, for the visitor (whose token is
    /// checked here) or an agent (checked by the worker).
    IssueTicket {
        visitor_token: Option<String>,
        agent: Option<AgentProfile>,
    },
}

/// Whose socket a ticket must open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Visitor,
    Agent,
}

/// A visitor's request as the worker decoded it.
#[derive(Debug, Serialize, Deserialize)]
pub struct VisitorCall {
    pub conversation_id: String,
    /// The `Authorization: Bearer` token the request carried.
    pub token: Option<String>,
    /// The client's address when it sent no `Origin` (a script, not a browser), for the hourly limits.
    pub origin_less_address: Option<String>,
    /// The site's version as the worker read it for this request, so the room uses the same copy.
    pub site_version: String,
    pub request: VisitorRequest,
}

/// What the visitor asks, with its body decoded (and checked where the worker can check it alone).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "request", content = "body", rename_all = "snake_case")]
pub enum VisitorRequest {
    /// → `ConversationCreated`: a new conversation (the worker chose its id and checked its bot check and limits).
    Create(CreateConversation),
    /// → `MessagesAppended`: a message, and Baton's reply.
    Post(PostMessage),
    /// → `MessagesAppended`: the messages after `since`.
    History { since: u64 },
    /// → `Identified`: who the visitor is; a user id only once the worker verified the site's signature.
    Identify {
        name: Option<String>,
        email: Option<String>,
        verified_user_id: Option<String>,
        /// The page's facts about the visitor; each replaces an earlier value of the same name.
        #[serde(default)]
        attributes: BTreeMap<String, String>,
    },
    /// → `ConversationCreated`: a lead form whose campaign names a team (the worker checked it and its bot check):
    /// a new conversation holding the lead's answers, handed to that team at once.
    Lead(SubmitLead),
    /// → `MessagesAppended`: the pre-chat form's answers.
    Form(SubmitForm),
    /// → `Rate`: the rating of a closed conversation.
    Rate(Rate),
}

impl VisitorRequest {
    /// Requests that write: the conversation's rate limit and caps apply.
    pub fn writes(&self) -> bool {
        !matches!(self, VisitorRequest::History { .. })
    }
}

/// A conversation's room's name in its namespace.
fn name(site_id: &str, conversation_id: &str) -> String {
    format!("{site_id}:{conversation_id}")
}

/// Calls a conversation's room.
pub async fn ask<T: DeserializeOwned>(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    now_ms: u64,
    call: RoomCall,
) -> Result<T, ApiError> {
    let name = name(site_id, conversation_id);
    super::send(env, CONVERSATIONS, &name, &envelope(site_id, now_ms, call)).await
}

/// Opens a socket on a conversation's room.
pub async fn connect(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    now_ms: u64,
    call: RoomCall,
) -> Result<Response, ApiError> {
    let name = name(site_id, conversation_id);
    super::connect(env, CONVERSATIONS, &name, &envelope(site_id, now_ms, call)).await
}

fn envelope(site_id: &str, now_ms: u64, call: RoomCall) -> Envelope<RoomCall> {
    Envelope {
        site_id: site_id.to_string(),
        now_ms,
        call,
    }
}
