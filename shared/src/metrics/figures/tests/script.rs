//! Playing conversations into a ledger: a [`Script`] of events, written the way the ledger records them, and
//! read back as the worker would fetch it (facts folded per conversation, goals, campaign tallies).

use std::collections::BTreeMap;

use super::at;
use crate::metrics::facts::ConversationFacts;
use crate::metrics::figures::{CampaignTally, GoalRecord, Ledger};
use crate::metrics::{Actor, AnswerKind, ClosedBy, Event, EventKind};
use crate::protocol::CampaignWhat;
use crate::protocol::live::CloseOutcome;
use crate::vocab::{HandoffReason, Intent};

/// Campaign, variant, held out, visitor.
type VisitorTally = (String, Option<String>, bool, Option<String>);

/// The events of a site's ledger, written as conversations play.
#[derive(Default)]
pub(super) struct Script {
    pub(super) events: Vec<Event>,
}

/// One conversation being played: its id, visitor, team and agent as the ledger would stamp them.
pub(super) struct Chat<'s> {
    pub(super) script: &'s mut Script,
    id: String,
    visitor: String,
    team: Option<String>,
    agent: Option<String>,
    seq: u64,
}

impl Script {
    /// A conversation started at `when` (`"2026-11-02 10:00"`) by `visitor`.
    pub(super) fn chat(&mut self, id: &str, visitor: &str, when: &str) -> Chat<'_> {
        self.chat_from(id, visitor, when, None, None)
    }

    pub(super) fn chat_from(
        &mut self,
        id: &str,
        visitor: &str,
        when: &str,
        page: Option<&str>,
        campaign: Option<(&str, &str)>,
    ) -> Chat<'_> {
        let mut chat = Chat {
            script: self,
            id: id.into(),
            visitor: visitor.into(),
            team: None,
            agent: None,
            seq: 1,
        };
        chat.push(
            at(when),
            Actor::System,
            EventKind::ConversationStarted {
                page_url: Some(page.unwrap_or("https://shop.example/").into()),
                referrer: None,
                campaign: campaign.map(|(campaign, _)| campaign.into()),
                variant: campaign.map(|(_, variant)| variant.into()),
            },
        );
        chat
    }

    /// A goal the visitor's page tracked.
    pub(super) fn goal(
        &mut self,
        visitor: &str,
        conversation: Option<&str>,
        when: &str,
        value: f64,
    ) {
        self.events.push(Event {
            id: format!("goal:{visitor}:{when}"),
            site_id: "shop".into(),
            conversation_id: conversation.map(str::to_owned),
            visitor_id: Some(visitor.into()),
            at_ms: at(when),
            actor: Actor::Visitor,
            team: None,
            agent: None,
            kind: EventKind::Goal {
                goal: "purchase".into(),
                value: Some(value),
            },
        });
    }

    /// A campaign event from a visitor's browser.
    pub(super) fn campaign(
        &mut self,
        visitor: &str,
        variant: Option<&str>,
        held_out: bool,
        what: CampaignWhat,
        when: &str,
    ) {
        let kind = match what {
            CampaignWhat::Lead => EventKind::Lead {
                campaign: "club".into(),
                variant: variant.map(str::to_owned),
            },
            what => EventKind::Campaign {
                campaign: "club".into(),
                variant: variant.map(str::to_owned),
                held_out,
                what,
            },
        };
        self.events.push(Event {
            id: format!("campaign:{visitor}:{what:?}:{when}:{}", self.events.len()),
            site_id: "shop".into(),
            conversation_id: None,
            visitor_id: Some(visitor.into()),
            at_ms: at(when),
            actor: Actor::Visitor,
            team: None,
            agent: None,
            kind,
        });
    }

    /// What the worker would fetch: facts folded per conversation, goals, and campaign events tallied per
    /// visitor as its `GROUP BY` does.
    pub(super) fn ledger(&self) -> Ledger {
        let mut ids: Vec<&str> = self
            .events
            .iter()
            .filter_map(|event| event.conversation_id.as_deref())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let conversations = ids
            .into_iter()
            .filter_map(|id| {
                let events: Vec<Event> = self
                    .events
                    .iter()
                    .filter(|event| event.conversation_id.as_deref() == Some(id))
                    .cloned()
                    .collect();
                ConversationFacts::from_events(&events)
            })
            .collect();
        let mut ledger = Ledger {
            conversations,
            ..Ledger::default()
        };
        // Per variant and visitor, then per variant, as the worker's SQL counts them.
        let mut by_visitor: BTreeMap<VisitorTally, Vec<CampaignWhat>> = BTreeMap::new();
        for event in &self.events {
            let (campaign, variant, held_out, what) = match &event.kind {
                EventKind::Goal { goal, value } => {
                    ledger.goals.push(GoalRecord {
                        at_ms: event.at_ms,
                        visitor_id: event.visitor_id.clone(),
                        conversation_id: event.conversation_id.clone(),
                        goal: goal.clone(),
                        value: *value,
                    });
                    continue;
                }
                EventKind::Campaign {
                    campaign,
                    variant,
                    held_out,
                    what,
                } => (campaign, variant, *held_out, *what),
                EventKind::Lead { campaign, variant } => {
                    (campaign, variant, false, CampaignWhat::Lead)
                }
                _ => continue,
            };
            let key = (
                campaign.clone(),
                variant.clone(),
                held_out,
                event.visitor_id.clone(),
            );
            by_visitor.entry(key).or_default().push(what);
        }
        for ((campaign, variant, held_out, _), whats) in by_visitor {
            let count =
                |wanted: CampaignWhat| whats.iter().filter(|what| **what == wanted).count() as u64;
            let known = ledger.campaigns.iter().position(|tally| {
                (&tally.campaign, &tally.variant, tally.held_out) == (&campaign, &variant, held_out)
            });
            let index = known.unwrap_or_else(|| {
                ledger.campaigns.push(CampaignTally {
                    campaign: campaign.clone(),
                    variant: variant.clone(),
                    held_out,
                    ..CampaignTally::default()
                });
                ledger.campaigns.len() - 1
            });
            let tally = &mut ledger.campaigns[index];
            let (shown, goals) = (count(CampaignWhat::Shown), count(CampaignWhat::Goal));
            tally.views += u64::from(shown > 0);
            tally.clicks += count(CampaignWhat::Clicked);
            tally.dismissals += count(CampaignWhat::Dismissed);
            tally.leads += count(CampaignWhat::Lead);
            tally.goals += goals;
            tally.reached += u64::from(shown > 0 && goals > 0);
        }
        ledger
    }
}

impl Chat<'_> {
    fn push(&mut self, at_ms: u64, actor: Actor, kind: EventKind) {
        self.seq += 1;
        let event = Event {
            id: format!("{}:{}:{}", self.id, self.seq, kind.name()),
            site_id: "shop".into(),
            conversation_id: Some(self.id.clone()),
            visitor_id: Some(self.visitor.clone()),
            at_ms,
            actor,
            team: self.team.clone(),
            agent: self.agent.clone(),
            kind,
        };
        self.script.events.push(event);
    }

    pub(super) fn asks(mut self, when: &str) -> Self {
        let seq = self.seq;
        self.push(at(when), Actor::Visitor, EventKind::VisitorMessage { seq });
        self
    }

    pub(super) fn answered(mut self, when: &str) -> Self {
        let seq = self.seq;
        let kind = EventKind::AiAnswer {
            seq,
            source: AnswerKind::Faq,
            confidence: 0.9,
        };
        self.push(at(when), Actor::Ai, kind);
        self
    }

    pub(super) fn fallback(mut self, when: &str, question: &str) -> Self {
        let seq = self.seq;
        self.push(
            at(when),
            Actor::Ai,
            EventKind::Fallback {
                seq,
                text: Some(question.into()),
            },
        );
        self
    }

    pub(super) fn clarify(mut self, when: &str, question: &str) -> Self {
        let seq = self.seq;
        self.push(
            at(when),
            Actor::Ai,
            EventKind::Clarify {
                seq,
                text: Some(question.into()),
            },
        );
        self
    }

    pub(super) fn identified(mut self, when: &str, email: &str) -> Self {
        self.push(
            at(when),
            Actor::Visitor,
            EventKind::VisitorIdentified {
                email: Some(email.into()),
            },
        );
        self
    }

    /// Handed to `team` in business hours.
    pub(super) fn handoff(
        self,
        when: &str,
        reason: HandoffReason,
        team: &str,
        intent: Intent,
    ) -> Self {
        self.handoff_until(when, reason, team, intent, None)
    }

    /// A sales moment, handed to Sales.
    pub(super) fn handed_to_sales(self, when: &str) -> Self {
        self.handoff(when, HandoffReason::SalesMoment, "sales", Intent::Sales)
    }

    /// The visitor asked for a person, handed to Support.
    pub(super) fn handed_to_support(self, when: &str) -> Self {
        self.handoff(
            when,
            HandoffReason::AskedForPerson,
            "support",
            Intent::Support,
        )
    }

    /// Handed to `team`; after hours when `opens` says when the team is back.
    pub(super) fn handoff_until(
        mut self,
        when: &str,
        reason: HandoffReason,
        team: &str,
        intent: Intent,
        opens: Option<&str>,
    ) -> Self {
        self.team = Some(team.into());
        let kind = EventKind::Handoff {
            reason,
            intent: Some(intent),
            queued: true,
            after_hours: opens.is_some(),
            opens_at_ms: opens.map(at),
        };
        self.push(at(when), Actor::System, kind);
        self
    }

    pub(super) fn agent_replies(mut self, when: &str, agent: &str) -> Self {
        self.agent = Some(agent.into());
        let seq = self.seq;
        self.push(at(when), Actor::Agent, EventKind::AgentReply { seq });
        self
    }

    pub(super) fn closed(
        mut self,
        when: &str,
        outcome: Option<CloseOutcome>,
        by: ClosedBy,
    ) -> Self {
        let actor = if by == ClosedBy::Agent {
            Actor::Agent
        } else {
            Actor::System
        };
        self.push(at(when), actor, EventKind::Closed { outcome, by });
        self
    }

    pub(super) fn rated(mut self, when: &str, score: u8) -> Self {
        self.push(at(when), Actor::Visitor, EventKind::Rating { score });
        self
    }
}
