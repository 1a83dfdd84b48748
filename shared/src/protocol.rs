//! The typed wire protocol between the widget, the worker and the tests: request and response bodies, error bodies,
//! and the URL paths of every route. Both sides serialise these types; nobody writes JSON by hand.

use serde::{Deserialize, Serialize};

/// The largest request body the worker reads; anything longer is refused with 413 before it is parsed.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The longest visitor message, in characters. The widget shows the limit; the worker enforces it.
pub const MAX_MESSAGE_CHARS: usize = 2_000;
/// The longest client message id, in characters.
pub const MAX_CLIENT_MESSAGE_ID_CHARS: usize = 64;
/// The longest page URL kept with a conversation, in characters.
pub const MAX_PAGE_URL_CHARS: usize = 2_048;

/// URL paths of the HTTP API, in one place so the widget, the worker's route table and the tests agree.
pub mod paths {
    /// `GET`: liveness of the worker.
    pub const HEALTH: &str = "/v1/health";

    /// `POST`: start a conversation on a site.
    pub fn conversations(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/conversations")
    }

    /// `POST`: add a visitor message to a conversation.
    pub fn messages(site_id: &str, conversation_id: &str) -> String {
        format!("/v1/sites/{site_id}/conversations/{conversation_id}/messages")
    }
}

/// Body of `POST /v1/sites/{site}/conversations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateConversation {
    /// The page the visitor was on when the conversation started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
}

/// Response of `POST /v1/sites/{site}/conversations` (201).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationCreated {
    pub conversation_id: String,
    /// Proves later requests come from the visitor who started the conversation: sent as `Authorization: Bearer …`.
    pub visitor_token: String,
    /// The opening messages (the site's greeting).
    pub messages: Vec<Message>,
}

/// Body of `POST /v1/sites/{site}/conversations/{id}/messages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostMessage {
    /// Chosen by the widget; a retry with the same id is answered with the original result, never stored twice.
    pub client_message_id: String,
    pub text: String,
}

/// Response of `POST …/messages` (200): the stored visitor message followed by the replies it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagesAppended {
    pub messages: Vec<Message>,
}

/// Response of `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

/// One message of a conversation, as stored and as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Position in the conversation, starting at 1; strictly increasing.
    pub seq: u64,
    pub author: Author,
    pub text: String,
    /// Milliseconds since the Unix epoch, from the worker's clock.
    pub sent_at_ms: u64,
    /// Set on visitor messages: the id the widget chose, for idempotent retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_message_id: Option<String>,
    /// Set on automatic answers: where the answer came from and how sure Baton is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerSource>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Visitor,
    /// Baton itself: FAQ answers and AI answers.
    Ai,
    Agent,
    System,
}

/// Provenance of an automatic answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerSource {
    /// The FAQ entry that answered, or `None` for the fallback reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faq_entry_id: Option<String>,
    /// Confidence in [0, 1] that the answer addresses the question.
    pub confidence: f32,
}

/// Every error response of the API: `{"error": {"code": …, "message": …}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// A sentence for a developer: what is wrong and where (field path, line and column).
    pub message: String,
}

/// Machine-readable error codes; each maps to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON for this route (400).
    InvalidJson,
    /// The JSON is well-formed but a field breaks a rule (400).
    InvalidField,
    /// Missing or wrong visitor token (401).
    Unauthorized,
    /// The request's `Origin` is not on the site's allowlist (403).
    OriginNotAllowed,
    /// No such site, conversation or route (404).
    NotFound,
    /// The route exists but not for this method (405).
    MethodNotAllowed,
    /// The body is over [`MAX_BODY_BYTES`] (413).
    PayloadTooLarge,
    /// The body is not `application/json` (415).
    UnsupportedMediaType,
    /// Something failed inside Baton; details are logged, never returned (500).
    Internal,
}

impl ErrorCode {
    /// The HTTP status code this error is sent with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidJson | ErrorCode::InvalidField => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::OriginNotAllowed => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::Internal => 500,
        }
    }
}

/// A rule broken by one field of a request body, with the field's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub path: &'static str,
    pub problem: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

impl PostMessage {
    /// Checks the limits the worker enforces, returning every broken rule.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let id = self.client_message_id.trim();
        if id.is_empty() {
            errors.push(field_error("client_message_id", "must not be empty"));
        } else if id.chars().count() > MAX_CLIENT_MESSAGE_ID_CHARS {
            errors.push(field_error(
                "client_message_id",
                format!("must be at most {MAX_CLIENT_MESSAGE_ID_CHARS} characters"),
            ));
        }
        let chars = self.text.chars().count();
        if self.text.trim().is_empty() {
            errors.push(field_error("text", "must not be empty"));
        } else if chars > MAX_MESSAGE_CHARS {
            errors.push(field_error(
                "text",
                format!("must be at most {MAX_MESSAGE_CHARS} characters (got {chars})"),
            ));
        }
        errors
    }
}

impl CreateConversation {
    /// Checks the limits the worker enforces, returning every broken rule.
    pub fn validate(&self) -> Vec<FieldError> {
        match &self.page_url {
            Some(url) if url.chars().count() > MAX_PAGE_URL_CHARS => vec![field_error(
                "page_url",
                format!("must be at most {MAX_PAGE_URL_CHARS} characters"),
            )],
            _ => Vec::new(),
        }
    }
}

fn field_error(path: &'static str, problem: impl Into<String>) -> FieldError {
    FieldError {
        path,
        problem: problem.into(),
    }
}

#[cfg(test)]
mod tests;
