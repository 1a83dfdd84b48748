//! How the inbox lies in its object's storage: each item under its own key, so a change to one conversation writes
//! that conversation only (a busy site's inbox holds hundreds, and every visitor message after a handoff updates
//! one), the rest ([`Meta`]) under one key, and the site id the alarm needs. The object keeps a copy of what it last
//! read or wrote, and writes only what differs from it.

use std::collections::{HashMap, HashSet};

use baton_shared::inbox::Inbox;
use baton_shared::protocol::agent::InboxItem;
use serde::{Deserialize, Serialize};
use worker::ListOptions;

use super::SiteInbox;
use crate::calls::tally::{self, Op};
use crate::calls::to_json;
use crate::error::ApiError;

const ITEM_PREFIX: &str = "item:";
/// What the inbox keeps besides its items ([`Meta`]).
const META_KEY: &str = "meta";
/// The site this inbox is for.
const SITE_KEY: &str = "site";

/// The inbox without its items, as stored under [`META_KEY`].
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Meta {
    reply_times_ms: Vec<u64>,
    assigned_count: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    missed_round_at_ms: Option<u64>,
}

impl Meta {
    fn of(inbox: &Inbox) -> Meta {
        Meta {
            reply_times_ms: inbox.reply_times_ms.clone(),
            assigned_count: inbox.assigned_count,
            missed_round_at_ms: inbox.missed_round_at_ms,
        }
    }
}

impl SiteInbox {
    /// Counts one storage operation for the inbox's site.
    pub(super) fn count(&self, op: Op) {
        tally::count(self.site_id.borrow().as_deref().unwrap_or_default(), op);
    }

    /// Stores which site this inbox is for, unless this object already did.
    pub(super) async fn remember_site(&self, site_id: &str) -> Result<(), ApiError> {
        if self.site_id.borrow().as_deref() == Some(site_id) {
            return Ok(());
        }
        tally::count(site_id, Op::StorageWrite);
        self.state
            .storage()
            .put(SITE_KEY, site_id.to_string())
            .await?;
        *self.site_id.borrow_mut() = Some(site_id.to_string());
        Ok(())
    }

    /// The site this inbox is for, as stored; `None` before its first call.
    pub(super) async fn stored_site(&self) -> Result<Option<String>, ApiError> {
        self.count(Op::StorageRead);
        Ok(self.state.storage().get::<String>(SITE_KEY).await?)
    }

    /// The inbox: a copy of this object's, or read from storage once after it woke. For changes that may touch
    /// many items (a claim, a close with its pruning, the alarm); one conversation's change is [`Self::change_item`]
    /// and a look is [`Self::look_at`], neither of which copies the whole inbox.
    pub(super) async fn load(&self) -> Result<Inbox, ApiError> {
        self.look_at(Inbox::clone).await
    }

    /// What `look` sees in this object's copy of the inbox (read from storage once after it woke), without copying it:
    /// a busy site's inbox holds hundreds of items, and every handoff schedules the alarm from it.
    pub(super) async fn look_at<R>(&self, look: impl FnOnce(&Inbox) -> R) -> Result<R, ApiError> {
        self.loaded().await?;
        self.inbox
            .borrow()
            .as_ref()
            .map(look)
            .ok_or_else(|| ApiError::Internal("the inbox was not loaded".into()))
    }

    /// Reads the inbox from storage unless this object has its copy.
    async fn loaded(&self) -> Result<(), ApiError> {
        if self.inbox.borrow().is_none() {
            let inbox = self.read().await?;
            *self.inbox.borrow_mut() = Some(inbox);
        }
        Ok(())
    }

    /// Stores `inbox`, writing only the items (and meta) that differ from this object's copy.
    pub(super) async fn save(&self, inbox: Inbox) -> Result<(), ApiError> {
        // Without a copy (a failed write dropped it), compare with what storage holds.
        let cached = self.inbox.borrow_mut().take();
        let before = match cached {
            Some(before) => before,
            None => self.read().await?,
        };
        self.write(&before, &inbox).await?;
        *self.inbox.borrow_mut() = Some(inbox);
        Ok(())
    }

    /// Changes one conversation's item (and the meta) in this object's copy, in place, and writes what changed:
    /// what a handoff and every visitor message after it (`Seen`) do, without copying the whole inbox (a busy
    /// site's holds hundreds of items) to compare it. `change` must touch no other item. Gives the item as it is
    /// now, and what `change` gave.
    pub(super) async fn change_item<R>(
        &self,
        conversation_id: &str,
        change: impl FnOnce(&mut Inbox) -> R,
    ) -> Result<(Option<InboxItem>, R), ApiError> {
        self.loaded().await?;
        let (item, item_changed, meta, outcome) = {
            let mut copy = self.inbox.borrow_mut();
            let Some(inbox) = copy.as_mut() else {
                return Err(ApiError::Internal("the inbox was not loaded".into()));
            };
            let before = inbox.item(conversation_id).cloned();
            let meta_before = Meta::of(inbox);
            let outcome = change(inbox);
            let item = inbox.item(conversation_id).cloned();
            let meta = Meta::of(inbox);
            (
                item.clone(),
                item != before,
                (meta != meta_before).then_some(meta),
                outcome,
            )
        };
        let mut changed = Vec::new();
        if let (true, Some(item)) = (item_changed, &item) {
            changed.push((item_key(&item.conversation_id), to_json(item)?));
        }
        if let Some(meta) = meta {
            changed.push((META_KEY.to_string(), to_json(&meta)?));
        }
        if let Err(error) = self.put(changed).await {
            // The copy holds what was not stored: read the storage again next time.
            self.inbox.borrow_mut().take();
            return Err(error);
        }
        Ok((item, outcome))
    }

    /// Writes keys of JSON text in one `put` (nothing when there are none).
    async fn put(&self, changed: Vec<(String, String)>) -> Result<(), ApiError> {
        if changed.is_empty() {
            return Ok(());
        }
        // A plain object of key → JSON text (`put_multiple` would pass a map, which storage ignores).
        let values = js_sys::Object::new();
        for (key, json) in changed {
            js_sys::Reflect::set(&values, &key.into(), &json.into())
                .map_err(|_| ApiError::Internal("building the inbox write".into()))?;
        }
        self.count(Op::StorageWrite);
        self.state.storage().put_multiple_raw(values).await?;
        Ok(())
    }

    /// The inbox from its keys, items oldest handoff first.
    async fn read(&self) -> Result<Inbox, ApiError> {
        let storage = self.state.storage();
        self.count(Op::StorageRead);
        let meta = match storage.get::<String>(META_KEY).await? {
            Some(json) => serde_json::from_str::<Meta>(&json)
                .map_err(|error| ApiError::Internal(format!("stored inbox meta: {error}")))?,
            None => Meta::default(),
        };
        self.count(Op::StorageRead);
        let listed = storage
            .list_with_options(ListOptions::new().prefix(ITEM_PREFIX))
            .await?;
        let mut items = Vec::new();
        for value in listed.values() {
            let json = value
                .ok()
                .and_then(|value| value.as_string())
                .ok_or_else(|| ApiError::Internal("a stored inbox item is not text".into()))?;
            let item: InboxItem = serde_json::from_str(&json)
                .map_err(|error| ApiError::Internal(format!("stored inbox item: {error}")))?;
            items.push(item);
        }
        items.sort_by(|a, b| {
            (a.handed_off_at_ms, &a.conversation_id).cmp(&(b.handed_off_at_ms, &b.conversation_id))
        });
        Ok(Inbox {
            items,
            reply_times_ms: meta.reply_times_ms,
            assigned_count: meta.assigned_count,
            missed_round_at_ms: meta.missed_round_at_ms,
        })
    }

    async fn write(&self, before: &Inbox, after: &Inbox) -> Result<(), ApiError> {
        let storage = self.state.storage();
        let known: HashMap<&str, &InboxItem> = before
            .items
            .iter()
            .map(|item| (item.conversation_id.as_str(), item))
            .collect();
        let mut changed: Vec<(String, String)> = Vec::new();
        for item in &after.items {
            if known.get(item.conversation_id.as_str()) != Some(&item) {
                changed.push((item_key(&item.conversation_id), to_json(item)?));
            }
        }
        let kept: HashSet<&str> = after
            .items
            .iter()
            .map(|item| item.conversation_id.as_str())
            .collect();
        let removed: Vec<String> = before
            .items
            .iter()
            .filter(|item| !kept.contains(item.conversation_id.as_str()))
            .map(|item| item_key(&item.conversation_id))
            .collect();
        let meta = Meta::of(after);
        if meta != Meta::of(before) {
            changed.push((META_KEY.to_string(), to_json(&meta)?));
        }
        self.put(changed).await?;
        if !removed.is_empty() {
            self.count(Op::StorageWrite);
            storage.delete_multiple(removed).await?;
        }
        Ok(())
    }
}

fn item_key(conversation_id: &str) -> String {
    format!("{ITEM_PREFIX}{conversation_id}")
}
