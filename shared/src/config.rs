//! The site configuration: who the site is, which origins may embed it, what it says, and its FAQ entries.
//!
//! Parsing reports JSON syntax errors with line and column; validation reports every broken rule at once, each with
//! its field path (`faq[3].question: must not be empty`), so a site owner fixes a file in one pass.
//!
//! `SiteConfig` and parsing are here; what visitors see (appearance, messages, FAQ, knowledge, AI) is in
//! `content.rs`, who answers and how (teams, handoff rules, the pre-chat form, canned replies, webhooks, Turnstile)
//! in `people.rs`, business hours in `hours.rs`, and the rules a configuration must follow in `validate.rs`.

mod content;
pub mod diff;
mod hours;
pub mod merge;
mod people;
mod regression;
mod validate;

use serde::{Deserialize, Serialize};

pub use self::content::{
    AiProvider, AiSettings, Appearance, EmbeddingsProvider, EmbeddingsSettings, FaqEntry,
    KnowledgeSnippet, Link, Position, SiteMessages,
};
pub use self::hours::{BusinessHours, DateOverride, Holiday, Interval, parse_date, parse_time};
pub use self::people::{
    CannedReply, FieldKind, FormField, FormStyle, HandoffRules, PreChatForm, Team, Turnstile,
    Webhook, WebhookFormat,
};
pub use self::regression::{
    ExpectedOutcome, MAX_REGRESSION_QUESTIONS, RegressionQuestion, validate_regression_questions,
};
use crate::campaign::{Campaign, CampaignLimits};
pub use crate::vocab::Locale;

/// One site's configuration, stored in KV under the site id and seeded from `sites/*.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Where editors find the JSON Schema (`schema/site.schema.json`); ignored by Baton.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Short id used in URLs and in the script tag's `data-site`: lowercase letters, digits and `-`.
    pub id: String,
    /// The business name shown to visitors.
    pub name: String,
    /// Origins allowed to embed the widget: `https://shop.example`, or `http://localhost:*` for any port.
    pub allowed_origins: Vec<String>,
    /// The language of visitor-facing texts Baton writes itself (`en` or `fr`).
    #[serde(default = "default_locale")]
    pub locale: Locale,
    /// IANA timezone of the business hours, e.g. `Europe/London`.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default)]
    pub business_hours: BusinessHours,
    /// Who answers what; the first team serving an intent gets its handoffs.
    #[serde(default)]
    pub teams: Vec<Team>,
    #[serde(default)]
    pub messages: SiteMessages,
    #[serde(default)]
    pub appearance: Appearance,
    pub faq: Vec<FaqEntry>,
    /// The site's own words that mean the same thing, one group per list of single words, e.g.
    /// `[["decaf", "decaffeinated"]]`; added to the built-in customer-service lexicon.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    /// Passages the AI may ground answers on.
    #[serde(default)]
    pub knowledge: Vec<KnowledgeSnippet>,
    #[serde(default)]
    pub handoff: HandoffRules,
    #[serde(default)]
    pub pre_chat: PreChatForm,
    /// Which AI answers what the FAQ does not, grounded on the FAQ and `knowledge`.
    #[serde(default)]
    pub ai: AiSettings,
    /// How long handoff packages (and, later, archived conversations) are kept, in days. The metrics ledger keeps
    /// a visitor's personal fields (email, the questions Baton could not answer) this long too.
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
    /// How long the metrics ledger keeps events and conversation facts (without personal fields after
    /// `retention_days`), in days: 395 by default, a year and a month, so a month compares with a year before.
    #[serde(default = "default_metrics_retention_days")]
    pub metrics_retention_days: u32,
    /// When the chat speaks first: proactive bubbles, popups, banners and lead forms (see `campaign`).
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    /// Site-wide limits over all campaigns.
    #[serde(default)]
    pub campaign_limits: CampaignLimits,
    /// What counts as a conversion in the metrics: `Baton('track', event, {value})` for one of these goals.
    #[serde(default)]
    pub goals: Vec<SiteGoal>,
    /// How long after a handoff (or a conversation's start) a goal counts as its conversion, in days.
    #[serde(default = "default_conversion_window_days")]
    pub conversion_window_days: u32,
    /// Ready-made replies agents insert from the console.
    #[serde(default)]
    pub canned_replies: Vec<CannedReply>,
    /// Where handoffs are announced (Slack incoming webhooks or any HTTPS endpoint), signed with the site's
    /// webhook secret.
    #[serde(default)]
    pub webhooks: Vec<Webhook>,
    /// Cloudflare Turnstile on conversation creation: the widget shows the challenge with this site key, and the
    /// worker checks its token with the secret `BATON_TURNSTILE_SECRET_{SITE}` before a conversation starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile: Option<Turnstile>,
    /// Questions the site cares about, with the outcome each should get: the studio checks them against a draft
    /// before it is published (see `regression.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regression_questions: Vec<RegressionQuestion>,
}

fn default_locale() -> Locale {
    Locale::default()
}

pub(crate) fn default_retention_days() -> u32 {
    30
}

pub(crate) fn default_metrics_retention_days() -> u32 {
    395
}

fn default_conversion_window_days() -> u32 {
    7
}

/// A site goal: an event the page tracks that the metrics count as a conversion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteGoal {
    /// The name the page tracks (`Baton('track', "purchase", {value: 49})`).
    pub event: String,
    /// How reports name it; the event when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

fn default_timezone() -> String {
    "UTC".into()
}

/// The locales Baton has texts for.
pub const LOCALES: &[&str] = Locale::SUPPORTED;

/// The default lowest calibrated confidence at which an FAQ entry answers (`handoff.confidence_threshold`); below
/// it, the matcher declines. On the CLINC150 dev set (K = 10) it keeps 73.2 % of in-scope questions answered right
/// while declining 59 % of out-of-scope ones. (`faq::ANSWER_THRESHOLD` names it too.)
pub const ANSWER_THRESHOLD: f32 = 0.3;

/// A problem found in a configuration: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// `faq[3].question`, or `line 4, column 7` for syntax errors.
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

/// The longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 4_000;

impl SiteConfig {
    /// The JSON Schema of a site file, generated from these types (shipped as `schema/site.schema.json`).
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(SiteConfig);
        serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
    }

    /// Parses and validates a configuration, returning every problem found.
    pub fn from_json(json: &str) -> Result<SiteConfig, Vec<ConfigError>> {
        let config: SiteConfig = serde_json::from_str(json).map_err(|error| {
            vec![ConfigError {
                path: format!("line {}, column {}", error.line(), error.column()),
                problem: strip_position(&error.to_string()),
            }]
        })?;
        let errors = config.validate();
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }
}

/// serde_json appends " at line L column C"; the path already says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests;
