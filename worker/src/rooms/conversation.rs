//! One Durable Object per conversation: the only place its history is written. It receives typed calls
//! (`calls::room::RoomCall`): a visitor's request already decoded by the worker (`visitor.rs`, which drives the
//! turn of `baton_shared::turn`), an agent's or the inbox's change (`changes.rs`), or a socket (`live.rs`: agents'
//! replies, typing and read receipts arrive over hibernating WebSockets). Every new message is sent once to every
//! socket; a socket opened with `since=N` first gets all messages after `N`, so a reconnecting client receives
//! exactly what it missed.

mod changes;
mod ledger;
mod live;
mod opening;
mod summary;
mod visitor;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;

use baton_shared::conversation::Conversation;
use baton_shared::protocol::agent::AgentProfile;
use baton_shared::protocol::live::LiveCommand;
use baton_shared::protocol::{Author, MessagesAppended};
use futures_util::lock::Mutex;
use serde::{Deserialize, Serialize};
use worker::{
    DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    console_error, durable_object,
};

use crate::calls::room::RoomCall;
use crate::calls::{self, Envelope};
use crate::error::ApiError;
use crate::store::{self, Kv, RoomStore, StoredSite};

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

#[durable_object]
pub struct ConversationRoom {
    state: State,
    env: Env,
    /// The conversation's storage and the room's copy of it.
    store: RoomStore,
    /// One request or command at a time changes the history (a model call may be awaited in between).
    turn: Mutex<()>,
    /// When each side's typing was last relayed.
    typing_relayed_ms: RefCell<[u64; 2]>,
    /// The retention alarm as last read or set, so a message does not read it again.
    alarm_at_ms: Cell<Option<u64>>,
    /// Whether the inbox will hear of the latest visitor message shortly (see `visitor::SEEN_GATHER_MS`).
    seen_scheduled: Rc<Cell<bool>>,
    /// How long this room gathers a visitor's messages before telling the inbox (see `visitor::SEEN_GATHER_MS`).
    seen_gather_ms: u64,
    /// Digests of the emails this room put in the site's email index since it woke.
    linked_emails: RefCell<HashSet<String>>,
    /// How the ledger's outbox is sent (`ledger.rs`).
    recording: Rc<ledger::Recording>,
}

impl DurableObject for ConversationRoom {
    fn new(state: State, env: Env) -> Self {
        let room_id = state.id().to_string();
        let recording = Rc::new(ledger::Recording::new(&room_id));
        ConversationRoom {
            store: RoomStore::new(state.storage()),
            state,
            env,
            turn: Mutex::new(()),
            typing_relayed_ms: RefCell::new([0, 0]),
            alarm_at_ms: Cell::new(None),
            seen_scheduled: Rc::new(Cell::new(false)),
            seen_gather_ms: visitor::SEEN_GATHER_MS
                - super::spread_ms(&room_id, visitor::SEEN_GATHER_MS / 2),
            linked_emails: RefCell::new(HashSet::new()),
            recording,
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let answered = match calls::receive::<RoomCall>(&mut req).await {
            Ok(envelope) => self.answer(envelope).await,
            Err(error) => Err(error),
        };
        match answered {
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
            return self.refuse(&ws, "frames must be JSON text");
        };
        let command: LiveCommand = match serde_json::from_str(&text) {
            Ok(command) => command,
            Err(error) => return self.refuse(&ws, &format!("not a live command: {error}")),
        };
        let peer: Peer = ws.deserialize_attachment()?.unwrap_or(Peer::Visitor);
        if let Err(error) = self.command(&ws, &peer, command).await {
            console_error!("conversation command failed: {error:?}");
            self.refuse(&ws, "the command failed; try again")?;
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

    /// The alarm: the ledger's outbox first, then the end of the retention (`ledger.rs`).
    async fn alarm(&self) -> worker::Result<Response> {
        match self.alarm_rang().await {
            Ok(done) => Response::ok(done),
            Err(error) => Err(worker::Error::RustError(format!("{error:?}"))),
        }
    }
}

impl ConversationRoom {
    async fn answer(&self, envelope: Envelope<RoomCall>) -> Result<Response, ApiError> {
        let Envelope {
            site_id,
            now_ms,
            call,
        } = envelope;
        self.store.serve_site(&site_id);
        match call {
            RoomCall::Visitor(visitor_call) => self.visitor(&site_id, now_ms, visitor_call).await,
            RoomCall::Live {
                ticket,
                since,
                side,
                wire,
            } => self.accept(ticket.as_deref(), since, side, wire).await,
            RoomCall::AiSummary {
                conversation_id,
                handed_off_at_ms,
                summary,
            } => {
                self.ai_summary_arrived(&site_id, &conversation_id, handed_off_at_ms, summary)
                    .await
            }
            RoomCall::Messages => {
                let conversation = self.existing().await?;
                calls::reply(&MessagesAppended {
                    messages: conversation.transcript.messages,
                })
            }
            change => self.change(&site_id, now_ms, change).await,
        }
    }

    /// The site, as the worker read it for this call when `version` says so (else from KV).
    async fn site(&self, site_id: &str, version: Option<&str>) -> Result<Rc<StoredSite>, ApiError> {
        store::site_at(&Kv::from_env(&self.env)?, site_id, version)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("site \"{site_id}\" does not exist")))
    }

    async fn existing(&self) -> Result<Conversation, ApiError> {
        self.store
            .conversation()
            .await?
            .ok_or_else(|| ApiError::NotFound("this conversation does not exist".into()))
    }
}
