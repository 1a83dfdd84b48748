//! What the panel shows, as a plain struct: the conversation's stored messages plus visitor messages still on their
//! way. Merging the worker's answers is pure, so it is tested natively.

use baton_shared::protocol::{
    Author, Choice, ConversationEvent, HandoffNotice, Message, PostMessage,
};
use baton_web::messages;

/// A visitor message not yet confirmed by the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMessage {
    /// What is sent, and sent again with the same client message id until the worker confirms it.
    pub body: PostMessage,
    /// The FAQ answer the widget showed at once, before the worker confirmed the message.
    pub instant_reply: Option<String>,
    /// Why sending failed, once it has; cleared while it is sent again.
    pub failure: Option<String>,
}

impl PendingMessage {
    pub fn client_message_id(&self) -> &str {
        &self.body.client_message_id
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatState {
    /// Messages stored by the worker, ordered by sequence number, each once.
    pub messages: Vec<Message>,
    pub pending: Vec<PendingMessage>,
    /// A problem to show above the composer (for example, the conversation could not start).
    pub notice: Option<String>,
    /// Messages for the visitor that arrived while the panel was closed.
    pub unread: u32,
    /// Pre-chat fields the visitor has given in this conversation.
    pub given_fields: Vec<String>,
    /// An agent is typing (cleared by their message or after a few seconds).
    pub agent_typing: bool,
    /// The agent has read everything up to this sequence number.
    pub read_by_agent: u64,
    /// The visitor's rating, once given.
    pub rating: Option<u8>,
}

impl ChatState {
    /// Shows a visitor message immediately, before the worker confirms it, with the instant answer if there is one.
    pub fn add_pending(&mut self, body: PostMessage, instant_reply: Option<String>) {
        self.pending.push(PendingMessage {
            body,
            instant_reply,
            failure: None,
        });
    }

    pub fn mark_failed(&mut self, client_message_id: &str, failure: String) {
        if let Some(pending) = self
            .pending
            .iter_mut()
            .find(|pending| pending.client_message_id() == client_message_id)
        {
            pending.failure = Some(failure);
        }
    }

    /// The failed messages, marked as being sent again; their bodies (same client message ids) go to the worker.
    pub fn retry_failed(&mut self) -> Vec<PostMessage> {
        self.pending
            .iter_mut()
            .filter_map(|pending| pending.failure.take().map(|_| pending.body.clone()))
            .collect()
    }

    /// A visitor message is on its way and nothing has answered it yet: the typing indicator shows.
    pub fn awaiting_reply(&self) -> bool {
        self.pending
            .iter()
            .any(|pending| pending.failure.is_none() && pending.instant_reply.is_none())
    }

    /// The choices the visitor may tap now: those of the latest message, when it is an answer offering some and
    /// the visitor has not written since. A tap (or anything typed) puts them away; older answers' are not offered.
    pub fn open_choices(&self) -> &[Choice] {
        match self.messages.last() {
            Some(message) if message.author == Author::Ai && self.pending.is_empty() => {
                &message.choices
            }
            _ => &[],
        }
    }

    /// The latest handoff notice, which says who will reply and when.
    pub fn latest_handoff(&self) -> Option<&HandoffNotice> {
        self.messages
            .iter()
            .rev()
            .find_map(|message| message.handoff.as_ref())
    }

    /// The latest join or close: who is with the visitor now, or that the conversation was closed.
    fn latest_people_event(&self) -> Option<&ConversationEvent> {
        self.messages.iter().rev().find_map(|message| {
            message.event.as_ref().filter(|event| {
                matches!(
                    event,
                    ConversationEvent::AgentJoined { .. } | ConversationEvent::Closed { .. }
                )
            })
        })
    }

    /// The agent talking with the visitor now.
    pub fn agent_name(&self) -> Option<&str> {
        match self.latest_people_event() {
            Some(ConversationEvent::AgentJoined { agent_name }) => Some(agent_name),
            _ => None,
        }
    }

    /// An agent closed the conversation (and nobody joined since): the visitor may rate it.
    pub fn closed(&self) -> bool {
        matches!(
            self.latest_people_event(),
            Some(ConversationEvent::Closed { .. })
        )
    }

    /// The conversation has reached people, so the live socket is worth keeping open.
    pub fn wants_live(&self) -> bool {
        self.messages
            .iter()
            .any(|message| message.handoff.is_some() || message.event.is_some())
    }

    /// The newest message the visitor has, for reconnecting from there.
    pub fn last_seq(&self) -> u64 {
        messages::last_seq(&self.messages)
    }

    /// The newest agent message, for read receipts.
    pub fn last_agent_seq(&self) -> u64 {
        self.messages
            .iter()
            .rev()
            .find(|message| message.author == Author::Agent)
            .map_or(0, |message| message.seq)
    }

    /// The pre-chat fields the latest handoff asks for that the visitor has not given yet.
    pub fn fields_asked(&self) -> Vec<String> {
        self.latest_handoff()
            .map(|notice| {
                notice
                    .asks_for
                    .iter()
                    .filter(|id| !self.given_fields.contains(id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
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
                    .position(|pending| pending.client_message_id() == id)
            {
                let pending = self.pending.remove(position);
                if pending.instant_reply.is_some() {
                    seen_reply = Some(message.seq + 1);
                }
            }
            if !messages::insert(&mut self.messages, message.clone()) {
                continue;
            }
            if message.author == Author::Agent {
                self.agent_typing = false;
            }
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
