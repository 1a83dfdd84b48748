//! Who an agent or admin request comes from. A token is sent as `Authorization: Bearer …` (or `?access_token=` on
//! WebSockets, which cannot carry headers from a browser). The admin token is the worker secret
//! `BATON_ADMIN_TOKEN`; agent tokens are random, shown once at creation, and stored only as their SHA-256 digest.
//! Missing or unknown → 401; a token of another site, or a non-admin on an admin route → 403.

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::{AgentProfile, AgentRole};
use baton_shared::signing;
use worker::{Env, Request};

use crate::error::ApiError;
use crate::routes::constant_time_eq;
use crate::store::Store;
use crate::vars;

/// The secret that bootstraps accounts.
pub const ADMIN_TOKEN: &str = "BATON_ADMIN_TOKEN";

/// The account a request's token belongs to, on this site.
pub async fn agent(
    req: &Request,
    env: &Env,
    store: &Store,
    site: &SiteConfig,
) -> Result<AgentProfile, ApiError> {
    let token = token(req)?;
    if let Some(admin_token) = vars::text(env, ADMIN_TOKEN)
        && constant_time_eq(admin_token.as_bytes(), token.as_bytes())
    {
        return Ok(AgentProfile {
            id: "admin".into(),
            site_id: site.id.clone(),
            name: "Admin".into(),
            teams: site.teams.iter().map(|team| team.id.clone()).collect(),
            role: AgentRole::Admin,
            created_at_ms: 0,
        });
    }
    // The digest is the lookup key, so no comparison of the secret itself happens here.
    let agent = store
        .agent_by_digest(&signing::token_digest(&token))
        .await?
        .ok_or_else(|| ApiError::Unauthorized("this agent token is not valid".into()))?;
    if agent.site_id != site.id {
        return Err(ApiError::Forbidden(format!(
            "this agent token is for site \"{}\", not \"{}\"",
            agent.site_id, site.id
        )));
    }
    Ok(agent)
}

/// The account, which must be an admin.
pub async fn admin(
    req: &Request,
    env: &Env,
    store: &Store,
    site: &SiteConfig,
) -> Result<AgentProfile, ApiError> {
    let agent = agent(req, env, store, site).await?;
    if agent.role != AgentRole::Admin {
        return Err(ApiError::Forbidden(format!(
            "{} is not an admin of site \"{}\"",
            agent.name, site.id
        )));
    }
    Ok(agent)
}

fn token(req: &Request) -> Result<String, ApiError> {
    let header = req.headers().get("Authorization")?.unwrap_or_default();
    let from_header = header
        .strip_prefix("Bearer ")
        .map(str::trim)
        .map(str::to_string);
    let from_query = req
        .url()?
        .query_pairs()
        .find(|(name, _)| name == "access_token")
        .map(|(_, value)| value.into_owned());
    from_header
        .or(from_query)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized(
                "missing agent token: send `Authorization: Bearer <token>` (or ?access_token= on a WebSocket)"
                    .into(),
            )
        })
}
