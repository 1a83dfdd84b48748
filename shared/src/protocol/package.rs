//! The handoff package as the worker stores it and the console reads it, with the model's summary that may join
//! it later and the frame that tells agents so. `HandoffPackage::build` (in `handoff`) assembles it from the
//! conversation and the decision.

use serde::{Deserialize, Serialize};

use crate::vocab::{HandoffReason, Intent};

/// What the agent reads when a conversation is handed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoffPackage {
    pub conversation_id: String,
    /// As the visitor gave them (typed, or passed by the page unsigned): not proof of who they are.
    pub visitor_name: Option<String>,
    pub visitor_email: Option<String>,
    /// The site's own user id, when the page passed one signed with the site's identity secret: the only part of
    /// the visitor's identity Baton has verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_user_id: Option<String>,
    pub page_url: Option<String>,
    pub referrer: Option<String>,
    /// At most three of the visitor's own sentences.
    pub summary: String,
    pub intent: Intent,
    pub intent_confidence: f32,
    /// The FAQ question closest to what the visitor asked, when anything matched.
    pub topic: Option<String>,
    /// Form fields given: label and value.
    pub fields: Vec<(String, String)>,
    /// What Baton already answered, oldest first, so the agent does not repeat it.
    pub previous_answers: Vec<String>,
    pub reason: HandoffReason,
    /// Team id and name, when the site has teams.
    pub team: Option<(String, String)>,
    /// The visitor's local time when handed over (`Tue 14:05, Europe/Paris`), when their timezone is known.
    pub visitor_local_time: Option<String>,
    pub handed_off_at_ms: u64,
    /// Nobody could reply when it was handed over: it waits in the queue (for the next business day when
    /// `next_opening_ms` is set).
    #[serde(default)]
    pub queued: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_opening_ms: Option<u64>,
    /// A language model's summary, beside `summary` (which is always there): asked in the background once the
    /// package is written (sites whose `ai.provider` is a model), so it arrives after the handoff or never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ai_summary: Option<AiSummary>,
    /// The campaign (and variant) whose click or lead form started the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<super::CampaignRef>,
    /// That campaign's name in the site's configuration, for the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_name: Option<String>,
    /// What the page said of the visitor with `Baton('identify', {attributes})`: name and value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
}

/// What the site's model made of the conversation for the agent, checked before it is kept: at most
/// `summary::MAX_MODEL_SUMMARY_CHARS`, and no number, email, link, order id or name the conversation does not
/// hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AiSummary {
    /// The summary passed the check.
    Written { model: String, text: String },
    /// The model failed, was too slow, or wrote something the check refused: the agent reads only `summary`.
    NotUsed { model: String, why: String },
}

impl AiSummary {
    /// The model asked.
    pub fn model(&self) -> &str {
        match self {
            AiSummary::Written { model, .. } | AiSummary::NotUsed { model, .. } => model,
        }
    }

    /// The summary, when it passed the check.
    pub fn text(&self) -> Option<&str> {
        match self {
            AiSummary::Written { text, .. } => Some(text),
            AiSummary::NotUsed { .. } => None,
        }
    }
}

/// A frame only the agents' sockets on a conversation receive (never a visitor's, so it is not a
/// `live::LiveEvent` and costs the widget nothing): `{"package_changed": {"package": …}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentLiveEvent {
    /// The handoff package changed after the handoff (the model's summary arrived).
    PackageChanged { package: HandoffPackage },
}
