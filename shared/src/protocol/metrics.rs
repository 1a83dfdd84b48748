//! The metrics routes' bodies: the report (`GET /v1/sites/{site}/metrics`), the conversations behind a figure
//! (`GET …/metrics/conversations`), the CSV's rows (`GET …/metrics.csv`), and a goal the widget reports
//! (`POST …/goals`). The definitions of the figures are in README ("Metrics") and in `crate::metrics`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FieldError, field_error};

mod query;

pub use self::query::{Figure, Interval, MAX_METRICS_DAYS, MetricsQuery};

/// A count and its share of the conversations it is a part of (`rate` in [0, 1]; 0 when there are none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub count: u64,
    pub rate: f64,
}

/// Handed-off conversations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Handoffs {
    pub count: u64,
    /// Handed-off / conversations.
    pub rate: f64,
    /// Counts by `HandoffReason` (snake_case name).
    pub by_reason: BTreeMap<String, u64>,
    /// Counts by team id (`""` for a site without teams).
    pub by_team: BTreeMap<String, u64>,
    /// Counts by intent (snake_case name).
    pub by_intent: BTreeMap<String, u64>,
}

/// Time from the handoff (or the team's next opening, after hours) to the first agent message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplyTimes {
    /// Handed-off conversations an agent replied to.
    pub count: u64,
    pub median: Option<u64>,
    pub p90: Option<u64>,
    /// Counting only the team's business hours.
    pub business_hours_median: Option<u64>,
    pub business_hours_p90: Option<u64>,
}

/// Conversions: closed as converted, or a goal within the site's window after the handoff (or after the start,
/// for conversations never handed off).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversions {
    pub count: u64,
    /// Of the handed-off conversations (of the others, for `conversions_without_handoff`).
    pub rate: f64,
    /// The sum of the goals' values.
    pub value: f64,
}

/// Ratings after the close.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Csat {
    pub responses: u64,
    pub mean: Option<f64>,
    /// Rated / closed conversations offered a rating.
    pub response_rate: f64,
    /// Counts of 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
    /// Conversations no person took part in.
    pub ai_only: CsatPart,
    /// Conversations an agent replied in.
    pub with_person: CsatPart,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CsatPart {
    pub responses: u64,
    pub mean: Option<f64>,
}

/// One campaign variant (or its holdout, `held_out: true`) over the range.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignFigures {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held_out: bool,
    /// Distinct visitors shown it (for the holdout: who would have been).
    pub views: u64,
    pub clicks: u64,
    pub dismissals: u64,
    pub leads: u64,
    pub conversations: u64,
    pub handoffs: u64,
    pub goals: u64,
    /// Visitors who reached its goal / views: compare with the holdout's for the uplift.
    pub goal_rate: f64,
}

/// One interval of the series (`start` is its first day, `YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    pub start: String,
    pub conversations: u64,
    pub ai_resolved: u64,
    pub handoffs: u64,
    pub missed: u64,
    pub conversions_after_handoff: u64,
    pub first_human_reply_median_ms: Option<u64>,
    pub csat_mean: Option<f64>,
}

/// A key and how often it occurs (pages, intents).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub key: String,
    pub count: u64,
}

/// A question Baton could not answer (it fell back or asked to clarify), with the conversations it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Unanswered {
    pub question: String,
    pub count: u64,
    pub conversation_ids: Vec<String>,
}

/// Response of `GET /v1/sites/{site}/metrics`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricsReport {
    pub from: String,
    pub to: String,
    /// The site's timezone, in which days and hours are cut.
    pub timezone: String,
    pub interval: Interval,
    /// Conversations started in the range with at least one visitor message.
    pub conversations: u64,
    pub ai_resolved: Rate,
    pub handoffs: Handoffs,
    pub first_human_reply_ms: ReplyTimes,
    pub missed: Rate,
    pub conversions_after_handoff: Conversions,
    /// The same, for conversations never handed off, for comparison.
    pub conversions_without_handoff: Conversions,
    pub csat: Csat,
    pub repeat_contact: Rate,
    pub campaigns: Vec<CampaignFigures>,
    pub series: Vec<SeriesPoint>,
    /// Conversations by weekday (Monday first) × hour of the day, in the site's timezone.
    pub heatmap: Vec<[u64; 24]>,
    /// Pages where conversations started, most first.
    pub pages: Vec<Count>,
    /// Intents of handed-off conversations, most first.
    pub intents: Vec<Count>,
    /// Questions Baton could not answer, most asked first.
    pub unanswered: Vec<Unanswered>,
}

/// One conversation, as the drill-down lists it and the CSV writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationRow {
    pub id: String,
    pub started_at_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_off_at_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_human_reply_at_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The visitor's messages.
    #[serde(default)]
    pub visitor_messages: u32,
    /// Which figures it counts in (README "Metrics" defines each).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ai_resolved: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missed: bool,
    /// Converted: closed as converted, or a goal within the site's window (after the handoff, or the start).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub converted: bool,
    /// The values of the goals counted as its conversion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_value: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeat_contact: bool,
    /// From the handoff (or the next opening, after hours) to the first agent message, wall clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_human_reply_ms: Option<u64>,
}

/// Response of `GET /v1/sites/{site}/metrics/conversations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FigureConversations {
    pub figure: Option<Figure>,
    pub conversations: Vec<ConversationRow>,
}

/// Body of `POST /v1/sites/{site}/goals`: `Baton('track', goal, {value})` for one of the site's `goals`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackGoal {
    /// The browser's anonymous id (the same as campaign events').
    pub visitor: String,
    pub goal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The conversation open in the widget, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
}

impl TrackGoal {
    /// The rules it breaks, with field paths (the goal must also be one of the site's, checked by the worker).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        super::check_visitor_id(&mut errors, "visitor", &self.visitor);
        if self.goal.trim().is_empty() || self.goal.chars().count() > 100 {
            errors.push(field_error("goal", "must be 1 to 100 characters"));
        }
        if let Some(value) = self.value
            && (!value.is_finite() || !(0.0..=1e12).contains(&value))
        {
            errors.push(field_error("value", "must be a number from 0 to 1e12"));
        }
        errors
    }
}
