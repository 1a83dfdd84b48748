//! What each conversation counts as, decided once: AI-resolved, handed off, missed, converted, repeat contact,
//! and its first human reply. Every figure, drill-down and CSV row reads these verdicts, so the report, its
//! conversations and the export always agree.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::{GoalRecord, Ledger, REPEAT_WINDOW_MS, RESOLVED_WINDOW_MS, Touch};
use crate::config::SiteConfig;
use crate::handoff::open_ms_between;
use crate::metrics::event::ClosedBy;
use crate::metrics::facts::{ConversationFacts, LastAnswer};
use crate::protocol::live::CloseOutcome;

const DAY_MS: u64 = 24 * 60 * 60 * 1_000;
const MINUTE_MS: u64 = 60 * 1_000;

/// One conversation's verdicts.
#[derive(Debug, Clone)]
pub(super) struct Verdict<'a> {
    pub facts: &'a ConversationFacts,
    /// At least one visitor message: it counts as a conversation.
    pub counted: bool,
    pub ai_resolved: bool,
    pub handed_off: bool,
    /// From the handoff (or the next opening) to the first agent message.
    pub reply_ms: Option<u64>,
    /// The same, counting business hours only.
    pub business_reply_ms: Option<u64>,
    pub missed: bool,
    pub converted: bool,
    /// The values of the goals attributed to it (`None`: no goal was).
    pub goal_value: Option<f64>,
    pub repeat_contact: bool,
    /// It was offered a rating: an agent closed it (or it has one).
    pub rating_offered: bool,
}

/// What verdicts are judged against: the site, the time of the report, who the visitors are across the
/// conversations fetched, and which conversation each goal counts for.
pub(super) struct Judge<'a> {
    config: &'a SiteConfig,
    now_ms: u64,
    /// Each visitor key to that visitor's conversations.
    by_visitor: BTreeMap<VisitorKey<'a>, Vec<&'a Touch<'a>>>,
    /// Conversation id to the goals counted as its conversion: (count, value).
    goals: BTreeMap<&'a str, (u64, f64)>,
}

/// What says two conversations are the same visitor's: the browser's id, or the email (case-folded).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum VisitorKey<'a> {
    Id(&'a str),
    Email(Cow<'a, str>),
}

fn visitor_keys<'a>(visitor_id: Option<&'a str>, email: Option<&'a str>) -> Vec<VisitorKey<'a>> {
    let mut keys = Vec::new();
    if let Some(id) = visitor_id.filter(|id| !id.is_empty()) {
        keys.push(VisitorKey::Id(id));
    }
    if let Some(email) = email.map(str::trim).filter(|email| !email.is_empty()) {
        let folded = if email.chars().any(char::is_uppercase) {
            Cow::Owned(email.to_lowercase())
        } else {
            Cow::Borrowed(email)
        };
        keys.push(VisitorKey::Email(folded));
    }
    keys
}

impl<'a> Judge<'a> {
    pub fn new(
        config: &'a SiteConfig,
        ledger: &'a Ledger,
        touches: &'a [Touch<'a>],
        now_ms: u64,
    ) -> Judge<'a> {
        let mut by_visitor: BTreeMap<VisitorKey, Vec<&Touch>> = BTreeMap::new();
        for touch in touches {
            for key in visitor_keys(touch.visitor_id, touch.email) {
                by_visitor.entry(key).or_default().push(touch);
            }
        }
        // The conversations goals name (the widget had one open), found in one pass.
        let named: BTreeMap<&str, &Touch> = {
            let wanted: BTreeSet<&str> = ledger
                .goals
                .iter()
                .filter_map(|goal| goal.conversation_id.as_deref())
                .collect();
            touches
                .iter()
                .filter(|touch| wanted.contains(touch.conversation_id))
                .map(|touch| (touch.conversation_id, touch))
                .collect()
        };
        let window_ms = u64::from(config.conversion_window_days) * DAY_MS;
        let mut goals: BTreeMap<&str, (u64, f64)> = BTreeMap::new();
        for goal in &ledger.goals {
            if let Some(id) = attribute(goal, &named, &by_visitor, window_ms) {
                let entry = goals.entry(id).or_insert((0, 0.0));
                entry.0 += 1;
                entry.1 += goal.value.unwrap_or(0.0);
            }
        }
        Judge {
            config,
            now_ms,
            by_visitor,
            goals,
        }
    }

    /// The same visitor's other conversations (with a visitor message), each once.
    fn others(&self, facts: &'a ConversationFacts) -> Vec<&'a Touch<'a>> {
        let mut others: Vec<&Touch> = Vec::new();
        for key in visitor_keys(facts.visitor_id.as_deref(), facts.email.as_deref()) {
            for touch in self.by_visitor.get(&key).into_iter().flatten() {
                if touch.visitor_messages > 0
                    && touch.conversation_id != facts.conversation_id
                    && !others
                        .iter()
                        .any(|known| known.conversation_id == touch.conversation_id)
                {
                    others.push(touch);
                }
            }
        }
        others
    }

    pub fn verdict(&self, facts: &'a ConversationFacts) -> Verdict<'a> {
        let others = self.others(facts);
        let counted = facts.visitor_messages > 0;
        let handed_off = facts.handoff.is_some();
        // The visitor asked again: another conversation of theirs started within 24 h of their last message here.
        let last_asked_ms = facts.last_visitor_message_ms.unwrap_or(facts.started_ms);
        let asked_again = others.iter().any(|other| {
            other.started_ms > facts.started_ms
                && other.started_ms <= last_asked_ms + RESOLVED_WINDOW_MS
        });
        // Handoff wins: a conversation handed to people (or that an agent wrote in) is never the AI's.
        let ai_resolved = counted
            && !handed_off
            && facts.agent_replies == 0
            && facts.last_answer == Some(LastAnswer::Answered)
            && !asked_again;
        let (reply_ms, business_reply_ms) = match (&facts.handoff, facts.first_agent_reply_ms) {
            (Some(handoff), Some(reply)) => (
                Some(reply.saturating_sub(handoff.clock_from_ms)),
                Some(open_ms_between(self.config, handoff.clock_from_ms, reply)),
            ),
            _ => (None, None),
        };
        let missed = facts.handoff.as_ref().is_some_and(|handoff| {
            let deadline = handoff.clock_from_ms + self.reply_target_ms(handoff.team.as_deref());
            match facts.first_agent_reply_ms {
                Some(reply) => reply > deadline,
                // Nobody replied: missed once the target passed, or as soon as the visitor is gone.
                None => facts.closed.is_some() || self.now_ms > deadline,
            }
        });
        let goals = self.goals.get(facts.conversation_id.as_str());
        let closed_converted = facts
            .closed
            .as_ref()
            .is_some_and(|closed| closed.outcome == Some(CloseOutcome::Converted));
        let end_ms = facts
            .closed
            .as_ref()
            .map_or(facts.last_event_ms.max(facts.started_ms), |closed| {
                closed.at_ms
            });
        let repeat_contact = others.iter().any(|other| {
            other.started_ms >= end_ms && other.started_ms <= end_ms + REPEAT_WINDOW_MS
        });
        Verdict {
            facts,
            counted,
            ai_resolved,
            handed_off,
            reply_ms,
            business_reply_ms,
            missed,
            converted: closed_converted || goals.is_some(),
            goal_value: goals.map(|(_, value)| *value),
            repeat_contact,
            rating_offered: facts.rating.is_some()
                || facts
                    .closed
                    .as_ref()
                    .is_some_and(|closed| closed.by == ClosedBy::Agent),
        }
    }

    /// The team's promised reply time (`reply_minutes`); the site's `handoff.missed_after_seconds` for a
    /// conversation with no team.
    fn reply_target_ms(&self, team: Option<&str>) -> u64 {
        match team.and_then(|id| self.config.teams.iter().find(|team| team.id == id)) {
            Some(team) => u64::from(team.reply_minutes) * MINUTE_MS,
            None => u64::from(self.config.handoff.missed_after_seconds) * 1_000,
        }
    }
}

/// The conversation a goal counts for: the one it names, else the visitor's latest conversation whose window
/// (from its handoff, or its start when never handed off) holds the goal. Last touch, so a goal's value counts once.
fn attribute<'a>(
    goal: &GoalRecord,
    named: &BTreeMap<&'a str, &'a Touch<'a>>,
    by_visitor: &BTreeMap<VisitorKey<'a>, Vec<&'a Touch<'a>>>,
    window_ms: u64,
) -> Option<&'a str> {
    let in_window = |touch: &Touch| {
        let anchor = touch.anchor_ms();
        goal.at_ms >= anchor && goal.at_ms <= anchor + window_ms
    };
    if let Some(id) = &goal.conversation_id {
        return named
            .get(id.as_str())
            .filter(|touch| in_window(touch))
            .map(|touch| touch.conversation_id);
    }
    let visitor = goal.visitor_id.as_deref().filter(|id| !id.is_empty())?;
    by_visitor
        .get(&VisitorKey::Id(visitor))?
        .iter()
        .filter(|touch| in_window(touch))
        .max_by_key(|touch| (touch.anchor_ms(), touch.started_ms, touch.conversation_id))
        .map(|touch| touch.conversation_id)
}
