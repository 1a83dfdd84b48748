//! The calls to a site's directory (`rooms::directory`), and its client.

use baton_shared::protocol::CampaignCount;
use baton_shared::protocol::agent::AgentProfile;
use baton_shared::protocol::site_config::{ConfigRef, Draft, VersionAuthor};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::Env;

use super::Envelope;
use crate::error::ApiError;

/// The binding's name, as in `wrangler.toml`.
const DIRECTORIES: &str = "DIRECTORIES";

/// A call to a site's directory.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum DirectoryCall {
    /// → `Option<AgentProfile>`: the account a token digest belongs to.
    Authenticate { digest: String },
    /// → `AgentProfile`.
    CreateAgent { digest: String, agent: AgentProfile },
    /// → `Vec<AgentProfile>`, oldest first.
    ListAgents,
    /// → `AgentProfile`; 404 for an unknown id, 409 when it would leave the site without an enabled admin.
    SetDisabled { agent_id: String, disabled: bool },
    /// → `AgentProfile` (as it was); same refusals.
    DeleteAgent { agent_id: String },
    /// → `()`: the email (by digest) appears in the conversation (linked at the call's time).
    LinkEmail {
        digest: String,
        conversation_id: String,
    },
    /// → `Vec<String>`: the conversations an email appears in, linked within `newer_than_ms`.
    ConversationsOfEmail { digest: String, newer_than_ms: u64 },
    /// → `u64`: how many links to these conversations were removed (erasure).
    ForgetConversations { conversation_ids: Vec<String> },
    /// → `bool`: counts one more event under `key` this hour (the call's); false (and not counted) when `limit` is reached.
    CountHourly { key: String, limit: u32 },
    /// → `bool`: whether `key` is still under `limit` this hour, without counting.
    UnderHourly { key: String, limit: u32 },
    /// → `()`: adds campaign counts (per day, campaign, variant, holdout and what), kept for reports.
    CountCampaigns { counts: Vec<CampaignCount> },
    /// → `Vec<CampaignCount>`: the stored counts of the days `from` to `to` (`YYYY-MM-DD`, both included).
    CampaignCounts { from: String, to: String },
    /// → `ConfigState`: the published version and the draft. Like every configuration call, it first records the
    /// configuration in KV as version 1 (authored `seed`) when the site has no history yet.
    ConfigState,
    /// → `Draft`: keeps the draft (replacing any), problems and all.
    SaveDraft { draft: Draft },
    /// → `ConfigState`: discards the draft, if any.
    DiscardDraft,
    /// → `VersionSummary`: publishes the draft as the next version and writes it to KV, clearing the draft; 409
    /// when there is no draft or `base_version` is not the published one, 400 listing the draft's problems.
    Publish {
        base_version: u32,
        note: String,
        author: VersionAuthor,
    },
    /// → `VersionSummary`: publishes a new version equal to `version` (404 for an unknown one); 409 when
    /// `base_version` is not the published one. The draft is kept.
    Restore {
        version: u32,
        base_version: u32,
        note: String,
        author: VersionAuthor,
    },
    /// → `VersionList`, newest first.
    Versions,
    /// → `ConfigVersion`; 404 for an unknown version.
    Version { version: u32 },
    /// → `serde_json::Value`: a version's configuration or the draft's, as JSON, for a diff; 404 when absent.
    ConfigJson { of: ConfigRef },
    /// → `VersionSummary`: a new site's starter configuration (`text`, valid JSON) as its version 1, then in KV;
    /// 409 when the site already has a history or a configuration in KV.
    CreateSite {
        text: String,
        note: String,
        author: VersionAuthor,
    },
}

/// Adds campaign counts the worker sees itself (a lead, a conversation, a handoff). Best effort: a report a count
/// short is better than a visitor's request failing, so a failure is only logged.
pub async fn count_campaign(env: &Env, site_id: &str, now_ms: u64, counts: Vec<CampaignCount>) {
    if counts.is_empty() {
        return;
    }
    let call = DirectoryCall::CountCampaigns { counts };
    if let Err(error) = ask::<()>(env, site_id, now_ms, call).await {
        worker::console_warn!("counting campaign events failed: {error:?}");
    }
}

/// Asks a site's directory, at `now_ms`.
pub async fn ask<T: DeserializeOwned>(
    env: &Env,
    site_id: &str,
    now_ms: u64,
    call: DirectoryCall,
) -> Result<T, ApiError> {
    let envelope = Envelope {
        site_id: site_id.to_string(),
        now_ms,
        call,
    };
    super::send(env, DIRECTORIES, site_id, &envelope).await
}
