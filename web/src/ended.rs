//! Why a socket stops for good (the client must not reconnect): the worker's final close codes, and refused
//! tickets that asking again cannot change.

use baton_shared::protocol::ticket::{CLOSE_ACCESS_LOST, CLOSE_ERASED, CLOSE_REVOKED};

/// A call that did not succeed: the worker's status when it answered (`None`: it could not be reached) and a
/// sentence to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: Option<u16>,
    pub message: String,
}

/// Why a socket stopped for good, with the sentence to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    /// The agent was disabled or deleted, or the visitor's token no longer works.
    Revoked(String),
    /// The agent lost access to this conversation (it went to a team they are not in, or to someone else).
    AccessLost(String),
    /// The conversation was erased.
    Erased(String),
}

impl Ended {
    pub fn reason(&self) -> &str {
        match self {
            Ended::Revoked(reason) | Ended::AccessLost(reason) | Ended::Erased(reason) => reason,
        }
    }
}

/// A socket's close code and reason, read: `Some` for the codes that end it for good.
pub fn socket_ended(code: u16, reason: &str) -> Option<Ended> {
    let reason = |default: &str| {
        let reason = reason.trim();
        if reason.is_empty() {
            default.to_string()
        } else {
            reason.to_string()
        }
    };
    match code {
        CLOSE_REVOKED => Some(Ended::Revoked(reason(
            "Your account was disabled or deleted.",
        ))),
        CLOSE_ACCESS_LOST => Some(Ended::AccessLost(reason(
            "You no longer have access to this conversation.",
        ))),
        CLOSE_ERASED => Some(Ended::Erased(reason("This conversation was erased."))),
        _ => None,
    }
}

/// A refused socket ticket, read: `Some` when asking again cannot help; `None` (network, 429, 5xx) to retry.
pub fn ticket_refused(status: Option<u16>, message: &str) -> Option<Ended> {
    match status? {
        401 => Some(Ended::Revoked(message.to_string())),
        403 => Some(Ended::AccessLost(message.to_string())),
        404 | 410 => Some(Ended::Erased(message.to_string())),
        _ => None,
    }
}
