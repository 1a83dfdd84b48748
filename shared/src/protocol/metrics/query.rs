//! What a metrics request asks for: the query's parameters read and checked (each problem named by its
//! parameter), and the figures whose conversations can be listed.

use serde::{Deserialize, Serialize};

use crate::protocol::{FieldError, days_between, field_error, parse_day};
use crate::vocab::Intent;

/// How the series are cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    #[default]
    Day,
    /// Weeks start on Monday.
    Week,
}

/// What a report is asked for: a date range in the site's timezone (`YYYY-MM-DD`, both days included) and filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsQuery {
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(default)]
    pub interval: Interval,
}

/// The longest range one report covers, in days.
pub const MAX_METRICS_DAYS: i64 = 366;

/// The longest team, agent or campaign id a filter takes.
const MAX_FILTER_CHARS: usize = 100;

impl MetricsQuery {
    /// A request's query parameters (`from`, `to`, `team`, `agent`, `intent`, `campaign`, `interval`; others are
    /// ignored, and the first of a repeated one counts) read into a query, or every problem named by its parameter.
    /// Whether `team` is one of the site's, and the caller's, is checked with the site (`metrics::figures`).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<MetricsQuery, Vec<FieldError>> {
        let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        let value = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| *value)
        };
        let mut errors = Vec::new();
        let mut day = |name: &str| match value(name) {
            None | Some("") => {
                errors.push(field_error(name, "is needed, a date YYYY-MM-DD"));
                None
            }
            Some(text) => parse_day(text).or_else(|| {
                errors.push(field_error(
                    name,
                    format!("must be a date YYYY-MM-DD, got \"{text}\""),
                ));
                None
            }),
        };
        let (from, to) = (day("from"), day("to"));
        if let (Some(from), Some(to)) = (&from, &to) {
            let span = days_between(from, to).map_or(i64::MAX, i64::from);
            if span < 0 {
                errors.push(field_error(
                    "to",
                    format!("must be on or after `from` ({from})"),
                ));
            } else if span >= MAX_METRICS_DAYS {
                errors.push(field_error(
                    "to",
                    format!(
                        "the range must be at most {MAX_METRICS_DAYS} days, from and to included"
                    ),
                ));
            }
        }
        let mut filter = |name: &str| {
            let text = value(name)?;
            if text.is_empty() || text.chars().count() > MAX_FILTER_CHARS {
                errors.push(field_error(
                    name,
                    format!("must be 1 to {MAX_FILTER_CHARS} characters"),
                ));
                return None;
            }
            Some(text.to_owned())
        };
        let (team, agent, campaign) = (filter("team"), filter("agent"), filter("campaign"));
        let intent = value("intent").and_then(|text| {
            if Intent::from_name(text).is_none() {
                let names: Vec<&str> = Intent::ALL.iter().map(|intent| intent.name()).collect();
                errors.push(field_error(
                    "intent",
                    format!("must be one of {}, got \"{text}\"", names.join(", ")),
                ));
                return None;
            }
            Some(text.to_owned())
        });
        let interval = match value("interval") {
            None | Some("day") => Interval::Day,
            Some("week") => Interval::Week,
            Some(other) => {
                errors.push(field_error(
                    "interval",
                    format!("must be day or week, got \"{other}\""),
                ));
                Interval::Day
            }
        };
        match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => Ok(MetricsQuery {
                from,
                to,
                team,
                agent,
                intent,
                campaign,
                interval,
            }),
            _ => Err(errors),
        }
    }
}

/// A figure whose conversations can be listed (`GET …/metrics/conversations?figure=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    Conversations,
    AiResolved,
    Handoffs,
    Missed,
    ConversionsAfterHandoff,
    Csat,
    RepeatContact,
}

impl Figure {
    pub const ALL: [Figure; 7] = [
        Figure::Conversations,
        Figure::AiResolved,
        Figure::Handoffs,
        Figure::Missed,
        Figure::ConversionsAfterHandoff,
        Figure::Csat,
        Figure::RepeatContact,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Figure::Conversations => "conversations",
            Figure::AiResolved => "ai_resolved",
            Figure::Handoffs => "handoffs",
            Figure::Missed => "missed",
            Figure::ConversionsAfterHandoff => "conversions_after_handoff",
            Figure::Csat => "csat",
            Figure::RepeatContact => "repeat_contact",
        }
    }

    pub fn parse(name: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|figure| figure.name() == name)
    }

    /// The `figure` parameter of `GET …/metrics/conversations`: needed, and one of [`Figure::ALL`].
    pub fn from_param(value: Option<&str>) -> Result<Figure, FieldError> {
        let names: Vec<&str> = Figure::ALL.iter().map(|figure| figure.name()).collect();
        match value {
            None | Some("") => Err(field_error(
                "figure",
                format!("is needed, one of {}", names.join(", ")),
            )),
            Some(text) => Figure::parse(text).ok_or_else(|| {
                field_error(
                    "figure",
                    format!("must be one of {}, got \"{text}\"", names.join(", ")),
                )
            }),
        }
    }
}
