//! The typed wire protocol between the widget, the worker and the tests: request and response bodies, error bodies,
//! and the URL paths of every route. Both sides serialise these types; nobody writes JSON by hand.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use crate::config::{
    Appearance, BusinessHours, FaqEntry, HandoffRules, PreChatForm, SiteConfig, SiteMessages, Team,
};
use crate::faq::FaqIndex;
use crate::handoff::HandoffReason;

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

/// URL paths of the HTTP API, in one place so the widget, the worker's route table and the tests agree.
pub mod paths {
    /// `GET`: liveness of the worker.
    pub const HEALTH: &str = "/v1/health";

    /// `GET`: what the widget needs to run on a site: the public configuration and the compiled FAQ index.
    pub fn widget_config(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/widget")
    }

    /// `POST`: start a conversation on a site.
    pub fn conversations(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/conversations")
    }

    /// `POST`: add a visitor message to a conversation. `GET` (with `?since=N`): the messages after sequence
    /// number `N`, as [`super::MessagesAppended`].
    pub fn messages(site_id: &str, conversation_id: &str) -> String {
        format!("/v1/sites/{site_id}/conversations/{conversation_id}/messages")
    }

    /// `GET`: the messages of a conversation after sequence number `since`.
    pub fn history(site_id: &str, conversation_id: &str, since: u64) -> String {
        format!("{}?since={since}", messages(site_id, conversation_id))
    }

    /// `POST`: who the visitor is ([`super::Identify`]); a `user_id` needs a token signed by the site.
    pub fn identify(site_id: &str, conversation_id: &str) -> String {
        format!("/v1/sites/{site_id}/conversations/{conversation_id}/identify")
    }

    /// `POST`: the pre-chat form's answers ([`super::SubmitForm`]).
    pub fn form(site_id: &str, conversation_id: &str) -> String {
        format!("/v1/sites/{site_id}/conversations/{conversation_id}/form")
    }

    /// WebSocket (`?ticket={socket ticket}&since=N`): the conversation live ([`super::live`]).
    pub fn live(site_id: &str, conversation_id: &str) -> String {
        format!("/v1/sites/{site_id}/conversations/{conversation_id}/live")
    }

    /// `POST`: the visitor's rating after the close ([`super::agent::Rate`]).
    pub fn csat(site_id: &str, conversation_id: &str) -> String {
        format!("/v1/sites/{site_id}/conversations/{conversation_id}/csat")
    }

    /// Admin. `POST`: create an agent ([`super::agent::CreateAgent`]); `GET`: list them.
    pub fn agents(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/agents")
    }

    /// Admin. `POST`: erase everything stored about one visitor ([`super::agent::Erase`]).
    pub fn erasure(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/erasure")
    }

    /// Agent. `GET`: who the token belongs to ([`super::agent::AgentSession`]).
    pub fn agent_me(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/agent/me")
    }

    /// Agent. `GET`: the inbox's items as JSON, or with `Upgrade: websocket` the live inbox.
    pub fn agent_inbox(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/agent/inbox")
    }

    /// Agent. `GET`: recent webhook deliveries and their status.
    pub fn agent_webhooks(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/agent/webhooks")
    }

    /// Agent. `GET`: a handed-over conversation ([`super::agent::AgentConversation`]); with `action` (`live`,
    /// `claim`, `transfer`, `close`), that action's route.
    pub fn agent_conversation(
        site_id: &str,
        conversation_id: &str,
        action: Option<&str>,
    ) -> String {
        match action {
            None => format!("/v1/sites/{site_id}/agent/conversations/{conversation_id}"),
            Some(action) => {
                format!("/v1/sites/{site_id}/agent/conversations/{conversation_id}/{action}")
            }
        }
    }

    /// Operator (`BATON_ADMIN_TOKEN`). `POST`: create a site with a starter configuration and its first admin
    /// ([`super::agent::CreateSite`]).
    pub const SITES: &str = "/v1/sites";

    /// Admin. `PATCH`: disable or enable an agent ([`super::agent::UpdateAgent`]); `DELETE`: delete it. Either
    /// stops the agent's token at once and closes their open sockets.
    pub fn agent(site_id: &str, agent_id: &str) -> String {
        format!("/v1/sites/{site_id}/agents/{agent_id}")
    }

    /// `POST` with a bearer token (the visitor's or an agent's): a short-lived, single-use ticket for one
    /// WebSocket ([`super::ticket::RequestTicket`] → [`super::ticket::SocketTicket`]). Sockets open with
    /// `?ticket=…` (plus `since`), never with a long-lived token in the URL.
    pub fn socket_tickets(site_id: &str) -> String {
        format!("/v1/sites/{site_id}/socket-tickets")
    }
}

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostMessage {
    /// Chosen by the widget; a retry with the same id is answered with the original result, never stored twice.
    pub client_message_id: String,
    pub text: String,
    /// The FAQ answer the widget already showed for this message (see [`crate::handoff::instant_answer`]). The
    /// worker records it as the reply instead of deciding again, so the transcript holds what the visitor saw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instant_answer: Option<AnswerSource>,
    /// The visitor pressed "Talk to a person" (`text` is that button's label): always a handoff.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chose_person: bool,
}

/// Response of `GET /v1/sites/{site}/widget`: served with an `ETag` (the version) and cacheable; the widget keeps
/// it in localStorage and revalidates with `If-None-Match`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidgetConfig {
    /// Changes whenever the site configuration or the index format changes; the `ETag` without quotes.
    pub version: String,
    pub site: WidgetSite,
    /// [`FaqIndex::to_bytes`] of `site`, base64 (standard alphabet, padded).
    pub faq_index: String,
}

impl WidgetConfig {
    /// Builds the widget's view of a site. `stored_json` is the configuration exactly as stored, so the version
    /// changes with any edit to it.
    pub fn for_site(config: &SiteConfig, stored_json: &str) -> WidgetConfig {
        let index = FaqIndex::for_site(config);
        let site = WidgetSite {
            id: config.id.clone(),
            name: config.name.clone(),
            locale: config.locale.clone(),
            teams: config.teams.clone(),
            messages: config.messages.clone(),
            appearance: config.appearance.clone(),
            faq: config
                .faq
                .iter()
                .map(|entry| FaqEntry {
                    alternates: Vec::new(),
                    ..entry.clone()
                })
                .collect(),
            handoff: config.handoff.clone(),
            pre_chat: config.pre_chat.clone(),
            turnstile: config.turnstile.clone(),
        };
        WidgetConfig {
            version: WidgetConfig::version_of(stored_json),
            site,
            faq_index: BASE64.encode(index.to_bytes()),
        }
    }

    /// The version [`WidgetConfig::for_site`] gives a configuration stored as `stored_json`, without building it.
    pub fn version_of(stored_json: &str) -> String {
        // The index holds terms canonicalised by the lexicon: a new lexicon is a new version.
        let lexicon: Vec<&[u8]> = crate::text::lexicon::words().map(str::as_bytes).collect();
        let lexicon = fnv1a64(&lexicon).to_le_bytes();
        format!(
            "{:016x}",
            fnv1a64(&[INDEX_FORMAT, &lexicon, stored_json.as_bytes()])
        )
    }

    /// The FAQ index carried in [`WidgetConfig::faq_index`].
    pub fn index(&self) -> Result<FaqIndex, String> {
        let bytes = BASE64
            .decode(&self.faq_index)
            .map_err(|error| format!("faq_index: not base64 ({error})"))?;
        FaqIndex::from_bytes(&bytes)
    }
}

/// The part of a site's configuration the widget uses: what it shows and what [`crate::handoff::instant_answer`]
/// reads. Origins, business hours, knowledge snippets and FAQ alternates stay with the worker (the alternates are
/// already in the compiled index); keeping the widget's decoder to these types keeps its download small.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidgetSite {
    pub id: String,
    pub name: String,
    pub locale: String,
    pub teams: Vec<Team>,
    pub messages: SiteMessages,
    pub appearance: Appearance,
    /// Every FAQ entry, in the configuration's order, with `alternates` left empty.
    pub faq: Vec<FaqEntry>,
    pub handoff: HandoffRules,
    pub pre_chat: PreChatForm,
    /// The Turnstile challenge the widget shows before a conversation starts, when the site asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile: Option<crate::config::Turnstile>,
}

impl WidgetSite {
    /// A site configuration the pure policies accept, with what the widget does not have left at its defaults.
    pub fn to_site_config(&self) -> SiteConfig {
        SiteConfig {
            schema: None,
            id: self.id.clone(),
            name: self.name.clone(),
            allowed_origins: Vec::new(),
            locale: self.locale.clone(),
            timezone: String::new(),
            business_hours: BusinessHours::default(),
            teams: self.teams.clone(),
            messages: self.messages.clone(),
            appearance: self.appearance.clone(),
            faq: self.faq.clone(),
            synonyms: Vec::new(),
            knowledge: Vec::new(),
            handoff: self.handoff.clone(),
            pre_chat: self.pre_chat.clone(),
            ai: Default::default(),
            retention_days: 1,
            popups: Vec::new(),
            canned_replies: Vec::new(),
            webhooks: Vec::new(),
            turnstile: self.turnstile.clone(),
        }
    }
}

/// Bumped when the compiled index or [`WidgetConfig`] changes shape, or how text becomes terms (stemming), so cached
/// copies are refetched. Lexicon changes need no bump: the version covers the lexicon's words.
const INDEX_FORMAT: &[u8] = b"widget-config-3";

/// FNV-1a, 64 bits: a stable, dependency-free fingerprint (not a security hash).
fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|part| part.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
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

/// One message of a conversation, as stored and as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Position in the conversation, starting at 1; strictly increasing.
    pub seq: u64,
    pub author: Author,
    /// The agent's name on agent messages (and on the system message saying they joined).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub text: String,
    /// Milliseconds since the Unix epoch, from the worker's clock.
    pub sent_at_ms: u64,
    /// Set on visitor messages: the id the widget chose, for idempotent retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_message_id: Option<String>,
    /// Set on automatic answers: where the answer came from and how sure Baton is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerSource>,
    /// Set on the system message announcing a handoff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff: Option<HandoffNotice>,
    /// Set on system messages about the people in the conversation: an agent joined, a transfer, a missed chat,
    /// the close.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<ConversationEvent>,
}

/// What happened, on a system message, for clients that react to it (the widget's header, its rating prompt).
/// Externally tagged (`{"agent_joined": {"agent_name": "Ana"}}`), which the widget decodes with the least code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationEvent {
    AgentJoined {
        agent_name: String,
    },
    /// Moved to another team's queue.
    Transferred {
        team: String,
    },
    /// Nobody replied within the site's target; `asks_email` when the conversation has no email yet.
    Missed {
        asks_email: bool,
    },
    Closed {
        outcome: live::CloseOutcome,
    },
}

/// What the widget needs to know about a handoff besides its text: why, to whom, and what the conversation waits
/// for. It drives the `handoff` event, the header's team, and the pre-chat form when fields are asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoffNotice {
    pub reason: HandoffReason,
    /// The team's name, as the visitor is told it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Ids of the pre-chat fields asked for (`pre_chat.fields[].id`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asks_for: Vec<String>,
    /// Nobody can reply now (outside business hours, or nobody available): the conversation waits in the queue.
    pub queued: bool,
    /// When the team is back, outside business hours (ms since the Unix epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_opening_ms: Option<u64>,
    /// The conversation's place in its team's queue (1 = next), when agents are online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_position: Option<usize>,
    /// The wait estimated from recent first replies, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_wait_ms: Option<u64>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Visitor,
    /// Baton itself: FAQ answers and AI answers.
    Ai,
    Agent,
    System,
}

/// Provenance of an automatic answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerSource {
    /// The FAQ entry that answered, or `None` for the fallback reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faq_entry_id: Option<String>,
    /// Confidence in [0, 1] that the answer addresses the question.
    pub confidence: f32,
    /// For an answer grounded on the site's content (AI or extracted), the passages it came from: `faq:{id}` or
    /// `kb:{snippet}.{chunk}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// Every error response of the API: `{"error": {"code": …, "message": …}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// A sentence for a developer: what is wrong and where (field path, line and column).
    pub message: String,
}

/// Machine-readable error codes; each maps to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed outside its body: a reserved header, a socket route without `Upgrade` (400).
    BadRequest,
    /// The body is not valid JSON for this route (400).
    InvalidJson,
    /// The JSON is well-formed but a field breaks a rule (400).
    InvalidField,
    /// Missing or wrong visitor token (401).
    Unauthorized,
    /// The request's `Origin` is not on the site's allowlist (403).
    OriginNotAllowed,
    /// The agent's token is valid but not for this site, team or conversation (403).
    Forbidden,
    /// The action lost a race or does not fit the current state: another agent claimed first (409).
    Conflict,
    /// No such site, conversation or route (404).
    NotFound,
    /// The route exists but not for this method (405).
    MethodNotAllowed,
    /// The body is over [`MAX_BODY_BYTES`] (413).
    PayloadTooLarge,
    /// The body is not `application/json` (415).
    UnsupportedMediaType,
    /// Too many requests from this visitor or address; `Retry-After` says when to try again (429).
    RateLimited,
    /// The conversation holds as many messages or bytes as it may; start a new one (409).
    ConversationFull,
    /// Something failed inside Baton; details are logged, never returned (500).
    Internal,
}

impl ErrorCode {
    /// The HTTP status code this error is sent with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest | ErrorCode::InvalidJson | ErrorCode::InvalidField => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::OriginNotAllowed | ErrorCode::Forbidden => 403,
            ErrorCode::Conflict | ErrorCode::ConversationFull => 409,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
        }
    }
}

/// A rule broken by one field of a request body, with the field's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where: `text`, `fields[1].value`, `consent`.
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
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
}

pub fn field_error(path: impl Into<String>, problem: impl Into<String>) -> FieldError {
    FieldError {
        path: path.into(),
        problem: problem.into(),
    }
}

pub mod agent;
pub mod live;
pub mod ticket;
mod visitor;

pub use self::visitor::{
    FieldValue, Identified, Identify, MAX_FIELD_CHARS, SubmitForm, ValueProblem, email_in_text,
    emails_in_text, value_problem,
};

#[cfg(test)]
mod tests;
