//! Socket tickets. Browsers cannot put headers on a WebSocket, and a long-lived token in a URL ends up in logs, so
//! every socket (the visitor's, an agent's on a conversation, an agent's inbox) opens with a ticket: asked for over
//! HTTP with the bearer token, valid for [`TICKET_TTL_MS`], good for one socket only, and bound to the conversation
//! (or the inbox) and the person it was issued to.

use serde::{Deserialize, Serialize};

use super::{FieldError, field_error};

/// How long a ticket may wait before its socket opens.
pub const TICKET_TTL_MS: u64 = 30_000;

/// The query parameter that carries a ticket on a socket URL.
pub const TICKET_PARAM: &str = "ticket";

/// The query parameter that asks a visitor's socket for its events in the wire encoding (binary frames, see
/// `protocol::wire`), as the widget does: `?encoding=wire`. Without it, or with `json`, frames are JSON text.
pub const ENCODING_PARAM: &str = "encoding";
/// [`ENCODING_PARAM`]'s value for the wire encoding.
pub const WIRE_ENCODING: &str = "wire";

/// Close codes a server uses when it ends a socket for good (a client must not reconnect with the same grant):
/// the agent lost access to the conversation (moved to a team they are not in, or given to someone else's care).
pub const CLOSE_ACCESS_LOST: u16 = 4403;
/// The agent was disabled or deleted: their token no longer works.
pub const CLOSE_REVOKED: u16 = 4401;
/// The conversation was erased.
pub const CLOSE_ERASED: u16 = 4410;

/// Body of `POST /v1/sites/{site}/socket-tickets`: a ticket for one conversation's socket (visitor or agent), or
/// for the agent's live inbox.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestTicket {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub inbox: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

impl RequestTicket {
    /// Exactly one of a conversation or the inbox.
    pub fn validate(&self) -> Vec<FieldError> {
        match (&self.conversation_id, self.inbox) {
            (Some(_), true) => vec![field_error(
                "inbox",
                "ask for a conversation's socket or the inbox's, not both",
            )],
            (None, false) => vec![field_error(
                "conversation_id",
                "give a conversation_id, or \"inbox\": true for the agent's live inbox",
            )],
            _ => Vec::new(),
        }
    }
}

/// Response of `POST …/socket-tickets` (201): put `ticket` in the socket URL as `?ticket=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SocketTicket {
    pub ticket: String,
    pub expires_at_ms: u64,
}
