//! Error bodies of the API and the field errors request validation reports.

use serde::{Deserialize, Serialize};

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
    /// The request is malformed outside its body: a reserved header, a socket route without `Upgrade` (400).
    BadRequest,
    /// The body is not valid JSON for this route (400).
    InvalidJson,
    /// The JSON is well-formed but a field breaks a rule (400).
    InvalidField,
    /// Missing or wrong visitor token (401).
    Unauthorized,
    /// The request's `Origin` is not on the site's allowlist (403).
    OriginNotAllowed,
    /// The agent's token is valid but not for this site, team or conversation (403).
    Forbidden,
    /// The action lost a race or does not fit the current state: another agent claimed first (409).
    Conflict,
    /// No such site, conversation or route (404).
    NotFound,
    /// The route exists but not for this method (405).
    MethodNotAllowed,
    /// The body is over [`super::MAX_BODY_BYTES`] (413).
    PayloadTooLarge,
    /// The body is not `application/json` (415).
    UnsupportedMediaType,
    /// Too many requests from this visitor or address; `Retry-After` says when to try again (429).
    RateLimited,
    /// The conversation holds as many messages or bytes as it may; start a new one (409).
    ConversationFull,
    /// Something failed inside Baton; details are logged, never returned (500).
    Internal,
}

impl ErrorCode {
    /// The HTTP status code this error is sent with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::InvalidJson | ErrorCode::InvalidField => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::OriginNotAllowed | ErrorCode::Forbidden => 403,
            ErrorCode::Conflict | ErrorCode::ConversationFull => 409,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }
}

/// A rule broken by one field of a request body, with the field's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where: `text`, `fields[1].value`, `consent`.
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

pub fn field_error(path: impl Into<String>, problem: impl Into<String>) -> FieldError {
    FieldError {
        path: path.into(),
        problem: problem.into(),
    }
}
