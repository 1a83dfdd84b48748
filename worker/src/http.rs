//! Reading request bodies within limits and writing JSON responses, the same way on every route; the routes the
//! widget reads on every page view also answer in the compact wire encoding when asked for it ([`reply`]).

use baton_shared::protocol::{FieldError, MAX_BODY_BYTES, wire};
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Request, Response};

use crate::error::ApiError;

/// Reads a JSON body of type `T`.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    let bytes = read_limited(req).await?;
    parse_json(req, &bytes)
}

/// Reads a JSON body of type `T` of up to `limit` bytes: the routes that take a whole configuration have a limit of
/// their own (`site_config::MAX_CONFIG_BYTES`).
pub async fn read_json_within<T: DeserializeOwned>(
    req: &mut Request,
    limit: usize,
) -> Result<T, ApiError> {
    let bytes = read_within(req, limit).await?;
    parse_json(req, &bytes)
}

/// Reads a JSON body of type `T` sent as `application/json` or as `text/plain`: `navigator.sendBeacon` sends a
/// string as `text/plain`, which needs no CORS preflight (the body is JSON all the same).
pub async fn read_beacon_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    let bytes = read_limited(req).await?;
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if content_type.starts_with("text/plain") {
        return serde_json::from_slice(&bytes)
            .map_err(|error| ApiError::InvalidJson(format!("request body is not valid: {error}")));
    }
    parse_json(req, &bytes)
}

/// Reads a JSON body of type `T`; an empty body means `T::default()`.
pub async fn read_optional_json<T: DeserializeOwned + Default>(
    req: &mut Request,
) -> Result<T, ApiError> {
    let bytes = read_limited(req).await?;
    if bytes.is_empty() {
        return Ok(T::default());
    }
    parse_json(req, &bytes)
}

/// The body's bytes, refusing anything over [`MAX_BODY_BYTES`].
async fn read_limited(req: &mut Request) -> Result<Vec<u8>, ApiError> {
    read_within(req, MAX_BODY_BYTES).await
}

/// The body's bytes, refusing anything over `limit` (by its declared length first, when it has one).
async fn read_within(req: &mut Request, limit: usize) -> Result<Vec<u8>, ApiError> {
    let declared = req
        .headers()
        .get("Content-Length")?
        .and_then(|length| length.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    let bytes = req.bytes().await?;
    if bytes.len() > limit {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    Ok(bytes)
}

fn parse_json<T: DeserializeOwned>(req: &Request, bytes: &[u8]) -> Result<T, ApiError> {
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if !content_type.starts_with("application/json") {
        return Err(ApiError::UnsupportedMediaType(format!(
            "request body must be application/json, got \"{content_type}\""
        )));
    }
    serde_json::from_slice(bytes)
        .map_err(|error| ApiError::InvalidJson(format!("request body is not valid: {error}")))
}

/// Turns a list of broken field rules into a 400, or passes when there are none.
pub fn reject_field_errors(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::InvalidFields(errors))
    }
}

/// A JSON response with a status.
pub fn json_response<T: Serialize>(body: &T, status: u16) -> worker::Result<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// Whether the request asks for the wire encoding (`Accept: application/vnd.baton.wire`, as the widget does).
pub fn asks_for_wire(req: &Request) -> worker::Result<bool> {
    Ok(req.headers().get("Accept")?.is_some_and(|accept| {
        accept
            .split(',')
            .any(|range| media_type(range) == wire::MEDIA_TYPE)
    }))
}

/// `application/vnd.baton.wire` of one `Accept` range such as ` application/vnd.baton.wire;q=0.9`.
fn media_type(range: &str) -> &str {
    range.split(';').next().unwrap_or_default().trim()
}

/// `body` in the wire encoding when the request asks for it ([`asks_for_wire`]), else as JSON; `Vary: Accept` either
/// way, so a cache keeps the two apart.
pub fn reply<T: Serialize>(req: &Request, body: &T, status: u16) -> worker::Result<Response> {
    let mut response = if asks_for_wire(req)? {
        let mut response = Response::from_bytes(wire::to_bytes(body))?;
        response
            .headers_mut()
            .set("Content-Type", wire::MEDIA_TYPE)?;
        response.with_status(status)
    } else {
        json_response(body, status)?
    };
    response.headers_mut().set("Vary", "Accept")?;
    Ok(response)
}

/// The `Authorization: Bearer …` token of a request.
pub fn bearer_token(req: &Request) -> Result<String, ApiError> {
    let header = req.headers().get("Authorization")?.unwrap_or_default();
    header
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_string)
        .ok_or_else(missing_visitor_token)
}

/// The answer to a visitor request without its token.
pub fn missing_visitor_token() -> ApiError {
    ApiError::Unauthorized(
        "missing visitor token: send the visitor_token from conversation creation as \
         `Authorization: Bearer <token>`"
            .into(),
    )
}
