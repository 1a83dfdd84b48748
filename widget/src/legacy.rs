//! What widgets before the wire encoding kept in `localStorage` as JSON: the visit, the campaign history, the
//! conversation's session and the lead form's answers. Such a copy is read once and written again in the wire
//! encoding, so a returning visitor keeps their visit count, what they already saw, dismissed or clicked (rewritten
//! as the page loads), their conversation and the answers the pre-chat form need not ask again (rewritten as the
//! chat starts its conversation). The JSON decoding is in a module of its own, fetched only by a browser that still
//! has such a copy (with the `split` feature, as [`crate::chat`]'s modules are): neither the page-load module nor
//! the chat's reads JSON with serde.

use baton_shared::campaign::History;
use baton_shared::protocol::FieldValue;
use serde::Serialize;

use crate::api::Session;
use crate::storage::{Entry, SiteStorage};
use crate::visit::StoredVisit;

/// Whether `storage` still has a copy of the visit or the campaign history in JSON.
pub fn has_campaign_copies(storage: &SiteStorage) -> bool {
    storage.json_copy(Entry::Visit).is_some() || storage.json_copy(Entry::CampaignHistory).is_some()
}

/// Rewrites the visit and the campaign history in the wire encoding, when they are JSON.
pub async fn rewrite_campaign_copies(storage: &SiteStorage) {
    let visit = storage.json_copy(Entry::Visit);
    let history = storage.json_copy(Entry::CampaignHistory);
    let had = (visit.is_some(), history.is_some());
    let copies = decode(visit, history, None, None).await;
    keep(storage, Entry::Visit, had.0, copies.visit);
    keep(storage, Entry::CampaignHistory, had.1, copies.history);
}

/// Rewrites the session and the lead form's answers in the wire encoding, when they are JSON.
pub async fn rewrite_chat_copies(storage: &SiteStorage) {
    let session = storage.json_copy(Entry::Session);
    let fields = storage.json_copy(Entry::KnownFields);
    if session.is_none() && fields.is_none() {
        return;
    }
    let had = (session.is_some(), fields.is_some());
    let copies = decode(None, None, session, fields).await;
    keep(storage, Entry::Session, had.0, copies.session);
    keep(storage, Entry::KnownFields, had.1, copies.fields);
}

/// Writes a decoded copy in the wire encoding; one that did not decode is removed (a copy that cannot be read counts
/// as none, and it would otherwise be fetched for again on every page).
fn keep<T: Serialize>(storage: &SiteStorage, entry: Entry, had: bool, decoded: Option<T>) {
    match decoded {
        Some(value) => storage.write_wire(entry, &value),
        None if had => storage.remove(entry),
        None => {}
    }
}

/// The JSON copies, decoded.
struct Copies {
    visit: Option<StoredVisit>,
    history: Option<History>,
    session: Option<Session>,
    fields: Option<Vec<FieldValue>>,
}

async fn decode(
    visit: Option<String>,
    history: Option<String>,
    session: Option<String>,
    fields: Option<String>,
) -> Copies {
    #[cfg(feature = "split")]
    let copies = from_json(visit, history, session, fields).await;
    #[cfg(not(feature = "split"))]
    let copies = from_json(visit, history, session, fields);
    copies
}

#[cfg_attr(feature = "split", leptos::lazy)]
fn from_json(
    visit: Option<String>,
    history: Option<String>,
    session: Option<String>,
    fields: Option<String>,
) -> Copies {
    Copies {
        visit: visit.and_then(|json| baton_web::json::from_str(&json).ok()),
        history: history.and_then(|json| baton_web::json::from_str(&json).ok()),
        session: session.and_then(|json| baton_web::json::from_str(&json).ok()),
        fields: fields.and_then(|json| baton_web::json::from_str(&json).ok()),
    }
}
