//! The one way the worker and its Durable Objects talk: a typed call (`RoomCall`, `InboxCall`, `DirectoryCall`)
//! wrapped in an [`Envelope`] that says which site it is for and the caller's time, sent as JSON to one fixed URL,
//! and answered with a typed reply or an [`ErrorBody`]. A socket is opened the same way, with the envelope in a
//! header of the upgrade request. No object reads paths, and no caller writes one.
//!
//! Each object's calls and its client live in one file here (`room.rs`, `inbox.rs`, `directory.rs`), so the objects
//! in `rooms/` and everything that calls them depend on `calls`, never on each other.

pub mod directory;
pub mod inbox;
mod object;
pub mod room;
pub mod tally;

use baton_shared::protocol::{ErrorBody, ErrorCode};
use object::NamedObject;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{Env, Headers, Method, Request, RequestInit, Response};

use crate::error::ApiError;
use crate::http::json_response;

/// Every internal request goes here; an object never looks at the URL.
const CALL_URL: &str = "https://baton.internal/call";
/// Where a socket's envelope rides (an upgrade request has no body).
pub const CALL_HEADER: &str = "X-Baton-Call";

/// A call with what every object needs to know: whose it is and when it happens (the caller's clock, so one
/// request has one time wherever it is handled).
#[derive(Debug, Serialize, Deserialize)]
pub struct Envelope<C> {
    pub site_id: String,
    pub now_ms: u64,
    pub call: C,
}

/// Sends a call to the object `name` of the namespace bound as `binding` and decodes its reply; an object's error
/// comes back as the same error, so its status and message reach the client unchanged.
pub async fn send<C: Serialize, R: DeserializeOwned>(
    env: &Env,
    binding: &str,
    name: &str,
    envelope: &Envelope<C>,
) -> Result<R, ApiError> {
    let object = NamedObject::get(env, binding, name)?;
    tally::count(&envelope.site_id, tally::Op::ObjectCall);
    let answer = object.post(CALL_URL, to_json(envelope)?).await?;
    decode_reply(answer.status, &answer.text, answer.retry_after_s)
}

/// Opens a socket on an object (the object answers `101` or an error).
pub async fn connect<C: Serialize>(
    env: &Env,
    binding: &str,
    name: &str,
    envelope: &Envelope<C>,
) -> Result<Response, ApiError> {
    let stub = env
        .durable_object(binding)?
        .id_from_name(name)?
        .get_stub()?;
    let headers = Headers::new();
    headers.set("Upgrade", "websocket")?;
    headers.set(CALL_HEADER, &to_json(envelope)?)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    tally::count(&envelope.site_id, tally::Op::ObjectCall);
    let response = stub
        .fetch_with_request(Request::new_with_init(CALL_URL, &init)?)
        .await?;
    Ok(relay(response).await?)
}

/// The envelope an object received, from the socket header or the body.
pub async fn receive<C: DeserializeOwned>(req: &mut Request) -> Result<Envelope<C>, ApiError> {
    let text = match req.headers().get(CALL_HEADER)? {
        Some(text) => text,
        None => req.text().await?,
    };
    serde_json::from_str(&text)
        .map_err(|error| ApiError::Internal(format!("an object received a bad call: {error}")))
}

/// An object's reply to a call.
pub fn reply<R: Serialize>(value: &R) -> Result<Response, ApiError> {
    reply_with(value, 200)
}

/// An object's reply with another status than 200 (a visitor's new conversation is 201, as the worker answers).
pub fn reply_with<R: Serialize>(value: &R, status: u16) -> Result<Response, ApiError> {
    Ok(json_response(value, status)?)
}

fn decode_reply<R: DeserializeOwned>(
    status: u16,
    text: &str,
    retry_after_s: Option<u32>,
) -> Result<R, ApiError> {
    if (200..300).contains(&status) {
        serde_json::from_str(text)
            .map_err(|error| ApiError::Internal(format!("an object answered {text}: {error}")))
    } else {
        match serde_json::from_str::<ErrorBody>(text) {
            Ok(body) => match (body.error.code, retry_after_s) {
                (ErrorCode::RateLimited, Some(retry_after_s)) => Err(ApiError::RateLimited {
                    retry_after_s,
                    message: body.error.message,
                }),
                _ => Err(ApiError::Relayed(body.error)),
            },
            Err(_) => Err(ApiError::Internal(format!(
                "an object failed with {status}: {text}"
            ))),
        }
    }
}

pub fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value)
        .map_err(|error| ApiError::Internal(format!("serialising: {error}")))
}

/// An object's response as the worker's own: objects answer with immutable headers, which CORS must add to.
pub async fn relay(mut response: Response) -> worker::Result<Response> {
    if response.status_code() == 101 {
        return Ok(response);
    }
    let status = response.status_code();
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        headers.set(&name, &value)?;
    }
    let bytes = response.bytes().await?;
    Ok(Response::from_bytes(bytes)?
        .with_status(status)
        .with_headers(headers))
}
