//! The two Durable Object classes and how the rest of the worker talks to them. A [`ConversationRoom`] per
//! conversation holds its ordered history and its live sockets (visitor and agents), so AI and human turns share
//! one order; a [`SiteInbox`] per site holds the queues, claims and presence. Both are reached through stubs by
//! name (`{site}:{conversation}`, `{site}`), with small internal requests whose bodies are typed here.

pub mod conversation;
pub mod directory;
pub mod inbox;
pub mod tickets;

use baton_shared::protocol::ErrorBody;
use baton_shared::protocol::agent::AgentProfile;
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Env, Headers, Method, Request, RequestInit, ScheduledTime, Storage, Stub};

pub use self::conversation::ConversationRoom;
pub use self::directory::SiteDirectory;
pub use self::inbox::SiteInbox;
use crate::error::ApiError;

/// Binding names, as in `wrangler.toml`.
const INBOXES: &str = "INBOXES";

/// Headers the worker sets on requests it forwards to a room (a browser can never reach a room directly).
pub const SITE_HEADER: &str = "X-Baton-Site";
pub const CONVERSATION_HEADER: &str = "X-Baton-Conversation";
/// The signed-in agent's profile, as JSON, on agent requests.
pub const AGENT_HEADER: &str = "X-Baton-Agent";

/// Internal requests use this origin; only the path matters to a room.
const INTERNAL: &str = "https://room.internal";

pub fn inbox_stub(env: &Env, site_id: &str) -> worker::Result<Stub> {
    env.durable_object(INBOXES)?
        .id_from_name(site_id)?
        .get_stub()
}

/// An internal request to a room: `path` with the site, conversation and agent headers, and a JSON body.
pub fn internal_request<B: Serialize>(
    method: Method,
    path: &str,
    site_id: &str,
    conversation_id: Option<&str>,
    agent: Option<&AgentProfile>,
    body: Option<&B>,
) -> Result<Request, ApiError> {
    let headers = Headers::new();
    headers.set(SITE_HEADER, site_id)?;
    if let Some(conversation_id) = conversation_id {
        headers.set(CONVERSATION_HEADER, conversation_id)?;
    }
    if let Some(agent) = agent {
        headers.set(AGENT_HEADER, &to_json(agent)?)?;
    }
    let mut init = RequestInit::new();
    if let Some(body) = body {
        headers.set("Content-Type", "application/json")?;
        init.with_body(Some(to_json(body)?.into()));
    }
    init.with_method(method).with_headers(headers);
    Ok(Request::new_with_init(&format!("{INTERNAL}{path}"), &init)?)
}

/// Sends an internal request and decodes the room's JSON answer; a room's error answer comes back as the same
/// error, so its status and message reach the caller unchanged.
pub async fn call<T: DeserializeOwned>(stub: &Stub, req: Request) -> Result<T, ApiError> {
    let mut response = stub.fetch_with_request(req).await?;
    let text = response.text().await?;
    if (200..300).contains(&response.status_code()) {
        serde_json::from_str(&text)
            .map_err(|error| ApiError::Internal(format!("a room answered {text}: {error}")))
    } else {
        match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => Err(ApiError::Relayed(body.error)),
            Err(_) => Err(ApiError::Internal(format!(
                "a room failed with {}: {text}",
                response.status_code()
            ))),
        }
    }
}

/// The agent profile a forwarded request carries.
pub fn agent_of(req: &Request) -> Result<Option<AgentProfile>, ApiError> {
    match req.headers().get(AGENT_HEADER)? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|error| ApiError::Internal(format!("agent header: {error}"))),
    }
}

pub fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value)
        .map_err(|error| ApiError::Internal(format!("serialising: {error}")))
}

/// A header the worker set on a forwarded request.
pub fn required_header(req: &Request, name: &str) -> Result<String, ApiError> {
    req.headers()
        .get(name)?
        .ok_or_else(|| ApiError::Internal(format!("a room request lacks {name}")))
}

/// Sets a room's alarm at a time (ms since the Unix epoch). `set_alarm` takes a bare number as an offset from now,
/// so the time is passed as a date.
pub async fn set_alarm_at(storage: &Storage, at_ms: u64) -> Result<(), ApiError> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
    storage.set_alarm(ScheduledTime::new(date)).await?;
    Ok(())
}
