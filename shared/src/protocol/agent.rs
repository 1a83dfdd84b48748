//! The agents' side of the protocol: accounts, the site inbox (queues by team, presence) and the actions on a
//! handed-over conversation (claim, transfer, close). The console and the API tests speak these types.

use serde::{Deserialize, Serialize};

use super::live::CloseOutcome;
use super::{FieldError, HandoffPackage, Message, field_error};
use crate::config::SiteConfig;
use crate::vocab::{HandoffReason, Intent};

/// What an account may do: agents answer conversations of their teams; admins also manage accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentRole {
    Agent,
    Admin,
}

/// An agent account, as stored (under the SHA-256 of its token) and as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentProfile {
    pub id: String,
    pub site_id: String,
    /// Shown to visitors when the agent joins: "Ana joined the conversation."
    pub name: String,
    /// Team ids (`teams[].id`) whose conversations the agent takes.
    pub teams: Vec<String>,
    pub role: AgentRole,
    pub created_at_ms: u64,
    /// A disabled agent's token is refused (401) until an admin enables the account again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// Agent tokens name their site, so a console signs in with the token alone: `bat_{site}.{secret}`.
pub const AGENT_TOKEN_PREFIX: &str = "bat_";

/// The token for a new agent of `site_id`, around a random `secret`.
pub fn agent_token(site_id: &str, secret: &str) -> String {
    format!("{AGENT_TOKEN_PREFIX}{site_id}.{secret}")
}

/// The site an agent token belongs to, read from the token itself (the token is still checked by the worker).
pub fn agent_token_site(token: &str) -> Option<&str> {
    let (site, secret) = token.strip_prefix(AGENT_TOKEN_PREFIX)?.split_once('.')?;
    let valid = !site.is_empty()
        && site.len() <= 64
        && site
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !secret.is_empty();
    valid.then_some(site)
}

impl AgentProfile {
    pub fn serves(&self, team: Option<&str>) -> bool {
        self.role == AgentRole::Admin
            || team.is_none_or(|team| self.teams.iter().any(|own| own == team))
    }
}

/// Body of `POST /v1/sites/{site}/agents` (admin only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAgent {
    pub name: String,
    pub teams: Vec<String>,
    #[serde(default = "default_role")]
    pub role: AgentRole,
}

fn default_role() -> AgentRole {
    AgentRole::Agent
}

impl CreateAgent {
    /// The rules the account breaks on this site, with field paths.
    pub fn validate(&self, site: &SiteConfig) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name_chars = self.name.trim().chars().count();
        if name_chars == 0 || name_chars > 80 {
            errors.push(field_error("name", "must be 1 to 80 characters"));
        }
        // Admins serve every team; agents need at least one.
        if self.teams.is_empty() && !site.teams.is_empty() && self.role != AgentRole::Admin {
            errors.push(field_error("teams", "must list at least one team"));
        }
        for (index, team) in self.teams.iter().enumerate() {
            if !site.teams.iter().any(|known| &known.id == team) {
                let known: Vec<&str> = site.teams.iter().map(|team| team.id.as_str()).collect();
                errors.push(field_error(
                    format!("teams[{index}]"),
                    format!(
                        "site \"{}\" has no team \"{team}\" (it has: {})",
                        site.id,
                        known.join(", ")
                    ),
                ));
            }
        }
        errors
    }
}

/// Response of `POST …/agents` (201). The token is shown this once; only its SHA-256 is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentCreated {
    pub agent: AgentProfile,
    pub token: String,
}

/// Response of `GET …/agents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentList {
    pub agents: Vec<AgentProfile>,
}

/// Body of `PATCH /v1/sites/{site}/agents/{id}` (admin only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateAgent {
    pub disabled: bool,
}

/// Response of `DELETE /v1/sites/{site}/agents/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDeleted {
    pub agent_id: String,
}

/// Body of `POST /v1/sites` (the operator's `BATON_ADMIN_TOKEN` only): a new site with a starter configuration
/// (no FAQ yet, one team, the given origins) and its first admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSite {
    pub id: String,
    pub name: String,
    pub allowed_origins: Vec<String>,
    /// The first admin's name.
    pub admin_name: String,
}

/// Response of `POST /v1/sites` (201): the stored configuration's id and the first admin, whose token is shown
/// this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteCreated {
    pub site_id: String,
    pub admin: AgentCreated,
}

/// Where a webhook delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

/// One webhook delivery as an admin sees it: the endpoint without its secret path, never the body (which holds
/// visitors' names, emails and summaries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub conversation_id: String,
    /// Scheme and host of the endpoint, e.g. `https://hooks.slack.com/…` (Slack's path is its secret).
    pub endpoint: String,
    pub format: crate::config::WebhookFormat,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// Response of `GET /v1/sites/{site}/agent/webhooks` (admins only): the newest deliveries, newest last.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Deliveries {
    pub deliveries: Vec<DeliveryView>,
}

/// Whether an agent takes conversations now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceStatus {
    Online,
    Away,
    Offline,
}

/// One agent's presence as the inbox sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentPresence {
    pub agent_id: String,
    pub name: String,
    pub teams: Vec<String>,
    pub status: PresenceStatus,
    pub last_seen_ms: u64,
}

/// Where a handed-over conversation stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemState {
    /// In its team's queue, waiting for a claim.
    Waiting,
    Assigned {
        agent_id: String,
        agent_name: String,
    },
    Closed {
        outcome: CloseOutcome,
    },
}

/// One handed-over conversation in the site inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub conversation_id: String,
    /// Team id; `None` on a site without teams.
    pub team: Option<String>,
    pub reason: HandoffReason,
    pub intent: Intent,
    pub summary: String,
    pub visitor_name: Option<String>,
    /// The site signed the visitor's identity (a verified user id); otherwise name and email are as given.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub verified: bool,
    pub page_url: Option<String>,
    pub handed_off_at_ms: u64,
    /// After hours: waiting starts at the next opening, not at the handoff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at_ms: Option<u64>,
    #[serde(flatten)]
    pub state: ItemState,
    /// When an agent first replied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reply_at_ms: Option<u64>,
    /// No agent replied within the site's `handoff.missed_after_seconds`.
    #[serde(default)]
    pub missed: bool,
    /// The latest message's sequence number, and the latest the agents have read, for unread counts.
    #[serde(default)]
    pub last_seq: u64,
    #[serde(default)]
    pub read_seq: u64,
    /// The name of the campaign whose click or lead form started the conversation, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_name: Option<String>,
}

impl InboxItem {
    /// When the wait started: the handoff, or the next opening for a conversation handed over after hours.
    pub fn waiting_since_ms(&self) -> u64 {
        self.opens_at_ms.map_or(self.handed_off_at_ms, |opens| {
            opens.max(self.handed_off_at_ms)
        })
    }
}

/// Frames the site inbox's socket sends to a signed-in console.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboxEvent {
    /// On connect: every open item the agent may see, and who is online.
    Snapshot {
        items: Vec<InboxItem>,
        agents: Vec<AgentPresence>,
    },
    /// An item was added or changed.
    Item { item: Box<InboxItem> },
    /// Someone's presence changed.
    Presence { agents: Vec<AgentPresence> },
}

/// Frames a console sends on the inbox socket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboxCommand {
    /// A heartbeat, with the agent's chosen status; sent every [`HEARTBEAT_MS`].
    Presence { status: PresenceStatus },
}

/// How often a console says it is still there; an agent silent for three beats is offline.
pub const HEARTBEAT_MS: u64 = 20_000;

/// Body of `POST …/agent/conversations/{id}/close`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseConversation {
    pub outcome: CloseOutcome,
}

/// Body of `POST …/agent/conversations/{id}/transfer`: to a team's queue, or straight to an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferConversation {
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub agent_id: Option<String>,
}

/// Response of `GET …/agent/conversations/{id}` and of claim, transfer and close: what the console shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentConversation {
    pub item: InboxItem,
    pub package: Option<HandoffPackage>,
    pub messages: Vec<Message>,
}

/// Response of `GET …/agent/me`: who the token belongs to, and what the console needs from the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentSession {
    pub agent: AgentProfile,
    pub site_name: String,
    /// Team id and name.
    pub teams: Vec<(String, String)>,
    pub canned_replies: Vec<crate::config::CannedReply>,
}

/// Body of `POST /v1/sites/{site}/erasure` (admin only): everything stored about one visitor, found by the email
/// they gave or by a conversation id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erase {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
}

/// Response of the erasure: the conversations deleted, and how much of each kind of record went with them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Erased {
    pub conversations: Vec<String>,
    /// Messages deleted with the conversations' rooms.
    pub messages: u64,
    /// Handoff packages and archives deleted from KV.
    pub packages: u64,
    pub archives: u64,
    /// Inbox items and webhook deliveries (whose bodies held the visitor's details).
    pub inbox_items: u64,
    pub webhook_deliveries: u64,
    /// Entries of the email index that pointed at these conversations.
    pub email_links: u64,
    /// Leads kept without a conversation (their forms named no team), found by email like conversations.
    #[serde(default)]
    pub leads: u64,
    /// Events of the metrics ledger whose personal fields (email, the visitor's questions) were removed; the
    /// events themselves stay, so the counts do not change.
    #[serde(default)]
    pub ledger_events: u64,
}

/// Body of `POST /v1/sites/{site}/conversations/{id}/csat`: the visitor's rating after the close.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// 1 (bad) to 5 (great).
    pub rating: u8,
}

impl Rate {
    pub fn validate(&self) -> Vec<FieldError> {
        if (1..=5).contains(&self.rating) {
            Vec::new()
        } else {
            vec![field_error(
                "rating",
                format!("must be 1 to 5, got {}", self.rating),
            )]
        }
    }
}
