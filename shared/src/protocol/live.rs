//! What travels over a conversation's live socket, in both directions. The visitor's widget and the agent's console
//! use the same frames: each side sends [`LiveCommand`]s and receives [`LiveEvent`]s, JSON text frames. A socket opened with `?since=N` first receives every message after `N`, so a reconnecting client gets
//! exactly what it missed.

use serde::{Deserialize, Serialize};

use super::{
    Author, FieldError, MAX_CLIENT_MESSAGE_ID_CHARS, MAX_MESSAGE_CHARS, Message, field_error,
};

/// A frame from the conversation to one of its sockets. Externally tagged (`{"messages": {…}}`): internally tagged
/// enums cost the widget's download several kilobytes of buffering code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveEvent {
    /// Messages in sequence order: on connect, those after `since`; then each new one once.
    Messages { messages: Vec<Message> },
    /// The other side is typing (sent at most every [`TYPING_THROTTLE_MS`] per author).
    Typing {
        author: Author,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The other side has read every message up to `seq`.
    Read { author: Author, seq: u64 },
    /// The conversation was closed by an agent; the visitor may rate it.
    Closed { outcome: CloseOutcome },
    /// A command this socket sent was refused (the socket stays open).
    Refused { message: String },
}

/// A frame from a client to its conversation (`{"send": {…}}`, `"typing"`, `{"read": {"seq": 4}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveCommand {
    /// An agent's reply. Visitors post theirs over HTTP, where Baton answers them; a visitor sending this is refused.
    Send {
        client_message_id: String,
        text: String,
    },
    Typing,
    /// Everything up to `seq` has been shown to this side's reader.
    Read {
        seq: u64,
    },
}

/// How often a side's typing is relayed, at most.
pub const TYPING_THROTTLE_MS: u64 = 1_500;

/// How an agent closed a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseOutcome {
    Resolved,
    /// The visitor bought, booked or signed up.
    Converted,
    /// The visitor left before anyone could help.
    NoResponse,
}

impl LiveCommand {
    /// The rules a `send` breaks, with field paths.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let LiveCommand::Send {
            client_message_id,
            text,
        } = self
        {
            let id_chars = client_message_id.trim().chars().count();
            if id_chars == 0 || id_chars > MAX_CLIENT_MESSAGE_ID_CHARS {
                errors.push(field_error(
                    "client_message_id",
                    format!("must be 1 to {MAX_CLIENT_MESSAGE_ID_CHARS} characters"),
                ));
            }
            let chars = text.chars().count();
            if text.trim().is_empty() {
                errors.push(field_error("text", "must not be empty"));
            } else if chars > MAX_MESSAGE_CHARS {
                errors.push(field_error(
                    "text",
                    format!("must be at most {MAX_MESSAGE_CHARS} characters (got {chars})"),
                ));
            }
        }
        errors
    }
}
