//! The rows of a report's queries as they come packed: JSON arrays, in the order of the columns the SQL of
//! `reports.rs` lists, turned into the figures' inputs. Only what the figures read is fetched, so a conversation's
//! facts here leave out what no figure uses (its site, first message time, count of automatic answers, the
//! inbox's missed flag, whether a lead started it).

use baton_shared::metrics::facts::{ClosedFacts, ConversationFacts, HandoffFacts, LastAnswer};
use baton_shared::metrics::figures::{Contact, GoalRecord};
use serde::Deserialize;

/// One conversation of `FACTS`.
#[derive(Deserialize)]
pub struct PackedFacts(
    String,
    u64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<u32>,
    Option<u64>,
    Option<LastAnswer>,
    Option<Vec<String>>,
    Option<HandoffFacts>,
    Option<String>,
    Option<String>,
    Option<u64>,
    Option<u32>,
    Option<ClosedFacts>,
    Option<u8>,
    Option<u64>,
);

impl PackedFacts {
    pub fn into_facts(self) -> ConversationFacts {
        let PackedFacts(
            conversation_id,
            started_ms,
            visitor_id,
            email,
            page_url,
            campaign,
            variant,
            visitor_messages,
            last_visitor_message_ms,
            last_answer,
            unanswered,
            handoff,
            team,
            agent,
            first_agent_reply_ms,
            agent_replies,
            closed,
            rating,
            last_event_ms,
        ) = self;
        ConversationFacts {
            conversation_id,
            started_ms,
            visitor_id,
            email,
            page_url,
            campaign,
            variant,
            visitor_messages: visitor_messages.unwrap_or_default(),
            last_visitor_message_ms,
            last_answer,
            unanswered: unanswered.unwrap_or_default(),
            handoff,
            team,
            agent,
            first_agent_reply_ms,
            agent_replies: agent_replies.unwrap_or_default(),
            closed,
            rating,
            last_event_ms: last_event_ms.unwrap_or(started_ms),
            ..ConversationFacts::default()
        }
    }
}

/// One conversation of `LATER`.
#[derive(Deserialize)]
pub struct PackedContact(
    String,
    Option<String>,
    Option<String>,
    u64,
    Option<u32>,
    Option<u64>,
);

impl PackedContact {
    pub fn into_contact(self) -> Contact {
        let PackedContact(
            conversation_id,
            visitor_id,
            email,
            started_ms,
            visitor_messages,
            handoff_ms,
        ) = self;
        Contact {
            conversation_id,
            visitor_id,
            email,
            started_ms,
            visitor_messages: visitor_messages.unwrap_or_default(),
            handoff_ms,
        }
    }
}

/// One goal of `GOALS`.
#[derive(Deserialize)]
pub struct PackedGoal(
    u64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<f64>,
);

impl PackedGoal {
    pub fn into_goal(self) -> GoalRecord {
        let PackedGoal(at_ms, visitor_id, conversation_id, goal, value) = self;
        GoalRecord {
            at_ms,
            visitor_id,
            conversation_id,
            goal: goal.unwrap_or_default(),
            value,
        }
    }
}
