//! The widget's localStorage entries, one set per site: what lets a conversation and the site's configuration
//! survive reloads and page changes. A storage that is missing or refuses (private mode, quota) only costs
//! continuity, never the chat itself.

use baton_shared::protocol::wire;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// An entry's name under `baton:{site}:`.
#[derive(Debug, Clone, Copy)]
pub enum Entry {
    /// The widget configuration, as received from the worker.
    WidgetConfig,
    /// The site's FAQ and its index, as received from the worker (with the chat).
    WidgetFaq,
    /// The visitor's conversation id and token (in the wire encoding).
    Session,
    /// The browser's anonymous visitor id (random), for campaign bucketing and reports.
    Visitor,
    /// This visit: when it started, the last page's time, the visit count and the first page's UTM tags (in the
    /// wire encoding).
    Visit,
    /// What the visitor did with each campaign (views, dismissals, clicks, goals), capped (in the wire encoding).
    CampaignHistory,
    /// Form fields the visitor gave (a campaign's lead form), so the pre-chat form does not ask them again (in the
    /// wire encoding).
    KnownFields,
    /// Consent texts the visitor ticked in a lead form, one a line, so the pre-chat form does not ask the same one
    /// again.
    Consents,
}

/// The localStorage entries of one site.
#[derive(Debug, Clone)]
pub struct SiteStorage {
    site_id: String,
}

impl SiteStorage {
    /// The browser's anonymous visitor id: 32 random hex digits, made once and kept.
    pub fn visitor_id(&self) -> String {
        if let Some(id) = self.read(Entry::Visitor).filter(|id| id.len() >= 16) {
            return id;
        }
        let id = web_sys::window()
            .and_then(|window| window.crypto().ok())
            .map(|crypto| crypto.random_uuid().replace('-', ""))
            .unwrap_or_else(|| {
                format!(
                    "v{}{}",
                    js_sys::Date::now() as u64,
                    (js_sys::Math::random() * 1e12) as u64
                )
            });
        self.write(Entry::Visitor, &id);
        id
    }

    pub fn for_site(site_id: &str) -> SiteStorage {
        SiteStorage {
            site_id: site_id.to_string(),
        }
    }

    fn key(&self, entry: Entry) -> String {
        let name = match entry {
            Entry::WidgetConfig => "widget-config",
            Entry::WidgetFaq => "widget-faq",
            Entry::Session => "session",
            Entry::Visitor => "visitor",
            Entry::Visit => "visit",
            Entry::CampaignHistory => "campaigns",
            Entry::KnownFields => "fields",
            Entry::Consents => "consents",
        };
        format!("baton:{}:{name}", self.site_id)
    }

    pub fn read(&self, entry: Entry) -> Option<String> {
        storage()?.get_item(&self.key(entry)).ok()?
    }

    pub fn write(&self, entry: Entry, value: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(&self.key(entry), value);
        }
    }

    /// An entry kept in the wire encoding, as its base64 text ([`SiteStorage::write_wire`]); `None` when there is
    /// none or it does not decode (a copy in JSON, from a widget before the wire encoding, is
    /// [`SiteStorage::json_copy`]).
    pub fn read_wire<T: DeserializeOwned>(&self, entry: Entry) -> Option<T> {
        let text = self.read(entry)?;
        wire::from_bytes(&wire::from_text(&text).ok()?).ok()
    }

    /// Keeps `value` in the wire encoding, as its base64 text: decoding it needs no JSON parser in the page-load
    /// module.
    pub fn write_wire<T: Serialize>(&self, entry: Entry, value: &T) {
        self.write(entry, &wire::to_text(&wire::to_bytes(value)));
    }

    /// The entry's text when it is JSON, as widgets before the wire encoding wrote it (an object or an array; base64
    /// never starts with `{` or `[`).
    pub fn json_copy(&self, entry: Entry) -> Option<String> {
        self.read(entry)
            .filter(|text| text.starts_with('{') || text.starts_with('['))
    }

    pub fn remove(&self, entry: Entry) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&self.key(entry));
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
