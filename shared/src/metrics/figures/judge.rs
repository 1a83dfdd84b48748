//! What each conversation counts as, decided once: AI-resolved, handed off, missed, converted, repeat contact,
//! and its first human reply. Every figure, drill-down and CSV row reads these verdicts, so the report, its
//! conversations and the export always agree.

use std::borrow::Cow;
use std::ops::Range;

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
///
/// **Indexes, not maps.** A month's report judges some 15,000 conversations, and a map keyed by visitor or
/// conversation id costs string comparisons at every lookup (in the Worker's wasm they were the report's largest
/// single cost). So the visitors are one sorted list, looked up once when the judge is made, and everything after
/// that is found by a conversation's index in `touches` (whose first entries are the ledger's conversations, in
/// order).
pub(super) struct Judge<'a> {
    config: &'a SiteConfig,
    now_ms: u64,
    touches: &'a [Touch<'a>],
    /// Every (hash of a visitor key, the key, touch index), sorted: each visitor's conversations are one run. The
    /// hash first, so that sorting and finding compare numbers and only equal hashes compare the strings.
    keyed: Vec<(u64, VisitorKey<'a>, usize)>,
    /// For each touch, the runs of `keyed` of its keys (the browser's id, then the email; empty when it has none).
    runs: Vec<[Range<usize>; 2]>,
    /// For each touch, the goals counted as its conversion: (count, value).
    goals: Vec<Option<(u64, f64)>>,
}

/// What says two conversations are the same visitor's: the browser's id, or the email (case-folded).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum VisitorKey<'a> {
    Id(&'a str),
    Email(Cow<'a, str>),
}

impl VisitorKey<'_> {
    /// FNV-1a over the kind and the text: the same on every machine and run, so the verdicts are too.
    fn hash(&self) -> u64 {
        let (kind, text) = match self {
            VisitorKey::Id(id) => (0_u8, *id),
            VisitorKey::Email(email) => (1_u8, email.as_ref()),
        };
        std::iter::once(kind)
            .chain(text.bytes())
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            })
    }
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
        let mut keyed: Vec<(u64, VisitorKey, usize)> = Vec::with_capacity(touches.len());
        for (index, touch) in touches.iter().enumerate() {
            for key in visitor_keys(touch.visitor_id, touch.email) {
                keyed.push((key.hash(), key, index));
            }
        }
        keyed.sort_unstable();
        let mut runs = vec![[0..0, 0..0]; touches.len()];
        let mut start = 0;
        while start < keyed.len() {
            let (hash, key, _) = &keyed[start];
            let end = start
                + keyed[start..]
                    .partition_point(|(other_hash, other, _)| other_hash == hash && other == key);
            let slot = usize::from(matches!(key, VisitorKey::Email(_)));
            for (_, _, index) in &keyed[start..end] {
                runs[*index][slot] = start..end;
            }
            start = end;
        }
        // The conversations goals name (the widget had one open), found in one pass.
        let mut wanted: Vec<&str> = ledger
            .goals
            .iter()
            .filter_map(|goal| goal.conversation_id.as_deref())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut named: Vec<(&str, usize)> = touches
            .iter()
            .enumerate()
            .filter(|(_, touch)| wanted.binary_search(&touch.conversation_id).is_ok())
            .map(|(index, touch)| (touch.conversation_id, index))
            .collect();
        // Of a conversation listed twice, the last one listed (what a map built in this order would keep).
        named.sort_by(|a, b| a.0.cmp(b.0).then(b.1.cmp(&a.1)));
        named.dedup_by(|later, earlier| later.0 == earlier.0);
        let mut judge = Judge {
            config,
            now_ms,
            touches,
            keyed,
            runs,
            goals: vec![None; touches.len()],
        };
        let window_ms = u64::from(config.conversion_window_days) * DAY_MS;
        for goal in &ledger.goals {
            if let Some(index) = judge.attribute(goal, &named, window_ms) {
                let entry = judge.goals[index].get_or_insert((0, 0.0));
                entry.0 += 1;
                entry.1 += goal.value.unwrap_or(0.0);
            }
        }
        judge
    }

    /// The touches of one visitor key's run.
    fn run(&self, run: &Range<usize>) -> impl Iterator<Item = (usize, &'a Touch<'a>)> + '_ {
        self.keyed[run.clone()]
            .iter()
            .map(|(_, _, index)| (*index, &self.touches[*index]))
    }

    /// The same visitor's other conversations (with a visitor message), each once.
    fn others(&self, index: usize) -> Vec<&'a Touch<'a>> {
        let own = &self.touches[index];
        let mut others: Vec<&Touch> = Vec::new();
        for run in &self.runs[index] {
            for (_, touch) in self.run(run) {
                if touch.visitor_messages > 0
                    && touch.conversation_id != own.conversation_id
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

    /// The verdicts of the conversation at `index` of the touches (an index of the ledger's conversations).
    pub fn verdict(&self, index: usize, facts: &'a ConversationFacts) -> Verdict<'a> {
        let others = self.others(index);
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
        let goals = self.goals.get(index).copied().flatten();
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
            goal_value: goals.map(|(_, value)| value),
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

impl<'a> Judge<'a> {
    /// The conversation a goal counts for: the one it names, else the visitor's latest conversation whose window
    /// (from its handoff, or its start when never handed off) holds the goal. Last touch, so a goal's value counts
    /// once. `named` is the conversations goals name, sorted by id.
    fn attribute(
        &self,
        goal: &GoalRecord,
        named: &[(&str, usize)],
        window_ms: u64,
    ) -> Option<usize> {
        let in_window = |touch: &Touch| {
            let anchor = touch.anchor_ms();
            goal.at_ms >= anchor && goal.at_ms <= anchor + window_ms
        };
        if let Some(id) = &goal.conversation_id {
            let found = named
                .binary_search_by(|(named, _)| (*named).cmp(id.as_str()))
                .ok()?;
            let index = named[found].1;
            return in_window(&self.touches[index]).then_some(index);
        }
        let visitor = VisitorKey::Id(goal.visitor_id.as_deref().filter(|id| !id.is_empty())?);
        let hash = visitor.hash();
        let start = self
            .keyed
            .partition_point(|(other_hash, other, _)| (*other_hash, other) < (hash, &visitor));
        let end = start
            + self.keyed[start..]
                .partition_point(|(other_hash, other, _)| *other_hash == hash && *other == visitor);
        self.run(&(start..end))
            .filter(|(_, touch)| in_window(touch))
            .max_by_key(|(_, touch)| (touch.anchor_ms(), touch.started_ms, touch.conversation_id))
            .map(|(index, _)| index)
    }
}
