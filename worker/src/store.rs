//! The one adapter to KV: every key name Baton stores lives here.

use baton_shared::config::SiteConfig;
use baton_shared::conversation::Transcript;
use baton_shared::handoff::HandoffPackage;
use baton_shared::protocol::WidgetConfig;
use serde::{Deserialize, Serialize};
use worker::Env;
use worker::kv::KvStore;

use crate::error::ApiError;

/// The KV binding's name, as in `wrangler.toml`.
pub const KV_BINDING: &str = "BATON_KV";

/// How long a conversation is kept after its last message, in seconds (30 days).
const CONVERSATION_TTL_SECONDS: u64 = 30 * 24 * 60 * 60;

/// A conversation as stored in KV under `conversation:{site}:{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredConversation {
    pub id: String,
    pub site_id: String,
    pub visitor_token: String,
    pub created_at_ms: u64,
    #[serde(default)]
    pub page_url: Option<String>,
    #[serde(default)]
    pub referrer: Option<String>,
    /// The visitor's IANA timezone, from their browser.
    #[serde(default)]
    pub timezone: Option<String>,
    pub transcript: Transcript,
}

/// A site's configuration, parsed, with the text it was stored as (its version is a fingerprint of that text).
pub struct StoredSite {
    pub config: SiteConfig,
    pub json: String,
}

pub struct Store {
    kv: KvStore,
}

impl Store {
    pub fn from_env(env: &Env) -> worker::Result<Store> {
        Ok(Store {
            kv: env.kv(KV_BINDING)?,
        })
    }

    /// The key of a site's configuration; `cargo xtask dev` seeds `site:demo`.
    pub fn site_key(site_id: &str) -> String {
        format!("site:{site_id}")
    }

    fn conversation_key(site_id: &str, conversation_id: &str) -> String {
        format!("conversation:{site_id}:{conversation_id}")
    }

    /// A site's configuration. Ids that could never be stored are answered as absent without a KV read.
    pub async fn site(&self, site_id: &str) -> Result<Option<StoredSite>, ApiError> {
        if !is_key_segment(site_id) {
            return Ok(None);
        }
        let Some(json) = self.kv.get(&Store::site_key(site_id)).text().await? else {
            return Ok(None);
        };
        let config = serde_json::from_str(&json).map_err(|error| {
            ApiError::Internal(format!("stored site {site_id} does not parse: {error}"))
        })?;
        Ok(Some(StoredSite { config, json }))
    }

    /// The widget configuration cached for a site, whatever its version (the caller compares).
    pub async fn widget_config(&self, site_id: &str) -> Result<Option<WidgetConfig>, ApiError> {
        let key = Store::widget_config_key(site_id);
        let Some(json) = self.kv.get(&key).text().await? else {
            return Ok(None);
        };
        // A copy written by an older build may not parse: it is simply rebuilt.
        Ok(serde_json::from_str(&json).ok())
    }

    /// Caches a site's widget configuration; it is replaced when the site's version changes.
    pub async fn put_widget_config(
        &self,
        site_id: &str,
        widget_config: &WidgetConfig,
    ) -> Result<(), ApiError> {
        self.put_json(&Store::widget_config_key(site_id), widget_config, None)
            .await
    }

    fn widget_config_key(site_id: &str) -> String {
        format!("widget:{site_id}")
    }

    pub async fn conversation(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<Option<StoredConversation>, ApiError> {
        if !is_key_segment(conversation_id) {
            return Ok(None);
        }
        let key = Store::conversation_key(site_id, conversation_id);
        let Some(json) = self.kv.get(&key).text().await? else {
            return Ok(None);
        };
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|error| ApiError::Internal(format!("stored {key} does not parse: {error}")))
    }

    pub async fn put_conversation(
        &self,
        conversation: &StoredConversation,
    ) -> Result<(), ApiError> {
        let key = Store::conversation_key(&conversation.site_id, &conversation.id);
        self.put_json(&key, conversation, Some(CONVERSATION_TTL_SECONDS))
            .await
    }

    /// Stores the package an agent reads for a handed-over conversation, kept for the site's retention. A later
    /// handoff of the same conversation replaces it.
    pub async fn put_handoff_package(
        &self,
        site: &SiteConfig,
        package: &HandoffPackage,
    ) -> Result<(), ApiError> {
        let key = Store::handoff_package_key(&site.id, &package.conversation_id);
        let ttl_seconds = u64::from(site.retention_days) * 24 * 60 * 60;
        self.put_json(&key, package, Some(ttl_seconds)).await
    }

    /// Writes `value` as JSON under `key`, expiring after `ttl_seconds` when given.
    async fn put_json<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        ttl_seconds: Option<u64>,
    ) -> Result<(), ApiError> {
        let json = serde_json::to_string(value)
            .map_err(|error| ApiError::Internal(format!("serialising {key}: {error}")))?;
        let put = self.kv.put(key, json)?;
        match ttl_seconds {
            Some(ttl) => put.expiration_ttl(ttl).execute().await?,
            None => put.execute().await?,
        }
        Ok(())
    }

    /// The key of a conversation's handoff package.
    pub fn handoff_package_key(site_id: &str, conversation_id: &str) -> String {
        format!("handoff:{site_id}:{conversation_id}")
    }
}

/// Ids that can appear in a key: short, and free of the `:` separator.
fn is_key_segment(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
