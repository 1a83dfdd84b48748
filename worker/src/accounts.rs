//! Who an agent or admin request comes from. A token travels only as `Authorization: Bearer …` (sockets open with
//! a ticket instead, see `routes::tickets`). Agent tokens are `bat_{site}.{secret}`, shown once at creation; the
//! site's directory (a Durable Object) keeps only their SHA-256 and the account, so disabling or deleting an agent
//! stops the token on the very next request. The operator's secret `BATON_ADMIN_TOKEN` is not an account of any
//! site: it creates sites and their admins, nothing else.
//! Missing, unknown or disabled → 401; a token of another site, or a role that may not act → 403.

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::{AgentProfile, AgentRole, agent_token_site};
use baton_shared::signing;
use worker::{Env, Request};

use crate::calls::directory::{self, DirectoryCall};
use crate::error::ApiError;
use crate::{clock, vars};

/// The operator's secret: creates sites and their admins.
pub const ADMIN_TOKEN: &str = "BATON_ADMIN_TOKEN";

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Caller {
    /// The deployment's operator (`BATON_ADMIN_TOKEN`).
    Operator,
    Agent(AgentProfile),
}

/// The caller of a staff route on `site`: the operator, or an enabled agent of this site.
pub async fn caller(req: &Request, env: &Env, site: &SiteConfig) -> Result<Caller, ApiError> {
    let token = bearer(req)?;
    if is_operator(env, &token) {
        return Ok(Caller::Operator);
    }
    if let Some(other) = agent_token_site(&token)
        && other != site.id
    {
        return Err(ApiError::Forbidden(format!(
            "this agent token is for site \"{other}\", not \"{}\"",
            site.id
        )));
    }
    // The digest is the lookup key, so no comparison of the secret itself happens here.
    let agent: Option<AgentProfile> = directory::ask(
        env,
        &site.id,
        clock::now_ms(req, env),
        DirectoryCall::Authenticate {
            digest: signing::token_digest(&token),
        },
    )
    .await?;
    let agent =
        agent.ok_or_else(|| ApiError::Unauthorized("this agent token is not valid".into()))?;
    if agent.disabled {
        return Err(ApiError::Unauthorized(format!(
            "{}'s account is disabled; an admin of site \"{}\" can enable it again",
            agent.name, site.id
        )));
    }
    Ok(Caller::Agent(agent))
}

/// The agent a request's token belongs to, on this site. The operator is not an agent.
pub async fn agent(req: &Request, env: &Env, site: &SiteConfig) -> Result<AgentProfile, ApiError> {
    match caller(req, env, site).await? {
        Caller::Agent(agent) => Ok(agent),
        Caller::Operator => Err(operator_refused(site)),
    }
}

/// The agent, who must be an admin of this site.
pub async fn admin(req: &Request, env: &Env, site: &SiteConfig) -> Result<AgentProfile, ApiError> {
    let agent = agent(req, env, site).await?;
    if agent.role != AgentRole::Admin {
        return Err(ApiError::Forbidden(format!(
            "{} is not an admin of site \"{}\"",
            agent.name, site.id
        )));
    }
    Ok(agent)
}

/// Only the operator: creating sites.
pub fn operator(req: &Request, env: &Env) -> Result<(), ApiError> {
    let token = bearer(req)?;
    if is_operator(env, &token) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the operator's token (BATON_ADMIN_TOKEN) creates sites".into(),
        ))
    }
}

pub fn operator_refused(site: &SiteConfig) -> ApiError {
    ApiError::Forbidden(format!(
        "the operator token only creates sites and their admins; sign in as an admin of site \"{}\" for this",
        site.id
    ))
}

fn is_operator(env: &Env, token: &str) -> bool {
    vars::text(env, ADMIN_TOKEN)
        .is_some_and(|admin_token| constant_time_eq(admin_token.as_bytes(), token.as_bytes()))
}

/// The bearer token of a request. Tokens in URLs are refused outright: they end up in logs and histories.
pub fn bearer(req: &Request) -> Result<String, ApiError> {
    let in_url = req
        .url()?
        .query_pairs()
        .any(|(name, _)| name == "access_token" || name == "token");
    if in_url {
        return Err(ApiError::Unauthorized(
            "tokens are not accepted in URLs; send `Authorization: Bearer <token>` (sockets open with a ticket from POST …/socket-tickets)"
                .into(),
        ));
    }
    let header = req.headers().get("Authorization")?.unwrap_or_default();
    header
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            ApiError::Unauthorized("missing token: send `Authorization: Bearer <token>`".into())
        })
}

/// Compares secrets without an early exit, so timing does not reveal how much of a guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Emails are indexed by their digest, so no storage listing shows an address.
pub fn email_digest(email: &str) -> String {
    signing::token_digest(&email.trim().to_lowercase())
}
