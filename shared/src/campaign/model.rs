//! A campaign as a site's configuration writes it (`campaigns[]`): when the chat speaks first, to whom, in which
//! format, and what a click does. The field names are the public format; `validate.rs` checks the rules serde cannot.
//! long: it is the public format, one type per field of a campaign, read top to bottom like the README's table.

use serde::{Deserialize, Serialize};

use crate::vocab::FormField;

/// One proactive message, popup, banner or lead form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// Lowercase letters, digits and `-`; kept in history, events and conversations, so renaming it starts afresh.
    pub id: String,
    /// What the team calls it (the studio and reports); visitors never see it.
    pub name: String,
    #[serde(default)]
    pub status: CampaignStatus,
    /// Higher first when several could show at the same moment; ties go to the earlier campaign in the list.
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(with = "super::tagged::twin")]
    #[schemars(with = "Trigger")]
    pub trigger: Trigger,
    /// Where it may show; none (or no rules) means every page.
    #[serde(default)]
    pub pages: PageRules,
    /// Who may see it; none means everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub staffing: Staffing,
    #[serde(default)]
    pub frequency: Frequency,
    #[serde(default)]
    pub format: Format,
    pub content: Content,
    #[serde(with = "super::tagged::twin")]
    #[schemars(with = "Action")]
    pub action: Action,
    /// A/B variants of `content` (and `action`); a visitor always gets the same one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    /// This share of visitors (0–100) never sees the campaign and is measured as the control.
    #[serde(default)]
    pub holdout_percent: u8,
    /// What counts as a conversion after a view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Goal>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Being written: never shown.
    #[default]
    Draft,
    Live,
    /// Stopped for now: never shown, history kept.
    Paused,
    /// Finished: never shown, kept for its results.
    Archived,
}

/// When the campaign runs: between two instants (RFC 3339, e.g. `2026-12-01T00:00:00Z`) and during, or outside,
/// the site's business hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    #[serde(default)]
    pub starts: Option<String>,
    #[serde(default)]
    pub ends: Option<String>,
    #[serde(default)]
    pub hours: Hours,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Hours {
    #[default]
    Any,
    /// Only while the site's business hours are open.
    Open,
    /// Only while they are closed.
    Closed,
}

/// What makes the campaign show, once its pages, audience, staffing, schedule and frequency allow it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// As soon as a matching page is shown.
    PageView,
    /// After this long on the page (a single-page route change starts a new page).
    Dwell { seconds: u32 },
    /// After this long on the site, across pages, in this visit.
    SiteTime { seconds: u32 },
    /// When the visitor has scrolled this far down the page.
    Scroll { percent: u8 },
    /// When the pointer leaves the page towards the browser's tabs or address bar (desktop).
    ExitIntent,
    /// After this long without a scroll, click, key or pointer move.
    Inactivity { seconds: u32 },
    /// When the visitor clicks an element matching this CSS selector (or inside one).
    Click { selector: String },
    /// When the page calls `Baton('track', name)`.
    Event { name: String },
    /// Only when the page calls `Baton('show', id)`.
    Manual,
    /// When the AI fell back, or asked to clarify, twice in a row.
    AiStruggled,
    /// When the conversation was handed to a person and nobody has replied for this long.
    WaitingForPerson { seconds: u32 },
}

/// Page rules, matched against the page's path (or its full URL when a rule's value starts with `http`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageRules {
    #[serde(default, rename = "match")]
    pub match_: Match,
    #[serde(default)]
    pub rules: Vec<StringRule>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// At least one rule matches.
    #[default]
    Any,
    /// Every rule matches.
    All,
}

/// One test of a string: `{ "op": "starts_with", "value": "/pricing" }`. Case-sensitive, except `matches`' `*`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StringRule {
    pub op: StringOp,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StringOp {
    Equals,
    NotEquals,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    /// A glob: `*` matches any run of characters (`/blog/*/pricing`).
    Matches,
}

/// Who may see a campaign: a tree of `all` / `any` / `not` over conditions, e.g.
/// `{ "all": [ { "visitor": "returning" }, { "utm_source": { "op": "equals", "value": "newsletter" } } ] }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every condition holds (an empty list holds).
    All(Vec<Audience>),
    /// At least one holds (an empty list does not).
    Any(Vec<Audience>),
    Not(Box<Audience>),
    /// First visit on this browser, or a later one.
    Visitor(VisitorKind),
    /// This visit is at least the N-th on this browser.
    Visits {
        at_least: u32,
    },
    /// The page the visit came from (`document.referrer`; empty when none).
    Referrer(StringRule),
    UtmSource(StringRule),
    UtmMedium(StringRule),
    UtmCampaign(StringRule),
    Device(Device),
    /// The browser's language, by its primary subtag: `"fr"` matches `fr-CA`.
    Language(String),
    /// ISO 3166 two-letter code, from the worker (`cf.country`): `"FR"`.
    Country(String),
    /// The page told Baton who the visitor is (`Baton('identify', …)`).
    Identified(bool),
    /// An attribute the page gave with `Baton('identify', {attributes: {…}})`.
    Attribute(AttributeRule),
    /// What the visitor did with another campaign (or this one) lately.
    Campaign(CampaignRule),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitorKind {
    New,
    Returning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Device {
    Mobile,
    Desktop,
}

/// `{ "name": "plan", "op": "equals", "value": "pro" }`; a missing attribute matches only `not_equals` and
/// `not_contains`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeRule {
    pub name: String,
    pub op: StringOp,
    pub value: String,
}

/// `{ "id": "pricing-help", "was": "dismissed", "within_days": 30 }`; without `within_days`, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRule {
    pub id: String,
    pub was: CampaignState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignState {
    Seen,
    Dismissed,
    /// Its goal was reached after a view.
    Converted,
}

/// Whether a person must be (or must not be) available: agents of the campaign's team (`content.from` when it
/// names a team, else any team) online in the site inbox, seen at most 30 s ago.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Staffing {
    #[default]
    Any,
    PeopleOnline,
    NobodyOnline,
}

/// How often one visitor sees it. Each campaign keeps its own clocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Frequency {
    #[serde(default)]
    pub show: Show,
    /// After the visitor closes it, not again for this many days (0: the next page may show it again).
    #[serde(default = "default_after_dismiss_days")]
    pub after_dismiss_days: u32,
    /// After its goal is reached, not again for this many days.
    #[serde(default = "default_after_goal_days")]
    pub after_goal_days: u32,
}

impl Default for Frequency {
    fn default() -> Frequency {
        Frequency {
            show: Show::default(),
            after_dismiss_days: default_after_dismiss_days(),
            after_goal_days: default_after_goal_days(),
        }
    }
}

fn default_after_dismiss_days() -> u32 {
    7
}

fn default_after_goal_days() -> u32 {
    90
}

/// `"once"`, `"until_engaged"`, `"always"` or `{ "max": N }`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    /// One view per visitor, ever.
    #[default]
    Once,
    /// Until the visitor clicks it or sends its lead form (dismissals still suppress it).
    UntilEngaged,
    /// At most N views per visitor.
    Max(u32),
    /// Every time it triggers (the site limits and dismissal still apply).
    Always,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A message beside the launcher, from a team or a person.
    #[default]
    Bubble,
    /// A dialog card over the page.
    Popup,
    /// A bar across the top of the page.
    BannerTop,
    /// A bar across the bottom of the page.
    Banner,
}

/// What the campaign says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Content {
    /// A team id of the site, or a person's name, shown as the sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The message, in the safe Markdown subset of answers.
    pub text: String,
    /// The button's label; a default for the action when absent ("Chat with us", "Send", "Open").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button: Option<String>,
}

/// What clicking the campaign does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Opens the chat; `message` is put in the composer, or sent at once with `send: true`.
    OpenChat {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        send: bool,
    },
    /// Starts a conversation handed to this team, with the campaign as its topic.
    Handoff { team: String },
    /// A form in the campaign itself; a submission is a lead, handed to `team` (or only recorded and sent to the
    /// site's webhooks when there is none), answered with `thanks`.
    LeadForm {
        fields: Vec<FormField>,
        /// When set, a consent checkbox with this text must be ticked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        consent: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        team: Option<String>,
        thanks: String,
    },
    /// Opens a URL (same tab).
    Link { url: String },
}

/// One A/B variant: its own content (and optionally action), shown to `weight` parts of the visitors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    pub weight: u32,
    pub content: Content,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::tagged::optional_twin"
    )]
    #[schemars(with = "Option<Action>")]
    pub action: Option<Action>,
}

/// A conversion: the page tracked `event` within `within_days` of a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub event: String,
    #[serde(default = "default_goal_days")]
    pub within_days: u32,
}

fn default_goal_days() -> u32 {
    7
}

/// Site-wide limits over all campaigns, so visitors are not pestered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignLimits {
    /// Campaigns shown per visit (a visit ends after 30 minutes without a page).
    #[serde(default = "default_per_session")]
    pub per_session: u32,
    /// Campaigns shown per 24 hours.
    #[serde(default = "default_per_day")]
    pub per_day: u32,
    /// No campaign for this long after the visitor's last chat message.
    #[serde(default = "default_quiet_after_chat")]
    pub quiet_after_chat_seconds: u32,
}

impl Default for CampaignLimits {
    fn default() -> CampaignLimits {
        CampaignLimits {
            per_session: default_per_session(),
            per_day: default_per_day(),
            quiet_after_chat_seconds: default_quiet_after_chat(),
        }
    }
}

fn default_per_session() -> u32 {
    1
}

fn default_per_day() -> u32 {
    3
}

fn default_quiet_after_chat() -> u32 {
    600
}
