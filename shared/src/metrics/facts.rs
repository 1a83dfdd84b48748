//! One row of facts per conversation, folded from its events in order. The figures read these rows, never the
//! transcript, so a report is a function of the ledger alone.

use serde::{Deserialize, Serialize};

use super::event::{ClosedBy, Event, EventKind};
use crate::protocol::live::CloseOutcome;
use crate::vocab::{HandoffReason, Intent};

/// What Baton last told the visitor, when it came after their last message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LastAnswer {
    /// An answer (instant, FAQ or grounded).
    Answered,
    /// A clarifying question.
    Clarify,
    /// "I can't answer that."
    Fallback,
}

/// The conversation's first handoff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoffFacts {
    pub at_ms: u64,
    pub reason: HandoffReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<Intent>,
    pub queued: bool,
    pub after_hours: bool,
    /// When the clock of the first human reply starts: the handoff, or the team's next opening after hours.
    pub clock_from_ms: u64,
}

/// How it was closed (the last close).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosedFacts {
    pub at_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CloseOutcome>,
    pub by: ClosedBy,
}

/// Everything the figures need of one conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationFacts {
    pub conversation_id: String,
    pub site_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_id: Option<String>,
    /// The visitor's email, for repeat contact by email. Personal: erasure clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub started_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub visitor_messages: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_visitor_message_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_visitor_message_ms: Option<u64>,
    pub automatic_answers: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_answer: Option<LastAnswer>,
    /// The visitor's questions Baton fell back on or asked to clarify. Personal: erasure clears them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unanswered: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff: Option<HandoffFacts>,
    /// The team it is with now (after transfers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The agent who has it (the last to join or reply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_agent_reply_ms: Option<u64>,
    pub agent_replies: u32,
    pub missed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<ClosedFacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    /// A lead form started it.
    pub lead: bool,
    /// The latest time anyone acted in the conversation. Goals, leads and campaign events happen on the page, so
    /// they leave it alone: a purchase a week later does not make the conversation end a week later.
    pub last_event_ms: u64,
}

impl ConversationFacts {
    /// Folds a conversation's events (any order; sorted by time, then id, first). `None` when none of them
    /// belongs to a conversation or the start is missing.
    pub fn from_events(events: &[Event]) -> Option<ConversationFacts> {
        let mut events: Vec<&Event> = events
            .iter()
            .filter(|event| event.conversation_id.is_some())
            .collect();
        events.sort_by(|a, b| a.at_ms.cmp(&b.at_ms).then_with(|| a.id.cmp(&b.id)));
        let start = events
            .iter()
            .find(|event| matches!(event.kind, EventKind::ConversationStarted { .. }))?;
        let mut facts = ConversationFacts {
            conversation_id: start.conversation_id.clone().unwrap_or_default(),
            site_id: start.site_id.clone(),
            visitor_id: start.visitor_id.clone(),
            started_ms: start.at_ms,
            ..ConversationFacts::default()
        };
        for event in events {
            if event.conversation_id.as_deref() != Some(facts.conversation_id.as_str()) {
                continue;
            }
            facts.apply(event);
        }
        Some(facts)
    }

    fn apply(&mut self, event: &Event) {
        if !matches!(
            event.kind,
            EventKind::Goal { .. } | EventKind::Campaign { .. } | EventKind::Lead { .. }
        ) {
            self.last_event_ms = self.last_event_ms.max(event.at_ms);
        }
        if self.visitor_id.is_none() {
            self.visitor_id = event.visitor_id.clone();
        }
        match &event.kind {
            EventKind::ConversationStarted {
                page_url,
                campaign,
                variant,
                ..
            } => {
                self.page_url = page_url.clone();
                self.campaign = campaign.clone();
                self.variant = variant.clone();
            }
            EventKind::VisitorMessage { .. } => {
                self.visitor_messages += 1;
                self.first_visitor_message_ms.get_or_insert(event.at_ms);
                self.last_visitor_message_ms = Some(event.at_ms);
                self.last_answer = None;
            }
            EventKind::VisitorIdentified { email } => {
                if email.is_some() {
                    self.email = email.clone();
                }
            }
            EventKind::InstantAnswer { .. } | EventKind::AiAnswer { .. } => {
                self.automatic_answers += 1;
                self.last_answer = Some(LastAnswer::Answered);
            }
            EventKind::Clarify { text, .. } => {
                self.automatic_answers += 1;
                self.last_answer = Some(LastAnswer::Clarify);
                self.unanswered.extend(text.clone());
            }
            EventKind::Fallback { text, .. } => {
                self.automatic_answers += 1;
                self.last_answer = Some(LastAnswer::Fallback);
                self.unanswered.extend(text.clone());
            }
            EventKind::Handoff {
                reason,
                intent,
                queued,
                after_hours,
                opens_at_ms,
            } => {
                self.team = event.team.clone().or_else(|| self.team.clone());
                if self.handoff.is_none() {
                    self.handoff = Some(HandoffFacts {
                        at_ms: event.at_ms,
                        reason: *reason,
                        team: event.team.clone(),
                        intent: *intent,
                        queued: *queued,
                        after_hours: *after_hours,
                        clock_from_ms: opens_at_ms.unwrap_or(event.at_ms).max(event.at_ms),
                    });
                }
            }
            EventKind::AgentJoined => {
                if event.agent.is_some() {
                    self.agent = event.agent.clone();
                }
            }
            EventKind::AgentReply { .. } => {
                self.agent_replies += 1;
                self.first_agent_reply_ms.get_or_insert(event.at_ms);
                if event.agent.is_some() {
                    self.agent = event.agent.clone();
                }
            }
            EventKind::Transfer { to_team, .. } => {
                if to_team.is_some() {
                    self.team = to_team.clone();
                }
            }
            EventKind::Missed => self.missed = true,
            EventKind::Closed { outcome, by } => {
                self.closed = Some(ClosedFacts {
                    at_ms: event.at_ms,
                    outcome: *outcome,
                    by: *by,
                });
            }
            EventKind::Rating { score } => self.rating = Some(*score),
            EventKind::Lead { .. } => self.lead = true,
            EventKind::Goal { .. } | EventKind::Campaign { .. } => {}
        }
    }

    /// Clears what erasure removes: the email and the visitor's questions.
    pub fn erase_personal(&mut self) {
        self.email = None;
        self.unanswered.clear();
    }
}
