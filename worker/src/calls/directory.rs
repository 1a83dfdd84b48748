//! The calls to a site's directory (`rooms::directory`), and its client.

use baton_shared::protocol::CampaignCount;
use baton_shared::protocol::agent::AgentProfile;
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
    let stub = env
        .durable_object(DIRECTORIES)?
        .id_from_name(site_id)?
        .get_stub()?;
    let envelope = Envelope {
        site_id: site_id.to_string(),
        now_ms,
        call,
    };
    super::send(&stub, &envelope).await
}
