//! A conversation's Durable Object storage: the conversation's header under one key and each message under its own
//! (`msg:{seq, 12 digits}`, so keys list in order), with the room's in-memory copy of what it last read or wrote.
//! The room is the conversation's only writer, so the copy is exact: it saves parsing the stored JSON on every
//! request.

use std::cell::RefCell;
use std::rc::Rc;

use baton_shared::conversation::{Conversation, Transcript};
use baton_shared::protocol::Message;
use worker::Storage;

use crate::calls::to_json;
use crate::error::ApiError;

/// The key of the conversation (without its messages) in its Durable Object's storage.
const ROOM_CONVERSATION_KEY: &str = "conversation";
/// Each message under its own key, `msg:{seq, 12 digits}`, so keys list in order.
const ROOM_MESSAGE_PREFIX: &str = "msg:";

/// A conversation room's storage and its copy.
pub struct RoomStore {
    storage: Storage,
    copy: Rc<RefCell<Option<Conversation>>>,
}

impl RoomStore {
    pub fn new(storage: Storage) -> RoomStore {
        RoomStore {
            storage,
            copy: Rc::new(RefCell::new(None)),
        }
    }

    /// The conversation as last read or written, without a storage read (`None` before the first read).
    pub fn cached(&self) -> Option<Conversation> {
        self.copy.borrow().clone()
    }

    /// The copy itself, for work that outlives a request (it reads whatever the room last stored).
    pub fn shared_copy(&self) -> Rc<RefCell<Option<Conversation>>> {
        Rc::clone(&self.copy)
    }

    /// Forgets the copy (the storage was deleted).
    pub fn forget_copy(&self) {
        self.copy.borrow_mut().take();
    }

    /// The room's conversation, when it was created (the room's name is the conversation's id on its site).
    pub async fn conversation(&self) -> Result<Option<Conversation>, ApiError> {
        if let Some(copy) = self.copy.borrow().as_ref() {
            return Ok(Some(copy.clone()));
        }
        let json: Option<String> = self.storage.get(ROOM_CONVERSATION_KEY).await?;
        let Some(json) = json else {
            return Ok(None);
        };
        let mut conversation: Conversation = serde_json::from_str(&json).map_err(|error| {
            ApiError::Internal(format!("stored conversation does not parse: {error}"))
        })?;
        if conversation.transcript.messages.is_empty() {
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
            self.write_conversation(&conversation, None).await?;
        }
        *self.copy.borrow_mut() = Some(conversation.clone());
        Ok(Some(conversation))
    }

    /// Writes the room's conversation: its header, and only the messages that are new or changed since the room's
    /// copy, each under its own key, so a message appended costs the same however long the conversation is. Its
    /// retention is the room's alarm (see `rooms::conversation`).
    pub async fn put_conversation(&self, conversation: &Conversation) -> Result<(), ApiError> {
        let before = self.copy.borrow_mut().take();
        self.write_conversation(conversation, before.as_ref())
            .await?;
        *self.copy.borrow_mut() = Some(conversation.clone());
        Ok(())
    }

    async fn write_conversation(
        &self,
        conversation: &Conversation,
        before: Option<&Conversation>,
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
        self.storage.put_multiple_raw(values).await?;
        Ok(())
    }

    /// Forgets the room's conversation entirely (erasure, or the end of its retention).
    pub async fn erase(&self) -> Result<(), ApiError> {
        self.copy.borrow_mut().take();
        self.storage.delete_all().await?;
        Ok(())
    }
}
