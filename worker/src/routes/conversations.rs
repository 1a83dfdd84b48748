//! `POST /v1/sites/{site}/conversations`: a visitor starts a conversation and gets the site's greeting. The worker
//! checks the campaign it names, the bot check and the hourly limit of scripts, picks the id, and the new
//! conversation's room opens it (handing it over at once when its campaign's action is `handoff`).

use baton_shared::config::SiteConfig;
use baton_shared::handoff;
use baton_shared::protocol::{ConversationCreated, CreateConversation};
use worker::{Env, Request, Response};

use super::ask_room;
use crate::calls::room::VisitorRequest;
use crate::error::ApiError;
use crate::http::{read_optional_json, reject_field_errors};
use crate::store::StoredSite;
use crate::{abuse, random, turnstile};

pub async fn create(req: &mut Request, env: &Env, site: &StoredSite) -> Result<Response, ApiError> {
    let config = &site.config;
    let body: CreateConversation = read_optional_json(req).await?;
    // `check`: the body's limits, and its `team` one of the site's.
    reject_field_errors(body.check(config))?;
    // An unknown campaign is refused before anything is counted (the room decides its handoff).
    handoff::opening_campaign(config, body.campaign.as_ref()).map_err(ApiError::InvalidFields)?;
    admit(req, env, config, body.turnstile_token.as_deref()).await?;
    let conversation_id = random::uuid()?;
    let request = VisitorRequest::Create(body);
    ask_room::<ConversationCreated>(req, env, site, &conversation_id, request, 201).await
}

/// What every new conversation (and lead) passes before it exists: the site's Turnstile check when it has one, and
/// the hourly limit of scripts without an `Origin`.
pub(super) async fn admit(
    req: &Request,
    env: &Env,
    config: &SiteConfig,
    turnstile_token: Option<&str>,
) -> Result<(), ApiError> {
    if config.turnstile.is_some() {
        let remote_ip = req.headers().get("CF-Connecting-IP")?;
        turnstile::check(env, &config.id, turnstile_token, remote_ip.as_deref()).await?;
    }
    if let Some(address) = abuse::origin_less_address(req) {
        abuse::count_conversation(env, &config.id, &address).await?;
    }
    Ok(())
}
