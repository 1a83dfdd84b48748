//! The campaign routes' bodies: who can answer now (staffing), the widget's batches of campaign events, and a
//! lead form's submission; plus the campaign a conversation or lead came from.

use serde::{Deserialize, Serialize};

use super::{FieldError, FieldValue, field_error};
use crate::campaign::Campaign;

/// The campaign (and variant) that started a conversation or a lead; kept with it for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignRef {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// Response of `GET /v1/sites/{site}/staffing`: cacheable for 30 s; the widget asks only when a live campaign's
/// `staffing` or `schedule.hours` needs it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StaffingNow {
    /// Team ids with an agent online; `"*"` when an agent of a site without teams is.
    pub teams_online: Vec<String>,
    /// The site's business hours are open.
    pub open: bool,
}

/// What happened to a campaign in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignWhat {
    /// Shown (for a held-out visitor: would have been shown; counted as the control's exposure).
    Shown,
    Clicked,
    Dismissed,
    /// Its lead form was sent.
    Lead,
    /// Its click started a conversation.
    Conversation,
    /// Its click (or the conversation it started) was handed to a person.
    Handoff,
    /// The goal event was tracked within the window after a view.
    Goal,
}

/// One event in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignEvent {
    pub campaign: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The visitor is in the holdout (only `shown` and `goal` happen to them).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held_out: bool,
    pub what: CampaignWhat,
    pub at_ms: u64,
}

/// Body of `POST /v1/sites/{site}/campaign-events` (also sent with `navigator.sendBeacon` on `pagehide`, as
/// `text/plain`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignEvents {
    /// The browser's anonymous id, so one visitor's repeated views count once where reports need it.
    pub visitor: String,
    pub events: Vec<CampaignEvent>,
}

/// Body of `POST /v1/sites/{site}/leads`: a campaign's lead form, sent without a conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitLead {
    pub campaign: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub fields: Vec<FieldValue>,
    #[serde(default)]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The browser's anonymous id.
    pub visitor: String,
    /// The Turnstile token, when the site asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_token: Option<String>,
}

/// Response of `POST …/leads` (201).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadCreated {
    pub lead_id: String,
    /// The conversation handed to the campaign's team, when it has one.
    pub conversation_id: Option<String>,
    /// The campaign's `thanks` text.
    pub thanks: String,
}

/// The most events one batch carries.
pub const MAX_CAMPAIGN_EVENTS: usize = 50;
/// How far an event's `at_ms` may be from the worker's clock, either way.
const EVENT_CLOCK_SLACK_MS: u64 = 24 * 60 * 60 * 1_000;

impl CampaignWhat {
    /// Whether the browser reports it. The worker itself counts `lead` (a lead form accepted), `conversation` (a
    /// conversation started with the campaign) and `handoff` (such a conversation handed to a person, leads with a
    /// team included), so they never depend on a page staying open; sent from a browser, they are ignored.
    pub fn from_browser(self) -> bool {
        matches!(
            self,
            CampaignWhat::Shown
                | CampaignWhat::Clicked
                | CampaignWhat::Dismissed
                | CampaignWhat::Goal
        )
    }
}

/// Checks an anonymous visitor id: 8 to 64 characters, letters, digits, `_` and `-`.
pub fn check_visitor_id(errors: &mut Vec<FieldError>, path: &str, visitor: &str) {
    let well_formed = (8..=64).contains(&visitor.len())
        && visitor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !well_formed {
        errors.push(field_error(
            path,
            "must be 8 to 64 letters, digits, `_` or `-`",
        ));
    }
}

impl CampaignEvents {
    /// Every problem of a batch against the site's campaigns (any status: a campaign paused since the page loaded
    /// still gets its events): at most [`MAX_CAMPAIGN_EVENTS`], known campaigns and variants, a well-formed visitor
    /// id, and times within a day of `now_ms`. Paths are `visitor`, `events`, `events[N].campaign`, …
    pub fn check(&self, campaigns: &[Campaign], now_ms: u64) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_visitor_id(&mut errors, "visitor", &self.visitor);
        if self.events.len() > MAX_CAMPAIGN_EVENTS {
            errors.push(field_error(
                "events",
                format!(
                    "must hold at most {MAX_CAMPAIGN_EVENTS} events (got {})",
                    self.events.len()
                ),
            ));
            return errors;
        }
        for (at, event) in self.events.iter().enumerate() {
            let Some(campaign) = campaigns.iter().find(|known| known.id == event.campaign) else {
                errors.push(field_error(
                    format!("events[{at}].campaign"),
                    format!("there is no campaign \"{}\"", event.campaign),
                ));
                continue;
            };
            if let Some(variant) = &event.variant
                && !campaign.variants.iter().any(|known| &known.id == variant)
            {
                errors.push(field_error(
                    format!("events[{at}].variant"),
                    format!("campaign \"{}\" has no variant \"{variant}\"", campaign.id),
                ));
            }
            if event.at_ms.abs_diff(now_ms) > EVENT_CLOCK_SLACK_MS {
                errors.push(field_error(
                    format!("events[{at}].at_ms"),
                    "must be within a day of now (milliseconds since 1970, UTC)",
                ));
            }
        }
        errors
    }

    /// The batch as counts, one per (day, campaign, variant, holdout, what), of the events the browser reports
    /// ([`CampaignWhat::from_browser`]).
    pub fn tally(&self) -> Vec<CampaignCount> {
        let mut counts: Vec<CampaignCount> = Vec::new();
        for event in self.events.iter().filter(|event| event.what.from_browser()) {
            let key = CampaignCount {
                day: utc_day(event.at_ms),
                campaign: event.campaign.clone(),
                variant: event.variant.clone(),
                held_out: event.held_out,
                what: event.what,
                n: 1,
            };
            match counts.iter_mut().find(|known| known.same_row(&key)) {
                Some(known) => known.n += 1,
                None => counts.push(key),
            }
        }
        counts
    }
}

/// How many times something happened to a campaign's variant on a day (UTC), as the worker stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCount {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub campaign: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held_out: bool,
    pub what: CampaignWhat,
    pub n: u64,
}

impl CampaignCount {
    /// One count of `what` at `at_ms`, as the worker records it for the events it sees itself.
    pub fn one(campaign: &CampaignRef, what: CampaignWhat, at_ms: u64) -> CampaignCount {
        CampaignCount {
            day: utc_day(at_ms),
            campaign: campaign.id.clone(),
            variant: campaign.variant.clone(),
            held_out: false,
            what,
            n: 1,
        }
    }

    fn same_row(&self, other: &CampaignCount) -> bool {
        (
            &self.day,
            &self.campaign,
            &self.variant,
            self.held_out,
            self.what,
        ) == (
            &other.day,
            &other.campaign,
            &other.variant,
            other.held_out,
            other.what,
        )
    }
}

/// `YYYY-MM-DD` of an instant, in UTC.
pub fn utc_day(at_ms: u64) -> String {
    let at = jiff::Timestamp::from_millisecond(i64::try_from(at_ms).unwrap_or(i64::MAX))
        .unwrap_or(jiff::Timestamp::MAX);
    at.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

/// A `YYYY-MM-DD` day as `from` and `to` name it; `None` when it is not one.
pub fn parse_day(text: &str) -> Option<String> {
    let date: jiff::civil::Date = text.parse().ok()?;
    let day = date.to_string();
    (day == text).then_some(day)
}

/// Days from `from` to `to`, two `YYYY-MM-DD` days (negative when `to` is earlier); `None` when either is no day.
pub fn days_between(from: &str, to: &str) -> Option<i32> {
    let from: jiff::civil::Date = from.parse().ok()?;
    let to: jiff::civil::Date = to.parse().ok()?;
    from.until(to).ok().map(|span| span.get_days())
}

/// Response of `GET /v1/sites/{site}/campaigns/results?from=YYYY-MM-DD&to=YYYY-MM-DD` (days in UTC, both included):
/// one row per campaign, variant and holdout, in the configuration's order (campaigns no longer configured last).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignResults {
    pub from: String,
    pub to: String,
    pub rows: Vec<CampaignResult>,
}

/// What happened to one campaign's variant (or its holdout) over the days asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignResult {
    pub campaign: String,
    /// The campaign's name in the configuration; `None` when it is no longer there.
    pub name: Option<String>,
    pub variant: Option<String>,
    /// The control: visitors who would have seen it (`shown`) and their `goals`.
    pub held_out: bool,
    pub shown: u64,
    pub clicked: u64,
    pub dismissed: u64,
    pub leads: u64,
    pub conversations: u64,
    pub handoffs: u64,
    pub goals: u64,
}

impl CampaignResults {
    /// Sums stored counts into rows: those of days outside `from..=to` are left out.
    pub fn sum(from: &str, to: &str, campaigns: &[Campaign], counts: &[CampaignCount]) -> Self {
        let mut rows: Vec<CampaignResult> = Vec::new();
        for count in counts
            .iter()
            .filter(|count| from <= count.day.as_str() && count.day.as_str() <= to)
        {
            let at = rows.iter().position(|row| {
                row.campaign == count.campaign
                    && row.variant == count.variant
                    && row.held_out == count.held_out
            });
            let row = match at {
                Some(at) => &mut rows[at],
                None => {
                    rows.push(CampaignResult {
                        campaign: count.campaign.clone(),
                        name: campaigns
                            .iter()
                            .find(|campaign| campaign.id == count.campaign)
                            .map(|campaign| campaign.name.clone()),
                        variant: count.variant.clone(),
                        held_out: count.held_out,
                        ..CampaignResult::default()
                    });
                    rows.last_mut().expect("just pushed")
                }
            };
            let field = match count.what {
                CampaignWhat::Shown => &mut row.shown,
                CampaignWhat::Clicked => &mut row.clicked,
                CampaignWhat::Dismissed => &mut row.dismissed,
                CampaignWhat::Lead => &mut row.leads,
                CampaignWhat::Conversation => &mut row.conversations,
                CampaignWhat::Handoff => &mut row.handoffs,
                CampaignWhat::Goal => &mut row.goals,
            };
            *field += count.n;
        }
        let order = |row: &CampaignResult| {
            let position = campaigns
                .iter()
                .position(|campaign| campaign.id == row.campaign)
                .unwrap_or(usize::MAX);
            (
                position,
                row.campaign.clone(),
                row.held_out,
                row.variant.clone(),
            )
        };
        rows.sort_by_key(order);
        CampaignResults {
            from: from.to_string(),
            to: to.to_string(),
            rows,
        }
    }
}

/// A lead as the worker keeps it (for the site's `retention_days`) when its form names no team, and as webhooks
/// announce it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub lead_id: String,
    pub site_id: String,
    pub campaign: CampaignRef,
    /// The campaign's name when the lead came.
    pub campaign_name: String,
    /// Each answer: the field's label and the value, in the form's order.
    pub fields: Vec<(String, String)>,
    pub consent: bool,
    pub page_url: Option<String>,
    /// The browser's anonymous id.
    pub visitor: String,
    pub created_at_ms: u64,
}
