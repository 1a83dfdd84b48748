//! A conversation's messages as stored and as shown, the choices an answer offers to tap, and what a system message
//! says happened (a handoff, an agent joining, a transfer, a missed chat, the close).

use serde::{Deserialize, Serialize};

use super::live;
use crate::vocab::HandoffReason;

/// One message of a conversation, as stored and as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Position in the conversation, starting at 1; strictly increasing.
    pub seq: u64,
    pub author: Author,
    /// The agent's name on agent messages (and on the system message saying they joined).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub text: String,
    /// Milliseconds since the Unix epoch, from the worker's clock.
    pub sent_at_ms: u64,
    /// Set on visitor messages: the id the widget chose, for idempotent retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_message_id: Option<String>,
    /// Set on automatic answers: where the answer came from and how sure Baton is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerSource>,
    /// Set on an automatic answer that offers the visitor choices to tap (a clarifying question): one per FAQ
    /// entry it may mean, then a way to a person. The text lists them too, for clients without buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Set on a visitor message that tapped one of the choices the latest automatic answer offered: the
    /// `faq_entry_id` chosen (a choice that was not offered is not kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
    /// Set on the system message announcing a handoff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff: Option<HandoffNotice>,
    /// Set on system messages about the people in the conversation: an agent joined, a transfer, a missed chat,
    /// the close.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<ConversationEvent>,
}

/// A choice an automatic answer offers to tap, shown as a button under it.
/// `{"faq_entry": {"faq_entry_id": "gift-cards", "label": "Do you sell gift cards?"}}` is posted back as `choice`
/// (the entry's id) with the label as the text; `{"person": {"label": "None of these"}}` is posted as
/// `chose_person: true`, and always hands off. Externally tagged like [`ConversationEvent`], and for the same
/// reason: an internally tagged enum costs the widget 3 KB (Brotli) more to decode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// Answer with this FAQ entry; the label is its question.
    FaqEntry { faq_entry_id: String, label: String },
    /// Talk to a person instead.
    Person { label: String },
}

impl Choice {
    /// What the button says, and what the visitor's message says once it is tapped.
    pub fn label(&self) -> &str {
        match self {
            Choice::FaqEntry { label, .. } | Choice::Person { label } => label,
        }
    }
}

/// What happened, on a system message, for clients that react to it (the widget's header, its rating prompt).
/// Externally tagged (`{"agent_joined": {"agent_name": "Ana"}}`), which the widget decodes with the least code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationEvent {
    AgentJoined {
        agent_name: String,
    },
    /// Moved to another team's queue.
    Transferred {
        team: String,
    },
    /// Nobody replied within the site's target; `asks_email` when the conversation has no email yet.
    Missed {
        asks_email: bool,
    },
    Closed {
        outcome: live::CloseOutcome,
    },
}

/// What the widget needs to know about a handoff besides its text: why, to whom, and what the conversation waits
/// for. It drives the `handoff` event, the header's team, and the pre-chat form when fields are asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoffNotice {
    pub reason: HandoffReason,
    /// The team's name, as the visitor is told it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Ids of the pre-chat fields asked for (`pre_chat.fields[].id`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asks_for: Vec<String>,
    /// Nobody can reply now (outside business hours, or nobody available): the conversation waits in the queue.
    pub queued: bool,
    /// When the team is back, outside business hours (ms since the Unix epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_opening_ms: Option<u64>,
    /// The conversation's place in its team's queue (1 = next), when agents are online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_position: Option<usize>,
    /// The wait estimated from recent first replies, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_wait_ms: Option<u64>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Visitor,
    /// Baton itself: FAQ answers and AI answers.
    Ai,
    Agent,
    System,
}

/// Provenance of an automatic answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerSource {
    /// The FAQ entry that answered, or `None` for the fallback reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faq_entry_id: Option<String>,
    /// Confidence in [0, 1] that the answer addresses the question.
    pub confidence: f32,
    /// For an answer grounded on the site's content (AI or extracted), the passages it came from: `faq:{id}` or
    /// `kb:{snippet}.{chunk}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}
