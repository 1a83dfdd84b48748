//! The API's one error type and its mapping to `{"error": {"code", "message"}}` responses.
//!
//! Bad input gets a 4xx whose message says what is wrong and where. Internal faults are logged with their detail and
//! answered with a generic 500: no internal error text leaves the worker.

use baton_shared::protocol::{ErrorBody, ErrorCode, ErrorDetail, FieldError};
use worker::{Response, console_error};

#[derive(Debug)]
pub enum ApiError {
    NotFound(String),
    MethodNotAllowed {
        allow: String,
        message: String,
    },
    /// The request is malformed in a way that is not its JSON body: a header Baton reserves, a socket route
    /// without `Upgrade: websocket`, a query parameter.
    BadRequest(String),
    InvalidJson(String),
    InvalidFields(Vec<FieldError>),
    /// The body is over the route's limit, in bytes.
    PayloadTooLarge(usize),
    UnsupportedMediaType(String),
    Unauthorized(String),
    OriginNotAllowed(String),
    Forbidden(String),
    Conflict(String),
    /// The conversation reached its cap of messages or bytes.
    ConversationFull(String),
    /// An error a Durable Object answered with, passed on unchanged.
    Relayed(ErrorDetail),
    RateLimited {
        retry_after_s: u32,
        message: String,
    },
    /// A fault inside Baton or the platform; the text is logged, never sent.
    Internal(String),
}

impl From<worker::Error> for ApiError {
    fn from(error: worker::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<worker::kv::KvError> for ApiError {
    fn from(error: worker::kv::KvError) -> Self {
        ApiError::Internal(format!("KV: {error}"))
    }
}

impl ApiError {
    fn code_and_message(self) -> (ErrorCode, String) {
        match self {
            ApiError::NotFound(message) => (ErrorCode::NotFound, message),
            ApiError::MethodNotAllowed { message, .. } => (ErrorCode::MethodNotAllowed, message),
            ApiError::BadRequest(message) => (ErrorCode::BadRequest, message),
            ApiError::InvalidJson(message) => (ErrorCode::InvalidJson, message),
            ApiError::InvalidFields(errors) => {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                (ErrorCode::InvalidField, list.join("; "))
            }
            ApiError::PayloadTooLarge(limit) => (
                ErrorCode::PayloadTooLarge,
                format!("request body is larger than the limit of {limit} bytes"),
            ),
            ApiError::UnsupportedMediaType(message) => (ErrorCode::UnsupportedMediaType, message),
            ApiError::Unauthorized(message) => (ErrorCode::Unauthorized, message),
            ApiError::OriginNotAllowed(message) => (ErrorCode::OriginNotAllowed, message),
            ApiError::Forbidden(message) => (ErrorCode::Forbidden, message),
            ApiError::Conflict(message) => (ErrorCode::Conflict, message),
            ApiError::ConversationFull(message) => (ErrorCode::ConversationFull, message),
            ApiError::Relayed(detail) => (detail.code, detail.message),
            ApiError::RateLimited { message, .. } => (ErrorCode::RateLimited, message),
            ApiError::Internal(detail) => {
                console_error!("internal error: {detail}");
                (
                    ErrorCode::Internal,
                    "something went wrong inside Baton; please try again".to_string(),
                )
            }
        }
    }

    /// The message a client is told (a generic one for internal faults).
    pub fn message(self) -> String {
        self.code_and_message().1
    }

    pub fn into_response(self) -> worker::Result<Response> {
        let header = match &self {
            ApiError::MethodNotAllowed { allow, .. } => Some(("Allow", allow.to_string())),
            ApiError::RateLimited { retry_after_s, .. } => {
                Some(("Retry-After", retry_after_s.to_string()))
            }
            _ => None,
        };
        let (code, message) = self.code_and_message();
        let body = ErrorBody {
            error: ErrorDetail { code, message },
        };
        let mut response = Response::from_json(&body)?.with_status(code.status());
        if let Some((name, value)) = header {
            response.headers_mut().set(name, &value)?;
        }
        Ok(response)
    }
}
