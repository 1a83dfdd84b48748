//! What the evaluator is told (the visit, the visitor's campaign history, staffing, the moment) and what it
//! answers (the campaign to show, and why every other one is not shown). The widget gathers these in the browser;
//! the studio's simulator writes them by hand.

use serde::{Deserialize, Serialize};

use super::model::Device;
use crate::vocab::TextMap;

/// The page and the visit as the widget sees them. Times are milliseconds since the Unix epoch or durations in
/// milliseconds; nothing here reads a clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    /// The page's full URL (`https://shop.example/pricing?utm_source=x`).
    pub url: String,
    /// `document.referrer`, empty when none.
    pub referrer: String,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    /// Visits on this browser, this one included (1: a new visitor).
    pub visits: u32,
    pub device: Option<Device>,
    /// `navigator.language`, e.g. `fr-CA`.
    pub language: String,
    /// From the worker (`cf.country`), when known.
    pub country: Option<String>,
    /// When this page was shown (a single-page route change is a new page).
    pub page_started_ms: u64,
    /// When this visit started (the first page after 30 minutes without one).
    pub visit_started_ms: u64,
    /// How far down the page the visitor has scrolled, 0–100.
    pub scroll_percent: u8,
    /// The last scroll, click, key or pointer move.
    pub last_activity_ms: u64,
    pub identified: bool,
    /// From `Baton('identify', {attributes})`.
    pub attributes: TextMap<String>,
    pub chat: ChatState,
}

/// The chat's own state, which campaigns react to and must not interrupt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatState {
    /// The chat panel is open: nothing is shown.
    pub panel_open: bool,
    /// A person has joined (or the conversation waits for one): only `waiting_for_person` may show.
    pub handed_over_at_ms: Option<u64>,
    /// An agent replied since the handoff: nothing is shown.
    pub person_replied: bool,
    /// The last automatic answers in a row that were fallbacks or clarifying questions.
    pub struggling_answers: u32,
    /// The visitor's last chat message, for `campaign_limits.quiet_after_chat_seconds`.
    pub last_message_ms: Option<u64>,
}

/// What just happened, if anything: a check at a moment when nothing happened is a `Tick` (time-based triggers,
/// scroll, the chat's state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Moment {
    Tick,
    ExitIntent,
    /// A click on the page; `matched` lists the campaigns whose `click` selector the clicked element matched (the
    /// widget tests selectors with the DOM).
    Click {
        matched: Vec<String>,
    },
    /// `Baton('track', name)`.
    Event {
        name: String,
    },
    /// `Baton('show', id)`: that campaign wins whatever its trigger and priority; `force` also skips frequency,
    /// dismissal, goal and site limits, pages, audience, staffing and the quiet time after a chat (never status,
    /// schedule, hours, an open panel or a person in the conversation).
    Show {
        id: String,
        force: bool,
    },
}

/// Who can answer now, from the worker's staffing call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Staffed {
    /// Team ids with an agent online (seen within 30 s); `"*"` when any agent of a site without teams is.
    pub teams_online: Vec<String>,
    /// The site's business hours are open now.
    pub open: bool,
    /// Not known yet (the first call has not answered): campaigns that need it wait.
    pub unknown: bool,
}

/// What one browser remembers of the campaigns (localStorage).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    #[serde(default)]
    pub campaigns: TextMap<CampaignHistory>,
    /// When campaigns were shown, newest last (the last 24 hours are enough for `per_day`).
    #[serde(default)]
    pub shown_ms: Vec<u64>,
}

/// One campaign's clocks for one visitor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignHistory {
    #[serde(default)]
    pub views: u32,
    #[serde(default)]
    pub last_view_ms: Option<u64>,
    #[serde(default)]
    pub dismissed_ms: Option<u64>,
    /// Clicked, or its lead form sent.
    #[serde(default)]
    pub engaged_ms: Option<u64>,
    #[serde(default)]
    pub converted_ms: Option<u64>,
    /// Held out as the control (counted as a view that was not shown).
    #[serde(default)]
    pub held_out: bool,
}

/// A campaign to show now, with its variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    pub id: String,
    /// The variant's id, when the campaign has variants.
    pub variant: Option<String>,
    /// The visitor is in the holdout: record the view as the control's and show nothing.
    pub held_out: bool,
}

/// The evaluator's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub show: Option<Pick>,
    /// Every other campaign, in the configuration's order, with the first reason it is not shown.
    pub not_shown: Vec<(String, WhyNot)>,
    /// Check again after this long (ms) even if nothing happens: the soonest dwell, site-time, inactivity or
    /// waiting-for-person trigger that could come due.
    pub recheck_in_ms: Option<u64>,
}

/// Why a campaign is not shown now, in the order the evaluator tests them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum WhyNot {
    /// `status` is not `live`.
    NotLive,
    NotStarted,
    Ended,
    /// `schedule.hours` is `open` and the site is closed, or the reverse.
    OutsideHours,
    PageNotMatched,
    AudienceNotMatched,
    /// `staffing` wants people online (or nobody) and it is not so; or staffing is not known yet.
    Staffing,
    /// The chat panel is open.
    ChatOpen,
    /// A person is in the conversation (or it waits for one).
    PersonInConversation,
    /// The visitor chatted less than `quiet_after_chat_seconds` ago.
    QuietAfterChat,
    /// Already shown as often as `frequency.show` allows.
    Frequency,
    /// Dismissed less than `after_dismiss_days` ago.
    Dismissed,
    /// Its goal was reached less than `after_goal_days` ago.
    Converted,
    /// `campaign_limits.per_session` or `per_day` reached.
    SiteLimit,
    /// Its trigger has not happened (yet).
    NotTriggered,
    /// Another campaign with a higher priority shows now.
    Outranked,
}
