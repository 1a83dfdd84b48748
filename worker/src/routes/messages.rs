//! `/v1/sites/{site}/conversations/{id}/messages`. `POST`: a visitor message in (typed, or a tapped choice), Baton's
//! reply out (an FAQ answer, a grounded AI answer, a clarifying question with its choices, a fallback, or a handoff
//! notice with who joins and when), decided by the conversation's room, which also checks the body's fields. `GET`:
//! the history since a sequence number, choices included. Both need the conversation's visitor token.

use baton_shared::protocol::{MessagesAppended, PostMessage};
use worker::{Env, Request, Response};

use super::{ask_room, since};
use crate::calls::room::VisitorRequest;
use crate::error::ApiError;
use crate::http::read_json;
use crate::store::StoredSite;

pub async fn post(
    req: &mut Request,
    env: &Env,
    site: &StoredSite,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let body: PostMessage = read_json(req).await?;
    let request = VisitorRequest::Post(body);
    ask_room::<MessagesAppended>(req, env, site, conversation_id, request, 200).await
}

/// `GET …/messages?since=N`: the conversation's messages after sequence number `N` (all of them without `since`),
/// for a widget reopening the conversation on another page or after a reload.
pub async fn history(
    req: &Request,
    env: &Env,
    site: &StoredSite,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let request = VisitorRequest::History { since: since(req)? };
    ask_room::<MessagesAppended>(req, env, site, conversation_id, request, 200).await
}
