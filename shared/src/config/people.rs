//! Who answers and how: teams, the handoff rules, the pre-chat form, canned replies, webhooks and Turnstile.

use serde::{Deserialize, Serialize};

use super::ANSWER_THRESHOLD;
use crate::vocab::Intent;
pub use crate::vocab::{FieldKind, FormField};

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
    ANSWER_THRESHOLD
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

impl Webhook {
    /// What is wrong with the URL, worded as `baton check` words it, if anything.
    pub fn url_problem(&self) -> Option<String> {
        let url = &self.url;
        let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|prefix| url.starts_with(prefix));
        (!(url.starts_with("https://") || loopback) || url.len() > 2_048)
            .then(|| format!("\"{url}\" must be an https:// URL (http:// only on loopback)"))
    }
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
