//! What the panel shows, as a plain struct: the conversation's stored messages plus visitor messages still on their
//! way. Merging the worker's answers is pure, so it is tested natively.

use baton_shared::protocol::{Author, Message};

/// A visitor message not yet confirmed by the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMessage {
    pub client_message_id: String,
    pub text: String,
    /// The FAQ answer the widget showed at once, before the worker confirmed the message.
    pub instant_reply: Option<String>,
    /// Why sending failed, once it has.
    pub failure: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatState {
    /// Messages stored by the worker, ordered by sequence number, each once.
    pub messages: Vec<Message>,
    pub pending: Vec<PendingMessage>,
    /// A problem to show above the composer (for example, the conversation could not start).
    pub notice: Option<String>,
}

impl ChatState {
    /// Shows a visitor message immediately, before the worker confirms it, with the instant answer if there is one.
    pub fn add_pending(
        &mut self,
        client_message_id: String,
        text: String,
        instant_reply: Option<String>,
    ) {
        self.pending.push(PendingMessage {
            client_message_id,
            text,
            instant_reply,
            failure: None,
        });
    }

    pub fn mark_failed(&mut self, client_message_id: &str, failure: String) {
        if let Some(pending) = self
            .pending
            .iter_mut()
            .find(|pending| pending.client_message_id == client_message_id)
        {
            pending.failure = Some(failure);
        }
    }

    /// Adds messages from the worker, skipping any already shown, and settles the pending messages they confirm.
    /// Returns the messages the visitor had not seen yet (an instant answer was seen when it was shown), so their
    /// listeners can be told once.
    pub fn merge(&mut self, incoming: Vec<Message>) -> Vec<Message> {
        let mut added = Vec::new();
        // The sequence number of the stored copy of an instant answer: the reply right after its visitor message.
        let mut seen_reply = None;
        for message in incoming {
            if let Some(id) = &message.client_message_id
                && let Some(position) = self
                    .pending
                    .iter()
                    .position(|pending| &pending.client_message_id == id)
            {
                let pending = self.pending.remove(position);
                if pending.instant_reply.is_some() {
                    seen_reply = Some(message.seq + 1);
                }
            }
            let position = self
                .messages
                .partition_point(|existing| existing.seq < message.seq);
            if self
                .messages
                .get(position)
                .is_some_and(|existing| existing.seq == message.seq)
            {
                continue;
            }
            self.messages.insert(position, message.clone());
            if seen_reply != Some(message.seq) {
                added.push(message);
            }
        }
        added
    }
}

/// Messages the visitor did not write: what `Baton('on', 'message', cb)` reports.
pub fn is_for_visitor(message: &Message) -> bool {
    message.author != Author::Visitor
}

#[cfg(test)]
mod tests;
