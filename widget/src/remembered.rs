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
        Remembered {
            // A copy an earlier widget kept in JSON reads as none until it is rewritten (`legacy.rs`, before the
            // chat's conversation starts): the form then asks again, which is safe.
            fields: storage.read_wire(Entry::KnownFields).unwrap_or_default(),
            consents: storage
                .read(Entry::Consents)
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect(),
        }
    }

    /// Remembers a lead form's answers and, when its box was ticked, its consent text.
    pub fn add(site_id: &str, fields: &[FieldValue], consent: Option<&str>) {
        let storage = SiteStorage::for_site(site_id);
        let mut known = Remembered::load(site_id).fields;
        for field in fields {
            known.retain(|old| old.id != field.id);
            known.push(field.clone());
        }
        storage.write_wire(Entry::KnownFields, &known);
        // One text a line: plain text, no JSON to decode (a text with a line break never matches, so it is asked
        // again, which is safe).
        if let Some(consent) = consent {
            let mut consents = storage.read(Entry::Consents).unwrap_or_default();
            consents.push_str(consent);
            consents.push('\n');
            storage.write(Entry::Consents, &consents);
        }
    }
}
