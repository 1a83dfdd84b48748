//! Accounts and erasure. `POST /v1/sites` (the operator) creates a site with a starter configuration (version 1 of
//! its history, authored by the first admin) and its first admin; `POST /v1/sites/{site}/agents` creates an account (site admins; the operator may create admins only) and
//! shows its token once; `GET` lists accounts; `PATCH …/agents/{id}` disables or enables one and `DELETE` removes
//! it, which stops its token at once and closes its open sockets; `POST /v1/sites/{site}/erasure` deletes
//! everything stored about one visitor and says what it removed.

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::{
    AgentCreated, AgentDeleted, AgentList, AgentProfile, AgentRole, CreateAgent, CreateSite, Erase,
    Erased, SiteCreated, UpdateAgent, agent_token,
};
use baton_shared::protocol::field_error;
use baton_shared::protocol::site_config::{VersionAuthor, VersionSummary};
use baton_shared::protocol::ticket::CLOSE_REVOKED;
use baton_shared::signing;
use worker::{Env, Request, Response};

use crate::accounts::{self, Caller, email_digest};
use crate::calls::directory::{self, DirectoryCall};
use crate::calls::inbox;
use crate::calls::room::{self, RoomCall};
use crate::error::ApiError;
use crate::http::{json_response, read_json, reject_field_errors};
use crate::store::{self, Kv, is_key_segment};
use crate::{clock, ledger, random};

/// `POST /v1/sites`: a new site, with a starter configuration, and its first admin (token shown once).
pub async fn create_site(req: &mut Request, env: &Env, kv: &Kv) -> Result<Response, ApiError> {
    accounts::operator(req, env)?;
    let body: CreateSite = read_json(req).await?;
    let mut problems = Vec::new();
    if !is_key_segment(&body.id) {
        problems.push(field_error(
            "id",
            "must be 1 to 64 letters, digits, '-' or '_'",
        ));
    }
    if body.admin_name.trim().is_empty() || body.admin_name.trim().chars().count() > 80 {
        problems.push(field_error("admin_name", "must be 1 to 80 characters"));
    }
    let starter = serde_json::json!({
        "id": body.id,
        "name": body.name,
        "allowed_origins": body.allowed_origins,
        "teams": [{"id": "support", "name": "Support",
                   "intents": ["sales", "support", "billing", "technical", "general"], "reply_minutes": 5}],
        "faq": [],
    });
    let config = match SiteConfig::from_json(&starter.to_string()) {
        Ok(config) => Some(config),
        Err(errors) => {
            problems.extend(
                errors
                    .into_iter()
                    .map(|error| field_error(error.path, error.problem)),
            );
            None
        }
    };
    reject_field_errors(problems)?;
    let Some(config) = config else {
        return Err(ApiError::Internal(
            "a valid starter without a configuration".into(),
        ));
    };
    if store::site(kv, &config.id).await?.is_some() {
        return Err(ApiError::Conflict(format!(
            "site \"{}\" already exists",
            config.id
        )));
    }
    // The starter is version 1 of the site's history, authored by its first admin (whose id is chosen here), so
    // the studio's history and a publish's `base_version` work from the start. The directory refuses a site that
    // exists (two creations racing included) before any account is made.
    let now_ms = clock::now_ms(req, env);
    let admin_id = random::uuid()?;
    let admin_name = body.admin_name.trim().to_string();
    let _: VersionSummary = directory::ask(
        env,
        &config.id,
        now_ms,
        DirectoryCall::CreateSite {
            text: starter.to_string(),
            note: "Site created".into(),
            author: VersionAuthor {
                id: admin_id.clone(),
                name: admin_name.clone(),
            },
        },
    )
    .await?;
    let admin = new_agent(
        req,
        env,
        &config,
        admin_id,
        CreateAgent {
            name: admin_name,
            teams: config.teams.iter().map(|team| team.id.clone()).collect(),
            role: AgentRole::Admin,
        },
    )
    .await?;
    Ok(json_response(
        &SiteCreated {
            site_id: config.id,
            admin,
        },
        201,
    )?)
}

/// `POST …/agents`: an admin creates any account; the operator only admins (a seeded site's first, or a lost one's
/// replacement).
pub async fn create(req: &mut Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let caller = accounts::caller(req, env, site).await?;
    let body: CreateAgent = read_json(req).await?;
    match &caller {
        Caller::Operator if body.role != AgentRole::Admin => {
            return Err(ApiError::Forbidden(
                "the operator token creates admins only (\"role\": \"admin\"); an admin creates the agents".into(),
            ));
        }
        Caller::Operator => {}
        Caller::Agent(agent) if agent.role != AgentRole::Admin => {
            return Err(ApiError::Forbidden(format!(
                "{} is not an admin of site \"{}\"",
                agent.name, site.id
            )));
        }
        Caller::Agent(_) => {}
    }
    reject_field_errors(body.validate(site))?;
    let created = new_agent(req, env, site, random::uuid()?, body).await?;
    Ok(json_response(&created, 201)?)
}

async fn new_agent(
    req: &Request,
    env: &Env,
    site: &SiteConfig,
    agent_id: String,
    body: CreateAgent,
) -> Result<AgentCreated, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let token = agent_token(&site.id, &random::token()?);
    let agent = AgentProfile {
        id: agent_id,
        site_id: site.id.clone(),
        name: body.name.trim().to_string(),
        teams: body.teams,
        role: body.role,
        created_at_ms: now_ms,
        disabled: false,
    };
    let agent: AgentProfile = directory::ask(
        env,
        &site.id,
        now_ms,
        DirectoryCall::CreateAgent {
            digest: signing::token_digest(&token),
            agent,
        },
    )
    .await?;
    Ok(AgentCreated { agent, token })
}

pub async fn list(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    accounts::admin(req, env, site).await?;
    let agents: Vec<AgentProfile> =
        directory::ask(env, &site.id, now_ms, DirectoryCall::ListAgents).await?;
    Ok(json_response(&AgentList { agents }, 200)?)
}

/// `PATCH …/agents/{id}`: disable (the token stops at once, sockets close) or enable an account.
pub async fn update(
    req: &mut Request,
    env: &Env,
    site: &SiteConfig,
    agent_id: &str,
) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    accounts::admin(req, env, site).await?;
    let body: UpdateAgent = read_json(req).await?;
    let agent: AgentProfile = directory::ask(
        env,
        &site.id,
        now_ms,
        DirectoryCall::SetDisabled {
            agent_id: agent_id.to_string(),
            disabled: body.disabled,
        },
    )
    .await?;
    if agent.disabled {
        revoke(env, &agent, "your account was disabled", now_ms).await?;
    }
    Ok(json_response(&agent, 200)?)
}

/// `DELETE …/agents/{id}`.
pub async fn delete(
    req: &Request,
    env: &Env,
    site: &SiteConfig,
    agent_id: &str,
) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    accounts::admin(req, env, site).await?;
    let agent: AgentProfile = directory::ask(
        env,
        &site.id,
        now_ms,
        DirectoryCall::DeleteAgent {
            agent_id: agent_id.to_string(),
        },
    )
    .await?;
    revoke(env, &agent, "your account was deleted", now_ms).await?;
    Ok(json_response(&AgentDeleted { agent_id: agent.id }, 200)?)
}

/// Closes every socket the agent has open: their inbox, and each conversation they could see.
async fn revoke(
    env: &Env,
    agent: &AgentProfile,
    reason: &str,
    now_ms: u64,
) -> Result<(), ApiError> {
    let conversations = inbox::revoke(env, agent, reason, now_ms).await?;
    for conversation_id in conversations {
        room::ask::<()>(
            env,
            &agent.site_id,
            &conversation_id,
            now_ms,
            RoomCall::CloseAgentSockets {
                agent_id: agent.id.clone(),
                code: CLOSE_REVOKED,
                reason: reason.to_string(),
            },
        )
        .await?;
    }
    Ok(())
}

/// `POST …/erasure`: every conversation of the email (given in identify, a form or any message) or the given one:
/// its room (under the room's turn lock, so no request in flight writes it back), package, archive, inbox item,
/// webhook deliveries and email links.
pub async fn erase(
    req: &mut Request,
    env: &Env,
    kv: &Kv,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    accounts::admin(req, env, site).await?;
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
        let found: Vec<String> = directory::ask(
            env,
            &site.id,
            now_ms,
            DirectoryCall::ConversationsOfEmail {
                digest: email_digest(email),
                newer_than_ms: 0,
            },
        )
        .await?;
        conversations.extend(found);
    }
    if body.conversation_id.is_none() && body.email.is_none() {
        return Err(ApiError::InvalidFields(vec![field_error(
            "email",
            "give the visitor's email or a conversation_id",
        )]));
    }
    conversations.sort();
    conversations.dedup();
    let mut erased = Erased::default();
    for id in &conversations {
        let messages: u64 = room::ask(env, &site.id, id, now_ms, RoomCall::Erase).await?;
        erased.messages += messages;
        let (package, archive) = kv.erase_conversation(&site.id, id).await?;
        erased.packages += u64::from(package);
        erased.archives += u64::from(archive);
        erased.leads += u64::from(kv.erase_lead(&site.id, id).await?);
        let forgotten = inbox::forget(env, &site.id, id, now_ms).await?;
        erased.inbox_items += forgotten.items;
        erased.webhook_deliveries += forgotten.deliveries;
    }
    // The ledger keeps the counts and loses the personal fields (also of conversations only its facts still tie
    // to the email). After the rooms: each sent its outbox before it was deleted.
    erased.ledger_events =
        ledger::erase(env, &site.id, &conversations, body.email.as_deref()).await?;
    erased.email_links = directory::ask(
        env,
        &site.id,
        now_ms,
        DirectoryCall::ForgetConversations {
            conversation_ids: conversations.clone(),
        },
    )
    .await?;
    erased.conversations = conversations;
    Ok(json_response(&erased, 200)?)
}
