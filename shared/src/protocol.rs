//! The typed wire protocol between the widget, the worker and the tests: request and response bodies, error bodies,
//! and the URL paths of every route. Both sides serialise these types; nobody writes JSON by hand.
//!
//! Plain data only: this module builds no index and computes no fingerprint (`widget_config.rs` builds a
//! [`WidgetConfig`]), and calls no policy. Messages are in `message.rs`, error bodies in `error.rs`, the handoff
//! package in `package.rs`, the URL paths in `paths.rs`, the agents' types in `agent.rs`, the live socket's frames
//! in `live.rs`, socket tickets in `ticket.rs`, and the visitor's identify and form in `visitor.rs`.

use serde::{Deserialize, Serialize};

use crate::campaign::{Campaign, CampaignLimits};
use crate::config::{
    Appearance, BusinessHours, FaqEntry, HandoffRules, Locale, PreChatForm, SiteConfig,
    SiteMessages, Team, Turnstile,
};

/// The largest request body the worker reads; anything longer is refused with 413 before it is parsed.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The most messages one conversation holds; past it, visitor posts and agent replies are refused (409
/// `conversation_full`) and the visitor starts a new conversation.
pub const MAX_CONVERSATION_MESSAGES: usize = 1_000;
/// The most message text one conversation stores, in bytes (the same refusal).
pub const MAX_CONVERSATION_BYTES: usize = 512 * 1024;
/// The longest visitor message, in characters. The widget shows the limit; the worker enforces it.
pub const MAX_MESSAGE_CHARS: usize = 2_000;
/// The longest client message id, in characters.
pub const MAX_CLIENT_MESSAGE_ID_CHARS: usize = 64;
/// The longest page URL kept with a conversation, in characters.
pub const MAX_PAGE_URL_CHARS: usize = 2_048;

/// Body of `POST /v1/sites/{site}/conversations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateConversation {
    /// The page the visitor was on when the conversation started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The page that sent the visitor to the site (`document.referrer`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The visitor's IANA timezone, from their browser, so agents and after-hours messages use their local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The Turnstile challenge's token, when the site asks for one (`turnstile` in its configuration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_token: Option<String>,
    /// The campaign whose click started this conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<CampaignRef>,
    /// The browser's anonymous visitor id (the one campaign events carry), so the metrics know a returning
    /// visitor. Pseudonymous: never a name or an email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<String>,
    /// The team the visitor asked for (a click-to-chat element's `data-baton-team`): one of the site's team ids;
    /// every handoff of the conversation goes to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

/// Response of `POST /v1/sites/{site}/conversations` (201).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationCreated {
    pub conversation_id: String,
    /// Proves later requests come from the visitor who started the conversation: sent as `Authorization: Bearer …`.
    pub visitor_token: String,
    /// The opening messages (the site's greeting).
    pub messages: Vec<Message>,
}

/// Body of `POST /v1/sites/{site}/conversations/{id}/messages`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostMessage {
    /// Chosen by the widget; a retry with the same id is answered with the original result, never stored twice.
    pub client_message_id: String,
    pub text: String,
    /// The FAQ answer the widget already showed for this message (see [`crate::handoff::instant_answer`]). The
    /// worker records it as the reply instead of deciding again, so the transcript holds what the visitor saw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instant_answer: Option<AnswerSource>,
    /// The visitor pressed "Talk to a person", or a [`Choice::Person`] (`text` is that button's label): always a
    /// handoff.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chose_person: bool,
    /// The visitor tapped a [`Choice::FaqEntry`] (`text` is its label): the entry's id. When the latest automatic
    /// answer offered it, that entry answers; otherwise the text is decided as usual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
}

/// Response of `GET /v1/sites/{site}/widget`: served with an `ETag` (the version) and cacheable; the widget keeps
/// it in localStorage and revalidates with `If-None-Match`. Every page view downloads it, so it holds what the
/// launcher and the campaigns need; the FAQ is a second answer, [`WidgetFaq`], fetched with the chat's module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidgetConfig {
    /// Changes whenever the site configuration or the index format changes; the `ETag` without quotes.
    /// [`WidgetConfig::for_site`] (in `widget_config.rs`) builds the whole response.
    pub version: String,
    pub site: WidgetSite,
    /// The visitor's country (ISO 3166 alpha-2, from `cf.country`), for campaigns' `country` audience; not part
    /// of `version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Response of `GET /v1/sites/{site}/widget/faq`: the site's FAQ, and the rules and words instant answers follow
/// ([`crate::handoff::instant_answer`]), as the widget's instant answers and quick replies use them, fetched when the
/// chat is likely to open (not on every page view), with an `ETag` like [`WidgetConfig`]'s and the same version
/// (both follow the stored configuration). [`WidgetFaq::for_site`] (in `widget_config.rs`) builds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidgetFaq {
    /// [`WidgetConfig::version`] of the same configuration.
    pub version: String,
    /// Every FAQ entry, in the configuration's order, with `alternates` left empty (they are in the index).
    pub faq: Vec<FaqEntry>,
    /// [`crate::faq::FaqIndex::to_bytes`] of the site: base64 (standard alphabet, padded) in JSON, the bytes in the
    /// wire encoding; [`WidgetFaq::index`] decodes it.
    #[serde(with = "wire::bytes")]
    pub faq_index: Vec<u8>,
    pub handoff: HandoffRules,
    pub messages: SiteMessages,
}

/// The part of a site's configuration the widget uses: what it shows and what [`crate::handoff::instant_answer`]
/// reads. Origins, business hours and knowledge snippets stay with the worker, and what only instant answers read
/// comes apart ([`WidgetFaq`]); keeping the widget's decoder to these types keeps its download small.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidgetSite {
    pub id: String,
    pub name: String,
    pub locale: Locale,
    pub teams: Vec<Team>,
    pub appearance: Appearance,
    pub pre_chat: PreChatForm,
    /// The Turnstile challenge the widget shows before a conversation starts, when the site asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile: Option<Turnstile>,
    /// The `live` campaigns only (drafts, paused and archived ones stay with the worker).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaigns: Vec<Campaign>,
    #[serde(default)]
    pub campaign_limits: CampaignLimits,
    /// The events the page tracks that are site goals (the widget reports only these).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
}

impl WidgetSite {
    /// A site configuration the pure policies accept, with `faq`'s entries and rules and what the widget does not
    /// have left at its defaults.
    pub fn to_site_config(&self, faq: &WidgetFaq) -> SiteConfig {
        SiteConfig {
            schema: None,
            id: self.id.clone(),
            name: self.name.clone(),
            allowed_origins: Vec::new(),
            locale: self.locale.clone(),
            timezone: String::new(),
            business_hours: BusinessHours::default(),
            teams: self.teams.clone(),
            messages: faq.messages.clone(),
            appearance: self.appearance.clone(),
            faq: faq.faq.clone(),
            synonyms: Vec::new(),
            knowledge: Vec::new(),
            handoff: faq.handoff.clone(),
            pre_chat: self.pre_chat.clone(),
            ai: Default::default(),
            retention_days: 1,
            metrics_retention_days: 1,
            campaigns: self.campaigns.clone(),
            campaign_limits: self.campaign_limits,
            goals: Vec::new(),
            conversion_window_days: 7,
            canned_replies: Vec::new(),
            webhooks: Vec::new(),
            turnstile: self.turnstile.clone(),
            regression_questions: Vec::new(),
        }
    }
}

/// Response of `POST …/messages` (200): the stored visitor message followed by the replies it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagesAppended {
    pub messages: Vec<Message>,
}

/// Response of `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

impl PostMessage {
    /// Checks the limits the worker enforces, returning every broken rule.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let id = self.client_message_id.trim();
        if id.is_empty() {
            errors.push(field_error("client_message_id", "must not be empty"));
        } else if id.chars().count() > MAX_CLIENT_MESSAGE_ID_CHARS {
            errors.push(field_error(
                "client_message_id",
                format!("must be at most {MAX_CLIENT_MESSAGE_ID_CHARS} characters"),
            ));
        }
        let chars = self.text.chars().count();
        if self.text.trim().is_empty() {
            errors.push(field_error("text", "must not be empty"));
        } else if chars > MAX_MESSAGE_CHARS {
            errors.push(field_error(
                "text",
                format!("must be at most {MAX_MESSAGE_CHARS} characters (got {chars})"),
            ));
        }
        if let Some(choice) = &self.choice {
            if choice.trim().is_empty() {
                errors.push(field_error("choice", "must name the FAQ entry tapped"));
            } else if choice.chars().count() > MAX_CLIENT_MESSAGE_ID_CHARS {
                errors.push(field_error(
                    "choice",
                    format!("must be at most {MAX_CLIENT_MESSAGE_ID_CHARS} characters"),
                ));
            }
            if self.chose_person {
                errors.push(field_error(
                    "choice",
                    "must not be given with chose_person (a person is a choice of its own)",
                ));
            }
        }
        if let Some(answer) = &self.instant_answer {
            match &answer.faq_entry_id {
                None => errors.push(field_error(
                    "instant_answer.faq_entry_id",
                    "must name the FAQ entry that answered",
                )),
                Some(id) if id.chars().count() > MAX_CLIENT_MESSAGE_ID_CHARS => {
                    errors.push(field_error(
                        "instant_answer.faq_entry_id",
                        format!("must be at most {MAX_CLIENT_MESSAGE_ID_CHARS} characters"),
                    ))
                }
                Some(_) => {}
            }
            if !(0.0..=1.0).contains(&answer.confidence) {
                errors.push(field_error(
                    "instant_answer.confidence",
                    "must be between 0 and 1",
                ));
            }
        }
        errors
    }
}

impl CreateConversation {
    /// Checks the limits the worker enforces, returning every broken rule.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(visitor) = &self.visitor {
            check_visitor_id(&mut errors, "visitor", visitor);
        }
        for (path, url) in [("page_url", &self.page_url), ("referrer", &self.referrer)] {
            if url
                .as_ref()
                .is_some_and(|url| url.chars().count() > MAX_PAGE_URL_CHARS)
            {
                errors.push(field_error(
                    path,
                    format!("must be at most {MAX_PAGE_URL_CHARS} characters"),
                ));
            }
        }
        if let Some(timezone) = &self.timezone
            && (timezone.len() > 64 || jiff::tz::TimeZone::get(timezone).is_err())
        {
            errors.push(field_error(
                "timezone",
                "must be an IANA timezone such as Europe/Paris",
            ));
        }
        if self
            .turnstile_token
            .as_ref()
            .is_some_and(|token| token.len() > 2_048)
        {
            errors.push(field_error(
                "turnstile_token",
                "must be at most 2048 characters",
            ));
        }
        errors
    }

    /// Every problem, against the site: the limits of [`CreateConversation::validate`], and `team` must be one
    /// of the site's teams.
    pub fn check(&self, config: &SiteConfig) -> Vec<FieldError> {
        let mut errors = self.validate();
        if let Some(team) = &self.team
            && !config.teams.iter().any(|known| &known.id == team)
        {
            let teams: Vec<&str> = config.teams.iter().map(|known| known.id.as_str()).collect();
            let known = if teams.is_empty() {
                "it has none".to_string()
            } else {
                format!("its teams are {}", teams.join(", "))
            };
            errors.push(field_error(
                "team",
                format!("site \"{}\" has no team \"{team}\" ({known})", config.id),
            ));
        }
        errors
    }
}

pub mod agent;
mod campaign;
mod error;
pub mod live;
mod message;
pub mod metrics;
mod package;
pub mod paths;
pub mod site_config;
pub mod ticket;
mod visitor;
pub mod wire;

pub use self::campaign::{
    CampaignCount, CampaignEvent, CampaignEvents, CampaignRef, CampaignResult, CampaignResults,
    CampaignWhat, Lead, LeadCreated, MAX_CAMPAIGN_EVENTS, StaffingNow, SubmitLead,
    check_visitor_id, days_between, parse_day, utc_day,
};
pub use self::error::{ErrorBody, ErrorCode, ErrorDetail, FieldError, field_error};
pub use self::message::{AnswerSource, Author, Choice, ConversationEvent, HandoffNotice, Message};
pub use self::package::{AgentLiveEvent, AiSummary, HandoffPackage};
pub use self::visitor::{
    FieldValue, Identified, Identify, MAX_FIELD_CHARS, SubmitForm, ValueProblem, email_in_text,
    emails_in_text, value_problem,
};

#[cfg(test)]
mod tests;
