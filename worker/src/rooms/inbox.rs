//! One Durable Object per site: the inbox. It keeps the [`Inbox`] (queues per team, claims, transfers, first
//! replies) in its storage and decides with `baton_shared::inbox`; agents' consoles hold a hibernating socket here
//! that carries their presence (heartbeats) and receives every change to the items they may see. Its alarm finds
//! missed chats and retries webhook deliveries.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use baton_shared::inbox::{self, ClaimRefused, Inbox, Queued, TransferRefused};
use baton_shared::protocol::HandoffNotice;
use baton_shared::protocol::agent::{
    AgentPresence, AgentProfile, InboxCommand, InboxEvent, InboxItem, PresenceStatus,
};
use baton_shared::protocol::live::CloseOutcome;
use baton_shared::protocol::ticket::{CLOSE_REVOKED, SocketTicket};
use serde::{Deserialize, Serialize};
use worker::{
    DurableObject, Env, Method, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair, console_error, console_warn, durable_object,
};

use baton_shared::conversation::{AssignedAgent, Conversation};

use super::{
    SITE_HEADER, agent_of, call, inbox_stub, internal_request, required_header, tickets, to_json,
};
use crate::calls::room::{self as conversation, RoomCall};
use crate::error::ApiError;
use crate::http::{json_response, read_json};
use crate::store::{Kv, retention_seconds};
use crate::webhooks;

/// `POST /hand-over`: a conversation was handed over (or again).
#[derive(Debug, Serialize, Deserialize)]
pub struct HandOver {
    pub item: InboxItem,
    pub team_reply_minutes: u32,
    /// Webhook bodies to deliver, one per configured endpoint.
    pub deliveries: Vec<webhooks::Delivery>,
}

/// The answer to a hand-over: its place in the queue, or the agent it went to.
#[derive(Debug, Serialize, Deserialize)]
pub struct HandedOver {
    pub queued: Option<Queued>,
    pub assigned: Option<AssignedAgent>,
}

/// `POST /seen`: the latest message, and what agents have read.
#[derive(Debug, Serialize, Deserialize)]
struct Seen {
    conversation_id: String,
    last_seq: u64,
    read_seq: Option<u64>,
    agent_replied_at_ms: Option<u64>,
}

/// `POST /claim`, `/close`, `/transfer`: an agent's action on one conversation.
#[derive(Debug, Serialize, Deserialize)]
pub struct Action {
    pub conversation_id: String,
    #[serde(default)]
    pub outcome: Option<CloseOutcome>,
    #[serde(default)]
    pub team: Option<String>,
    /// The account a transfer goes to (its teams decide whether it may take it).
    #[serde(default)]
    pub to_agent: Option<AgentProfile>,
}

/// The answer to `/forget` (erasure): what was removed.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Forgotten {
    pub items: u64,
    pub deliveries: u64,
}

/// `POST /revoke`: an agent was disabled or deleted.
#[derive(Debug, Serialize, Deserialize)]
struct Revoke {
    reason: String,
}

/// Each item under its own key, so a change to one conversation writes that conversation only (a busy site's
/// inbox holds hundreds, and every visitor message after a handoff updates one).
const ITEM_PREFIX: &str = "item:";
/// What the inbox keeps besides its items ([`Meta`]).
const META_KEY: &str = "meta";
/// Where the whole inbox was one value before items had their own keys; split up when first read.
const LEGACY_INBOX_KEY: &str = "inbox";

/// The inbox without its items, as stored under [`META_KEY`].
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Meta {
    reply_times_ms: Vec<u64>,
    assigned_count: usize,
}

impl Meta {
    fn of(inbox: &Inbox) -> Meta {
        Meta {
            reply_times_ms: inbox.reply_times_ms.clone(),
            assigned_count: inbox.assigned_count,
        }
    }
}

#[durable_object]
pub struct SiteInbox {
    state: State,
    env: Env,
    inbox: RefCell<Option<Inbox>>,
    /// The site id as this object last stored it (its alarm needs it), so it is written once, not per request.
    site_id: RefCell<Option<String>>,
}

impl DurableObject for SiteInbox {
    fn new(state: State, env: Env) -> Self {
        SiteInbox {
            state,
            env,
            inbox: RefCell::new(None),
            site_id: RefCell::new(None),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        match self.handle(req).await {
            Ok(response) => Ok(response),
            Err(error) => error.into_response(),
        }
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        let WebSocketIncomingMessage::String(text) = message else {
            return Ok(());
        };
        let Ok(InboxCommand::Presence { status }) = serde_json::from_str(&text) else {
            return Ok(());
        };
        let Some(mut presence) = ws.deserialize_attachment::<Seat>()? else {
            return Ok(());
        };
        let changed = presence.presence.status != status;
        presence.presence.status = status;
        presence.presence.last_seen_ms = js_sys::Date::now() as u64;
        ws.serialize_attachment(&presence)?;
        if changed {
            self.broadcast_presence();
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        let _ = ws.close(Some(1000), Some("closed"));
        self.broadcast_presence();
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        let _ = ws.close(Some(1011), Some("error"));
        self.broadcast_presence();
        Ok(())
    }

    /// Missed chats, then webhook retries; the alarm is set again for whichever comes next.
    async fn alarm(&self) -> worker::Result<Response> {
        if let Err(error) = self.on_alarm().await {
            console_error!("inbox alarm failed: {error:?}");
        }
        Response::ok("done")
    }
}

/// A console's socket: the agent and their presence (the socket's attachment, so it survives hibernation).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Seat {
    agent: AgentProfile,
    presence: AgentPresence,
}

impl SiteInbox {
    /// Stores which site this inbox is for, unless this object already did.
    async fn remember_site(&self, site_id: &str) -> Result<(), ApiError> {
        if self.site_id.borrow().as_deref() == Some(site_id) {
            return Ok(());
        }
        self.state
            .storage()
            .put("site", site_id.to_string())
            .await?;
        *self.site_id.borrow_mut() = Some(site_id.to_string());
        Ok(())
    }

    /// The inbox: this object's copy, or read from storage once after it woke.
    async fn load(&self) -> Result<Inbox, ApiError> {
        if let Some(inbox) = self.inbox.borrow().clone() {
            return Ok(inbox);
        }
        let storage = self.state.storage();
        let inbox = match storage.get::<String>(LEGACY_INBOX_KEY).await? {
            Some(json) => {
                let inbox: Inbox = serde_json::from_str(&json)
                    .map_err(|error| ApiError::Internal(format!("stored inbox: {error}")))?;
                self.write(&Inbox::default(), &inbox).await?;
                storage.delete(LEGACY_INBOX_KEY).await?;
                inbox
            }
            None => self.read().await?,
        };
        *self.inbox.borrow_mut() = Some(inbox.clone());
        Ok(inbox)
    }

    /// The inbox from its keys, items oldest handoff first.
    async fn read(&self) -> Result<Inbox, ApiError> {
        let storage = self.state.storage();
        let meta = match storage.get::<String>(META_KEY).await? {
            Some(json) => serde_json::from_str::<Meta>(&json)
                .map_err(|error| ApiError::Internal(format!("stored inbox meta: {error}")))?,
            None => Meta::default(),
        };
        let listed = storage
            .list_with_options(worker::ListOptions::new().prefix(ITEM_PREFIX))
            .await?;
        let mut items = Vec::new();
        for value in listed.values() {
            let json = value
                .ok()
                .and_then(|value| value.as_string())
                .ok_or_else(|| ApiError::Internal("a stored inbox item is not text".into()))?;
            let item: InboxItem = serde_json::from_str(&json)
                .map_err(|error| ApiError::Internal(format!("stored inbox item: {error}")))?;
            items.push(item);
        }
        items.sort_by(|a, b| {
            (a.handed_off_at_ms, &a.conversation_id).cmp(&(b.handed_off_at_ms, &b.conversation_id))
        });
        Ok(Inbox {
            items,
            reply_times_ms: meta.reply_times_ms,
            assigned_count: meta.assigned_count,
        })
    }

    /// Stores `inbox`, writing only the items (and meta) that differ from this object's copy.
    async fn save(&self, inbox: Inbox) -> Result<(), ApiError> {
        // Without a copy (a failed write dropped it), compare with what storage holds.
        let cached = self.inbox.borrow_mut().take();
        let before = match cached {
            Some(before) => before,
            None => self.read().await?,
        };
        self.write(&before, &inbox).await?;
        *self.inbox.borrow_mut() = Some(inbox);
        Ok(())
    }

    async fn write(&self, before: &Inbox, after: &Inbox) -> Result<(), ApiError> {
        let storage = self.state.storage();
        let known: HashMap<&str, &InboxItem> = before
            .items
            .iter()
            .map(|item| (item.conversation_id.as_str(), item))
            .collect();
        let mut changed: Vec<(String, String)> = Vec::new();
        for item in &after.items {
            if known.get(item.conversation_id.as_str()) != Some(&item) {
                changed.push((
                    format!("{ITEM_PREFIX}{}", item.conversation_id),
                    to_json(item)?,
                ));
            }
        }
        let kept: HashSet<&str> = after
            .items
            .iter()
            .map(|item| item.conversation_id.as_str())
            .collect();
        let removed: Vec<String> = before
            .items
            .iter()
            .filter(|item| !kept.contains(item.conversation_id.as_str()))
            .map(|item| format!("{ITEM_PREFIX}{}", item.conversation_id))
            .collect();
        let meta = Meta::of(after);
        if meta != Meta::of(before) {
            changed.push((META_KEY.to_string(), to_json(&meta)?));
        }
        if !changed.is_empty() {
            // A plain object of key → JSON text (`put_multiple` would pass a map, which storage ignores).
            let values = js_sys::Object::new();
            for (key, json) in changed {
                js_sys::Reflect::set(&values, &key.into(), &json.into())
                    .map_err(|_| ApiError::Internal("building the inbox write".into()))?;
            }
            storage.put_multiple_raw(values).await?;
        }
        if !removed.is_empty() {
            storage.delete_multiple(removed).await?;
        }
        Ok(())
    }

    async fn handle(&self, mut req: Request) -> Result<Response, ApiError> {
        let now = crate::clock::now_ms(&req, &self.env);
        match (req.method(), req.path().as_str()) {
            (Method::Get, "/live") => self.accept(&req, now).await,
            (Method::Get, "/teams-online") => Ok(json_response(
                &inbox::teams_online(&self.presence(), now),
                200,
            )?),
            (Method::Get, "/items") => {
                let agent = agent_of(&req)?
                    .ok_or_else(|| ApiError::Internal("items without an agent".into()))?;
                Ok(json_response(&self.load().await?.visible_to(&agent), 200)?)
            }
            (Method::Post, "/hand-over") => {
                let body: HandOver = read_json(&mut req).await?;
                let site_id = required_header(&req, SITE_HEADER)?;
                self.remember_site(&site_id).await?;
                self.hand_over(&site_id, body).await
            }
            (Method::Post, "/seen") => {
                let seen: Seen = read_json(&mut req).await?;
                let mut inbox = self.load().await?;
                inbox.seen(&seen.conversation_id, seen.last_seq, seen.read_seq);
                if let Some(at) = seen.agent_replied_at_ms {
                    inbox.agent_replied(&seen.conversation_id, at);
                }
                let item = inbox.item(&seen.conversation_id).cloned();
                self.save(inbox).await?;
                if let Some(item) = item {
                    self.broadcast_item(&item);
                }
                Ok(json_response(&serde_json::json!({}), 200)?)
            }
            (Method::Post, "/claim") => {
                let action: Action = read_json(&mut req).await?;
                let agent = agent_of(&req)?
                    .ok_or_else(|| ApiError::Internal("a claim without an agent".into()))?;
                let mut inbox = self.load().await?;
                let item = inbox
                    .claim(&action.conversation_id, &agent)
                    .cloned()
                    .map_err(refusal)?;
                self.save(inbox).await?;
                self.broadcast_item(&item);
                Ok(json_response(&item, 200)?)
            }
            (Method::Post, "/transfer") => {
                let action: Action = read_json(&mut req).await?;
                let by = agent_of(&req)?
                    .ok_or_else(|| ApiError::Internal("a transfer without an agent".into()))?;
                let mut inbox = self.load().await?;
                let item = inbox
                    .transfer(
                        &action.conversation_id,
                        &by,
                        action.team.clone(),
                        action.to_agent.as_ref(),
                    )
                    .cloned()
                    .map_err(|refused| match refused {
                        TransferRefused::NotInInbox => ApiError::NotFound(refused.to_string()),
                        TransferRefused::NotYours { .. } => {
                            ApiError::Forbidden(refused.to_string())
                        }
                        TransferRefused::Closed | TransferRefused::AgentNotInTeam { .. } => {
                            ApiError::Conflict(refused.to_string())
                        }
                    })?;
                self.save(inbox).await?;
                self.broadcast_item(&item);
                Ok(json_response(&item, 200)?)
            }
            (Method::Post, "/ticket") => {
                let agent = agent_of(&req)?
                    .ok_or_else(|| ApiError::Internal("a ticket without an agent".into()))?;
                let ticket = tickets::issue(&self.state.storage(), agent).await?;
                Ok(json_response(&ticket, 201)?)
            }
            (Method::Post, "/revoke") => {
                let revoke: Revoke = read_json(&mut req).await?;
                let agent = agent_of(&req)?
                    .ok_or_else(|| ApiError::Internal("a revocation without an agent".into()))?;
                for ws in self.state.get_websockets() {
                    let seated = ws
                        .deserialize_attachment::<Seat>()
                        .ok()
                        .flatten()
                        .is_some_and(|seat| seat.agent.id == agent.id);
                    if seated {
                        let _ = ws.close(Some(CLOSE_REVOKED), Some(&revoke.reason));
                    }
                }
                self.broadcast_presence();
                let visible: Vec<String> = self
                    .load()
                    .await?
                    .visible_to(&agent)
                    .into_iter()
                    .map(|item| item.conversation_id)
                    .collect();
                Ok(json_response(&visible, 200)?)
            }
            (Method::Post, "/close") => {
                let action: Action = read_json(&mut req).await?;
                let outcome = action.outcome.unwrap_or(CloseOutcome::Resolved);
                let mut inbox = self.load().await?;
                let item = inbox
                    .close(&action.conversation_id, outcome)
                    .cloned()
                    .ok_or_else(|| refusal(ClaimRefused::NotInInbox))?;
                inbox.prune(now);
                self.save(inbox).await?;
                self.broadcast_item(&item);
                Ok(json_response(&item, 200)?)
            }
            (Method::Post, "/forget") => {
                let action: Action = read_json(&mut req).await?;
                let mut inbox = self.load().await?;
                let before = inbox.items.len();
                inbox
                    .items
                    .retain(|item| item.conversation_id != action.conversation_id);
                let items = (before - inbox.items.len()) as u64;
                self.save(inbox).await?;
                let deliveries =
                    webhooks::forget(&self.state.storage(), &action.conversation_id).await?;
                Ok(json_response(&Forgotten { items, deliveries }, 200)?)
            }
            (Method::Get, "/deliveries") => Ok(json_response(
                &webhooks::deliveries(&self.state.storage()).await?,
                200,
            )?),
            (method, path) => Err(ApiError::NotFound(format!(
                "the inbox has no internal route {method} {path}"
            ))),
        }
    }

    async fn hand_over(&self, site_id: &str, mut body: HandOver) -> Result<Response, ApiError> {
        let site = crate::store::site(&Kv::from_env(&self.env)?, site_id)
            .await?
            .ok_or_else(|| ApiError::NotFound("no site".into()))?;
        let mut inbox = self.load().await?;
        // The inbox's waits run on the real clock (its alarm has no other). A request timed by the test clock
        // (`X-Baton-Now`) is moved to now, keeping the distance to the next opening.

        let real_now = js_sys::Date::now() as u64;
        body.item.opens_at_ms = body
            .item
            .opens_at_ms
            .map(|opens| (opens + real_now).saturating_sub(body.item.handed_off_at_ms));
        body.item.handed_off_at_ms = real_now;
        let now = real_now;
        let conversation_id = body.item.conversation_id.clone();
        let team = body.item.team.clone();
        let mut item = inbox.hand_over(body.item).clone();
        let mut assigned = None;
        if site.config.handoff.auto_assign
            && item.state == baton_shared::protocol::agent::ItemState::Waiting
        {
            let presence = self.presence();
            if let Some(agent) = inbox.next_agent(team.as_deref(), &presence, now) {
                let profile = self
                    .seats()
                    .into_iter()
                    .find(|seat| seat.agent.id == agent.agent_id)
                    .map(|seat| seat.agent);
                if let Some(profile) = profile
                    && let Ok(claimed) = inbox.claim(&conversation_id, &profile)
                {
                    item = claimed.clone();
                    assigned = Some(AssignedAgent {
                        id: profile.id,
                        name: profile.name,
                    });
                }
            }
        }
        let queued = inbox.queued(&conversation_id, body.team_reply_minutes);
        self.save(inbox).await?;
        self.broadcast_item(&item);
        webhooks::enqueue(&self.state.storage(), body.deliveries, now).await?;
        self.schedule(&site.config, now).await?;
        Ok(json_response(&HandedOver { queued, assigned }, 200)?)
    }

    /// Sets the alarm for the next missed-chat check or webhook retry.
    async fn schedule(
        &self,
        site: &baton_shared::config::SiteConfig,
        now: u64,
    ) -> Result<(), ApiError> {
        let missed_after_ms = u64::from(site.handoff.missed_after_seconds) * 1_000;
        let cached = self
            .inbox
            .borrow()
            .as_ref()
            .map(|inbox| inbox.next_missed_check_ms(missed_after_ms));
        let next_missed = match cached {
            Some(next) => next,
            None => self.load().await?.next_missed_check_ms(missed_after_ms),
        };
        let next_expiry = self
            .load()
            .await?
            .next_expiry_ms(retention_seconds(site) * 1_000);
        let next_delivery = webhooks::next_attempt_ms(&self.state.storage()).await?;
        let next = [next_missed, next_expiry, next_delivery]
            .into_iter()
            .flatten()
            .min();
        if let Some(at) = next {
            super::set_alarm_at(&self.state.storage(), at.max(now + 10)).await?;
        }
        Ok(())
    }

    async fn on_alarm(&self) -> Result<(), ApiError> {
        let now = js_sys::Date::now() as u64;
        let Some(site_id) = self.state.storage().get::<String>("site").await? else {
            return Ok(());
        };
        let site = crate::store::site(&Kv::from_env(&self.env)?, &site_id)
            .await?
            .ok_or_else(|| ApiError::NotFound("no site".into()))?;
        // Read after the site: requests may change the inbox while KV answers.
        let mut inbox = self.load().await?;
        let missed_after_ms = u64::from(site.config.handoff.missed_after_seconds) * 1_000;
        // Past the site's retention an item goes, whatever its state: its conversation is gone by then too.
        inbox.expire(now, retention_seconds(&site.config) * 1_000);
        let missed = inbox.mark_missed(now, missed_after_ms);
        let items: Vec<InboxItem> = missed
            .iter()
            .filter_map(|id| inbox.item(id).cloned())
            .collect();
        self.save(inbox).await?;
        for item in items {
            self.broadcast_item(&item);
            let notice = HandoffNotice {
                reason: item.reason,
                team: item.team.as_ref().and_then(|team| {
                    site.config
                        .teams
                        .iter()
                        .find(|known| &known.id == team)
                        .map(|team| team.name.clone())
                }),
                asks_for: Vec::new(),
                queued: true,
                next_opening_ms: None,
                queue_position: None,
                expected_wait_ms: None,
            };
            let told = conversation::ask::<serde_json::Value>(
                &self.env,
                &site_id,
                &item.conversation_id,
                now,
                RoomCall::Missed { notice },
            )
            .await;
            if let Err(error) = told {
                console_warn!(
                    "telling {} it was missed failed: {error:?}",
                    item.conversation_id
                );
            }
        }
        webhooks::deliver_due(&self.state.storage(), &self.env, now).await?;
        self.schedule(&site.config, now).await
    }

    async fn accept(&self, req: &Request, now: u64) -> Result<Response, ApiError> {
        let agent: AgentProfile = tickets::redeem(
            &self.state.storage(),
            req.url()?.query_pairs().find(|(name, _)| name == "ticket").map(|(_, value)| value.into_owned()).as_deref(),
            "the inbox socket needs a fresh ticket: POST …/socket-tickets with {\"inbox\": true}, then open it with ?ticket=",
        )
        .await?;

        self.remember_site(&agent.site_id).await?;
        let pair = WebSocketPair::new()?;
        let server = pair.server;
        self.state.accept_web_socket(&server);
        let seat = Seat {
            presence: AgentPresence {
                agent_id: agent.id.clone(),
                name: agent.name.clone(),
                teams: agent.teams.clone(),
                status: PresenceStatus::Online,
                last_seen_ms: now,
            },
            agent,
        };
        server.serialize_attachment(&seat)?;
        let snapshot = InboxEvent::Snapshot {
            items: self.load().await?.visible_to(&seat.agent),
            agents: self.presence(),
        };
        let _ = server.send_with_str(to_json(&snapshot)?);
        self.broadcast_presence();
        Ok(Response::from_websocket(pair.client)?)
    }

    fn seats(&self) -> Vec<Seat> {
        self.state
            .get_websockets()
            .iter()
            .filter_map(|ws| ws.deserialize_attachment::<Seat>().ok().flatten())
            .collect()
    }

    /// Everyone with a console open, once each (the liveliest of their consoles counts).
    fn presence(&self) -> Vec<AgentPresence> {
        let mut agents: Vec<AgentPresence> = Vec::new();
        for seat in self.seats() {
            match agents
                .iter_mut()
                .find(|known| known.agent_id == seat.presence.agent_id)
            {
                Some(known) => {
                    if seat.presence.status == PresenceStatus::Online
                        || seat.presence.last_seen_ms > known.last_seen_ms
                    {
                        *known = seat.presence;
                    }
                }
                None => agents.push(seat.presence),
            }
        }
        agents
    }

    fn broadcast_item(&self, item: &InboxItem) {
        let Ok(text) = to_json(&InboxEvent::Item { item: item.clone() }) else {
            return;
        };
        for ws in self.state.get_websockets() {
            let sees = ws
                .deserialize_attachment::<Seat>()
                .ok()
                .flatten()
                .is_some_and(|seat| seat.agent.serves(item.team.as_deref()));
            if sees {
                let _ = ws.send_with_str(&text);
            }
        }
    }

    fn broadcast_presence(&self) {
        let Ok(text) = to_json(&InboxEvent::Presence {
            agents: self.presence(),
        }) else {
            return;
        };
        for ws in self.state.get_websockets() {
            let _ = ws.send_with_str(&text);
        }
    }
}

fn refusal(refused: ClaimRefused) -> ApiError {
    match refused {
        ClaimRefused::NotInInbox => ApiError::NotFound(refused.to_string()),
        ClaimRefused::OtherTeam { .. } => ApiError::Forbidden(refused.to_string()),
        ClaimRefused::AlreadyClaimed { .. } | ClaimRefused::Closed => {
            ApiError::Conflict(refused.to_string())
        }
    }
}

/// The teams with an agent online now; none when the inbox cannot be asked (then handoffs queue honestly).
pub async fn teams_online(env: &Env, site_id: &str) -> Vec<String> {
    let result = async {
        let stub = inbox_stub(env, site_id)?;
        let req = internal_request::<()>(Method::Get, "/teams-online", site_id, None, None, None)?;
        call::<Vec<String>>(&stub, req).await
    }
    .await;
    result.unwrap_or_else(|error| {
        console_warn!("asking the inbox who is online failed: {error:?}");
        Vec::new()
    })
}

/// What the inbox hears after a message, a read receipt or an agent's reply: the latest sequence number (unread
/// counts), what the agents read, and the first reply (which ends the wait).
#[derive(Debug)]
pub struct SeenUpdate {
    site_id: String,
    seen: Seen,
}

impl SeenUpdate {
    /// The update for a conversation; `None` until it has been handed over (the inbox does not know it before).
    pub fn of(
        conversation: &Conversation,
        read_seq: Option<u64>,
        agent_replied_at_ms: Option<u64>,
    ) -> Option<SeenUpdate> {
        conversation.handed_over_at_ms?;
        Some(SeenUpdate {
            site_id: conversation.site_id.clone(),
            seen: Seen {
                conversation_id: conversation.id.clone(),
                last_seq: conversation.transcript.next_seq().saturating_sub(1),
                read_seq,
                agent_replied_at_ms,
            },
        })
    }

    /// Sends it; a failure is logged (counts catch up with the next update, as the inbox keeps maxima).
    pub async fn send(self, env: Env) {
        let result = async {
            let stub = inbox_stub(&env, &self.site_id)?;
            let req = internal_request(
                Method::Post,
                "/seen",
                &self.site_id,
                Some(&self.seen.conversation_id),
                None,
                Some(&self.seen),
            )?;
            call::<serde_json::Value>(&stub, req).await
        }
        .await;
        if let Err(error) = result {
            console_warn!("updating the inbox failed: {error:?}");
        }
    }
}

/// Hands a conversation over to the site inbox.
pub async fn hand_over(env: &Env, site_id: &str, body: &HandOver) -> Result<HandedOver, ApiError> {
    let stub = inbox_stub(env, site_id)?;
    let req = internal_request(Method::Post, "/hand-over", site_id, None, None, Some(body))?;
    call(&stub, req).await
}

/// An agent's action on a conversation, decided by the inbox (claims are atomic there).
pub async fn act(
    env: &Env,
    agent: &AgentProfile,
    path: &str,
    action: &Action,
) -> Result<InboxItem, ApiError> {
    let stub = inbox_stub(env, &agent.site_id)?;
    let req = internal_request(
        Method::Post,
        path,
        &agent.site_id,
        Some(&action.conversation_id),
        Some(agent),
        Some(action),
    )?;
    call(&stub, req).await
}

/// Removes a conversation from the inbox, with its webhook deliveries (erasure).
pub async fn forget(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
) -> Result<Forgotten, ApiError> {
    let stub = inbox_stub(env, site_id)?;
    let action = Action {
        conversation_id: conversation_id.to_string(),
        outcome: None,
        team: None,
        to_agent: None,
    };
    let req = internal_request(Method::Post, "/forget", site_id, None, None, Some(&action))?;
    call(&stub, req).await
}

/// Closes a disabled or deleted agent's inbox sockets; returns the conversations they could see, whose rooms must
/// close their sockets too.
pub async fn revoke(
    env: &Env,
    agent: &AgentProfile,
    reason: &str,
) -> Result<Vec<String>, ApiError> {
    let stub = inbox_stub(env, &agent.site_id)?;
    let req = internal_request(
        Method::Post,
        "/revoke",
        &agent.site_id,
        None,
        Some(agent),
        Some(&Revoke {
            reason: reason.to_string(),
        }),
    )?;
    call(&stub, req).await
}

/// A ticket for the agent's live inbox.
pub async fn ticket(env: &Env, agent: &AgentProfile) -> Result<SocketTicket, ApiError> {
    let stub = inbox_stub(env, &agent.site_id)?;
    let req = internal_request::<()>(
        Method::Post,
        "/ticket",
        &agent.site_id,
        None,
        Some(agent),
        None,
    )?;
    call(&stub, req).await
}

/// The items an agent may see.
pub async fn items(env: &Env, agent: &AgentProfile) -> Result<Vec<InboxItem>, ApiError> {
    let stub = inbox_stub(env, &agent.site_id)?;
    let req = internal_request::<()>(
        Method::Get,
        "/items",
        &agent.site_id,
        None,
        Some(agent),
        None,
    )?;
    call(&stub, req).await
}
