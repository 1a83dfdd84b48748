//! One Durable Object per site: the inbox. It keeps the [`Inbox`] (queues per team, claims, transfers, first
//! replies) in its storage ([`storage`]) and decides with `baton_shared::inbox`; agents' consoles hold a hibernating
//! socket here that carries their presence (heartbeats) and receives every change to the items they may see
//! ([`presence`]). Its alarm finds missed chats, expires old items and retries webhook deliveries ([`alarm`]).
//! Requests are typed calls (`calls::inbox::InboxCall`) with typed replies, sent by the functions beside it.
//!
//! The inbox runs on one clock, the platform's (its alarm and its agents' heartbeats know no other); a call's times
//! are moved onto it by `baton_shared::inbox::InboxClock`.

mod alarm;
mod presence;
mod storage;

use std::cell::RefCell;

use baton_shared::conversation::AssignedAgent;
use baton_shared::inbox::{AutoAssign, ClaimRefused, Inbox, InboxClock, TransferRefused};
use baton_shared::protocol::agent::{AgentProfile, InboxCommand};
use worker::{
    DurableObject, Env, Request, Response, State, WebSocket, WebSocketIncomingMessage,
    console_error, durable_object,
};

use super::tickets;
use crate::calls::inbox::{Forgotten, HandOver, HandedOver, InboxCall};
use crate::calls::tally::Op;
use crate::calls::{self as call, Envelope};
use crate::error::ApiError;
use crate::store::{self, Kv};
use crate::{clock, webhooks};

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

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let result = async {
            let envelope = call::receive::<InboxCall>(&mut req).await?;
            self.answer(envelope).await
        }
        .await;
        match result {
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
        self.heartbeat(&ws, status, clock::system_ms())
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

    /// Missed chats and expiry, then webhook retries; the alarm is set again for whichever comes next.
    async fn alarm(&self) -> worker::Result<Response> {
        if let Err(error) = self.on_alarm(clock::system_ms()).await {
            console_error!("inbox alarm failed: {error:?}");
        }
        Response::ok("done")
    }
}

impl SiteInbox {
    async fn answer(&self, envelope: Envelope<InboxCall>) -> Result<Response, ApiError> {
        self.remember_site(&envelope.site_id).await?;
        let clock = InboxClock {
            caller_now_ms: envelope.now_ms,
            inbox_now_ms: clock::system_ms(),
        };
        let now = clock.now_ms();
        match envelope.call {
            InboxCall::Live { ticket } => self.accept(ticket.as_deref(), now).await,
            InboxCall::TeamsOnline => {
                call::reply(&baton_shared::inbox::teams_online(&self.presence(), now))
            }
            InboxCall::Online => call::reply(&baton_shared::inbox::online(&self.presence(), now)),
            InboxCall::Deliver { mut deliveries } => {
                // Due on the inbox's clock, which its alarm keeps.
                for delivery in &mut deliveries {
                    delivery.next_attempt_ms = clock.rebase(delivery.next_attempt_ms);
                }
                let site_id = &envelope.site_id;
                let site = store::site(&Kv::from_env(&self.env)?, site_id)
                    .await?
                    .ok_or_else(|| {
                        ApiError::NotFound(format!("site \"{site_id}\" does not exist"))
                    })?;
                webhooks::enqueue(&self.state.storage(), deliveries).await?;
                self.schedule(&site.config, now).await?;
                call::reply(&())
            }
            InboxCall::Items { agent } => {
                call::reply(&self.look_at(|inbox| inbox.visible_to(&agent)).await?)
            }
            InboxCall::HandOver(hand_over) => {
                let handed = self.hand_over(&envelope.site_id, hand_over, clock).await?;
                call::reply(&handed)
            }
            InboxCall::Seen {
                conversation_id,
                last_seq,
                read_seq,
                agent_replied_at_ms,
            } => {
                let (changed, ()) = self
                    .change_item(&conversation_id, |inbox| {
                        inbox.seen(&conversation_id, last_seq, read_seq);
                        if let Some(at) = agent_replied_at_ms {
                            inbox.agent_replied(&conversation_id, clock.rebase(at));
                        }
                    })
                    .await?;
                if let Some(item) = changed {
                    self.broadcast_item(&item);
                }
                call::reply(&())
            }
            InboxCall::Claim {
                agent,
                conversation_id,
            } => {
                let mut inbox = self.load().await?;
                let item = inbox
                    .claim(&conversation_id, &agent)
                    .cloned()
                    .map_err(claim_refused)?;
                self.save(inbox).await?;
                self.broadcast_item(&item);
                call::reply(&item)
            }
            InboxCall::Transfer {
                agent,
                conversation_id,
                team,
                to_agent,
            } => {
                let mut inbox = self.load().await?;
                let item = inbox
                    .transfer(&conversation_id, &agent, team, to_agent.as_ref())
                    .cloned()
                    .map_err(transfer_refused)?;
                self.save(inbox).await?;
                self.broadcast_item(&item);
                call::reply(&item)
            }
            InboxCall::Close {
                conversation_id,
                outcome,
            } => {
                let mut inbox = self.load().await?;
                let item = inbox
                    .close(&conversation_id, outcome)
                    .cloned()
                    .ok_or_else(|| claim_refused(ClaimRefused::NotInInbox))?;
                inbox.prune(now);
                self.save(inbox).await?;
                self.broadcast_item(&item);
                call::reply(&item)
            }
            InboxCall::Ticket { agent } => {
                call::reply(&tickets::issue(&self.state.storage(), agent).await?)
            }
            InboxCall::Revoke { agent, reason } => {
                self.close_sockets_of(&agent.id, &reason);
                let visible: Vec<String> = self
                    .look_at(|inbox| inbox.visible_to(&agent))
                    .await?
                    .into_iter()
                    .map(|item| item.conversation_id)
                    .collect();
                call::reply(&visible)
            }
            InboxCall::Forget { conversation_id } => {
                let mut inbox = self.load().await?;
                let items = inbox.forget(&conversation_id);
                self.save(inbox).await?;
                let deliveries = webhooks::forget(&self.state.storage(), &conversation_id).await?;
                call::reply(&Forgotten { items, deliveries })
            }
            InboxCall::Deliveries => {
                call::reply(&webhooks::deliveries(&self.state.storage()).await?)
            }
        }
    }

    /// Queues a handoff (moved onto the inbox's clock), gives it to an agent when the site assigns automatically,
    /// tells the consoles, queues the webhooks and sets the alarm.
    async fn hand_over(
        &self,
        site_id: &str,
        hand_over: HandOver,
        clock: InboxClock,
    ) -> Result<HandedOver, ApiError> {
        let now = clock.now_ms();
        let site = store::site(&Kv::from_env(&self.env)?, site_id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("site \"{site_id}\" does not exist")))?;
        let conversation_id = hand_over.item.conversation_id.clone();
        let seats: Vec<AgentProfile> = self.seats().into_iter().map(|seat| seat.agent).collect();
        let presence = self.presence();
        let auto_assign = AutoAssign {
            enabled: site.config.handoff.auto_assign,
            seats: &seats,
            presence: &presence,
            now_ms: now,
        };
        // The handoff and its assignment change this conversation's item (and the round-robin cursor) only.
        let (item, (assigned, queued)) = self
            .change_item(&conversation_id, |inbox| {
                inbox.hand_over(clock.item(hand_over.item));
                let assigned = inbox
                    .auto_assign(&conversation_id, &auto_assign)
                    .map(|agent| AssignedAgent {
                        id: agent.id,
                        name: agent.name,
                    });
                let queued = inbox.queued(&conversation_id, hand_over.team_reply_minutes);
                (assigned, queued)
            })
            .await?;
        if let Some(item) = item {
            self.broadcast_item(&item);
        }
        let mut deliveries = hand_over.deliveries;
        for delivery in &mut deliveries {
            delivery.next_attempt_ms = clock.rebase(delivery.next_attempt_ms);
        }
        if !deliveries.is_empty() {
            // `enqueue` reads the queue and writes it back.
            self.count(Op::StorageRead);
            self.count(Op::StorageWrite);
        }
        webhooks::enqueue(&self.state.storage(), deliveries).await?;
        self.schedule(&site.config, now).await?;
        Ok(HandedOver { queued, assigned })
    }
}

fn claim_refused(refused: ClaimRefused) -> ApiError {
    match refused {
        ClaimRefused::NotInInbox => ApiError::NotFound(refused.to_string()),
        ClaimRefused::OtherTeam { .. } => ApiError::Forbidden(refused.to_string()),
        ClaimRefused::AlreadyClaimed { .. } | ClaimRefused::Closed => {
            ApiError::Conflict(refused.to_string())
        }
    }
}

fn transfer_refused(refused: TransferRefused) -> ApiError {
    match refused {
        TransferRefused::NotInInbox => ApiError::NotFound(refused.to_string()),
        TransferRefused::NotYours { .. } => ApiError::Forbidden(refused.to_string()),
        TransferRefused::Closed | TransferRefused::AgentNotInTeam { .. } => {
            ApiError::Conflict(refused.to_string())
        }
    }
}
