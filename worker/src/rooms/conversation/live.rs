//! The room's sockets: opened with a single-use ticket, sent what the client missed, then every change. Agents
//! reply, type and read over theirs; a visitor types and reads over theirs (visitors post messages over HTTP,
//! where Baton answers them). Socket frames are timed by the platform's clock (`clock::system_ms`).

use baton_shared::protocol::agent::AgentProfile;
use baton_shared::protocol::live::{LiveCommand, LiveEvent, TYPING_THROTTLE_MS};
use baton_shared::protocol::{Author, Message};
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
            refuse(ws, &list.join("; "))?;
            return Ok(());
        }
        let now = clock::system_ms();
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

    /// Sends an event to every socket, or to every socket but those tagged `except` (the sender's side).
    pub(super) fn broadcast(&self, event: &LiveEvent, except: Option<&str>) {
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

pub(super) fn refuse(ws: &WebSocket, message: &str) -> worker::Result<()> {
    send(
        ws,
        &LiveEvent::Refused {
            message: message.to_string(),
        },
    );
    Ok(())
}
