//! The calls to a site's inbox (`rooms::inbox`) and its client: one function per [`InboxCall`], with typed
//! arguments and reply, each sent at the caller's time (`now_ms`, from `clock::now_ms` for a request).

use baton_shared::conversation::Conversation;
use baton_shared::inbox::Online;
use baton_shared::protocol::agent::{AgentProfile, Deliveries, InboxItem};
use baton_shared::protocol::live::CloseOutcome;
use baton_shared::protocol::ticket::SocketTicket;
use baton_shared::webhook::Delivery;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Env, Response, console_warn};

use super::Envelope;
use crate::error::ApiError;

/// The binding's name, as in `wrangler.toml`.
const INBOXES: &str = "INBOXES";

/// A call to a site's inbox. The agent a call acts for travels in it; the envelope's time is the caller's, onto
/// which the call's own times are moved (`InboxClock`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum InboxCall {
    /// → a `101` socket (sent with `call::connect`): the agent's live inbox, for the single-use ticket the inbox
    /// issued (`Ticket`); 401 without one, or when it was used or expired.
    Live { ticket: Option<String> },
    /// → `Vec<String>`: the ids of the teams with an agent online now.
    TeamsOnline,
    /// → [`Online`]: the teams with an agent online and whether anyone is, by heartbeats at most 30 s old
    /// (campaigns' staffing).
    Online,
    /// → `()`: webhook deliveries that are no handoff (a lead without a team) join the queue.
    Deliver { deliveries: Vec<Delivery> },
    /// → `Vec<InboxItem>`: the items `agent` may see.
    Items { agent: AgentProfile },
    /// → [`HandedOver`]: a conversation was handed over (or again); the site's webhook deliveries are queued.
    HandOver(HandOver),
    /// → `()`: the latest message, what the agents have read, and an agent's first reply.
    Seen {
        conversation_id: String,
        last_seq: u64,
        read_seq: Option<u64>,
        /// On the caller's clock.
        agent_replied_at_ms: Option<u64>,
    },
    /// → `InboxItem`: `agent` takes the conversation; 404 never handed over, 403 another team's, 409 taken or
    /// closed.
    Claim {
        agent: AgentProfile,
        conversation_id: String,
    },
    /// → `InboxItem`: `agent` moves the conversation to `team`'s queue or to `to_agent` (at least one is given);
    /// 404 never handed over, 403 not theirs, 409 closed or an agent outside the team.
    Transfer {
        agent: AgentProfile,
        conversation_id: String,
        team: Option<String>,
        to_agent: Option<AgentProfile>,
    },
    /// → `InboxItem`: the conversation is closed with `outcome`; 404 never handed over.
    Close {
        conversation_id: String,
        outcome: CloseOutcome,
    },
    /// → `SocketTicket`: a single-use ticket for `agent`'s live inbox.
    Ticket { agent: AgentProfile },
    /// → `Vec<String>`: `agent` was disabled or deleted; their inbox sockets close with `reason`, and the reply
    /// names the conversations they could see (whose rooms must close their sockets too).
    Revoke { agent: AgentProfile, reason: String },
    /// → [`Forgotten`]: the conversation's item and webhook deliveries are removed (erasure).
    Forget { conversation_id: String },
    /// → `Deliveries`: every webhook delivery the inbox remembers, newest last, as admins see them.
    Deliveries,
}

/// A handoff for the inbox: the item (on the caller's clock), and what the visitor is told of the queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HandOver {
    pub item: InboxItem,
    pub team_reply_minutes: u32,
    /// Webhook bodies to deliver, one per configured endpoint.
    pub deliveries: Vec<Delivery>,
}

/// The answer to a hand-over: its place in the queue, or the agent it went to (the turn's own type).
pub use baton_shared::turn::HandedOver;

/// The answer to [`InboxCall::Forget`] (erasure): what was removed.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Forgotten {
    pub items: u64,
    pub deliveries: u64,
}

async fn send<R: DeserializeOwned>(
    env: &Env,
    site_id: &str,
    now_ms: u64,
    inbox_call: InboxCall,
) -> Result<R, ApiError> {
    super::send(
        env,
        INBOXES,
        site_id,
        &Envelope {
            site_id: site_id.to_string(),
            now_ms,
            call: inbox_call,
        },
    )
    .await
}

/// Opens an agent's live inbox with the ticket of the socket request (the inbox redeems it; 401 without one).
pub async fn live(
    env: &Env,
    site_id: &str,
    ticket: Option<&str>,
    now_ms: u64,
) -> Result<Response, ApiError> {
    super::connect(
        env,
        INBOXES,
        site_id,
        &Envelope {
            site_id: site_id.to_string(),
            now_ms,
            call: InboxCall::Live {
                ticket: ticket.map(str::to_string),
            },
        },
    )
    .await
}

/// The teams with an agent online now; none when the inbox cannot be asked (then handoffs queue honestly).
pub async fn teams_online(env: &Env, site_id: &str, now_ms: u64) -> Vec<String> {
    send(env, site_id, now_ms, InboxCall::TeamsOnline)
        .await
        .unwrap_or_else(|error| {
            console_warn!("asking the inbox who is online failed: {error:?}");
            Vec::new()
        })
}

/// Who is online now for campaigns; nobody when the inbox cannot be asked.
pub async fn online(env: &Env, site_id: &str, now_ms: u64) -> Online {
    send(env, site_id, now_ms, InboxCall::Online)
        .await
        .unwrap_or_else(|error| {
            console_warn!("asking the inbox who is online failed: {error:?}");
            Online::default()
        })
}

/// Queues webhook deliveries that are no handoff.
pub async fn deliver(
    env: &Env,
    site_id: &str,
    deliveries: Vec<Delivery>,
    now_ms: u64,
) -> Result<(), ApiError> {
    if deliveries.is_empty() {
        return Ok(());
    }
    send(env, site_id, now_ms, InboxCall::Deliver { deliveries }).await
}

/// The items an agent may see.
pub async fn items(
    env: &Env,
    agent: &AgentProfile,
    now_ms: u64,
) -> Result<Vec<InboxItem>, ApiError> {
    let items = InboxCall::Items {
        agent: agent.clone(),
    };
    send(env, &agent.site_id, now_ms, items).await
}

/// Hands a conversation over to the site inbox.
pub async fn hand_over(
    env: &Env,
    site_id: &str,
    hand_over: &HandOver,
    now_ms: u64,
) -> Result<HandedOver, ApiError> {
    let call = InboxCall::HandOver(hand_over.clone());
    send(env, site_id, now_ms, call).await
}

/// What the inbox hears after a message, a read receipt or an agent's reply: the latest sequence number (unread
/// counts), what the agents read, and the first reply (which ends the wait).
#[derive(Debug)]
pub struct SeenUpdate {
    site_id: String,
    conversation_id: String,
    last_seq: u64,
    read_seq: Option<u64>,
    agent_replied_at_ms: Option<u64>,
}

impl SeenUpdate {
    /// The update for a conversation; `None` until it has been handed over (the inbox does not know it before).
    /// `agent_replied_at_ms` is on the clock the update is sent at.
    pub fn of(
        conversation: &Conversation,
        read_seq: Option<u64>,
        agent_replied_at_ms: Option<u64>,
    ) -> Option<SeenUpdate> {
        conversation.handed_over_at_ms?;
        Some(SeenUpdate {
            site_id: conversation.site_id.clone(),
            conversation_id: conversation.id.clone(),
            last_seq: conversation.transcript.next_seq().saturating_sub(1),
            read_seq,
            agent_replied_at_ms,
        })
    }
}

/// Sends an update; a failure is logged (counts catch up with the next update, as the inbox keeps maxima).
pub async fn seen(env: &Env, update: SeenUpdate, now_ms: u64) {
    let call = InboxCall::Seen {
        conversation_id: update.conversation_id,
        last_seq: update.last_seq,
        read_seq: update.read_seq,
        agent_replied_at_ms: update.agent_replied_at_ms,
    };
    if let Err(error) = send::<()>(env, &update.site_id, now_ms, call).await {
        console_warn!("updating the inbox failed: {error:?}");
    }
}

/// The agent takes a conversation (the first claim wins; the inbox decides atomically).
pub async fn claim(
    env: &Env,
    agent: &AgentProfile,
    conversation_id: &str,
    now_ms: u64,
) -> Result<InboxItem, ApiError> {
    let call = InboxCall::Claim {
        agent: agent.clone(),
        conversation_id: conversation_id.to_string(),
    };
    send(env, &agent.site_id, now_ms, call).await
}

/// The agent moves a conversation to a team's queue or straight to another agent.
pub async fn transfer(
    env: &Env,
    agent: &AgentProfile,
    conversation_id: &str,
    team: Option<String>,
    to_agent: Option<AgentProfile>,
    now_ms: u64,
) -> Result<InboxItem, ApiError> {
    let call = InboxCall::Transfer {
        agent: agent.clone(),
        conversation_id: conversation_id.to_string(),
        team,
        to_agent,
    };
    send(env, &agent.site_id, now_ms, call).await
}

/// Closes a conversation's item.
pub async fn close(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    outcome: CloseOutcome,
    now_ms: u64,
) -> Result<InboxItem, ApiError> {
    let call = InboxCall::Close {
        conversation_id: conversation_id.to_string(),
        outcome,
    };
    send(env, site_id, now_ms, call).await
}

/// A ticket for the agent's live inbox.
pub async fn ticket(
    env: &Env,
    agent: &AgentProfile,
    now_ms: u64,
) -> Result<SocketTicket, ApiError> {
    let call = InboxCall::Ticket {
        agent: agent.clone(),
    };
    send(env, &agent.site_id, now_ms, call).await
}

/// Closes a disabled or deleted agent's inbox sockets; returns the conversations they could see, whose rooms must
/// close their sockets too.
pub async fn revoke(
    env: &Env,
    agent: &AgentProfile,
    reason: &str,
    now_ms: u64,
) -> Result<Vec<String>, ApiError> {
    let call = InboxCall::Revoke {
        agent: agent.clone(),
        reason: reason.to_string(),
    };
    send(env, &agent.site_id, now_ms, call).await
}

/// Removes a conversation from the inbox, with its webhook deliveries (erasure).
pub async fn forget(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    now_ms: u64,
) -> Result<Forgotten, ApiError> {
    let call = InboxCall::Forget {
        conversation_id: conversation_id.to_string(),
    };
    send(env, site_id, now_ms, call).await
}

/// The site's recent webhook deliveries and their status (for admins: the caller checks).
pub async fn deliveries(env: &Env, site_id: &str, now_ms: u64) -> Result<Deliveries, ApiError> {
    send(env, site_id, now_ms, InboxCall::Deliveries).await
}
