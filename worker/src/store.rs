//! The one adapter to KV ([`Kv`]): every key name Baton stores lives here (`lead:` among them). Two neighbours keep what is not KV's:
//! `sites.rs`, this isolate's cache of parsed sites, and `room.rs`, a conversation's Durable Object storage.

mod room;
mod sites;

use baton_shared::config::SiteConfig;
use baton_shared::conversation::Conversation;
use baton_shared::grounding::SiteEmbeddings;
use baton_shared::handoff::HandoffPackage;
use baton_shared::protocol::{Lead, WidgetConfig, WidgetFaq};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::Env;
use worker::kv::KvStore;

pub use self::room::{RoomStore, SharedOutbox, clear_outbox, outbox};
pub use self::sites::{StoredSite, forget_site, site, site_at};
use crate::calls::tally::{self, Op};
use crate::error::ApiError;

/// The KV binding's name, as in `wrangler.toml`.
pub const KV_BINDING: &str = "BATON_KV";

/// A closed conversation as archived for the site's retention: what the agent read and everything said.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchivedConversation {
    pub conversation: Conversation,
    pub package: Option<HandoffPackage>,
    pub closed_at_ms: u64,
}

/// How long a site's content vectors are kept unread before they are computed again.
const EMBEDDINGS_TTL_SECONDS: u64 = 30 * 24 * 60 * 60;

/// KV: sites, widget configurations, handoff packages, archives and the sites' content vectors.
pub struct Kv {
    kv: KvStore,
}

impl Kv {
    pub fn from_env(env: &Env) -> worker::Result<Kv> {
        Ok(Kv {
            kv: env.kv(KV_BINDING)?,
        })
    }

    /// The key of a site's configuration; `cargo xtask dev` seeds `site:demo`.
    pub fn site_key(site_id: &str) -> String {
        format!("site:{site_id}")
    }

    /// The stored text of a site's configuration.
    pub async fn site_json(&self, site_id: &str) -> Result<Option<String>, ApiError> {
        tally::count(site_id, Op::KvRead);
        Ok(self.kv.get(&Kv::site_key(site_id)).text().await?)
    }

    /// What the widget downloads of a site (its [`WidgetConfig`] or its [`WidgetFaq`]), as cached, whatever its
    /// version (the caller compares).
    pub async fn widget_part<T: WidgetPart>(&self, site_id: &str) -> Result<Option<T>, ApiError> {
        tally::count(site_id, Op::KvRead);
        let Some(json) = self.kv.get(&T::key(site_id)).text().await? else {
            return Ok(None);
        };
        // A copy written by an older build may not parse: it is simply rebuilt.
        Ok(serde_json::from_str(&json).ok())
    }

    /// Caches what the widget downloads of a site; it is replaced when the site's version changes.
    pub async fn put_widget_part<T: WidgetPart>(
        &self,
        site_id: &str,
        part: &T,
    ) -> Result<(), ApiError> {
        self.put_json(&T::key(site_id), part, None).await
    }

    /// Archives a closed conversation for the site's retention.
    pub async fn put_archive(
        &self,
        site: &SiteConfig,
        archive: &ArchivedConversation,
    ) -> Result<(), ApiError> {
        let key = Kv::archive_key(&site.id, &archive.conversation.id);
        self.put_json(&key, archive, Some(retention_seconds(site)))
            .await
    }

    pub async fn archive(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<Option<ArchivedConversation>, ApiError> {
        self.get_json(&Kv::archive_key(site_id, conversation_id))
            .await
    }

    /// Deletes what KV holds about one conversation: its handoff package and its archive; says which existed.
    pub async fn erase_conversation(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<(bool, bool), ApiError> {
        let package_key = Kv::handoff_package_key(site_id, conversation_id);
        let archive_key = Kv::archive_key(site_id, conversation_id);
        let had_package = self.kv.get(&package_key).text().await?.is_some();
        let had_archive = self.kv.get(&archive_key).text().await?.is_some();
        self.kv.delete(&package_key).await?;
        self.kv.delete(&archive_key).await?;
        Ok((had_package, had_archive))
    }

    /// Deletes a lead kept without a conversation; says whether it existed.
    pub async fn erase_lead(&self, site_id: &str, lead_id: &str) -> Result<bool, ApiError> {
        let key = Kv::lead_key(site_id, lead_id);
        let had_lead = self.kv.get(&key).text().await?.is_some();
        self.kv.delete(&key).await?;
        Ok(had_lead)
    }

    /// Stores a new site's configuration (validated by the caller).
    pub async fn put_site(&self, site_id: &str, json: &str) -> Result<(), ApiError> {
        self.kv.put(&Kv::site_key(site_id), json)?.execute().await?;
        Ok(())
    }

    fn archive_key(site_id: &str, conversation_id: &str) -> String {
        format!("archive:{site_id}:{conversation_id}")
    }

    /// Stores the package an agent reads for a handed-over conversation, kept for the site's retention. A later
    /// handoff of the same conversation replaces it.
    pub async fn put_handoff_package(
        &self,
        site: &SiteConfig,
        package: &HandoffPackage,
    ) -> Result<(), ApiError> {
        let key = Kv::handoff_package_key(&site.id, &package.conversation_id);
        self.put_json(&key, package, Some(retention_seconds(site)))
            .await
    }

    /// Stores a lead whose form names no team, kept for the site's retention under `lead:{site}:{lead}`.
    pub async fn put_lead(&self, site: &SiteConfig, lead: &Lead) -> Result<(), ApiError> {
        let key = Kv::lead_key(&site.id, &lead.lead_id);
        self.put_json(&key, lead, Some(retention_seconds(site)))
            .await
    }

    fn lead_key(site_id: &str, lead_id: &str) -> String {
        format!("lead:{site_id}:{lead_id}")
    }

    /// The package of a handed-over conversation, when there is one.
    pub async fn handoff_package(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<Option<HandoffPackage>, ApiError> {
        self.get_json(&Kv::handoff_package_key(site_id, conversation_id))
            .await
    }

    /// The JSON value stored under `key`, when there is one.
    async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ApiError> {
        count_key(key, Op::KvRead);
        let Some(json) = self.kv.get(key).text().await? else {
            return Ok(None);
        };
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|error| ApiError::Internal(format!("stored {key} does not parse: {error}")))
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
        count_key(key, Op::KvWrite);
        let put = self.kv.put(key, json)?;
        match ttl_seconds {
            Some(ttl) => put.expiration_ttl(ttl).execute().await?,
            None => put.execute().await?,
        }
        Ok(())
    }

    /// The vectors of a site's content at one version (a fingerprint of the embeddings model and the texts), for
    /// semantic matching.
    pub async fn site_embeddings(
        &self,
        site_id: &str,
        version: &str,
    ) -> Result<Option<SiteEmbeddings>, ApiError> {
        self.get_json(&Kv::embeddings_key(site_id, version)).await
    }

    pub async fn put_site_embeddings(
        &self,
        site_id: &str,
        version: &str,
        embeddings: &SiteEmbeddings,
    ) -> Result<(), ApiError> {
        let key = Kv::embeddings_key(site_id, version);
        self.put_json(&key, embeddings, Some(EMBEDDINGS_TTL_SECONDS))
            .await
    }

    fn embeddings_key(site_id: &str, version: &str) -> String {
        format!("embeddings:{site_id}:{version}")
    }

    /// The key of a conversation's handoff package.
    pub fn handoff_package_key(site_id: &str, conversation_id: &str) -> String {
        format!("handoff:{site_id}:{conversation_id}")
    }
}

/// Counts a KV operation for the site its key names (`{kind}:{site}:…`).
fn count_key(key: &str, op: Op) {
    if let Some(site_id) = key.split(':').nth(1) {
        tally::count(site_id, op);
    }
}

/// The site's retention, in seconds.
pub fn retention_seconds(site: &SiteConfig) -> u64 {
    u64::from(site.retention_days) * 24 * 60 * 60
}

/// Ids that can appear in a key: short, and free of the `:` separator.
pub fn is_key_segment(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What the widget downloads of a site, cached in KV under a key of its own per site: built from the stored
/// configuration by its route (`routes/widget_config.rs`), rebuilt when the version changes.
pub trait WidgetPart: Serialize + DeserializeOwned {
    /// The KV key of a site's copy.
    fn key(site_id: &str) -> String;
}

impl WidgetPart for WidgetConfig {
    fn key(site_id: &str) -> String {
        format!("widget:{site_id}")
    }
}

impl WidgetPart for WidgetFaq {
    fn key(site_id: &str) -> String {
        format!("widget-faq:{site_id}")
    }
}
