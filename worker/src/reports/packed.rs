//! The rows of a report's queries as they come packed: JSON arrays, in the order of the columns the SQL of
//! `reports.rs` lists, turned into the figures' inputs. In `FACTS`, a conversation's later times are milliseconds
//! after its start, and its handoff and close are arrays too. Only what the figures read is fetched, so a
//! conversation's facts here leave out what no figure uses (its site, first message time, count of automatic
//! answers, the inbox's missed flag, whether a lead started it).

use baton_shared::metrics::ClosedBy;
use baton_shared::metrics::facts::{ClosedFacts, ConversationFacts, HandoffFacts, LastAnswer};
use baton_shared::metrics::figures::{Contact, GoalRecord};
use baton_shared::protocol::live::CloseOutcome;
use baton_shared::vocab::{HandoffReason, Intent};
use serde::Deserialize;

/// One conversation of `FACTS`, its `report_row` (`migrations/0003_report_rows.sql`): later times are milliseconds
/// after `started_ms` (the second field), signed so that a clock set back between two events still reads.
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
    Option<i64>,
    Option<LastAnswer>,
    Option<Vec<String>>,
    Option<PackedHandoff>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<u32>,
    Option<PackedClosed>,
    Option<u8>,
    Option<i64>,
);

/// A handoff in `FACTS`: its time, reason, team, intent, queued (0 or 1), after hours (0 or 1), and when the clock
/// of the first human reply starts.
#[derive(Deserialize)]
pub struct PackedHandoff(
    i64,
    HandoffReason,
    Option<String>,
    Option<Intent>,
    u8,
    u8,
    i64,
);

/// A close in `FACTS`: its time, outcome and who closed.
#[derive(Deserialize)]
pub struct PackedClosed(i64, Option<CloseOutcome>, ClosedBy);

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
        let at = |after_ms: i64| started_ms.saturating_add_signed(after_ms);
        ConversationFacts {
            conversation_id,
            started_ms,
            visitor_id,
            email,
            page_url,
            campaign,
            variant,
            visitor_messages: visitor_messages.unwrap_or_default(),
            last_visitor_message_ms: last_visitor_message_ms.map(at),
            last_answer,
            unanswered: unanswered.unwrap_or_default(),
            handoff: handoff.map(
                |PackedHandoff(at_ms, reason, team, intent, queued, after_hours, clock_from_ms)| {
                    HandoffFacts {
                        at_ms: at(at_ms),
                        reason,
                        team,
                        intent,
                        queued: queued != 0,
                        after_hours: after_hours != 0,
                        clock_from_ms: at(clock_from_ms),
                    }
                },
            ),
            team,
            agent,
            first_agent_reply_ms: first_agent_reply_ms.map(at),
            agent_replies: agent_replies.unwrap_or_default(),
            closed: closed.map(|PackedClosed(at_ms, outcome, by)| ClosedFacts {
                at_ms: at(at_ms),
                outcome,
                by,
            }),
            rating,
            last_event_ms: last_event_ms.map_or(started_ms, at),
            ..ConversationFacts::default()
        }
    }

    /// Only who came back and when, for a conversation started after a report's range.
    pub fn into_contact(self) -> Contact {
        let facts = self.into_facts();
        Contact {
            handoff_ms: facts.handoff.map(|handoff| handoff.at_ms),
            conversation_id: facts.conversation_id,
            visitor_id: facts.visitor_id,
            email: facts.email,
            started_ms: facts.started_ms,
            visitor_messages: facts.visitor_messages,
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
