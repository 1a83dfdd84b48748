//! The room's sockets: opened with a single-use ticket, sent what the client missed, then every change. Agents
//! reply, type and read over theirs; a visitor types and reads over theirs (visitors post messages over HTTP,
//! where Baton answers them). Socket frames are timed by the platform's clock (`clock::system_ms`). Events go out as
//! JSON text, or, to a visitor's socket opened with `?encoding=wire` (the widget's), as binary frames in the wire
//! encoding; commands come in as JSON text either way.

use baton_shared::protocol::agent::AgentProfile;
use baton_shared::protocol::live::{LiveCommand, LiveEvent, TYPING_THROTTLE_MS};
use baton_shared::protocol::{Author, Message, wire};
use worker::{Response, WebSocket, WebSocketPair};

use super::{ConversationRoom, Peer};
use crate::calls::inbox::SeenUpdate;
use crate::calls::room::Side;
use crate::calls::to_json;
use crate::error::ApiError;
use crate::rooms::tickets;
use crate::{abuse, clock};

impl ConversationRoom {
    /// A socket, opened with a ticket: the visitor's (asked for with their token) or an agent's (issued by the
    /// worker after checking the agent's right to the conversation).
    pub(super) async fn accept(
        &self,
        ticket: Option<&str>,
        since: u64,
        side: Side,
        wire: bool,
    ) -> Result<Response, ApiError> {
        let peer: Peer = tickets::redeem(
            &self.state.storage(),
            ticket,
            "this socket needs a fresh ticket: POST …/socket-tickets, then open it with ?ticket=",
        )
        .await?;
        match (&peer, side) {
            (Peer::Visitor, Side::Visitor) | (Peer::Agent(_), Side::Agent) => {}
            (Peer::Agent(_), Side::Visitor) => {
                return Err(ApiError::Unauthorized(
                    "this ticket is for an agent's socket, not the visitor's".into(),
                ));
            }
            (Peer::Visitor, Side::Agent) => {
                return Err(ApiError::Unauthorized(
                    "this ticket is for the visitor's socket, not an agent's".into(),
                ));
            }
        }
        let conversation = self.existing().await?;
        let pair = WebSocketPair::new()?;
        let server = pair.server;
        let (tag, frames) = match wire {
            true => (VISITOR_WIRE_TAG, Frames::Wire),
            false => (peer.tag(), Frames::Json),
        };
        self.state.accept_websocket_with_tags(&server, &[tag]);
        server.serialize_attachment(&peer)?;
        let missed = conversation.transcript.since(since + 1).to_vec();
        frames.send(&server, &LiveEvent::Messages { messages: missed });
        if let Some(outcome) = conversation.closed {
            frames.send(&server, &LiveEvent::Closed { outcome });
        }
        Ok(Response::from_websocket(pair.client)?)
    }

    /// Closes, for good, the agent sockets whose agent `loses` access (the client must not reconnect).
    pub(super) fn close_agent_sockets(
        &self,
        loses: impl Fn(&AgentProfile) -> bool,
        code: u16,
        reason: &str,
    ) {
        for ws in self.state.get_websockets_with_tag("agent") {
            if let Ok(Some(Peer::Agent(profile))) = ws.deserialize_attachment::<Peer>()
                && loses(&profile)
            {
                let _ = ws.close(Some(code), Some(reason));
            }
        }
    }

    pub(super) async fn command(
        &self,
        ws: &WebSocket,
        peer: &Peer,
        command: LiveCommand,
    ) -> Result<(), ApiError> {
        let problems = command.validate();
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            self.refuse(ws, &list.join("; "))?;
            return Ok(());
        }
        let now = clock::system_ms();
        match command {
            LiveCommand::Send {
                client_message_id,
                text,
            } => {
                let Peer::Agent(AgentProfile { id, name, .. }) = peer else {
                    self.refuse(
                        ws,
                        "visitors post messages over HTTP (POST …/messages), where Baton answers them",
                    )?;
                    return Ok(());
                };
                let _turn = self.turn.lock().await;
                let mut conversation = self.existing().await?;
                if let Some(stored) = conversation
                    .transcript
                    .find_client_message(Author::Agent, &client_message_id)
                {
                    // A retry: acknowledged with the stored copy, to this socket only.
                    self.frames_of(ws).send(
                        ws,
                        &LiveEvent::Messages {
                            messages: vec![stored.clone()],
                        },
                    );
                    return Ok(());
                }
                if conversation.agent.as_ref().map(|agent| &agent.id) != Some(id) {
                    self.refuse(ws, "claim this conversation before replying to it")?;
                    return Ok(());
                }
                if let Err(full) = abuse::within_caps(&self.env, &conversation) {
                    self.refuse(ws, &full.message())?;
                    return Ok(());
                }
                let message: Message = conversation
                    .transcript
                    .push_agent(name, client_message_id, text, now)
                    .clone();
                let site = self.site(&conversation.site_id, None).await?;
                self.save(&site.config, &conversation, now).await?;
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
                    && let Some(conversation) = self.store.conversation().await?
                {
                    self.tell_inbox(SeenUpdate::of(&conversation, Some(seq), None));
                }
            }
        }
        Ok(())
    }

    /// Sends an event to every socket, or to every socket but those of `except`'s side (the sender's:
    /// [`Peer::tag`](super::Peer)).
    pub(super) fn broadcast(&self, event: &LiveEvent, except: Option<&str>) {
        let tags: &[&str] = match except {
            None => &["agent", "visitor", VISITOR_WIRE_TAG],
            Some("visitor") => &["agent"],
            Some(_) => &["visitor", VISITOR_WIRE_TAG],
        };
        // Each encoding is made once, and only when a socket needs it: most visitor messages come over HTTP with
        // no socket open.
        let (mut text, mut bytes) = (None, None);
        for &tag in tags {
            for ws in self.state.get_websockets_with_tag(tag) {
                // A socket closing meanwhile is not an error for the others.
                let _ = if tag == VISITOR_WIRE_TAG {
                    ws.send_with_bytes(bytes.get_or_insert_with(|| wire::to_bytes(event)))
                } else {
                    match text.get_or_insert_with(|| to_json(event).ok()) {
                        Some(text) => ws.send_with_str(text),
                        None => continue,
                    }
                };
            }
        }
    }

    /// Tells `ws` that what it sent was refused (the socket stays open).
    pub(super) fn refuse(&self, ws: &WebSocket, message: &str) -> worker::Result<()> {
        let refused = LiveEvent::Refused {
            message: message.to_string(),
        };
        self.frames_of(ws).send(ws, &refused);
        Ok(())
    }

    /// How `ws` was asked to be sent its events.
    fn frames_of(&self, ws: &WebSocket) -> Frames {
        if self
            .state
            .get_tags(ws)
            .iter()
            .any(|tag| tag == VISITOR_WIRE_TAG)
        {
            Frames::Wire
        } else {
            Frames::Json
        }
    }
}

/// The tag of a visitor's socket that asked for the wire encoding (instead of `visitor`): the room finds the sockets
/// of each encoding by their tag.
const VISITOR_WIRE_TAG: &str = "visitor_wire";

/// How a socket's events are sent.
#[derive(Clone, Copy)]
enum Frames {
    /// JSON text frames.
    Json,
    /// Binary frames in the wire encoding.
    Wire,
}

impl Frames {
    fn send(self, ws: &WebSocket, event: &LiveEvent) {
        let _ = match self {
            Frames::Json => match to_json(event) {
                Ok(text) => ws.send_with_str(text),
                Err(_) => return,
            },
            Frames::Wire => ws.send_with_bytes(wire::to_bytes(event)),
        };
    }
}
