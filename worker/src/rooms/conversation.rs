//! One Durable Object per conversation: the only place its history is written. Visitor HTTP requests (create,
//! post, history, identify, form, rating) are forwarded here and handled by the same route functions, one at a
//! time; agents' replies, typing and read receipts arrive over hibernating WebSockets. Every new message is sent
//! once to every socket; a socket opened with `since=N` first gets all messages after `N`, so a reconnecting
//! client receives exactly what it missed. Duplicates by client message id are acknowledged and not stored.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;

use baton_shared::config::FieldKind;
use baton_shared::handoff::Texts;
use baton_shared::protocol::agent::AgentProfile;
use baton_shared::protocol::live::{CloseOutcome, LiveCommand, LiveEvent, TYPING_THROTTLE_MS};
use baton_shared::protocol::ticket::{CLOSE_ACCESS_LOST, CLOSE_ERASED};
use baton_shared::protocol::{
    Author, ConversationEvent, HandoffNotice, Message, MessagesAppended, emails_in_text,
};
use futures_util::lock::Mutex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{
    Delay, DurableObject, Env, Method, Request, Response, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair, console_error, durable_object,
};

use super::directory::{self, DirectoryCall};
use super::inbox::SeenUpdate;
use super::{
    SITE_HEADER, SITE_VERSION_HEADER, call, internal_request, required_header, tickets, to_json,
};
use crate::clock::now_ms;
use crate::error::ApiError;
use crate::http::{bearer_token, json_response, read_json};
use crate::routes::agents::email_digest;
use crate::routes::constant_time_eq;
use crate::store::{
    ArchivedConversation, AssignedAgent, Room, Store, StoredConversation, retention_seconds,
};
use crate::{Route, abuse, dispatch, load_site, rate_limit};

const DAY_MS: u64 = 24 * 60 * 60 * 1_000;
/// How long a room gathers a visitor's messages before telling the site inbox the latest (for unread counts).
const SEEN_GATHER_MS: u64 = 250;

/// Who is on the other end of a socket, kept as the socket's attachment so it survives hibernation. An agent's
/// profile (teams, role) comes along, so the room can close the socket the moment the agent loses access.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Peer {
    Visitor,
    Agent(AgentProfile),
}

impl Peer {
    fn tag(&self) -> &'static str {
        match self {
            Peer::Visitor => "visitor",
            Peer::Agent(_) => "agent",
        }
    }

    fn author(&self) -> Author {
        match self {
            Peer::Visitor => Author::Visitor,
            Peer::Agent(_) => Author::Agent,
        }
    }
}

/// The calls the worker and the site inbox make to a conversation's room, each with its typed reply.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum RoomCall {
    /// → `MessagesAppended`: every message.
    Messages,
    /// → `MessagesAppended` (the new ones): an agent took the conversation.
    Join { agent: AssignedAgent },
    /// → `MessagesAppended`: moved to another team (`team`: id and name) and/or agent. Agents' sockets that no longer
    /// serve its team are closed.
    Transferred {
        team: Option<(String, String)>,
        agent: Option<AssignedAgent>,
    },
    /// → `MessagesAppended`: nobody replied in time; the notice says what the visitor is asked.
    Missed { notice: HandoffNotice },
    /// → `MessagesAppended`: an agent closed it (archived for the retention).
    Close {
        outcome: CloseOutcome,
        agent_name: String,
    },
    /// → `u64`, the messages deleted: everything the room holds, under its turn lock.
    Erase,
    /// → `()`: closes an agent's sockets for good (`code` from `protocol::ticket`).
    CloseAgentSockets {
        agent_id: String,
        code: u16,
        reason: String,
    },
    /// → `SocketTicket`: a single-use ticket for one socket on this conversation, for the visitor (whose token is
    /// checked here) or an agent (checked by the worker).
    IssueTicket {
        visitor_token: Option<String>,
        agent: Option<AgentProfile>,
    },
}

#[durable_object]
pub struct ConversationRoom {
    state: State,
    env: Env,
    /// One request or command at a time changes the history (a model call may be awaited in between).
    turn: Mutex<()>,
    /// When each side's typing was last relayed.
    typing_relayed_ms: RefCell<[u64; 2]>,
    /// The conversation as last read or written (see `store::Room`).
    copy: Rc<RefCell<Option<StoredConversation>>>,
    /// The retention alarm as last read or set, so a message does not read it again.
    alarm_at_ms: Cell<Option<u64>>,
    /// Whether the inbox will hear of the latest visitor message shortly (see [`SEEN_GATHER_MS`]).
    seen_scheduled: Rc<Cell<bool>>,
    /// Digests of the emails this room put in the site's email index since it woke.
    linked_emails: RefCell<HashSet<String>>,
}

impl DurableObject for ConversationRoom {
    fn new(state: State, env: Env) -> Self {
        ConversationRoom {
            state,
            env,
            turn: Mutex::new(()),
            typing_relayed_ms: RefCell::new([0, 0]),
            copy: Rc::new(RefCell::new(None)),
            alarm_at_ms: Cell::new(None),
            seen_scheduled: Rc::new(Cell::new(false)),
            linked_emails: RefCell::new(HashSet::new()),
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
            return refuse(&ws, "frames must be JSON text");
        };
        let command: LiveCommand = match serde_json::from_str(&text) {
            Ok(command) => command,
            Err(error) => return refuse(&ws, &format!("not a live command: {error}")),
        };
        let peer: Peer = ws.deserialize_attachment()?.unwrap_or(Peer::Visitor);
        if let Err(error) = self.command(&ws, &peer, command).await {
            console_error!("conversation command failed: {error:?}");
            refuse(&ws, "the command failed; try again")?;
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
        // Completes the closing handshake; the runtime forgets the socket.
        let _ = ws.close(Some(1000), Some("closed"));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        let _ = ws.close(Some(1011), Some("error"));
        Ok(())
    }

    /// The end of the conversation's retention: everything the room holds is deleted.
    async fn alarm(&self) -> worker::Result<Response> {
        self.copy.borrow_mut().take();
        self.alarm_at_ms.set(None);
        self.state.storage().delete_all().await?;
        Response::ok("expired")
    }
}

impl ConversationRoom {
    fn store(&self) -> Result<Store, ApiError> {
        Ok(Store::in_room(
            &self.env,
            Room {
                storage: self.state.storage(),
                copy: Rc::clone(&self.copy),
            },
        )?)
    }

    async fn handle(&self, mut req: Request) -> Result<Response, ApiError> {
        let path = req.path();
        match (req.method(), path.as_str()) {
            (Method::Get, "/internal/live") => self.accept_agent(&req).await,
            (Method::Post, "/internal/call") => {
                let room_call: RoomCall = read_json(&mut req).await?;
                self.answer(&req, room_call).await
            }
            _ => self.visitor_request(req).await,
        }
    }

    async fn answer(&self, req: &Request, room_call: RoomCall) -> Result<Response, ApiError> {
        match room_call {
            RoomCall::Messages => {
                let conversation = self.existing().await?;
                Ok(json_response(
                    &MessagesAppended {
                        messages: conversation.transcript.messages,
                    },
                    200,
                )?)
            }
            RoomCall::Join { agent } => {
                self.change(req, |conversation, texts, now_ms| {
                    conversation.agent_joins(texts, agent, now_ms);
                    None
                })
                .await
            }
            RoomCall::Transferred { team, agent } => {
                let new_team = team.as_ref().map(|(id, _)| id.clone());
                let response = self
                    .change(req, |conversation, texts, now_ms| {
                        conversation.agent = agent.clone();
                        if let Some((_, team_name)) = &team {
                            conversation.transcript.push_event(
                                texts.transferred(team_name),
                                ConversationEvent::Transferred {
                                    team: team_name.clone(),
                                },
                                None,
                                now_ms,
                            );
                        }
                        if let Some(agent) = agent {
                            conversation.agent_joins(texts, agent, now_ms);
                        }
                        None
                    })
                    .await?;
                if let Some(team_id) = new_team {
                    self.close_agent_sockets(
                        |profile| !profile.serves(Some(&team_id)),
                        CLOSE_ACCESS_LOST,
                        "this conversation moved to a team you are not in",
                    );
                }
                Ok(response)
            }
            RoomCall::Missed { notice } => {
                let site_id = required_header(req, SITE_HEADER)?;
                let site = load_site(&self.store()?, &site_id).await?;
                let email_field = site
                    .config
                    .pre_chat
                    .fields
                    .iter()
                    .find(|field| field.kind == FieldKind::Email)
                    .map(|field| field.id.clone());
                self.change(req, |conversation, texts, now_ms| {
                    let has_email = conversation
                        .visitor_detail(&site.config, FieldKind::Email)
                        .is_some();
                    let asks = email_field.filter(|_| !has_email);
                    let notice = asks.as_ref().map(|field| HandoffNotice {
                        asks_for: vec![field.clone()],
                        queued: true,
                        ..notice.clone()
                    });
                    let seq = conversation.transcript.next_seq();
                    conversation.transcript.push_event(
                        texts.missed(asks.is_some()),
                        ConversationEvent::Missed {
                            asks_email: asks.is_some(),
                        },
                        None,
                        now_ms,
                    );
                    if let Some(last) = conversation.transcript.messages.last_mut()
                        && last.seq == seq
                    {
                        last.handoff = notice;
                    }
                    None
                })
                .await
            }
            RoomCall::Close {
                outcome,
                agent_name,
            } => {
                let response = self
                    .change(req, |conversation, texts, now_ms| {
                        conversation.transcript.push_event(
                            texts.closed(&agent_name),
                            ConversationEvent::Closed { outcome },
                            Some(agent_name.clone()),
                            now_ms,
                        );
                        conversation.agent = None;
                        conversation.closed = Some(outcome);
                        conversation.pending_handoff = None;
                        Some(outcome)
                    })
                    .await?;
                self.archive(req).await?;
                Ok(response)
            }
            RoomCall::Erase => {
                // Under the turn lock: a visitor request in flight finishes first, and none after it finds anything.
                let _turn = self.turn.lock().await;
                let messages = self
                    .store()?
                    .conversation()
                    .await?
                    .map_or(0, |conversation| {
                        conversation.transcript.messages.len() as u64
                    });
                for ws in self.state.get_websockets() {
                    let _ = ws.close(Some(CLOSE_ERASED), Some("this conversation was erased"));
                }
                self.store()?.erase_room().await?;
                self.alarm_at_ms.set(None);
                self.linked_emails.borrow_mut().clear();
                Ok(json_response(&messages, 200)?)
            }
            RoomCall::CloseAgentSockets {
                agent_id,
                code,
                reason,
            } => {
                self.close_agent_sockets(|profile| profile.id == agent_id, code, &reason);
                Ok(json_response(&(), 200)?)
            }
            RoomCall::IssueTicket {
                visitor_token,
                agent,
            } => {
                let conversation = self.existing().await?;
                let peer = match (visitor_token, agent) {
                    (_, Some(agent)) => Peer::Agent(agent),
                    (Some(token), None)
                        if constant_time_eq(
                            conversation.visitor_token.as_bytes(),
                            token.as_bytes(),
                        ) =>
                    {
                        Peer::Visitor
                    }
                    _ => {
                        return Err(ApiError::Unauthorized(
                            "the visitor token does not belong to this conversation".into(),
                        ));
                    }
                };
                let ticket = tickets::issue(&self.state.storage(), peer).await?;
                Ok(json_response(&ticket, 201)?)
            }
        }
    }

    /// Closes, for good, the agent sockets whose agent `loses` access (the client must not reconnect).
    fn close_agent_sockets(&self, loses: impl Fn(&AgentProfile) -> bool, code: u16, reason: &str) {
        for ws in self.state.get_websockets_with_tag("agent") {
            if let Ok(Some(Peer::Agent(profile))) = ws.deserialize_attachment::<Peer>()
                && loses(&profile)
            {
                let _ = ws.close(Some(code), Some(reason));
            }
        }
    }

    /// The peer a socket's `?ticket=` grants, used up: a ticket opens one socket, within its lifetime.
    async fn redeem(&self, req: &Request) -> Result<Peer, ApiError> {
        tickets::redeem(
            &self.state.storage(),
            req,
            "this socket needs a fresh ticket: POST …/socket-tickets, then open it with ?ticket=",
        )
        .await
    }

    /// A visitor's request, forwarded by the worker: decoded and answered by the API's own route functions with
    /// this room's storage; then every socket hears of the new messages, and the inbox of the latest one.
    async fn visitor_request(&self, mut req: Request) -> Result<Response, ApiError> {
        let path = req.path();
        let route = Route::parse(&path)
            .ok_or_else(|| ApiError::NotFound(format!("there is no API route {path}")))?;
        let site_id = route
            .site_id()
            .ok_or_else(|| ApiError::NotFound(format!("{path} is not a conversation route")))?
            .to_string();
        let store = self.store()?;
        let version = req.headers().get(SITE_VERSION_HEADER)?;
        let site = store
            .site_at(&site_id, version.as_deref())
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("site \"{site_id}\" does not exist")))?;
        if let Route::Live { .. } = route {
            return self.accept_visitor(&req).await;
        }
        let _turn = self.turn.lock().await;
        let before = store.conversation().await?;
        if req.method() == Method::Post
            && let Some(conversation_id) = route.conversation_id()
        {
            self.admit(&req, &route, &site_id, conversation_id, before.as_ref())
                .await?;
        }
        let first_new = before
            .as_ref()
            .map_or(1, |conversation| conversation.transcript.next_seq());
        let handed_over_before = before.and_then(|conversation| conversation.handed_over_at_ms);
        let response = dispatch(&mut req, &self.env, &store, route, Some(&site)).await?;
        if let Some(conversation) = store.conversation().await? {
            let messages = conversation.transcript.since(first_new).to_vec();
            self.link_emails(&conversation, &messages, &site.config)
                .await?;
            if conversation.handed_over_at_ms != handed_over_before
                && let Some(address) = abuse::origin_less_address(&req)
            {
                abuse::count_handoff(&self.env, &site_id, &address).await?;
            }
            if !messages.is_empty() {
                self.broadcast(&LiveEvent::Messages { messages }, None);
                if conversation.handed_over_at_ms.is_some() {
                    self.tell_inbox_soon();
                }
                self.keep_for_retention(&site.config).await?;
            }
        }
        Ok(response)
    }

    /// Before a visitor's `POST` is handled: the token must be the conversation's (checked first, so nobody who
    /// merely knows the id spends the visitor's rate limit), then the conversation's rate limit, its caps, and for
    /// clients without an `Origin` the hourly handoff limit of their address.
    async fn admit(
        &self,
        req: &Request,
        route: &Route,
        site_id: &str,
        conversation_id: &str,
        conversation: Option<&StoredConversation>,
    ) -> Result<(), ApiError> {
        let conversation = conversation.ok_or_else(|| {
            ApiError::NotFound(format!(
                "conversation \"{conversation_id}\" does not exist on site \"{site_id}\""
            ))
        })?;
        let token = bearer_token(req)?;
        if !constant_time_eq(conversation.visitor_token.as_bytes(), token.as_bytes()) {
            return Err(ApiError::Unauthorized(
                "the visitor token does not belong to this conversation".into(),
            ));
        }
        rate_limit::conversation(&self.env, site_id, conversation_id).await?;
        if let Route::Messages { .. } = route {
            abuse::within_caps(&self.env, conversation)?;
            if let Some(address) = abuse::origin_less_address(req) {
                abuse::handoffs_allowed(&self.env, site_id, &address).await?;
            }
        }
        Ok(())
    }

    /// Every email address the conversation holds (identify, the form, any visitor message) goes into the site's
    /// email index, so erasure by email finds the conversation. Each address is linked once per room wake-up.
    async fn link_emails(
        &self,
        conversation: &StoredConversation,
        new_messages: &[Message],
        site: &baton_shared::config::SiteConfig,
    ) -> Result<(), ApiError> {
        let mut emails: Vec<String> = new_messages
            .iter()
            .filter(|message| message.author == Author::Visitor)
            .flat_map(|message| emails_in_text(&message.text))
            .collect();
        emails.extend(
            conversation
                .visitor_detail(site, FieldKind::Email)
                .map(str::to_string),
        );
        for email in emails {
            let digest = email_digest(&email);
            if self.linked_emails.borrow().contains(&digest) {
                continue;
            }
            directory::ask::<()>(
                &self.env,
                &conversation.site_id,
                &DirectoryCall::LinkEmail {
                    digest: digest.clone(),
                    conversation_id: conversation.id.clone(),
                    at_ms: js_sys::Date::now() as u64,
                },
            )
            .await?;
            self.linked_emails.borrow_mut().insert(digest);
        }
        Ok(())
    }

    /// Applies a change made by an agent or the inbox, under the turn lock, and tells every socket.
    async fn change<F>(&self, req: &Request, apply: F) -> Result<Response, ApiError>
    where
        F: FnOnce(&mut StoredConversation, Texts, u64) -> Option<CloseOutcome>,
    {
        let site_id = required_header(req, SITE_HEADER)?;
        let store = self.store()?;
        let site = load_site(&store, &site_id).await?;
        let _turn = self.turn.lock().await;
        let mut conversation = self.existing().await?;
        let first_new = conversation.transcript.next_seq();
        let now_ms = now_ms(req, &self.env);
        let closed = apply(
            &mut conversation,
            Texts::for_locale(&site.config.locale),
            now_ms,
        );
        store.put_conversation(&conversation).await?;
        let messages = conversation.transcript.since(first_new).to_vec();
        self.broadcast(
            &LiveEvent::Messages {
                messages: messages.clone(),
            },
            None,
        );
        if let Some(outcome) = closed {
            self.broadcast(&LiveEvent::Closed { outcome }, None);
        }
        self.tell_inbox(SeenUpdate::of(&conversation, None, None));
        Ok(json_response(&MessagesAppended { messages }, 200)?)
    }

    /// Copies the closed conversation and its package to KV for the site's retention.
    async fn archive(&self, req: &Request) -> Result<(), ApiError> {
        let site_id = required_header(req, SITE_HEADER)?;
        let store = self.store()?;
        let site = load_site(&store, &site_id).await?;
        let conversation = self.existing().await?;
        let package = store.handoff_package(&site_id, &conversation.id).await?;
        store
            .put_archive(
                &site.config,
                &ArchivedConversation {
                    conversation,
                    package,
                    closed_at_ms: now_ms(req, &self.env),
                },
            )
            .await
    }

    /// Tells the site inbox of the latest visitor message after [`SEEN_GATHER_MS`], once for all the messages of
    /// that moment: one object holds the whole site's inbox, and a visitor typing fast should not write it per line.
    fn tell_inbox_soon(&self) {
        if self.seen_scheduled.replace(true) {
            return;
        }
        let env = self.env.clone();
        let copy = Rc::clone(&self.copy);
        let scheduled = Rc::clone(&self.seen_scheduled);
        self.state.wait_until(async move {
            Delay::from(Duration::from_millis(SEEN_GATHER_MS)).await;
            scheduled.set(false);
            let update = copy
                .borrow()
                .as_ref()
                .and_then(|conversation| SeenUpdate::of(conversation, None, None));
            if let Some(update) = update {
                update.send(env).await;
            }
        });
    }

    /// Updates the site inbox in the background: the sockets have their messages already, and nothing here waits.
    fn tell_inbox(&self, update: Option<SeenUpdate>) {
        if let Some(update) = update {
            let env = self.env.clone();
            self.state.wait_until(async move { update.send(env).await });
        }
    }

    /// The room deletes itself once the site's retention has passed since the last message (on the real clock, not
    /// the test clock).
    async fn keep_for_retention(
        &self,
        site: &baton_shared::config::SiteConfig,
    ) -> Result<(), ApiError> {
        let at = js_sys::Date::now() as u64 + retention_seconds(site) * 1_000;
        // Moved at most once a day, not at every message: one write less per message.
        let storage = self.state.storage();
        let current = match self.alarm_at_ms.get() {
            Some(current) => Some(current),
            None => storage.get_alarm().await?.map(|current| current as u64),
        };
        if let Some(current) = current
            && current + DAY_MS >= at
        {
            self.alarm_at_ms.set(Some(current));
            return Ok(());
        }
        super::set_alarm_at(&storage, at).await?;
        self.alarm_at_ms.set(Some(at));
        Ok(())
    }

    async fn existing(&self) -> Result<StoredConversation, ApiError> {
        self.store()?
            .conversation()
            .await?
            .ok_or_else(|| ApiError::NotFound("this conversation does not exist".into()))
    }

    /// A visitor's socket, opened with a ticket the visitor asked for with their token.
    async fn accept_visitor(&self, req: &Request) -> Result<Response, ApiError> {
        let peer = self.redeem(req).await?;
        if !matches!(peer, Peer::Visitor) {
            return Err(ApiError::Unauthorized(
                "this ticket is for an agent's socket, not the visitor's".into(),
            ));
        }
        let conversation = self.existing().await?;
        self.accept(req, peer, &conversation)
    }

    /// An agent's socket, opened with a ticket the worker issued after checking the agent's right to it.
    async fn accept_agent(&self, req: &Request) -> Result<Response, ApiError> {
        let peer = self.redeem(req).await?;
        if !matches!(peer, Peer::Agent(_)) {
            return Err(ApiError::Unauthorized(
                "this ticket is for the visitor's socket, not an agent's".into(),
            ));
        }
        let conversation = self.existing().await?;
        self.accept(req, peer, &conversation)
    }

    fn accept(
        &self,
        req: &Request,
        peer: Peer,
        conversation: &StoredConversation,
    ) -> Result<Response, ApiError> {
        if req.headers().get("Upgrade")?.as_deref() != Some("websocket") {
            return Err(ApiError::InvalidJson(
                "this route is a WebSocket: send `Upgrade: websocket`".into(),
            ));
        }
        let since = since(req)?;
        let pair = WebSocketPair::new()?;
        let server = pair.server;
        self.state
            .accept_websocket_with_tags(&server, &[peer.tag()]);
        server.serialize_attachment(&peer)?;
        let missed = conversation.transcript.since(since + 1).to_vec();
        send(&server, &LiveEvent::Messages { messages: missed });
        if let Some(outcome) = conversation.closed {
            send(&server, &LiveEvent::Closed { outcome });
        }
        Ok(Response::from_websocket(pair.client)?)
    }

    async fn command(
        &self,
        ws: &WebSocket,
        peer: &Peer,
        command: LiveCommand,
    ) -> Result<(), ApiError> {
        let problems = command.validate();
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            refuse(ws, &list.join("; "))?;
            return Ok(());
        }
        let now = js_sys::Date::now() as u64;
        match command {
            LiveCommand::Send {
                client_message_id,
                text,
            } => {
                let Peer::Agent(AgentProfile { id, name, .. }) = peer else {
                    refuse(
                        ws,
                        "visitors post messages over HTTP (POST …/messages), where Baton answers them",
                    )?;
                    return Ok(());
                };
                let _turn = self.turn.lock().await;
                let store = self.store()?;
                let mut conversation = self.existing().await?;
                if let Some(stored) = conversation
                    .transcript
                    .find_client_message(Author::Agent, &client_message_id)
                {
                    // A retry: acknowledged with the stored copy, to this socket only.
                    send(
                        ws,
                        &LiveEvent::Messages {
                            messages: vec![stored.clone()],
                        },
                    );
                    return Ok(());
                }
                if conversation.agent.as_ref().map(|agent| &agent.id) != Some(id) {
                    refuse(ws, "claim this conversation before replying to it")?;
                    return Ok(());
                }
                if let Err(full) = abuse::within_caps(&self.env, &conversation) {
                    refuse(ws, &full.message())?;
                    return Ok(());
                }
                let message: Message = conversation
                    .transcript
                    .push_agent(name, client_message_id, text, now)
                    .clone();
                store.put_conversation(&conversation).await?;
                self.broadcast(
                    &LiveEvent::Messages {
                        messages: vec![message],
                    },
                    None,
                );
                self.tell_inbox(SeenUpdate::of(&conversation, None, Some(now)));
            }
            LiveCommand::Typing => {
                let side = usize::from(matches!(peer, Peer::Agent(_)));
                let relay = {
                    let mut relayed = self.typing_relayed_ms.borrow_mut();
                    let due = now.saturating_sub(relayed[side]) >= TYPING_THROTTLE_MS;
                    if due {
                        relayed[side] = now;
                    }
                    due
                };
                if relay {
                    let name = match peer {
                        Peer::Agent(agent) => Some(agent.name.clone()),
                        Peer::Visitor => None,
                    };
                    self.broadcast(
                        &LiveEvent::Typing {
                            author: peer.author(),
                            name,
                        },
                        Some(peer.tag()),
                    );
                }
            }
            LiveCommand::Read { seq } => {
                self.broadcast(
                    &LiveEvent::Read {
                        author: peer.author(),
                        seq,
                    },
                    Some(peer.tag()),
                );
                if let Peer::Agent(_) = peer
                    && let Some(conversation) = self.store()?.conversation().await?
                {
                    self.tell_inbox(SeenUpdate::of(&conversation, Some(seq), None));
                }
            }
        }
        Ok(())
    }

    /// Sends an event to every socket, or to every socket but those tagged `except` (the sender's side).
    fn broadcast(&self, event: &LiveEvent, except: Option<&str>) {
        let sockets = match except {
            None => self.state.get_websockets(),
            Some("visitor") => self.state.get_websockets_with_tag("agent"),
            Some(_) => self.state.get_websockets_with_tag("visitor"),
        };
        // Most visitor messages come over HTTP with no socket open: nothing to encode then.
        if sockets.is_empty() {
            return;
        }
        let Ok(text) = to_json(event) else {
            return;
        };
        for ws in sockets {
            // A socket closing meanwhile is not an error for the others.
            let _ = ws.send_with_str(&text);
        }
    }
}

fn send(ws: &WebSocket, event: &LiveEvent) {
    if let Ok(text) = to_json(event) {
        let _ = ws.send_with_str(text);
    }
}

fn refuse(ws: &WebSocket, message: &str) -> worker::Result<()> {
    send(
        ws,
        &LiveEvent::Refused {
            message: message.to_string(),
        },
    );
    Ok(())
}

fn query(req: &Request, name: &str) -> Result<Option<String>, ApiError> {
    Ok(req
        .url()?
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned()))
}

/// `?since=N`: the last sequence number the client has (0 when absent).
fn since(req: &Request) -> Result<u64, ApiError> {
    match query(req, "since")? {
        None => Ok(0),
        Some(value) => value.parse().map_err(|_| {
            ApiError::InvalidFields(vec![baton_shared::protocol::field_error(
                "since",
                format!("must be a sequence number (0 or more), got \"{value}\""),
            )])
        }),
    }
}

/// Calls a conversation's room.
pub async fn ask<T: DeserializeOwned>(
    env: &Env,
    site_id: &str,
    conversation_id: &str,
    room_call: &RoomCall,
) -> Result<T, ApiError> {
    let stub = super::conversation_stub(env, site_id, conversation_id)?;
    let req = internal_request(
        Method::Post,
        "/internal/call",
        site_id,
        Some(conversation_id),
        None,
        Some(room_call),
    )?;
    call(&stub, req).await
}

/// The conversation id of a forwarded request.
pub fn conversation_id(req: &Request) -> Result<String, ApiError> {
    required_header(req, super::CONVERSATION_HEADER)
}
