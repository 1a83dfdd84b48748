//! One entry of the ledger: who did what to which conversation, when.

use serde::{Deserialize, Serialize};

use crate::protocol::CampaignWhat;
use crate::protocol::live::CloseOutcome;
use crate::vocab::{HandoffReason, Intent};

/// One thing that happened. Events are appended, never changed, except that erasure clears their personal fields
/// (`email`, `text`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Deterministic for what it records (`{conversation}:{seq}`, `{conversation}:handoff:{at}` …), so a retried
    /// write stores it once.
    pub id: String,
    pub site_id: String,
    /// `None` for what happens outside a conversation: campaign events, a lead kept without a conversation, a goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    /// The visitor's stable pseudonymous id: the browser's anonymous id when the widget sent it, else a digest of
    /// the conversation's visitor token. Never their name or email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_id: Option<String>,
    pub at_ms: u64,
    pub actor: Actor,
    /// The team the conversation is with at that moment, when it is with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The agent who acted, or who has the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Visitor,
    /// Baton's automatic answers: the browser's instant answers, FAQ matches, grounded answers.
    Ai,
    Agent,
    /// The inbox's clock (missed chats, expiry) and everything no one person did.
    System,
}

/// Where an automatic answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// An FAQ entry matched in the worker.
    Faq,
    /// Grounded on the site's content (an AI provider, or Baton's extract of the content).
    Grounded,
    /// Asked whether it is a bot, Baton said honestly that it is an automated assistant (and offered a person).
    Disclosure,
}

/// Who closed a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosedBy {
    Agent,
    Visitor,
    /// Expired or archived by the clock.
    Timeout,
}

/// What happened, with what each kind needs for the figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// A conversation started (the greeting was sent).
    ConversationStarted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        page_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referrer: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        campaign: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        variant: Option<String>,
    },
    VisitorMessage {
        seq: u64,
    },
    /// The visitor said who they are. `email` is personal: erasure clears it.
    VisitorIdentified {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
    },
    /// An FAQ answer the browser showed at once (the worker kept it).
    InstantAnswer {
        seq: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        faq_entry_id: Option<String>,
        confidence: f32,
    },
    /// An automatic answer from the worker.
    AiAnswer {
        seq: u64,
        source: AnswerKind,
        confidence: f32,
    },
    /// Baton asked the visitor which of a few things they meant. `text` is the visitor's question (personal).
    Clarify {
        seq: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Baton could not answer. `text` is the visitor's question (personal), for the unanswered-questions list.
    Fallback {
        seq: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Handed to people (`team` on the event is where it went).
    Handoff {
        reason: HandoffReason,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        intent: Option<Intent>,
        /// Waiting in a queue (no agent assigned at once).
        queued: bool,
        /// Outside the team's business hours.
        after_hours: bool,
        /// After hours: when the team is back; the time to a first human reply counts from then.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        opens_at_ms: Option<u64>,
    },
    AgentJoined,
    AgentReply {
        seq: u64,
    },
    Transfer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from_team: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_team: Option<String>,
    },
    /// Nobody replied within the team's promised time.
    Missed,
    Closed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<CloseOutcome>,
        by: ClosedBy,
    },
    Rating {
        score: u8,
    },
    /// A lead form was sent (with or without a conversation).
    Lead {
        campaign: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        variant: Option<String>,
    },
    /// `Baton('track', goal, {value})` for one of the site's goals.
    Goal {
        goal: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<f64>,
    },
    /// A campaign was shown (or would have been, to a held-out visitor), clicked or dismissed in the browser, or
    /// reached its own goal.
    Campaign {
        campaign: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        variant: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        held_out: bool,
        what: CampaignWhat,
    },
}

impl EventKind {
    /// The kind's name as stored in the ledger's `kind` column.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::ConversationStarted { .. } => "conversation_started",
            EventKind::VisitorMessage { .. } => "visitor_message",
            EventKind::VisitorIdentified { .. } => "visitor_identified",
            EventKind::InstantAnswer { .. } => "instant_answer",
            EventKind::AiAnswer { .. } => "ai_answer",
            EventKind::Clarify { .. } => "clarify",
            EventKind::Fallback { .. } => "fallback",
            EventKind::Handoff { .. } => "handoff",
            EventKind::AgentJoined => "agent_joined",
            EventKind::AgentReply { .. } => "agent_reply",
            EventKind::Transfer { .. } => "transfer",
            EventKind::Missed => "missed",
            EventKind::Closed { .. } => "closed",
            EventKind::Rating { .. } => "rating",
            EventKind::Lead { .. } => "lead",
            EventKind::Goal { .. } => "goal",
            EventKind::Campaign { .. } => "campaign",
        }
    }
}
