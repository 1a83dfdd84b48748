//! The campaign routes' bodies: who can answer now (staffing), the widget's batches of campaign events, and a
//! lead form's submission; plus the campaign a conversation or lead came from.

use serde::{Deserialize, Serialize};

use super::FieldValue;

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
