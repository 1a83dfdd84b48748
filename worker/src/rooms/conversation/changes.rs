//! Changes an agent or the site inbox makes to a conversation: an agent joins, it is transferred, missed, closed
//! (and archived), erased; an agent's sockets are closed; a socket ticket is issued. Each is applied under the
//! turn lock and told to every socket.

use baton_shared::config::FieldKind;
use baton_shared::conversation::Conversation;
use baton_shared::handoff::Texts;
use baton_shared::inbox::missed_notice_to_visitor;
use baton_shared::protocol::live::{CloseOutcome, LiveEvent};
use baton_shared::protocol::ticket::{CLOSE_ACCESS_LOST, CLOSE_ERASED};
use baton_shared::protocol::{ConversationEvent, MessagesAppended};
use worker::{Response, console_warn};

use super::{ConversationRoom, Peer};
use crate::accounts::constant_time_eq;
use crate::calls::inbox::{self, SeenUpdate};
use crate::calls::room::RoomCall;
use crate::calls::{self};
use crate::clock;
use crate::error::ApiError;
use crate::rooms::tickets;
use crate::store::{ArchivedConversation, Kv};

impl ConversationRoom {
    pub(super) async fn change(
        &self,
        site_id: &str,
        now_ms: u64,
        call: RoomCall,
    ) -> Result<Response, ApiError> {
        match call {
            RoomCall::Visitor(_)
            | RoomCall::Live { .. }
            | RoomCall::Messages
            | RoomCall::AiSummary { .. } => {
                unreachable!("answered by ConversationRoom::answer")
            }
            RoomCall::Join { agent } => {
                self.apply(site_id, now_ms, |conversation, texts| {
                    conversation.agent_joins(texts, agent, now_ms);
                    None
                })
                .await
            }
            RoomCall::Transferred { team, agent } => {
                let new_team = team.as_ref().map(|(id, _)| id.clone());
                let response = self
                    .apply(site_id, now_ms, |conversation, texts| {
                        conversation.agent = agent.clone();
                        if let Some((team_id, team_name)) = &team {
                            conversation.team = Some(team_id.clone());
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
                let site = self.site(site_id, None).await?;
                let email_field = site
                    .config
                    .pre_chat
                    .fields
                    .iter()
                    .find(|field| field.kind == FieldKind::Email)
                    .map(|field| field.id.clone());
                self.apply(site_id, now_ms, |conversation, texts| {
                    let has_email = conversation
                        .visitor_detail(&site.config, FieldKind::Email)
                        .is_some();
                    let notice =
                        missed_notice_to_visitor(&notice, email_field.as_deref(), has_email);
                    let asks_email = notice.is_some();
                    let seq = conversation.transcript.next_seq();
                    conversation.transcript.push_event(
                        texts.missed(asks_email),
                        ConversationEvent::Missed { asks_email },
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
                    .apply(site_id, now_ms, |conversation, texts| {
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
                self.archive(site_id, now_ms).await?;
                Ok(response)
            }
            RoomCall::Erase => {
                // Under the turn lock: a visitor request in flight finishes first, and none after it finds anything.
                let _turn = self.turn.lock().await;
                let messages = self.store.conversation().await?.map_or(0, |conversation| {
                    conversation.transcript.messages.len() as u64
                });
                // The ledger gets what it has not yet (erasure then clears its personal fields there): the counts
                // stay. Should D1 fail now, erasure goes on all the same.
                if let Err(error) = self.send_outbox_now().await {
                    console_warn!(
                        "erasing a conversation whose ledger could not be sent: {error:?}"
                    );
                }
                for ws in self.state.get_websockets() {
                    let _ = ws.close(Some(CLOSE_ERASED), Some("this conversation was erased"));
                }
                self.store.erase().await?;
                self.recording.forget();
                self.alarm_at_ms.set(None);
                self.linked_emails.borrow_mut().clear();
                calls::reply(&messages)
            }
            RoomCall::CloseAgentSockets {
                agent_id,
                code,
                reason,
            } => {
                self.close_agent_sockets(|profile| profile.id == agent_id, code, &reason);
                calls::reply(&())
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
                calls::reply_with(&ticket, 201)
            }
        }
    }

    /// Applies a change made by an agent or the inbox, under the turn lock, and tells every socket.
    async fn apply<F>(&self, site_id: &str, now_ms: u64, apply: F) -> Result<Response, ApiError>
    where
        F: FnOnce(&mut Conversation, Texts) -> Option<CloseOutcome>,
    {
        let site = self.site(site_id, None).await?;
        let _turn = self.turn.lock().await;
        let mut conversation = self.existing().await?;
        let first_new = conversation.transcript.next_seq();
        let closed = apply(&mut conversation, Texts::for_locale(&site.config.locale));
        self.save(&site.config, &conversation, now_ms).await?;
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
        calls::reply(&MessagesAppended { messages })
    }

    /// Copies the closed conversation and its package to KV for the site's retention.
    async fn archive(&self, site_id: &str, now_ms: u64) -> Result<(), ApiError> {
        let site = self.site(site_id, None).await?;
        let kv = Kv::from_env(&self.env)?;
        let conversation = self.existing().await?;
        let package = kv.handoff_package(site_id, &conversation.id).await?;
        kv.put_archive(
            &site.config,
            &ArchivedConversation {
                conversation,
                package,
                closed_at_ms: now_ms,
            },
        )
        .await
    }

    /// Updates the site inbox in the background: the sockets have their messages already, and nothing here waits.
    pub(super) fn tell_inbox(&self, update: Option<SeenUpdate>) {
        if let Some(update) = update {
            let env = self.env.clone();
            self.state
                .wait_until(async move { inbox::seen(&env, update, clock::system_ms()).await });
        }
    }
}
