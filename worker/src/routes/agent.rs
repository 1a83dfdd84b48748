//! The agent console's routes, all behind an agent token (`accounts::agent`): who am I, the inbox (a WebSocket
//! to the site inbox, or its items as JSON), one conversation with its package and history, its live socket, and
//! the actions claim, transfer and close. Claims are decided atomically by the site inbox; the conversation's room
//! then tells the visitor who joined.

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::{
    AGENT_TOKEN_PREFIX, AgentConversation, AgentProfile, AgentRole, AgentSession,
    CloseConversation, Deliveries, InboxItem, ItemState, TransferConversation,
};
use baton_shared::protocol::ticket::{RequestTicket, SocketTicket, TICKET_PARAM};
use baton_shared::protocol::{MessagesAppended, field_error};
use worker::{Env, Headers, Method, Request, RequestInit, Response};

use super::{query, require_upgrade, since};
use crate::accounts;
use crate::calls::directory::{self, DirectoryCall};
use crate::calls::room::{self, RoomCall, Side};
use crate::error::ApiError;
use crate::http::{json_response, read_json, reject_field_errors};
use crate::rooms::inbox::{self, Action};
use crate::rooms::{self, CONVERSATION_HEADER, SITE_HEADER};
use baton_shared::conversation::AssignedAgent;

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
pub async fn inbox(req: Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    if is_upgrade(&req)? {
        // The socket's ticket carries the agent; the inbox redeems it.
        let stub = rooms::inbox_stub(env, &site.id)?;
        let forwarded = forward(&req, "/live", &site.id, None)?;
        return Ok(stub.fetch_with_request(forwarded).await?);
    }
    let agent = accounts::agent(&req, env, site).await?;
    Ok(json_response(&inbox::items(env, &agent).await?, 200)?)
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
    let item = visible_item(env, &agent, conversation_id).await?;
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
    if !is_key_segment(conversation_id) {
        return Err(ApiError::NotFound(format!(
            "conversation \"{conversation_id}\" is not in the inbox"
        )));
    }
    require_upgrade(req)?;
    let call = RoomCall::Live {
        ticket: query(req, TICKET_PARAM)?,
        since: since(req)?,
        side: Side::Agent,
    };
    room::connect(
        env,
        &site.id,
        conversation_id,
        clock::now_ms(req, env),
        call,
    )
    .await
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
            None => inbox::ticket(env, &agent).await?,
            Some(conversation_id) => {
                visible_item(env, &agent, conversation_id).await?;
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
        return Ok(json_response(&ticket, 201)?);
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
    Ok(json_response(&ticket, 201)?)
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
    let before = visible_item(env, &agent, conversation_id).await?;
    let already_mine =
        matches!(&before.state, ItemState::Assigned { agent_id, .. } if *agent_id == agent.id);
    let join = RoomCall::Join {
        agent: AssignedAgent {
            id: agent.id.clone(),
            name: agent.name.clone(),
        },
    };
    let tell = (!already_mine).then_some(join);
    act_and_tell(
        env,
        now_ms,
        kv,
        site,
        &agent,
        "/claim",
        action(conversation_id),
        tell,
    )
    .await
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
    let item = visible_item(env, &agent, conversation_id).await?;
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
    let mut action = action(conversation_id);
    action.outcome = Some(body.outcome);
    let close = RoomCall::Close {
        outcome: body.outcome,
        agent_name: agent.name.clone(),
    };
    act_and_tell(env, now_ms, kv, site, &agent, "/close", action, Some(close)).await
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
    visible_item(env, &agent, conversation_id).await?;
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
    let mut action = action(conversation_id);
    action.team = team.map(|team| team.id.clone());
    action.to_agent = to_agent.clone();
    let transferred = RoomCall::Transferred {
        team: team.map(|team| (team.id.clone(), team.name.clone())),
        agent: to_agent.map(|agent| AssignedAgent {
            id: agent.id,
            name: agent.name,
        }),
    };
    act_and_tell(
        env,
        now_ms,
        kv,
        site,
        &agent,
        "/transfer",
        action,
        Some(transferred),
    )
    .await
}

/// The inbox decides an action (atomically, refusing with 403/404/409), then the conversation's room tells the
/// visitor (when there is something to say), and the console gets the conversation as it now stands.
#[allow(clippy::too_many_arguments)]
async fn act_and_tell(
    env: &Env,
    now_ms: u64,
    kv: &Kv,
    site: &SiteConfig,
    agent: &AgentProfile,
    inbox_path: &str,
    action: Action,
    tell: Option<RoomCall>,
) -> Result<Response, ApiError> {
    let item = inbox::act(env, agent, inbox_path, &action).await?;
    if let Some(room_call) = tell {
        room::ask::<MessagesAppended>(env, &site.id, &action.conversation_id, now_ms, room_call)
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
    let admin = accounts::admin(req, env, site).await?;
    let stub = rooms::inbox_stub(env, &site.id)?;
    let forwarded = rooms::internal_request::<()>(
        Method::Get,
        "/deliveries",
        &site.id,
        None,
        Some(&admin),
        None,
    )?;
    let deliveries: Deliveries = rooms::call(&stub, forwarded).await?;
    Ok(json_response(&deliveries, 200)?)
}

/// The inbox item, when the agent may see it: 404 when it was never handed over, 403 outside their teams.
async fn visible_item(
    env: &Env,
    agent: &AgentProfile,
    conversation_id: &str,
) -> Result<InboxItem, ApiError> {
    let stub = rooms::inbox_stub(env, &agent.site_id)?;
    let admin = AgentProfile {
        role: AgentRole::Admin,
        ..agent.clone()
    };
    let req = rooms::internal_request::<()>(
        Method::Get,
        "/items",
        &agent.site_id,
        None,
        Some(&admin),
        None,
    )?;
    let items: Vec<InboxItem> = rooms::call(&stub, req).await?;
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

fn action(conversation_id: &str) -> Action {
    Action {
        conversation_id: conversation_id.to_string(),
        outcome: None,
        team: None,
        to_agent: None,
    }
}

fn is_upgrade(req: &Request) -> Result<bool, ApiError> {
    Ok(req.headers().get("Upgrade")?.as_deref() == Some("websocket"))
}

/// A socket request, re-addressed to a room: the ticket and `since` go along, nothing else of the client's.
fn forward(
    req: &Request,
    path: &str,
    site_id: &str,
    conversation_id: Option<&str>,
) -> Result<Request, ApiError> {
    if !is_upgrade(req)? {
        return Err(ApiError::InvalidJson(
            "this route is a WebSocket: send `Upgrade: websocket`".into(),
        ));
    }
    let headers = Headers::new();
    headers.set("Upgrade", "websocket")?;
    headers.set(SITE_HEADER, site_id)?;
    if let Some(conversation_id) = conversation_id {
        headers.set(CONVERSATION_HEADER, conversation_id)?;
    }
    let query: Vec<String> = req
        .url()?
        .query_pairs()
        .filter(|(name, _)| name == "since" || name == TICKET_PARAM)
        .map(|(name, value)| format!("{name}={}", encode(&value)))
        .collect();
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    Ok(Request::new_with_init(
        &format!("https://room.internal{path}{query}"),
        &init,
    )?)
}

/// Tickets and sequence numbers are URL-safe already; anything else is dropped rather than passed on.
fn encode(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
