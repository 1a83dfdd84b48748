//! What the visitor already told this site outside a chat, kept in localStorage per site: the answers they gave in
//! a campaign's lead form and the consent texts they ticked there. The pre-chat form does not ask for them again
//! (`form.rs`); a consent counts only for the very same text.

use baton_shared::protocol::FieldValue;

use crate::storage::{Entry, SiteStorage};

/// The visitor's remembered answers and consents on one site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Remembered {
    /// One answer per field id, the latest kept.
    pub fields: Vec<FieldValue>,
    /// Consent texts the visitor ticked, word for word.
    pub consents: Vec<String>,
}

impl Remembered {
    /// What this browser remembers for `site_id`.
    pub fn load(site_id: &str) -> Remembered {
        let storage = SiteStorage::for_site(site_id);
        let read = |entry| storage.read(entry).unwrap_or_default();
        Remembered {
            fields: serde_json::from_str(&read(Entry::KnownFields)).unwrap_or_default(),
            consents: serde_json::from_str(&read(Entry::Consents)).unwrap_or_default(),
        }
    }

    /// Adds a lead form's answers and, when its box was ticked, its consent text; then saves.
    pub fn add(&mut self, site_id: &str, fields: &[FieldValue], consent: Option<&str>) {
        for field in fields {
            self.fields.retain(|old| old.id != field.id);
            self.fields.push(field.clone());
        }
        if let Some(consent) = consent
            && !self.consents.iter().any(|known| known == consent)
        {
            self.consents.push(consent.to_string());
        }
        let storage = SiteStorage::for_site(site_id);
        for (entry, json) in [
            (Entry::KnownFields, serde_json::to_string(&self.fields)),
            (Entry::Consents, serde_json::to_string(&self.consents)),
        ] {
            if let Ok(json) = json {
                storage.write(entry, &json);
            }
        }
    }
}
