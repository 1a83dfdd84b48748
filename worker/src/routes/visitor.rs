//! What the visitor tells about themself, and their socket. `POST …/identify`: name and email, and a user id only
//! with a token the site signed (HMAC-SHA256, secret `BATON_IDENTITY_SECRET_{SITE}`); a bad or expired token is
//! refused with 401 and nothing is applied. `POST …/form`: the pre-chat form's answers; when a handoff was waiting
//! for them, it goes ahead (or stays queued until the team is back). `POST …/csat`: the rating after the close.
//! `GET …/live`: the visitor's socket, opened with a ticket.

use baton_shared::identity;
use baton_shared::protocol::agent::Rate;
use baton_shared::protocol::{Identified, Identify, MessagesAppended, SubmitForm};
use worker::{Env, Request, Response};

use super::{ask_room, conversation_socket};
use crate::calls::room::{Side, VisitorRequest};
use crate::error::ApiError;
use crate::http::{read_json, reject_field_errors};
use crate::store::StoredSite;
use crate::{clock, vars};

pub async fn identify(
    req: &mut Request,
    env: &Env,
    site: &StoredSite,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let body: Identify = read_json(req).await?;
    reject_field_errors(body.validate())?;
    let now_ms = clock::now_ms(req, env);
    let verified_user_id = match (&body.user_id, &body.token) {
        (Some(user_id), Some(token)) => {
            let site_id = &site.config.id;
            let secret_name = identity_secret_name(site_id);
            let secret = vars::text(env, &secret_name).ok_or_else(|| {
                ApiError::Unauthorized(format!(
                    "site \"{site_id}\" has no identity secret ({secret_name}), so a signed user id cannot be checked"
                ))
            })?;
            let max_lifetime_s = vars::text(env, "BATON_IDENTITY_MAX_LIFETIME_S")
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(identity::DEFAULT_MAX_LIFETIME_S);
            let check = identity::Check {
                site_id,
                user_id,
                now_s: now_ms / 1000,
                max_lifetime_s,
            };
            identity::verify(secret.as_bytes(), token, check).map_err(|problem| {
                ApiError::Unauthorized(format!("identify refused: {problem}"))
            })?;
            Some(user_id.clone())
        }
        _ => None,
    };
    let request = VisitorRequest::Identify {
        name: body.name,
        email: body.email,
        verified_user_id,
        attributes: body.attributes.into_iter().collect(),
    };
    ask_room::<Identified>(req, env, site, conversation_id, request, 200).await
}

/// `BATON_IDENTITY_SECRET_DEMO` for site `demo`, `…_MY_SHOP` for `my-shop`.
fn identity_secret_name(site_id: &str) -> String {
    vars::per_site("BATON_IDENTITY_SECRET", site_id)
}

pub async fn submit_form(
    req: &mut Request,
    env: &Env,
    site: &StoredSite,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let body: SubmitForm = read_json(req).await?;
    let request = VisitorRequest::Form(body);
    ask_room::<MessagesAppended>(req, env, site, conversation_id, request, 200).await
}

/// `POST …/csat`: the visitor's rating of a closed conversation (1 to 5), kept with the conversation and its
/// archive. Rating again replaces the rating.
pub async fn rate(
    req: &mut Request,
    env: &Env,
    site: &StoredSite,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let body: Rate = read_json(req).await?;
    reject_field_errors(body.validate())?;
    let request = VisitorRequest::Rate(body);
    ask_room::<Rate>(req, env, site, conversation_id, request, 200).await
}

/// `GET …/live?ticket=…&since=N`: the visitor's socket; the room redeems the ticket the visitor asked for with
/// their token.
pub async fn live(
    req: &Request,
    env: &Env,
    site: &StoredSite,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    conversation_socket(req, env, &site.config.id, conversation_id, Side::Visitor).await
}
