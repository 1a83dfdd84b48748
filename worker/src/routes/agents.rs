//! Admin routes. `POST /v1/sites/{site}/agents` creates an account and shows its token once;
//! `GET /v1/sites/{site}/agents` lists accounts; `POST /v1/sites/{site}/erasure` deletes everything stored about one
//! visitor (by email or conversation id): the conversation rooms, handoff packages, archives and inbox items.

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::{
    AgentCreated, AgentList, AgentProfile, CreateAgent, Erase, Erased,
};
use baton_shared::protocol::field_error;
use baton_shared::signing;
use worker::{Env, Method, Request, Response};

use crate::error::ApiError;
use crate::http::{json_response, read_json, reject_field_errors};
use crate::rooms::{self, inbox};
use crate::store::{Store, is_key_segment};
use crate::{accounts, clock, random};

pub async fn create(
    req: &mut Request,
    env: &Env,
    store: &Store,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    accounts::admin(req, env, store, site).await?;
    let body: CreateAgent = read_json(req).await?;
    reject_field_errors(body.validate(site))?;
    let token = format!("bat_{}", random::token()?);
    let agent = AgentProfile {
        id: random::uuid()?,
        site_id: site.id.clone(),
        name: body.name.trim().to_string(),
        teams: body.teams,
        role: body.role,
        created_at_ms: clock::now_ms(req, env),
    };
    store
        .put_agent(&signing::token_digest(&token), &agent)
        .await?;
    Ok(json_response(&AgentCreated { agent, token }, 201)?)
}

pub async fn list(
    req: &Request,
    env: &Env,
    store: &Store,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    accounts::admin(req, env, store, site).await?;
    let agents = store.agents(&site.id).await?;
    Ok(json_response(&AgentList { agents }, 200)?)
}

pub async fn erase(
    req: &mut Request,
    env: &Env,
    store: &Store,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    accounts::admin(req, env, store, site).await?;
    let body: Erase = read_json(req).await?;
    let mut conversations = Vec::new();
    if let Some(id) = &body.conversation_id {
        if !is_key_segment(id) {
            return Err(ApiError::InvalidFields(vec![field_error(
                "conversation_id",
                "is not a conversation id",
            )]));
        }
        conversations.push(id.clone());
    }
    if let Some(email) = &body.email {
        conversations.extend(store.conversations_of_email(site, email).await?);
    }
    if body.conversation_id.is_none() && body.email.is_none() {
        return Err(ApiError::InvalidFields(vec![field_error(
            "email",
            "give the visitor's email or a conversation_id",
        )]));
    }
    conversations.sort();
    conversations.dedup();
    for id in &conversations {
        let stub = rooms::conversation_stub(env, &site.id, id)?;
        let req = rooms::internal_request::<()>(
            Method::Post,
            "/internal/erase",
            &site.id,
            Some(id),
            None,
            None,
        )?;
        rooms::call::<serde_json::Value>(&stub, req).await?;
        store.erase_conversation(&site.id, id).await?;
        inbox::forget(env, &site.id, id).await?;
    }
    if let Some(email) = &body.email {
        store.forget_email(&site.id, email).await?;
    }
    Ok(json_response(&Erased { conversations }, 200)?)
}
