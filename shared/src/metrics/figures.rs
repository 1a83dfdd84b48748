//! Every figure of the metrics report, computed from what the ledger holds: the facts rows of the conversations
//! started in the range, a thin row for each conversation started just after it (for what the definitions look
//! ahead to: a visitor asking again within 24 h, coming back within 7 days, a goal within the conversion window),
//! the goal events, and the campaign events tallied per visitor. The worker's SQL only fetches these; every
//! definition is here, and README ("Metrics") says each in words.
//!
//! Each conversation is judged once (`judge.rs`); the report (`report.rs`), the conversations behind a figure and
//! the CSV (`csv.rs`) all read the same verdicts, so a figure's count is always the length of its drill-down.

mod campaigns;
mod csv;
mod judge;
mod range;
mod report;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use self::csv::{CSV_COLUMNS, csv};
use self::judge::{Judge, Verdict};
pub use self::range::Range;
use super::facts::ConversationFacts;
use crate::config::SiteConfig;
use crate::protocol::metrics::{
    ConversationRow, Figure, FigureConversations, MetricsQuery, MetricsReport,
};
use crate::protocol::{FieldError, field_error};

const DAY_MS: u64 = 24 * 60 * 60 * 1_000;
/// A visitor who starts another conversation this soon after their last message was not resolved.
pub const RESOLVED_WINDOW_MS: u64 = DAY_MS;
/// Another conversation this soon after one ended is a repeat contact.
pub const REPEAT_WINDOW_MS: u64 = 7 * DAY_MS;

/// How far past the range's end the definitions look: the 7 days of repeat contact or the site's conversion
/// window, whichever is longer, and a day more for conversations still going on when the range ends.
pub fn lookahead_ms(config: &SiteConfig) -> u64 {
    (u64::from(config.conversion_window_days).max(7) + 1) * DAY_MS
}

/// A conversation as repeat contact and goal attribution see it: who, when, and whether the visitor wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub conversation_id: String,
    #[serde(default)]
    pub visitor_id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    pub started_ms: u64,
    pub visitor_messages: u32,
    /// The first handoff, when there was one.
    #[serde(default)]
    pub handoff_ms: Option<u64>,
}

/// A [`Contact`] borrowed from a facts row or a later row: what the judge indexes.
#[derive(Debug, Clone, Copy)]
struct Touch<'a> {
    conversation_id: &'a str,
    visitor_id: Option<&'a str>,
    email: Option<&'a str>,
    started_ms: u64,
    visitor_messages: u32,
    handoff_ms: Option<u64>,
}

impl<'a> Touch<'a> {
    fn of_facts(facts: &'a ConversationFacts) -> Touch<'a> {
        Touch {
            conversation_id: &facts.conversation_id,
            visitor_id: facts.visitor_id.as_deref(),
            email: facts.email.as_deref(),
            started_ms: facts.started_ms,
            visitor_messages: facts.visitor_messages,
            handoff_ms: facts.handoff.as_ref().map(|handoff| handoff.at_ms),
        }
    }

    fn of_contact(contact: &'a Contact) -> Touch<'a> {
        Touch {
            conversation_id: &contact.conversation_id,
            visitor_id: contact.visitor_id.as_deref(),
            email: contact.email.as_deref(),
            started_ms: contact.started_ms,
            visitor_messages: contact.visitor_messages,
            handoff_ms: contact.handoff_ms,
        }
    }

    /// Where a goal's window opens: the handoff, or the start of a conversation never handed off.
    fn anchor_ms(&self) -> u64 {
        self.handoff_ms.unwrap_or(self.started_ms)
    }
}

/// A goal the page tracked (`Baton('track', goal, {value})` for one of the site's goals).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GoalRecord {
    pub at_ms: u64,
    #[serde(default)]
    pub visitor_id: Option<String>,
    /// The conversation open in the widget when it was tracked.
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub goal: String,
    #[serde(default)]
    pub value: Option<f64>,
}

/// What visitors did with one campaign variant (or its holdout) in the range, counted by the worker's SQL (a
/// `GROUP BY` per visitor, then per variant): the only figures not computed here, since they are plain counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignTally {
    pub campaign: String,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub held_out: bool,
    /// Distinct visitors it was shown to (for the holdout: would have been).
    pub views: u64,
    pub clicks: u64,
    pub dismissals: u64,
    /// Lead forms sent (the ledger's lead events).
    pub leads: u64,
    /// Its own goal events (`Baton('track')` of the campaign's goal within its window).
    pub goals: u64,
    /// Distinct visitors both shown it and reaching its goal.
    pub reached: u64,
}

/// What one report is computed from, as the worker fetched it.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// The facts of every conversation started in the range (more are ignored).
    pub conversations: Vec<ConversationFacts>,
    /// Conversations started from the range's end to [`lookahead_ms`] after it.
    pub later: Vec<Contact>,
    /// Goals from the range's start to [`lookahead_ms`] after its end.
    pub goals: Vec<GoalRecord>,
    /// Campaign and lead events in the range, counted per variant.
    pub campaigns: Vec<CampaignTally>,
}

/// Which conversations a caller may see: a plain agent only their teams'.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    Site,
    Teams(Vec<String>),
}

impl Scope {
    /// The query's `team` against the site and the caller: `Err` with the parameter named for a team the site
    /// does not have (400), `Ok(false)` for one the caller is not in (403).
    pub fn check_team(
        &self,
        query: &MetricsQuery,
        config: &SiteConfig,
    ) -> Result<bool, FieldError> {
        let Some(team) = &query.team else {
            return Ok(true);
        };
        if !config.teams.iter().any(|known| &known.id == team) {
            let ids: Vec<&str> = config.teams.iter().map(|team| team.id.as_str()).collect();
            return Err(field_error(
                "team",
                format!(
                    "\"{team}\" is not a team of site \"{}\" (teams: {})",
                    config.id,
                    ids.join(", ")
                ),
            ));
        }
        Ok(match self {
            Scope::Site => true,
            Scope::Teams(teams) => teams.contains(team),
        })
    }
}

/// Everything one report needs besides the ledger.
pub struct Request<'a> {
    pub config: &'a SiteConfig,
    pub query: &'a MetricsQuery,
    pub range: &'a Range,
    pub scope: &'a Scope,
    /// The report's time: a handoff nobody answered yet is missed only once its target has passed.
    pub now_ms: u64,
}

/// The conversation's team: where it is now, else where it was handed.
fn team_of(facts: &ConversationFacts) -> Option<&str> {
    facts.team.as_deref().or_else(|| {
        facts
            .handoff
            .as_ref()
            .and_then(|handoff| handoff.team.as_deref())
    })
}

impl<'a> Request<'a> {
    /// Whether a conversation started in the range passes the filters and the caller's scope.
    fn selects(&self, facts: &ConversationFacts) -> bool {
        let team = team_of(facts);
        let query = self.query;
        self.range.contains(facts.started_ms)
            && query
                .team
                .as_deref()
                .is_none_or(|wanted| team == Some(wanted))
            && query
                .agent
                .as_deref()
                .is_none_or(|wanted| facts.agent.as_deref() == Some(wanted))
            && query
                .campaign
                .as_deref()
                .is_none_or(|wanted| facts.campaign.as_deref() == Some(wanted))
            && query.intent.as_deref().is_none_or(|wanted| {
                facts
                    .handoff
                    .as_ref()
                    .and_then(|handoff| handoff.intent)
                    .is_some_and(|intent| intent.name() == wanted)
            })
            && match self.scope {
                Scope::Site => true,
                Scope::Teams(teams) => team.is_some_and(|team| teams.iter().any(|own| own == team)),
            }
    }

    /// The verdicts of the selected conversations (the conversations without a visitor message too: campaigns
    /// count them), in no particular order.
    fn verdicts<'l>(&self, ledger: &'l Ledger, touches: &'l [Touch<'l>]) -> Vec<Verdict<'l>>
    where
        'a: 'l,
    {
        let judge = Judge::new(self.config, ledger, touches, self.now_ms);
        ledger
            .conversations
            .iter()
            .enumerate()
            .filter(|(_, facts)| self.selects(facts))
            .map(|(index, facts)| judge.verdict(index, facts))
            .collect()
    }
}

/// Every conversation the definitions may look at: those in the range and those just after. A conversation's
/// start never changes, so one of the range's can be listed again among those after only if it started no earlier
/// than the first of those: only these are looked up (in practice none, as the ranges do not overlap).
fn touches(ledger: &Ledger) -> Vec<Touch<'_>> {
    let mut touches: Vec<Touch> = ledger.conversations.iter().map(Touch::of_facts).collect();
    let first_later_ms = ledger.later.iter().map(|later| later.started_ms).min();
    let mut known: Vec<&str> = touches
        .iter()
        .filter(|touch| first_later_ms.is_some_and(|first| touch.started_ms >= first))
        .map(|touch| touch.conversation_id)
        .collect();
    known.sort_unstable();
    touches.extend(
        ledger
            .later
            .iter()
            .filter(|later| {
                known
                    .binary_search(&later.conversation_id.as_str())
                    .is_err()
            })
            .map(Touch::of_contact),
    );
    touches
}

/// The report (`GET …/metrics`).
pub fn report(request: &Request, ledger: &Ledger) -> MetricsReport {
    let touches = touches(ledger);
    let verdicts = request.verdicts(ledger, &touches);
    report::build(request, ledger, &verdicts)
}

/// The conversations behind a figure (`GET …/metrics/conversations`), newest first; as many as the figure counts.
pub fn conversations(request: &Request, ledger: &Ledger, figure: Figure) -> FigureConversations {
    let touches = touches(ledger);
    let mut verdicts: Vec<Verdict> = request
        .verdicts(ledger, &touches)
        .into_iter()
        .filter(|verdict| verdict.counted && counts_in(verdict, figure))
        .collect();
    verdicts.sort_by(newest_first);
    let conversations = verdicts.iter().map(row).collect();
    FigureConversations {
        figure: Some(figure),
        conversations,
    }
}

/// One row per conversation the report counts (`GET …/metrics.csv`), newest first.
pub fn rows(request: &Request, ledger: &Ledger) -> Vec<ConversationRow> {
    conversations(request, ledger, Figure::Conversations).conversations
}

/// Newest first, by start then id.
fn newest_first(a: &Verdict, b: &Verdict) -> std::cmp::Ordering {
    (b.facts.started_ms, &b.facts.conversation_id)
        .cmp(&(a.facts.started_ms, &a.facts.conversation_id))
}

fn counts_in(verdict: &Verdict, figure: Figure) -> bool {
    match figure {
        Figure::Conversations => true,
        Figure::AiResolved => verdict.ai_resolved,
        Figure::Handoffs => verdict.handed_off,
        Figure::Missed => verdict.missed,
        Figure::ConversionsAfterHandoff => verdict.handed_off && verdict.converted,
        Figure::Csat => verdict.facts.rating.is_some(),
        Figure::RepeatContact => verdict.repeat_contact,
    }
}

fn row(verdict: &Verdict) -> ConversationRow {
    let facts = verdict.facts;
    let handoff = facts.handoff.as_ref();
    ConversationRow {
        id: facts.conversation_id.clone(),
        started_at_ms: facts.started_ms,
        handed_off_at_ms: handoff.map(|handoff| handoff.at_ms),
        first_human_reply_at_ms: facts.first_agent_reply_ms,
        closed_at_ms: facts.closed.as_ref().map(|closed| closed.at_ms),
        intent: handoff
            .and_then(|handoff| handoff.intent)
            .map(|intent| intent.name().to_owned()),
        reason: handoff.map(|handoff| wire_name(&handoff.reason)),
        team: team_of(facts).map(str::to_owned),
        agent: facts.agent.clone(),
        outcome: facts
            .closed
            .as_ref()
            .and_then(|closed| closed.outcome)
            .map(|outcome| wire_name(&outcome)),
        rating: facts.rating,
        campaign: facts.campaign.clone(),
        variant: facts.variant.clone(),
        page_url: facts.page_url.clone(),
        visitor_messages: facts.visitor_messages,
        ai_resolved: verdict.ai_resolved,
        missed: verdict.missed,
        converted: verdict.converted,
        goal_value: verdict.goal_value,
        repeat_contact: verdict.repeat_contact,
        first_human_reply_ms: verdict.reply_ms,
    }
}

/// The snake_case wire name of a unit enum value (`HandoffReason`, `CloseOutcome`), as serde writes it.
pub(crate) fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}
