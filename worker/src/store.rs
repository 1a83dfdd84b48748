//! The one adapter to KV: every key name Baton stores lives here.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use baton_shared::config::{FieldKind, SiteConfig};
use baton_shared::conversation::Transcript;
use baton_shared::faq::FaqIndex;
use baton_shared::grounding::Knowledge;
use baton_shared::handoff::{Handoff, HandoffPackage};
use baton_shared::protocol::{FieldValue, Identified, WidgetConfig};
use serde::de::DeserializeOwned;
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
    /// Who the visitor said they are (`identify`).
    #[serde(default)]
    pub visitor: Identified,
    /// Pre-chat answers, one per field id, latest kept.
    #[serde(default)]
    pub fields: Vec<FieldValue>,
    /// When the visitor ticked the site's consent checkbox.
    #[serde(default)]
    pub consent_at_ms: Option<u64>,
    /// A handoff waiting for fields, or for someone to be free: given again when the visitor sends the fields.
    #[serde(default)]
    pub pending_handoff: Option<Handoff>,
}

impl StoredConversation {
    /// The pre-chat field ids the conversation knows, counting a name or email given through `identify`.
    pub fn fields_known<'a>(&'a self, site: &'a SiteConfig) -> Vec<&'a str> {
        site.pre_chat
            .fields
            .iter()
            .filter(|field| {
                self.fields.iter().any(|answer| answer.id == field.id)
                    || match field.kind {
                        FieldKind::Name => self.visitor.name.is_some(),
                        FieldKind::Email => self.visitor.email.is_some(),
                        _ => false,
                    }
            })
            .map(|field| field.id.as_str())
            .collect()
    }

    /// The answers as the agent reads them: the field's label and the value.
    pub fn labelled_fields(&self, site: &SiteConfig) -> Vec<(String, String)> {
        self.fields
            .iter()
            .map(|answer| {
                let label = site
                    .pre_chat
                    .fields
                    .iter()
                    .find(|field| field.id == answer.id)
                    .map_or(answer.id.clone(), |field| field.label.clone());
                (label, answer.value.clone())
            })
            .collect()
    }

    /// The visitor's name or email: from `identify`, else from a pre-chat field of that kind.
    pub fn visitor_detail(&self, site: &SiteConfig, kind: FieldKind) -> Option<&str> {
        let identified = match kind {
            FieldKind::Name => self.visitor.name.as_deref(),
            FieldKind::Email => self.visitor.email.as_deref(),
            _ => None,
        };
        identified.or_else(|| {
            site.pre_chat
                .fields
                .iter()
                .filter(|field| field.kind == kind)
                .find_map(|field| self.fields.iter().find(|answer| answer.id == field.id))
                .map(|answer| answer.value.as_str())
        })
    }
}

/// A site's configuration, parsed, with the text it was stored as (its version is a fingerprint of that text), and
/// what is built from it once: the FAQ index and the searchable knowledge.
pub struct StoredSite {
    pub config: SiteConfig,
    pub json: String,
    pub index: FaqIndex,
    pub knowledge: Knowledge,
}

thread_local! {
    /// Sites already parsed and indexed by this isolate, by id. A KV read still comes first on every request; the
    /// copy is used only while the stored text is the same, so an edited site is picked up at once.
    static SITES: RefCell<HashMap<String, Rc<StoredSite>>> = RefCell::new(HashMap::new());
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
    pub async fn site(&self, site_id: &str) -> Result<Option<Rc<StoredSite>>, ApiError> {
        if !is_key_segment(site_id) {
            return Ok(None);
        }
        let Some(json) = self.kv.get(&Store::site_key(site_id)).text().await? else {
            return Ok(None);
        };
        let cached = SITES.with_borrow(|sites| sites.get(site_id).cloned());
        if let Some(site) = cached.filter(|site| site.json == json) {
            return Ok(Some(site));
        }
        let config: SiteConfig = serde_json::from_str(&json).map_err(|error| {
            ApiError::Internal(format!("stored site {site_id} does not parse: {error}"))
        })?;
        let site = Rc::new(StoredSite {
            index: FaqIndex::for_site(&config),
            knowledge: Knowledge::for_site(&config),
            config,
            json,
        });
        SITES.with_borrow_mut(|sites| sites.insert(site_id.to_string(), Rc::clone(&site)));
        Ok(Some(site))
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
        self.get_json(&Store::conversation_key(site_id, conversation_id))
            .await
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

    /// The package of a handed-over conversation, when there is one.
    pub async fn handoff_package(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<Option<HandoffPackage>, ApiError> {
        self.get_json(&Store::handoff_package_key(site_id, conversation_id))
            .await
    }

    /// The JSON value stored under `key`, when there is one.
    async fn get_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ApiError> {
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
