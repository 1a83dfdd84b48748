//! The site configuration: who the site is, which origins may embed it, what it says, and its FAQ entries.
//!
//! Parsing reports JSON syntax errors with line and column; validation reports every broken rule at once, each with
//! its field path (`faq[3].question: must not be empty`), so a site owner fixes a file in one pass.

mod hours;

use serde::{Deserialize, Serialize};

pub use self::hours::{BusinessHours, Holiday, Interval, parse_date, parse_time};
use crate::intent::Intent;
use crate::origin::OriginPattern;

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
    pub locale: String,
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
    /// How long handoff packages (and, later, archived conversations) are kept, in days.
    #[serde(default = "default_retention_days")]
    pub retention_days: u32,
    /// Proactive messages and popups; their rules come later. Kept as given.
    #[serde(default)]
    pub popups: Vec<serde_json::Value>,
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
}

/// A site's Cloudflare Turnstile widget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Turnstile {
    /// The public site key from Cloudflare's dashboard (`0x4AAAAAAA…`).
    pub site_key: String,
}

/// A reply an agent can insert with one click or shortcut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CannedReply {
    /// Shown in the console's list: "Refund policy".
    pub title: String,
    pub text: String,
}

/// One endpoint told about every handoff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// `https://…` (or `http://` on loopback, for development).
    pub url: String,
    #[serde(default)]
    pub format: WebhookFormat,
}

/// The body a webhook receives.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WebhookFormat {
    /// A Slack incoming-webhook message (`{"text": …, "blocks": …}`).
    Slack,
    /// The handoff as Baton's own JSON.
    #[default]
    Json,
}

fn default_locale() -> String {
    "en".into()
}

fn default_retention_days() -> u32 {
    30
}

fn default_timezone() -> String {
    "UTC".into()
}

/// The locales Baton has texts for.
pub const LOCALES: &[&str] = &["en", "fr"];

/// A group of agents and the intents it serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub id: String,
    /// Shown to visitors: "someone from Sales will join".
    pub name: String,
    pub intents: Vec<Intent>,
    /// The usual wait for a first reply, in minutes, promised to visitors.
    #[serde(default = "default_reply_minutes")]
    pub reply_minutes: u32,
    /// Words and phrases visitors use for this team's work (`"espresso machine"`, `"grinder"`): a message naming
    /// one is evidence for the team's intents.
    #[serde(default)]
    pub topics: Vec<String>,
}

fn default_reply_minutes() -> u32 {
    3
}

/// How the widget looks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appearance {
    /// Theme colour, `#rrggbb`.
    pub colour: String,
    pub position: Position,
    pub launcher_text: String,
    /// First message of every conversation.
    pub greeting: String,
    /// Stacking order of the widget on the host page.
    #[serde(default = "default_z_index")]
    pub z_index: u32,
}

fn default_z_index() -> u32 {
    2_147_483_000
}

impl Default for Appearance {
    fn default() -> Self {
        Appearance {
            colour: "#1f6f50".into(),
            position: Position::Right,
            launcher_text: "Chat with us".into(),
            greeting: "Hi! How can we help?".into(),
            z_index: default_z_index(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Left,
    Right,
}

/// A passage of the site's own content for grounding AI answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeSnippet {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    pub text: String,
}

/// The AI provider of a site. Base URL, model and key of `openai` come from the worker's vars and secrets
/// (`BATON_AI_BASE_URL`, `BATON_AI_MODEL`, `BATON_AI_API_KEY`); `model` here overrides the var for this site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AiSettings {
    #[serde(default)]
    pub provider: AiProvider,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AiProvider {
    /// No language model: an extractive answer from the site's knowledge passages, with its confidence.
    #[default]
    None,
    /// Any OpenAI-compatible `/chat/completions` endpoint.
    Openai,
    /// Cloudflare Workers AI through the worker's `AI` binding.
    WorkersAi,
}

/// When Baton hands a conversation to a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffRules {
    /// Topics (words or phrases) that always go to a person, e.g. "custom quote", "legal".
    #[serde(default)]
    pub always_topics: Vec<String>,
    /// Sensitive or private topics, e.g. "my account", "medical": handed off, never answered automatically.
    #[serde(default)]
    pub sensitive_topics: Vec<String>,
    /// Below this calibrated confidence an FAQ answer is not given.
    #[serde(default = "default_confidence_threshold")]
    pub confidence_threshold: f32,
    /// Visitor messages in a row without an answer before Baton offers a person.
    #[serde(default = "default_unanswered_turns")]
    pub unanswered_turns: u32,
    /// A handed-over conversation with no agent reply after this many seconds is missed: the visitor is offered to
    /// leave an email, and the console marks it.
    #[serde(default = "default_missed_after_seconds")]
    pub missed_after_seconds: u32,
    /// Give each new handoff to the next online agent of its team, in turn, instead of waiting for a claim.
    #[serde(default)]
    pub auto_assign: bool,
}

fn default_missed_after_seconds() -> u32 {
    180
}

fn default_confidence_threshold() -> f32 {
    crate::faq::ANSWER_THRESHOLD
}

fn default_unanswered_turns() -> u32 {
    2
}

impl Default for HandoffRules {
    fn default() -> Self {
        HandoffRules {
            always_topics: Vec::new(),
            sensitive_topics: Vec::new(),
            confidence_threshold: default_confidence_threshold(),
            unanswered_turns: default_unanswered_turns(),
            missed_after_seconds: default_missed_after_seconds(),
            auto_assign: false,
        }
    }
}

/// Context collected before or during a handoff.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreChatForm {
    /// Show the form before the visitor's first message. Otherwise fields are asked for only when a handoff needs
    /// them (`required_for`, and an email whenever nobody can reply now).
    #[serde(default)]
    pub before_chat: bool,
    /// How fields asked for by a handoff are collected: a small form, or one question at a time in the chat.
    #[serde(default)]
    pub style: FormStyle,
    #[serde(default)]
    pub fields: Vec<FormField>,
    /// When set, a consent checkbox with this text must be ticked.
    #[serde(default)]
    pub consent: Option<String>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FormStyle {
    #[default]
    Form,
    Conversational,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    pub id: String,
    pub kind: FieldKind,
    pub label: String,
    /// Always asked for when the form is shown before the chat (`pre_chat.before_chat`).
    #[serde(default)]
    pub required: bool,
    /// The intents for which this field is needed before a person joins; empty means never required.
    #[serde(default)]
    pub required_for: Vec<Intent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Name,
    Email,
    OrderNumber,
    Website,
    Custom,
}

/// A link shown under an FAQ answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Fixed texts the site shows to visitors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteMessages {
    /// Reply when no FAQ entry is a confident match.
    pub fallback: String,
}

impl Default for SiteMessages {
    fn default() -> Self {
        SiteMessages {
            fallback:
                "Sorry, I don't have an answer for that yet. Could you rephrase it, or ask about \
                       delivery, returns, pricing, booking or opening hours?"
                    .into(),
        }
    }
}

/// A question the site answers the same way every time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    /// Stable id, unique within the site: lowercase letters, digits and `-`.
    pub id: String,
    /// The question as the site owner would title it.
    pub question: String,
    /// Other ways visitors ask the same thing.
    #[serde(default)]
    pub alternates: Vec<String>,
    /// The answer shown to the visitor, in the safe markdown subset (bold, italics, links, lists).
    pub answer: String,
    /// Free labels; an intent name (`sales`, `billing`, …) also tells intent detection what the entry is about.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub links: Vec<Link>,
}

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

    /// Every rule the configuration breaks, in field order.
    pub fn validate(&self) -> Vec<ConfigError> {
        let mut errors = Errors::default();
        errors.check_slug("id", &self.id);
        errors.check_text("name", &self.name, 200);
        if self.allowed_origins.is_empty() {
            errors.push("allowed_origins", "must list at least one origin");
        }
        for (index, origin) in self.allowed_origins.iter().enumerate() {
            if let Err(problem) = OriginPattern::parse(origin) {
                errors.push(format!("allowed_origins[{index}]"), problem);
            }
        }
        if !LOCALES.contains(&self.locale.as_str()) {
            errors.push(
                "locale",
                format!(
                    "\"{}\" is not supported; use one of {}",
                    self.locale,
                    LOCALES.join(", ")
                ),
            );
        }
        if jiff::tz::TimeZone::get(&self.timezone).is_err() {
            errors.push(
                "timezone",
                format!(
                    "\"{}\" is not an IANA timezone such as Europe/London",
                    self.timezone
                ),
            );
        }
        errors.check_hours(&self.business_hours);
        if !(1..=3_650).contains(&self.retention_days) {
            errors.push("retention_days", "must be between 1 and 3650 days");
        }
        for (index, team) in self.teams.iter().enumerate() {
            let path = |field: &str| format!("teams[{index}].{field}");
            errors.check_id("teams", index, self.teams.iter().map(|team| &team.id));
            errors.check_text(&path("name"), &team.name, 80);
            if team.intents.is_empty() {
                errors.push(path("intents"), "must list at least one intent");
            }
            if team.reply_minutes == 0 || team.reply_minutes > 7 * 24 * 60 {
                errors.push(path("reply_minutes"), "must be between 1 and 10080 minutes");
            }
            for (position, topic) in team.topics.iter().enumerate() {
                errors.check_text(&format!("teams[{index}].topics[{position}]"), topic, 80);
            }
        }
        errors.check_text(
            "messages.fallback",
            &self.messages.fallback,
            MAX_ANSWER_CHARS,
        );
        let colour = &self.appearance.colour;
        let hex = colour.len() == 7
            && colour.starts_with('#')
            && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if !hex {
            errors.push(
                "appearance.colour",
                format!("\"{colour}\" must be a colour #rrggbb"),
            );
        }
        errors.check_text(
            "appearance.launcher_text",
            &self.appearance.launcher_text,
            40,
        );
        errors.check_text(
            "appearance.greeting",
            &self.appearance.greeting,
            MAX_ANSWER_CHARS,
        );
        for (index, entry) in self.faq.iter().enumerate() {
            let path = |field: &str| format!("faq[{index}].{field}");
            errors.check_id("faq", index, self.faq.iter().map(|entry| &entry.id));
            errors.check_text(&path("question"), &entry.question, 300);
            for (alt, alternate) in entry.alternates.iter().enumerate() {
                errors.check_text(&path(&format!("alternates[{alt}]")), alternate, 300);
            }
            errors.check_text(&path("answer"), &entry.answer, MAX_ANSWER_CHARS);
            for (link, item) in entry.links.iter().enumerate() {
                errors.check_text(&path(&format!("links[{link}].title")), &item.title, 120);
                errors.check_url(&path(&format!("links[{link}].url")), &item.url);
            }
        }
        for (index, group) in self.synonyms.iter().enumerate() {
            if group.len() < 2 {
                errors.push(format!("synonyms[{index}]"), "must list at least two words");
            }
            for (word_index, word) in group.iter().enumerate() {
                if word.split_whitespace().count() != 1 {
                    errors.push(
                        format!("synonyms[{index}][{word_index}]"),
                        format!("\"{word}\" must be one word"),
                    );
                }
            }
        }
        if let Some(model) = &self.ai.model {
            errors.check_text("ai.model", model, 200);
        }
        for (index, snippet) in self.knowledge.iter().enumerate() {
            errors.check_text(&format!("knowledge[{index}].title"), &snippet.title, 200);
            errors.check_text(&format!("knowledge[{index}].text"), &snippet.text, 20_000);
            if let Some(url) = &snippet.url {
                errors.check_url(&format!("knowledge[{index}].url"), url);
            }
        }
        let rules = &self.handoff;
        if !(0.0..=1.0).contains(&rules.confidence_threshold) {
            errors.push("handoff.confidence_threshold", "must be between 0 and 1");
        }
        if rules.unanswered_turns == 0 {
            errors.push("handoff.unanswered_turns", "must be at least 1");
        }
        if !(1..=86_400).contains(&rules.missed_after_seconds) {
            errors.push(
                "handoff.missed_after_seconds",
                "must be between 1 and 86400 seconds",
            );
        }
        for (index, reply) in self.canned_replies.iter().enumerate() {
            errors.check_text(&format!("canned_replies[{index}].title"), &reply.title, 80);
            errors.check_text(
                &format!("canned_replies[{index}].text"),
                &reply.text,
                MAX_ANSWER_CHARS,
            );
        }
        for (index, webhook) in self.webhooks.iter().enumerate() {
            let url = &webhook.url;
            let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                .iter()
                .any(|prefix| url.starts_with(prefix));
            if !(url.starts_with("https://") || loopback) || url.len() > 2_048 {
                errors.push(
                    format!("webhooks[{index}].url"),
                    format!("\"{url}\" must be an https:// URL (http:// only on loopback)"),
                );
            }
        }
        if let Some(turnstile) = &self.turnstile {
            errors.check_text("turnstile.site_key", &turnstile.site_key, 100);
        }
        for (list, topics) in [
            ("always_topics", &rules.always_topics),
            ("sensitive_topics", &rules.sensitive_topics),
        ] {
            for (index, topic) in topics.iter().enumerate() {
                errors.check_text(&format!("handoff.{list}[{index}]"), topic, 80);
            }
        }
        for (index, field) in self.pre_chat.fields.iter().enumerate() {
            let path = |name: &str| format!("pre_chat.fields[{index}].{name}");
            errors.check_id(
                "pre_chat.fields",
                index,
                self.pre_chat.fields.iter().map(|field| &field.id),
            );
            errors.check_text(&path("label"), &field.label, 80);
        }
        errors.0
    }
}

#[derive(Default)]
struct Errors(Vec<ConfigError>);

impl Errors {
    fn push(&mut self, path: impl Into<String>, problem: impl Into<String>) {
        self.0.push(ConfigError {
            path: path.into(),
            problem: problem.into(),
        });
    }

    fn check_text(&mut self, path: &str, value: &str, max_chars: usize) {
        let chars = value.chars().count();
        if value.trim().is_empty() {
            self.push(path, "must not be empty");
        } else if chars > max_chars {
            self.push(
                path,
                format!("must be at most {max_chars} characters (got {chars})"),
            );
        }
    }

    fn check_url(&mut self, path: &str, value: &str) {
        if !(value.starts_with("https://")
            || value.starts_with("http://")
            || value.starts_with('/'))
        {
            self.push(
                path,
                format!("\"{value}\" must be an http(s) URL or a path starting with /"),
            );
        }
    }

    fn check_hours(&mut self, hours: &BusinessHours) {
        for (day, intervals) in hours.days() {
            let mut previous_close = None;
            for (index, interval) in intervals.iter().enumerate() {
                let path = format!("business_hours.{day}[{index}]");
                let opens = parse_time(&interval.opens)
                    .map_err(|problem| self.push(format!("{path}.opens"), problem));
                let closes = parse_time(&interval.closes)
                    .map_err(|problem| self.push(format!("{path}.closes"), problem));
                let (Ok(opens), Ok(closes)) = (opens, closes) else {
                    continue;
                };
                if closes <= opens {
                    self.push(&path, "closes before it opens");
                } else if previous_close.is_some_and(|close| opens < close) {
                    self.push(&path, "overlaps the interval before it");
                }
                previous_close = Some(closes);
            }
        }
        for (index, holiday) in hours.holidays.iter().enumerate() {
            if let Err(problem) = parse_date(&holiday.date) {
                self.push(format!("business_hours.holidays[{index}].date"), problem);
            }
        }
    }

    /// The id of item `index` of the list at `list`: a valid slug, and not the id of an earlier item.
    fn check_id<'a>(&mut self, list: &str, index: usize, ids: impl Iterator<Item = &'a String>) {
        let ids: Vec<&String> = ids.take(index + 1).collect();
        let Some(id) = ids.get(index) else {
            return;
        };
        let path = format!("{list}[{index}].id");
        self.check_slug(&path, id);
        if let Some(first) = ids[..index].iter().position(|earlier| earlier == id) {
            self.push(path, format!("duplicates {list}[{first}].id \"{id}\""));
        }
    }

    fn check_slug(&mut self, path: &str, value: &str) {
        let valid = !value.is_empty()
            && value.len() <= 64
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            self.push(
                path,
                format!("\"{value}\" must be 1-64 lowercase letters, digits or '-'"),
            );
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
