//! The agents' consoles: each holds a hibernating socket on the inbox (its [`Seat`], kept as the socket's
//! attachment so it survives hibernation), sends heartbeats that carry the agent's presence, and receives every
//! change to the items its agent may see. Presence runs on the platform's clock, like the heartbeats.

use baton_shared::inbox::{LIVE_TICKET_REFUSED, presence_of};
use baton_shared::protocol::agent::{
    AgentPresence, AgentProfile, InboxEvent, InboxItem, PresenceStatus,
};
use baton_shared::protocol::ticket::CLOSE_REVOKED;
use serde::{Deserialize, Serialize};
use worker::{Response, WebSocket, WebSocketPair};

use super::SiteInbox;
use crate::calls::to_json;
use crate::error::ApiError;
use crate::rooms::tickets;

/// A console's socket: the agent and their presence.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Seat {
    pub(super) agent: AgentProfile,
    presence: AgentPresence,
}

impl SiteInbox {
    /// Opens an agent's console socket for their ticket: the snapshot of what they may see, then every change.
    pub(super) async fn accept(
        &self,
        ticket: Option<&str>,
        now: u64,
    ) -> Result<Response, ApiError> {
        let agent: AgentProfile =
            tickets::redeem(&self.state.storage(), ticket, LIVE_TICKET_REFUSED).await?;
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
            items: self.look_at(|inbox| inbox.visible_to(&seat.agent)).await?,
            agents: self.presence(),
        };
        let _ = server.send_with_str(to_json(&snapshot)?);
        self.broadcast_presence();
        Ok(Response::from_websocket(pair.client)?)
    }

    /// A console's heartbeat: the agent's status, seen now; the others hear of a change of status.
    pub(super) fn heartbeat(
        &self,
        ws: &WebSocket,
        status: PresenceStatus,
        now: u64,
    ) -> worker::Result<()> {
        let Some(mut seat) = ws.deserialize_attachment::<Seat>()? else {
            return Ok(());
        };
        let changed = seat.presence.status != status;
        seat.presence.status = status;
        seat.presence.last_seen_ms = now;
        ws.serialize_attachment(&seat)?;
        if changed {
            self.broadcast_presence();
        }
        Ok(())
    }

    /// Closes every console of an agent (disabled or deleted), telling them why.
    pub(super) fn close_sockets_of(&self, agent_id: &str, reason: &str) {
        for ws in self.state.get_websockets() {
            let seated = ws
                .deserialize_attachment::<Seat>()
                .ok()
                .flatten()
                .is_some_and(|seat| seat.agent.id == agent_id);
            if seated {
                let _ = ws.close(Some(CLOSE_REVOKED), Some(reason));
            }
        }
        self.broadcast_presence();
    }

    pub(super) fn seats(&self) -> Vec<Seat> {
        self.state
            .get_websockets()
            .iter()
            .filter_map(|ws| ws.deserialize_attachment::<Seat>().ok().flatten())
            .collect()
    }

    /// Everyone with a console open, once each.
    pub(super) fn presence(&self) -> Vec<AgentPresence> {
        presence_of(self.seats().into_iter().map(|seat| seat.presence))
    }

    /// Sends an item to the consoles of the agents who may see it.
    pub(super) fn broadcast_item(&self, item: &InboxItem) {
        let Ok(text) = to_json(&InboxEvent::Item {
            item: Box::new(item.clone()),
        }) else {
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

    pub(super) fn broadcast_presence(&self) {
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
