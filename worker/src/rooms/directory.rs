//! One Durable Object per site: the directory. It holds what must never lose a write to a race or lag behind a
//! change: the site's agent accounts (by the SHA-256 of their tokens; disabling or deleting one takes effect on the
//! next request everywhere, which KV's minute of propagation could not promise), the email index that erasure
//! searches (one key per email and conversation, so concurrent links never overwrite each other), and hourly
//! counters for clients that send no `Origin`, and the site's configuration history (`config.rs`: versions and the
//! draft, published one at a time). Requests are typed calls ([`DirectoryCall`]) with typed replies.

mod chunks;
mod config;

use baton_shared::protocol::CampaignCount;
use baton_shared::protocol::agent::{AgentProfile, AgentRole};
use futures_util::lock::Mutex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{DurableObject, Env, ListOptions, Request, Response, State, Storage, durable_object};

use crate::calls::directory::DirectoryCall;
use crate::calls::{self, to_json};
use crate::error::ApiError;
use crate::http::json_response;

const AGENT_PREFIX: &str = "agent:";
const AGENT_ID_PREFIX: &str = "agent-id:";
const EMAIL_PREFIX: &str = "email:";
const COUNT_PREFIX: &str = "count:";
/// Campaign counts, one key per day, campaign, variant, holdout and what: `campaign:{day}:{json key}`. The day
/// leads, so a range of days is a range of keys. They hold no visitor's data, and stay for reports.
const CAMPAIGN_PREFIX: &str = "campaign:";
const HOUR_MS: u64 = 60 * 60 * 1_000;

/// An hourly counter as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Count {
    hour: u64,
    n: u32,
}

#[durable_object]
pub struct SiteDirectory {
    state: State,
    env: Env,
    /// One configuration call at a time, across its KV write too (storage alone is serialised by the input gate,
    /// but a publish also awaits KV, and two publishes must not interleave).
    config_lock: Mutex<()>,
}

impl DurableObject for SiteDirectory {
    fn new(state: State, env: Env) -> Self {
        SiteDirectory {
            state,
            env,
            config_lock: Mutex::new(()),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let result = async {
            let envelope = calls::receive::<DirectoryCall>(&mut req).await?;
            self.answer(envelope.call, &envelope.site_id, envelope.now_ms)
                .await
        }
        .await;
        match result {
            Ok(response) => Ok(response),
            Err(error) => error.into_response(),
        }
    }

    /// Hourly counters are cleared once their hour has passed.
    async fn alarm(&self) -> worker::Result<Response> {
        let storage = self.state.storage();
        let keys = keys_with_prefix(&storage, COUNT_PREFIX).await;
        if let Ok(keys) = keys
            && !keys.is_empty()
        {
            storage.delete_multiple(keys).await?;
        }
        Response::ok("cleared")
    }
}

impl SiteDirectory {
    async fn answer(
        &self,
        call: DirectoryCall,
        site_id: &str,
        now_ms: u64,
    ) -> Result<Response, ApiError> {
        let storage = self.state.storage();
        match call {
            call @ (DirectoryCall::ConfigState
            | DirectoryCall::SaveDraft { .. }
            | DirectoryCall::DiscardDraft
            | DirectoryCall::Publish { .. }
            | DirectoryCall::Restore { .. }
            | DirectoryCall::Versions
            | DirectoryCall::Version { .. }
            | DirectoryCall::ConfigJson { .. }
            | DirectoryCall::CreateSite { .. }) => {
                let _held = self.config_lock.lock().await;
                config::answer(&storage, &self.env, site_id, now_ms, call).await
            }
            DirectoryCall::Authenticate { digest } => {
                let agent: Option<AgentProfile> =
                    get_json(&storage, &format!("{AGENT_PREFIX}{digest}")).await?;
                reply(&agent)
            }
            DirectoryCall::CreateAgent { digest, agent } => {
                storage
                    .put(&format!("{AGENT_PREFIX}{digest}"), to_json(&agent)?)
                    .await?;
                storage
                    .put(&format!("{AGENT_ID_PREFIX}{}", agent.id), digest)
                    .await?;
                reply(&agent)
            }
            DirectoryCall::ListAgents => reply(&self.agents().await?),
            DirectoryCall::SetDisabled { agent_id, disabled } => {
                let (digest, mut agent) = self.agent(&agent_id).await?;
                if disabled {
                    self.keep_an_admin(&agent).await?;
                }
                agent.disabled = disabled;
                storage
                    .put(&format!("{AGENT_PREFIX}{digest}"), to_json(&agent)?)
                    .await?;
                reply(&agent)
            }
            DirectoryCall::DeleteAgent { agent_id } => {
                let (digest, agent) = self.agent(&agent_id).await?;
                self.keep_an_admin(&agent).await?;
                storage
                    .delete_multiple(vec![
                        format!("{AGENT_PREFIX}{digest}"),
                        format!("{AGENT_ID_PREFIX}{agent_id}"),
                    ])
                    .await?;
                reply(&agent)
            }
            DirectoryCall::LinkEmail {
                digest,
                conversation_id,
            } => {
                storage
                    .put(
                        &format!("{EMAIL_PREFIX}{digest}:{conversation_id}"),
                        now_ms.to_string(),
                    )
                    .await?;
                reply(&())
            }
            DirectoryCall::ConversationsOfEmail {
                digest,
                newer_than_ms,
            } => {
                let prefix = format!("{EMAIL_PREFIX}{digest}:");
                let listed = storage
                    .list_with_options(ListOptions::new().prefix(&prefix))
                    .await?;
                let mut ids = Vec::new();
                for entry in listed.entries() {
                    let Ok(entry) = entry else { continue };
                    let pair = js_sys::Array::from(&entry);
                    let key = pair.get(0).as_string().unwrap_or_default();
                    let at: u64 = pair
                        .get(1)
                        .as_string()
                        .and_then(|at| at.parse().ok())
                        .unwrap_or(u64::MAX);
                    if at >= newer_than_ms
                        && let Some(id) = key.strip_prefix(&prefix)
                    {
                        ids.push(id.to_string());
                    }
                }
                reply(&ids)
            }
            DirectoryCall::ForgetConversations { conversation_ids } => {
                let keys: Vec<String> = keys_with_prefix(&storage, EMAIL_PREFIX)
                    .await?
                    .into_iter()
                    .filter(|key| {
                        key.rsplit_once(':')
                            .is_some_and(|(_, id)| conversation_ids.iter().any(|known| known == id))
                    })
                    .collect();
                let removed = keys.len() as u64;
                if !keys.is_empty() {
                    storage.delete_multiple(keys).await?;
                }
                reply(&removed)
            }
            DirectoryCall::CountHourly { key, limit } => {
                let (stored_key, count) = self.count(&key, now_ms).await?;
                if count.n >= limit {
                    return reply(&false);
                }
                let next = Count {
                    hour: count.hour,
                    n: count.n + 1,
                };
                storage.put(&stored_key, to_json(&next)?).await?;
                if storage.get_alarm().await?.is_none() {
                    super::set_alarm_at(&storage, (count.hour + 1) * HOUR_MS).await?;
                }
                reply(&true)
            }
            DirectoryCall::UnderHourly { key, limit } => {
                let (_, count) = self.count(&key, now_ms).await?;
                reply(&(count.n < limit))
            }
            DirectoryCall::CountCampaigns { counts } => {
                // Each key is read and written with no other call in between (the object's input gate), so
                // concurrent batches add up.
                for count in counts {
                    let key = campaign_key(&count)?;
                    let stored: u64 = storage.get::<u64>(&key).await?.unwrap_or(0);
                    storage.put(&key, stored + count.n).await?;
                }
                reply(&())
            }
            DirectoryCall::CampaignCounts { from, to } => {
                // `;` sorts right after `:`, so the end bound takes in every key of day `to`.
                let start = format!("{CAMPAIGN_PREFIX}{from}:");
                let end = format!("{CAMPAIGN_PREFIX}{to};");
                let listed = storage
                    .list_with_options(ListOptions::new().start(&start).end(&end))
                    .await?;
                let mut counts = Vec::new();
                for entry in listed.entries() {
                    let Ok(entry) = entry else { continue };
                    let pair = js_sys::Array::from(&entry);
                    let key = pair.get(0).as_string().unwrap_or_default();
                    let n = pair.get(1).as_f64().unwrap_or(0.0) as u64;
                    let Some((_, json)) = key
                        .strip_prefix(CAMPAIGN_PREFIX)
                        .and_then(|rest| rest.split_once(':'))
                    else {
                        continue;
                    };
                    if let Ok(mut count) = serde_json::from_str::<CampaignCount>(json) {
                        count.n = n;
                        counts.push(count);
                    }
                }
                reply(&counts)
            }
        }
    }

    async fn count(&self, key: &str, now_ms: u64) -> Result<(String, Count), ApiError> {
        let hour = now_ms / HOUR_MS;
        let stored_key = format!("{COUNT_PREFIX}{key}");
        let count = get_json::<Count>(&self.state.storage(), &stored_key)
            .await?
            .filter(|count| count.hour == hour)
            .unwrap_or(Count { hour, n: 0 });
        Ok((stored_key, count))
    }

    async fn agents(&self) -> Result<Vec<AgentProfile>, ApiError> {
        let storage = self.state.storage();
        let listed = storage
            .list_with_options(ListOptions::new().prefix(AGENT_PREFIX))
            .await?;
        let mut agents = Vec::new();
        for value in listed.values() {
            let json = value
                .ok()
                .and_then(|value| value.as_string())
                .unwrap_or_default();
            if let Ok(agent) = serde_json::from_str::<AgentProfile>(&json) {
                agents.push(agent);
            }
        }
        agents
            .sort_by(|a: &AgentProfile, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
        Ok(agents)
    }

    async fn agent(&self, agent_id: &str) -> Result<(String, AgentProfile), ApiError> {
        let storage = self.state.storage();
        let not_found = || ApiError::NotFound(format!("there is no agent \"{agent_id}\""));
        let digest: String = storage
            .get(&format!("{AGENT_ID_PREFIX}{agent_id}"))
            .await?
            .ok_or_else(not_found)?;
        let agent: AgentProfile = get_json(&storage, &format!("{AGENT_PREFIX}{digest}"))
            .await?
            .ok_or_else(not_found)?;
        Ok((digest, agent))
    }

    /// Refuses to take away the last enabled admin: nobody could manage the site after.
    async fn keep_an_admin(&self, leaving: &AgentProfile) -> Result<(), ApiError> {
        if leaving.role != AgentRole::Admin || leaving.disabled {
            return Ok(());
        }
        let others = self
            .agents()
            .await?
            .into_iter()
            .filter(|agent| {
                agent.role == AgentRole::Admin && !agent.disabled && agent.id != leaving.id
            })
            .count();
        if others == 0 {
            return Err(ApiError::Conflict(format!(
                "{} is the site's last enabled admin; make another admin first",
                leaving.name
            )));
        }
        Ok(())
    }
}

/// A count's key: its day, then the count itself as JSON without `n` (ids may hold any character).
fn campaign_key(count: &CampaignCount) -> Result<String, ApiError> {
    let row = CampaignCount {
        n: 0,
        ..count.clone()
    };
    Ok(format!("{CAMPAIGN_PREFIX}{}:{}", count.day, to_json(&row)?))
}

fn reply<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    Ok(json_response(value, 200)?)
}

async fn get_json<T: DeserializeOwned>(
    storage: &Storage,
    key: &str,
) -> Result<Option<T>, ApiError> {
    let json: Option<String> = storage.get(key).await?;
    json.map(|json| {
        serde_json::from_str(&json)
            .map_err(|error| ApiError::Internal(format!("stored {key} does not parse: {error}")))
    })
    .transpose()
}

async fn keys_with_prefix(storage: &Storage, prefix: &str) -> Result<Vec<String>, ApiError> {
    let listed = storage
        .list_with_options(ListOptions::new().prefix(prefix))
        .await?;
    Ok(listed
        .keys()
        .into_iter()
        .filter_map(|key| key.ok().and_then(|key| key.as_string()))
        .collect())
}
