//! A conversation's Durable Object storage: the conversation's header under one key and each message under its own
//! (`msg:{seq, 12 digits}`, so keys list in order), with the room's in-memory copy of what it last read or wrote.
//! The room is the conversation's only writer, so the copy is exact: it saves parsing the stored JSON on every
//! request. Beside them, the ledger's outbox (`outbox:{event id}`): the events of each change, written in the same
//! write as the change itself, until the ledger has them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use baton_shared::conversation::{Conversation, Transcript};
use baton_shared::metrics::Event;
use baton_shared::protocol::Message;
use worker::Storage;

use crate::calls::tally::{self, Op};
use crate::calls::to_json;
use crate::error::ApiError;

/// The key of the conversation (without its messages) in its Durable Object's storage.
const ROOM_CONVERSATION_KEY: &str = "conversation";
/// Each message under its own key, `msg:{seq, 12 digits}`, so keys list in order.
const ROOM_MESSAGE_PREFIX: &str = "msg:";
/// Each event of the ledger's outbox under its own key, `outbox:{event id}`.
const ROOM_OUTBOX_PREFIX: &str = "outbox:";
/// When the room's retention ends (ms since the Unix epoch); its alarm rings then, or sooner to retry the outbox.
const ROOM_EXPIRES_AT_KEY: &str = "expires_at";

/// A conversation room's storage and its copy.
pub struct RoomStore {
    storage: Storage,
    copy: Rc<RefCell<Option<Conversation>>>,
    /// The site the room belongs to, as its last call said: what the tally counts its storage under.
    site_id: RefCell<String>,
    /// The room's copy of its outbox, so a send need not list the storage (`OutboxCopy`).
    outbox: SharedOutbox,
}

/// What the room knows of its outbox: every event it wrote there since it woke, and once the storage was listed
/// (the first send after waking), everything in it. The room is the outbox's only writer, so after that listing the
/// copy is exact.
#[derive(Debug, Default)]
pub struct OutboxCopy {
    listed: bool,
    /// By id, as the storage lists them.
    events: BTreeMap<String, Event>,
}

/// The outbox's copy, shared with the background sends.
pub type SharedOutbox = Rc<RefCell<OutboxCopy>>;

impl OutboxCopy {
    fn add(&mut self, events: &[Event]) {
        for event in events {
            self.events.insert(event.id.clone(), event.clone());
        }
    }
}

impl RoomStore {
    pub fn new(storage: Storage) -> RoomStore {
        RoomStore {
            storage,
            copy: Rc::new(RefCell::new(None)),
            site_id: RefCell::new(String::new()),
            outbox: Rc::default(),
        }
    }

    /// The outbox's copy, for work that outlives a request (the ledger's sends).
    pub fn shared_outbox(&self) -> SharedOutbox {
        Rc::clone(&self.outbox)
    }

    /// The site of the call being answered (the tally counts storage under it).
    pub fn serve_site(&self, site_id: &str) {
        if *self.site_id.borrow() != site_id {
            *self.site_id.borrow_mut() = site_id.to_string();
        }
    }

    /// The site the room last served.
    pub fn site_id(&self) -> String {
        self.site_id.borrow().clone()
    }

    /// Counts one storage operation for the room's site.
    pub fn count(&self, op: Op) {
        tally::count(&self.site_id.borrow(), op);
    }

    /// The conversation as last read or written, without a storage read (`None` before the first read).
    pub fn cached(&self) -> Option<Conversation> {
        self.copy.borrow().clone()
    }

    /// The copy itself, for work that outlives a request (it reads whatever the room last stored).
    pub fn shared_copy(&self) -> Rc<RefCell<Option<Conversation>>> {
        Rc::clone(&self.copy)
    }

    /// The room's conversation, when it was created (the room's name is the conversation's id on its site).
    pub async fn conversation(&self) -> Result<Option<Conversation>, ApiError> {
        if let Some(copy) = self.copy.borrow().as_ref() {
            return Ok(Some(copy.clone()));
        }
        self.count(Op::StorageRead);
        let json: Option<String> = self.storage.get(ROOM_CONVERSATION_KEY).await?;
        let Some(json) = json else {
            return Ok(None);
        };
        let mut conversation: Conversation = serde_json::from_str(&json).map_err(|error| {
            ApiError::Internal(format!("stored conversation does not parse: {error}"))
        })?;
        self.serve_site(&conversation.site_id);
        if conversation.transcript.messages.is_empty() {
            self.count(Op::StorageRead);
            let listed = self
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
            self.copy.borrow_mut().take();
            self.write_conversation(&conversation, None, &[]).await?;
        }
        *self.copy.borrow_mut() = Some(conversation.clone());
        Ok(Some(conversation))
    }

    /// Writes the room's conversation: its header, and only the messages that are new or changed since the room's
    /// copy, each under its own key, so a message appended costs the same however long the conversation is; and in
    /// the same write, into the outbox, the events `events_of` finds between the conversation as stored (`None`:
    /// there was none) and as it is now. Returns those events. Its retention is the room's alarm (see
    /// `rooms::conversation`).
    pub async fn put_conversation(
        &self,
        conversation: &Conversation,
        events_of: impl FnOnce(Option<&Conversation>) -> Vec<Event>,
    ) -> Result<Vec<Event>, ApiError> {
        if self.copy.borrow().is_none() {
            // No copy (a write failed, or nothing was read yet): compare with what is stored.
            self.conversation().await?;
        }
        let before = self.copy.borrow_mut().take();
        let events = events_of(before.as_ref());
        self.write_conversation(conversation, before.as_ref(), &events)
            .await?;
        self.outbox.borrow_mut().add(&events);
        *self.copy.borrow_mut() = Some(conversation.clone());
        Ok(events)
    }

    async fn write_conversation(
        &self,
        conversation: &Conversation,
        before: Option<&Conversation>,
        events: &[Event],
    ) -> Result<(), ApiError> {
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
        let header = Conversation {
            transcript: Transcript::default(),
            ..conversation.clone()
        };
        set(ROOM_CONVERSATION_KEY.to_string(), to_json(&header)?)?;
        for event in events {
            set(format!("{ROOM_OUTBOX_PREFIX}{}", event.id), to_json(event)?)?;
        }
        self.count(Op::StorageWrite);
        self.storage.put_multiple_raw(values).await?;
        Ok(())
    }

    /// When the room's retention ends, once a request set it.
    pub async fn expires_at(&self) -> Result<Option<u64>, ApiError> {
        self.count(Op::StorageRead);
        Ok(self.storage.get::<u64>(ROOM_EXPIRES_AT_KEY).await?)
    }

    pub async fn set_expires_at(&self, at_ms: u64) -> Result<(), ApiError> {
        self.count(Op::StorageWrite);
        self.storage.put(ROOM_EXPIRES_AT_KEY, at_ms).await?;
        Ok(())
    }

    /// Forgets the room's conversation entirely (erasure, or the end of its retention).
    pub async fn erase(&self) -> Result<(), ApiError> {
        self.copy.borrow_mut().take();
        self.count(Op::StorageWrite);
        self.storage.delete_all().await?;
        *self.outbox.borrow_mut() = OutboxCopy {
            listed: true,
            events: BTreeMap::new(),
        };
        Ok(())
    }
}

/// The events of the ledger's outbox, oldest change first (ids list in order within a conversation): the room's
/// copy, the storage listed only the first time after the room woke.
pub async fn outbox(
    storage: &Storage,
    site_id: &str,
    copy: &RefCell<OutboxCopy>,
) -> Result<Vec<Event>, ApiError> {
    if !copy.borrow().listed {
        let listed = list_outbox(storage, site_id).await?;
        let mut copy = copy.borrow_mut();
        copy.add(&listed);
        copy.listed = true;
    }
    Ok(copy.borrow().events.values().cloned().collect())
}

async fn list_outbox(storage: &Storage, site_id: &str) -> Result<Vec<Event>, ApiError> {
    tally::count(site_id, Op::StorageRead);
    let listed = storage
        .list_with_options(worker::ListOptions::new().prefix(ROOM_OUTBOX_PREFIX))
        .await?;
    let mut events = Vec::new();
    for value in listed.values() {
        let json = value
            .ok()
            .and_then(|value| value.as_string())
            .ok_or_else(|| ApiError::Internal("an outbox event is not text".into()))?;
        let event: Event = serde_json::from_str(&json).map_err(|error| {
            ApiError::Internal(format!("an outbox event does not parse: {error}"))
        })?;
        events.push(event);
    }
    Ok(events)
}

/// Takes events out of the outbox, once the ledger has them.
pub async fn clear_outbox(
    storage: &Storage,
    site_id: &str,
    copy: &RefCell<OutboxCopy>,
    events: &[Event],
) -> Result<(), ApiError> {
    let keys: Vec<String> = events
        .iter()
        .map(|event| format!("{ROOM_OUTBOX_PREFIX}{}", event.id))
        .collect();
    // The storage API deletes at most 128 keys at once.
    for chunk in keys.chunks(128) {
        tally::count(site_id, Op::StorageWrite);
        storage.delete_multiple(chunk.to_vec()).await?;
    }
    let mut copy = copy.borrow_mut();
    for event in events {
        copy.events.remove(&event.id);
    }
    Ok(())
}
