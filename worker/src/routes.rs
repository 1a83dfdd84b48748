//! One file per API resource; each route is one named async fn that decodes its request, checks what the worker
//! alone can check, and calls whoever decides: a conversation's room for the visitor's routes (`calls::room`), the
//! site inbox or directory for the console's.

pub mod agent;
pub mod agents;
pub mod campaigns;
pub mod conversations;
pub mod goals;
pub mod health;
pub mod leads;
pub mod messages;
pub mod metrics;
pub mod schema;
pub mod site_config;
pub mod visitor;
pub mod widget_config;

use baton_shared::protocol::field_error;
use baton_shared::protocol::ticket::{ENCODING_PARAM, TICKET_PARAM, WIRE_ENCODING};
use serde::de::DeserializeOwned;
use worker::{Env, Request, Response};

use crate::abuse;
use crate::calls::room::{self, RoomCall, Side, VisitorCall, VisitorRequest};
use crate::clock;
use crate::error::ApiError;
use crate::http::{bearer_token, reply};
use crate::store::{StoredSite, is_key_segment};

/// Sends a visitor's decoded request to its conversation's room, and answers with the room's reply as `status`.
async fn ask_room<R: DeserializeOwned + serde::Serialize>(
    req: &Request,
    env: &Env,
    site: &StoredSite,
    conversation_id: &str,
    request: VisitorRequest,
    status: u16,
) -> Result<Response, ApiError> {
    let answer: R = ask_room_for(req, env, site, conversation_id, request).await?;
    Ok(reply(req, &answer, status)?)
}

/// Sends a visitor's decoded request to its conversation's room, and gives its reply.
async fn ask_room_for<R: DeserializeOwned>(
    req: &Request,
    env: &Env,
    site: &StoredSite,
    conversation_id: &str,
    request: VisitorRequest,
) -> Result<R, ApiError> {
    if !is_key_segment(conversation_id) {
        return Err(ApiError::NotFound(format!(
            "conversation \"{conversation_id}\" does not exist on site \"{}\"",
            site.config.id
        )));
    }
    let call = VisitorCall {
        conversation_id: conversation_id.to_string(),
        token: bearer_token(req).ok(),
        origin_less_address: abuse::origin_less_address(req),
        site_version: site.version.clone(),
        request,
    };
    room::ask(
        env,
        &site.config.id,
        conversation_id,
        clock::now_ms(req, env),
        RoomCall::Visitor(call),
    )
    .await
}

/// `?since=N`: the last sequence number the client has (0 when absent).
fn since(req: &Request) -> Result<u64, ApiError> {
    match query(req, "since")? {
        None => Ok(0),
        Some(value) => value.parse().map_err(|_| {
            ApiError::InvalidFields(vec![field_error(
                "since",
                format!("must be a sequence number (0 or more), got \"{value}\""),
            )])
        }),
    }
}

fn query(req: &Request, name: &str) -> Result<Option<String>, ApiError> {
    Ok(req
        .url()?
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned()))
}

/// A socket on a conversation's room, for the visitor or an agent: the room redeems the `?ticket=` and sends what
/// came after `?since=`.
async fn conversation_socket(
    req: &Request,
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    side: Side,
) -> Result<Response, ApiError> {
    if !is_key_segment(conversation_id) {
        return Err(ApiError::NotFound(format!(
            "conversation \"{conversation_id}\" does not exist on site \"{site_id}\""
        )));
    }
    require_upgrade(req)?;
    let call = RoomCall::Live {
        ticket: query(req, TICKET_PARAM)?,
        since: since(req)?,
        side,
        wire: wire_frames(req, side)?,
    };
    room::connect(env, site_id, conversation_id, clock::now_ms(req, env), call).await
}

/// `?encoding=wire`: the visitor's socket sends its events in the wire encoding (binary frames); `json` or none,
/// as JSON text. Agents' sockets carry events the wire encoding cannot hold, so they are JSON only.
fn wire_frames(req: &Request, side: Side) -> Result<bool, ApiError> {
    let refused =
        |message: String| ApiError::InvalidFields(vec![field_error(ENCODING_PARAM, message)]);
    match (query(req, ENCODING_PARAM)?.as_deref(), side) {
        (None | Some("json"), _) => Ok(false),
        (Some(WIRE_ENCODING), Side::Visitor) => Ok(true),
        (Some(WIRE_ENCODING), Side::Agent) => Err(refused(
            "an agent's socket is JSON only; \"wire\" is for the visitor's socket".into(),
        )),
        (Some(other), _) => Err(refused(format!(
            "must be \"json\" or \"wire\", got \"{other}\""
        ))),
    }
}

/// A socket route must be asked for as one.
fn require_upgrade(req: &Request) -> Result<(), ApiError> {
    if req.headers().get("Upgrade")?.as_deref() == Some("websocket") {
        Ok(())
    } else {
        Err(ApiError::BadRequest(
            "this route is a WebSocket: send `Upgrade: websocket`".into(),
        ))
    }
}
