//! The agent console's routes, all behind an agent token (`accounts::agent`): who am I, the inbox (a WebSocket
//! to the site inbox, or its items as JSON), one conversation with its package and history, its live socket, and
//! the actions claim, transfer and close. Claims are decided atomically by the site inbox; the conversation's room
//! then tells the visitor who joined.

use baton_shared::config::SiteConfig;
use baton_shared::conversation::AssignedAgent;
use baton_shared::protocol::agent::{
    AGENT_TOKEN_PREFIX, AgentConversation, AgentProfile, AgentRole, AgentSession,
    CloseConversation, InboxItem, ItemState, TransferConversation,
};
use baton_shared::protocol::ticket::{RequestTicket, SocketTicket, TICKET_PARAM};
use baton_shared::protocol::{MessagesAppended, field_error};
use worker::{Env, Request, Response};

use super::{conversation_socket, query};
use crate::accounts;
use crate::calls::directory::{self, DirectoryCall};
use crate::calls::inbox;
use crate::calls::room::{self, RoomCall, Side};
use crate::error::ApiError;
use crate::http::{json_response, read_json, reject_field_errors, reply};

use crate::clock;
use crate::store::{Kv, is_key_segment};

pub async fn me(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let agent = accounts::agent(req, env, site).await?;
    Ok(json_response(
        &AgentSession {
            agent,
            site_name: site.name.clone(),
            teams: site
                .teams
                .iter()
                .map(|team| (team.id.clone(), team.name.clone()))
                .collect(),
            canned_replies: site.canned_replies.clone(),
        },
        200,
    )?)
}

/// `GET …/agent/inbox`: with `Upgrade: websocket`, the live inbox (snapshot, then changes; heartbeats carry
/// presence); otherwise the items as JSON.
pub async fn inbox(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    if req.headers().get("Upgrade")?.as_deref() == Some("websocket") {
        // The socket's ticket carries the agent; the inbox redeems it.
        let ticket = query(req, TICKET_PARAM)?;
        return inbox::live(env, &site.id, ticket.as_deref(), now_ms).await;
    }
    let agent = accounts::agent(req, env, site).await?;
    Ok(json_response(
        &inbox::items(env, &agent, now_ms).await?,
        200,
    )?)
}

/// `GET …/agent/conversations/{id}`: the item, the package and every message.
pub async fn conversation(
    req: &Request,
    env: &Env,
    kv: &Kv,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let agent = accounts::agent(req, env, site).await?;
    let item = visible_item(env, &agent, conversation_id, now_ms).await?;
    Ok(json_response(
        &view(env, now_ms, kv, site, item).await?,
        200,
    )?)
}

/// `GET …/agent/conversations/{id}/live?ticket=…&since=N`: the agent's socket on the conversation; the room redeems
/// the ticket, which the worker issued after checking the agent's right to the conversation.
pub async fn live(
    req: &Request,
    env: &Env,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    conversation_socket(req, env, &site.id, conversation_id, Side::Agent).await
}

/// `POST /v1/sites/{site}/socket-tickets`: a single-use ticket for one socket. An agent token asks for the inbox or
/// a conversation it may see; a visitor token for its own conversation (checked by the room).
pub async fn ticket(req: &mut Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let token = accounts::bearer(req)?;
    let body: RequestTicket = read_json(req).await?;
    reject_field_errors(body.validate())?;
    if token.starts_with(AGENT_TOKEN_PREFIX) || body.inbox {
        let agent = accounts::agent(req, env, site).await?;
        let ticket: SocketTicket = match &body.conversation_id {
            None => inbox::ticket(env, &agent, now_ms).await?,
            Some(conversation_id) => {
                visible_item(env, &agent, conversation_id, now_ms).await?;
                room::ask(
                    env,
                    &site.id,
                    conversation_id,
                    now_ms,
                    RoomCall::IssueTicket {
                        visitor_token: None,
                        agent: Some(agent),
                    },
                )
                .await?
            }
        };
        return Ok(reply(req, &ticket, 201)?);
    }
    let Some(conversation_id) = body.conversation_id.filter(|id| is_key_segment(id)) else {
        return Err(ApiError::NotFound(
            "that conversation does not exist on this site".into(),
        ));
    };
    let ticket: SocketTicket = room::ask(
        env,
        &site.id,
        &conversation_id,
        now_ms,
        RoomCall::IssueTicket {
            visitor_token: Some(token),
            agent: None,
        },
    )
    .await?;
    Ok(reply(req, &ticket, 201)?)
}

/// `POST …/claim`: first claim wins (409 for the others, 403 outside the agent's teams); the visitor is told who
/// joined.
pub async fn claim(
    req: &Request,
    env: &Env,
    kv: &Kv,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let agent = accounts::agent(req, env, site).await?;
    let before = visible_item(env, &agent, conversation_id, now_ms).await?;
    let already_mine =
        matches!(&before.state, ItemState::Assigned { agent_id, .. } if *agent_id == agent.id);
    let join = RoomCall::Join {
        agent: AssignedAgent {
            id: agent.id.clone(),
            name: agent.name.clone(),
        },
    };
    let tell = (!already_mine).then_some(join);
    let item = inbox::claim(env, &agent, conversation_id, now_ms).await?;
    tell_and_view(env, now_ms, kv, site, item, tell).await
}

/// `POST …/close` with an outcome: only the agent who has the conversation (or an admin) closes it; it is archived
/// for the site's retention and the visitor is asked for a rating.
pub async fn close(
    req: &mut Request,
    env: &Env,
    kv: &Kv,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let agent = accounts::agent(req, env, site).await?;
    let body: CloseConversation = read_json(req).await?;
    let item = visible_item(env, &agent, conversation_id, now_ms).await?;
    match &item.state {
        ItemState::Assigned { agent_id, .. } if *agent_id == agent.id => {}
        _ if agent.role == AgentRole::Admin => {}
        ItemState::Closed { .. } => {
            return Err(ApiError::Conflict(
                "this conversation is already closed".into(),
            ));
        }
        _ => {
            return Err(ApiError::Conflict(
                "only the agent who has this conversation can close it; claim it first".into(),
            ));
        }
    }
    let close = RoomCall::Close {
        outcome: body.outcome,
        agent_name: agent.name.clone(),
    };
    let item = inbox::close(env, &site.id, conversation_id, body.outcome, now_ms).await?;
    tell_and_view(env, now_ms, kv, site, item, Some(close)).await
}

/// `POST …/transfer`: to another team's queue, or to a named agent.
pub async fn transfer(
    req: &mut Request,
    env: &Env,
    kv: &Kv,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let agent = accounts::agent(req, env, site).await?;
    let body: TransferConversation = read_json(req).await?;
    visible_item(env, &agent, conversation_id, now_ms).await?;
    let team = match &body.team {
        None => None,
        Some(team) => Some(
            site.teams
                .iter()
                .find(|known| &known.id == team)
                .ok_or_else(|| {
                    ApiError::InvalidFields(vec![field_error(
                        "team",
                        format!("site \"{}\" has no team \"{team}\"", site.id),
                    )])
                })?,
        ),
    };
    let to_agent = match &body.agent_id {
        None => None,
        Some(id) => {
            let agents: Vec<AgentProfile> =
                directory::ask(env, &site.id, now_ms, DirectoryCall::ListAgents).await?;
            let found = agents
                .into_iter()
                .find(|known| &known.id == id)
                .ok_or_else(|| {
                    ApiError::InvalidFields(vec![field_error(
                        "agent_id",
                        format!("site \"{}\" has no agent \"{id}\"", site.id),
                    )])
                })?;
            Some(found)
        }
    };
    if team.is_none() && to_agent.is_none() {
        return Err(ApiError::InvalidFields(vec![field_error(
            "team",
            "give a team or an agent_id",
        )]));
    }
    let team_id = team.map(|team| team.id.clone());
    let item = inbox::transfer(
        env,
        &agent,
        conversation_id,
        team_id,
        to_agent.clone(),
        now_ms,
    )
    .await?;
    let transferred = RoomCall::Transferred {
        team: team.map(|team| (team.id.clone(), team.name.clone())),
        agent: to_agent.map(|agent| AssignedAgent {
            id: agent.id,
            name: agent.name,
        }),
    };
    tell_and_view(env, now_ms, kv, site, item, Some(transferred)).await
}

/// After the inbox decided an action (atomically, refusing with 403/404/409), the conversation's room tells the
/// visitor (when there is something to say), and the console gets the conversation as it now stands.
async fn tell_and_view(
    env: &Env,
    now_ms: u64,
    kv: &Kv,
    site: &SiteConfig,
    item: InboxItem,
    tell: Option<RoomCall>,
) -> Result<Response, ApiError> {
    if let Some(room_call) = tell {
        room::ask::<MessagesAppended>(env, &site.id, &item.conversation_id, now_ms, room_call)
            .await?;
    }
    Ok(json_response(
        &view(env, now_ms, kv, site, item).await?,
        200,
    )?)
}

/// `GET …/agent/webhooks`: the site's recent webhook deliveries and their status, for admins only (the endpoints
/// of Slack webhooks are secrets, and the bodies name visitors of every team).
pub async fn deliveries(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    accounts::admin(req, env, site).await?;
    let deliveries = inbox::deliveries(env, &site.id, clock::now_ms(req, env)).await?;
    Ok(json_response(&deliveries, 200)?)
}

/// The inbox item, when the agent may see it: 404 when it was never handed over, 403 outside their teams.
async fn visible_item(
    env: &Env,
    agent: &AgentProfile,
    conversation_id: &str,
    now_ms: u64,
) -> Result<InboxItem, ApiError> {
    // Every item, as an admin sees them, so one outside the agent's teams is a 403 rather than a 404.
    let admin = AgentProfile {
        role: AgentRole::Admin,
        ..agent.clone()
    };
    let items = inbox::items(env, &admin, now_ms).await?;
    let item = items
        .into_iter()
        .find(|item| item.conversation_id == conversation_id)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "conversation \"{conversation_id}\" is not in the inbox"
            ))
        })?;
    if !agent.serves(item.team.as_deref()) {
        return Err(ApiError::Forbidden(format!(
            "conversation \"{conversation_id}\" is in the \"{}\" queue, which is not one of your teams",
            item.team.clone().unwrap_or_default()
        )));
    }
    Ok(item)
}

async fn view(
    env: &Env,
    now_ms: u64,
    kv: &Kv,
    site: &SiteConfig,
    item: InboxItem,
) -> Result<AgentConversation, ApiError> {
    let history: MessagesAppended = room::ask(
        env,
        &site.id,
        &item.conversation_id,
        now_ms,
        RoomCall::Messages,
    )
    .await?;
    let package = kv.handoff_package(&site.id, &item.conversation_id).await?;
    Ok(AgentConversation {
        item,
        package,
        messages: history.messages,
    })
}
