//! The visit and the campaign history as widgets before the wire encoding kept them in `localStorage`: JSON. Such a
//! copy is read once and written again in the wire encoding, so a returning visitor keeps their visit count and
//! what they already saw, dismissed or clicked. The JSON decoding is in a module of its own, fetched only by a
//! browser that still has such a copy (with the `split` feature, as [`crate::chat`]'s modules are): the page-load
//! module reads no JSON.

use baton_shared::campaign::History;

use super::visit::StoredVisit;
use crate::storage::{Entry, SiteStorage};

/// Whether `storage` still has a copy in JSON.
pub fn has_json_copies(storage: &SiteStorage) -> bool {
    storage.json_copy(Entry::Visit).is_some() || storage.json_copy(Entry::CampaignHistory).is_some()
}

/// Rewrites the JSON copies in the wire encoding; one that does not decode is removed (as a copy that cannot be
/// read counts as none, and it would otherwise be fetched for again on every page).
pub async fn rewrite_json_copies(storage: &SiteStorage) {
    let visit = storage.json_copy(Entry::Visit);
    let history = storage.json_copy(Entry::CampaignHistory);
    let (had_visit, had_history) = (visit.is_some(), history.is_some());
    #[cfg(feature = "split")]
    let (visit, history) = from_json(visit, history).await;
    #[cfg(not(feature = "split"))]
    let (visit, history) = from_json(visit, history);
    match visit {
        Some(visit) => storage.write_wire(Entry::Visit, &visit),
        None if had_visit => storage.remove(Entry::Visit),
        None => {}
    }
    match history {
        Some(history) => storage.write_wire(Entry::CampaignHistory, &history),
        None if had_history => storage.remove(Entry::CampaignHistory),
        None => {}
    }
}

#[cfg_attr(feature = "split", leptos::lazy)]
fn from_json(
    visit: Option<String>,
    history: Option<String>,
) -> (Option<StoredVisit>, Option<History>) {
    (
        visit.and_then(|json| baton_web::json::from_str(&json).ok()),
        history.and_then(|json| baton_web::json::from_str(&json).ok()),
    )
}
