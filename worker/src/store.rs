//! The one adapter to KV: every key name Baton stores lives here.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use baton_shared::config::{FieldKind, SiteConfig};
use baton_shared::conversation::Transcript;
use baton_shared::faq::FaqIndex;
use baton_shared::grounding::Knowledge;
use baton_shared::handoff::{Handoff, HandoffPackage, Texts};
use baton_shared::protocol::live::CloseOutcome;
use baton_shared::protocol::{ConversationEvent, FieldValue, Identified, Message, WidgetConfig};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::kv::KvStore;
use worker::{Env, Storage};

use crate::error::ApiError;

/// The KV binding's name, as in `wrangler.toml`.
pub const KV_BINDING: &str = "BATON_KV";

/// A conversation as its Durable Object stores it.
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
    /// When it was last handed over to people; from then on the site inbox hears of every message.
    #[serde(default)]
    pub handed_over_at_ms: Option<u64>,
    /// The agent talking with the visitor. While one is, Baton does not answer the visitor itself.
    #[serde(default)]
    pub agent: Option<AssignedAgent>,
    /// How the last agent closed it.
    #[serde(default)]
    pub closed: Option<CloseOutcome>,
    /// The visitor's rating after the close, 1 to 5.
    #[serde(default)]
    pub csat: Option<u8>,
}

/// Who took a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignedAgent {
    pub id: String,
    pub name: String,
}

/// A closed conversation as archived for the site's retention: what the agent read and everything said.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchivedConversation {
    pub conversation: StoredConversation,
    pub package: Option<HandoffPackage>,
    pub closed_at_ms: u64,
}

impl StoredConversation {
    /// Records a pre-chat answer (trimmed), replacing an earlier answer to the same field.
    pub fn set_field(&mut self, id: String, value: &str) {
        let value = value.trim().to_string();
        match self.fields.iter_mut().find(|known| known.id == id) {
            Some(known) => known.value = value,
            None => self.fields.push(FieldValue { id, value }),
        }
    }

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

    /// An agent takes the conversation: from now on they answer, and the visitor is told who joined.
    pub fn agent_joins(&mut self, texts: Texts, agent: AssignedAgent, now_ms: u64) {
        self.transcript.push_event(
            texts.agent_joined(&agent.name),
            ConversationEvent::AgentJoined {
                agent_name: agent.name.clone(),
            },
            Some(agent.name.clone()),
            now_ms,
        );
        self.agent = Some(agent);
        self.closed = None;
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
    /// The fingerprint of `json` (`WidgetConfig::version_of`).
    pub version: String,
    pub index: FaqIndex,
    pub knowledge: Knowledge,
}

/// How long this isolate trusts its copy of a site without reading KV again. KV itself takes up to 60 s to show
/// an edit everywhere, so a few seconds more changes nothing a site owner sees, and it saves a KV read on nearly
/// every request.
pub const SITE_FRESH_MS: f64 = 5_000.0;

/// A site this isolate parsed and indexed, and when it last compared it with KV.
struct CachedSite {
    site: Rc<StoredSite>,
    checked_at_ms: f64,
}

thread_local! {
    /// Sites already parsed and indexed by this isolate, by id. Used without a KV read for [`SITE_FRESH_MS`]; after
    /// that the stored text is read again, and the copy kept only while the text is the same.
    static SITES: RefCell<HashMap<String, CachedSite>> = RefCell::new(HashMap::new());
}

/// KV, and inside a conversation's Durable Object, that object's storage: the conversation lives there alone.
pub struct Store {
    kv: KvStore,
    room: Option<Room>,
}

/// A conversation room's storage, and the room's in-memory copy of what it last read or wrote there. The room is
/// the conversation's only writer, so the copy is exact: it saves parsing the stored JSON on every request.
pub struct Room {
    pub storage: Storage,
    pub copy: Rc<RefCell<Option<StoredConversation>>>,
}

/// The key of the conversation (without its messages) in its Durable Object's storage.
const ROOM_CONVERSATION_KEY: &str = "conversation";
/// Each message under its own key, `msg:{seq, 12 digits}`, so keys list in order.
const ROOM_MESSAGE_PREFIX: &str = "msg:";

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value)
        .map_err(|error| ApiError::Internal(format!("serialising: {error}")))
}

impl Store {
    pub fn from_env(env: &Env) -> worker::Result<Store> {
        Ok(Store {
            kv: env.kv(KV_BINDING)?,
            room: None,
        })
    }

    /// The store of code running inside a conversation's Durable Object.
    pub fn in_room(env: &Env, room: Room) -> worker::Result<Store> {
        Ok(Store {
            kv: env.kv(KV_BINDING)?,
            room: Some(room),
        })
    }

    fn room(&self) -> Result<&Room, ApiError> {
        self.room.as_ref().ok_or_else(|| {
            ApiError::Internal("a conversation was read outside its Durable Object".into())
        })
    }

    /// The key of a site's configuration; `cargo xtask dev` seeds `site:demo`.
    pub fn site_key(site_id: &str) -> String {
        format!("site:{site_id}")
    }

    /// A site's configuration. Ids that could never be stored are answered as absent without a KV read.
    pub async fn site(&self, site_id: &str) -> Result<Option<Rc<StoredSite>>, ApiError> {
        self.read_site(site_id, true).await
    }

    /// The site, from this isolate's copy while it is fresh and `trust_copy` holds, else compared with KV.
    async fn read_site(
        &self,
        site_id: &str,
        trust_copy: bool,
    ) -> Result<Option<Rc<StoredSite>>, ApiError> {
        if !is_key_segment(site_id) {
            return Ok(None);
        }
        let now_ms = js_sys::Date::now();
        let cached = SITES.with_borrow(|sites| {
            sites
                .get(site_id)
                .map(|cached| (Rc::clone(&cached.site), cached.checked_at_ms))
        });
        if let Some((site, checked_at_ms)) = &cached
            && trust_copy
            && now_ms - checked_at_ms < SITE_FRESH_MS
        {
            return Ok(Some(Rc::clone(site)));
        }
        let Some(json) = self.kv.get(&Store::site_key(site_id)).text().await? else {
            SITES.with_borrow_mut(|sites| sites.remove(site_id));
            return Ok(None);
        };
        let site = match cached.filter(|(site, _)| site.json == json) {
            Some((site, _)) => site,
            None => {
                let config: SiteConfig = serde_json::from_str(&json).map_err(|error| {
                    ApiError::Internal(format!("stored site {site_id} does not parse: {error}"))
                })?;
                Rc::new(StoredSite {
                    index: FaqIndex::for_site(&config),
                    knowledge: Knowledge::for_site(&config),
                    version: WidgetConfig::version_of(&json),
                    config,
                    json,
                })
            }
        };
        SITES.with_borrow_mut(|sites| {
            sites.insert(
                site_id.to_string(),
                CachedSite {
                    site: Rc::clone(&site),
                    checked_at_ms: now_ms,
                },
            )
        });
        Ok(Some(site))
    }

    /// The site as this isolate has it, when that is `version`: the worker read the site from KV for this very
    /// request and passes its version along, so a room need not read it again. Otherwise, read as usual.
    pub async fn site_at(
        &self,
        site_id: &str,
        version: Option<&str>,
    ) -> Result<Option<Rc<StoredSite>>, ApiError> {
        let cached =
            SITES.with_borrow(|sites| sites.get(site_id).map(|cached| Rc::clone(&cached.site)));
        match (cached, version) {
            (Some(site), Some(version)) if site.version == version => Ok(Some(site)),
            // The worker saw another version than this isolate has: KV decides.
            (Some(_), Some(_)) => self.read_site(site_id, false).await,
            _ => self.site(site_id).await,
        }
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

    /// The room's conversation, when it was created (the room's name is the conversation's id on its site).
    pub async fn conversation(&self) -> Result<Option<StoredConversation>, ApiError> {
        let room = self.room()?;
        if let Some(copy) = room.copy.borrow().as_ref() {
            return Ok(Some(copy.clone()));
        }
        let json: Option<String> = room.storage.get(ROOM_CONVERSATION_KEY).await?;
        let Some(json) = json else {
            return Ok(None);
        };
        let mut conversation: StoredConversation =
            serde_json::from_str(&json).map_err(|error| {
                ApiError::Internal(format!("stored conversation does not parse: {error}"))
            })?;
        if conversation.transcript.messages.is_empty() {
            let listed = room
                .storage
                .list_with_options(worker::ListOptions::new().prefix(ROOM_MESSAGE_PREFIX))
                .await?;
            for value in listed.values() {
                let json = value
                    .ok()
                    .and_then(|value| value.as_string())
                    .ok_or_else(|| ApiError::Internal("a stored message is not text".into()))?;
                let message: Message = serde_json::from_str(&json).map_err(|error| {
                    ApiError::Internal(format!("stored message does not parse: {error}"))
                })?;
                conversation.transcript.messages.push(message);
            }
            conversation
                .transcript
                .messages
                .sort_by_key(|message| message.seq);
        } else {
            // Stored whole by an earlier build: split into one key per message now.
            room.copy.borrow_mut().take();
            self.write_conversation(&conversation, None).await?;
        }
        *room.copy.borrow_mut() = Some(conversation.clone());
        Ok(Some(conversation))
    }

    /// Writes the room's conversation: its header, and only the messages that are new or changed since the room's
    /// copy, each under its own key, so a message appended costs the same however long the conversation is. Its
    /// retention is the room's alarm (see `rooms::conversation`).
    pub async fn put_conversation(
        &self,
        conversation: &StoredConversation,
    ) -> Result<(), ApiError> {
        let room = self.room()?;
        let before = room.copy.borrow_mut().take();
        self.write_conversation(conversation, before.as_ref())
            .await?;
        *room.copy.borrow_mut() = Some(conversation.clone());
        Ok(())
    }

    async fn write_conversation(
        &self,
        conversation: &StoredConversation,
        before: Option<&StoredConversation>,
    ) -> Result<(), ApiError> {
        let room = self.room()?;
        let values = js_sys::Object::new();
        let set = |key: String, json: String| {
            js_sys::Reflect::set(&values, &key.into(), &json.into())
                .map(|_| ())
                .map_err(|_| ApiError::Internal("building the conversation write".into()))
        };
        let unchanged = |message: &Message| {
            before.is_some_and(|before| {
                before
                    .transcript
                    .messages
                    .binary_search_by_key(&message.seq, |known| known.seq)
                    .is_ok_and(|at| before.transcript.messages[at] == *message)
            })
        };
        for message in &conversation.transcript.messages {
            if !unchanged(message) {
                set(
                    format!("{ROOM_MESSAGE_PREFIX}{:012}", message.seq),
                    to_json(message)?,
                )?;
            }
        }
        let header = StoredConversation {
            transcript: Transcript::default(),
            ..conversation.clone()
        };
        set(ROOM_CONVERSATION_KEY.to_string(), to_json(&header)?)?;
        room.storage.put_multiple_raw(values).await?;
        Ok(())
    }

    /// Forgets the room's conversation entirely (erasure, or the end of its retention).
    pub async fn erase_room(&self) -> Result<(), ApiError> {
        let room = self.room()?;
        room.copy.borrow_mut().take();
        room.storage.delete_all().await?;
        Ok(())
    }

    /// Archives a closed conversation for the site's retention.
    pub async fn put_archive(
        &self,
        site: &SiteConfig,
        archive: &ArchivedConversation,
    ) -> Result<(), ApiError> {
        let key = Store::archive_key(&site.id, &archive.conversation.id);
        self.put_json(&key, archive, Some(retention_seconds(site)))
            .await
    }

    pub async fn archive(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<Option<ArchivedConversation>, ApiError> {
        self.get_json(&Store::archive_key(site_id, conversation_id))
            .await
    }

    /// Deletes what KV holds about one conversation: its handoff package and its archive; says which existed.
    pub async fn erase_conversation(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<(bool, bool), ApiError> {
        let package_key = Store::handoff_package_key(site_id, conversation_id);
        let archive_key = Store::archive_key(site_id, conversation_id);
        let had_package = self.kv.get(&package_key).text().await?.is_some();
        let had_archive = self.kv.get(&archive_key).text().await?.is_some();
        self.kv.delete(&package_key).await?;
        self.kv.delete(&archive_key).await?;
        Ok((had_package, had_archive))
    }

    /// Stores a new site's configuration (validated by the caller).
    pub async fn put_site(&self, site_id: &str, json: &str) -> Result<(), ApiError> {
        self.kv
            .put(&Store::site_key(site_id), json)?
            .execute()
            .await?;
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
        let key = Store::handoff_package_key(&site.id, &package.conversation_id);
        self.put_json(&key, package, Some(retention_seconds(site)))
            .await
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
