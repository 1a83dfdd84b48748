//! Visitor messages on their way to the worker, as plain data tested natively: sent one at a time in the order they
//! were written; when one fails, those behind it fail with it, so a retry sends them again in order (with the same
//! client message ids, so the worker never stores one twice).

use std::collections::VecDeque;

use baton_shared::protocol::PostMessage;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outbox {
    queue: VecDeque<PostMessage>,
    delivering: bool,
}

impl Outbox {
    /// Queues a message. `true` when no delivery is running, so the caller starts one (which then takes messages
    /// with [`Outbox::next`] until there are none).
    pub fn push(&mut self, body: PostMessage) -> bool {
        self.queue.push_back(body);
        !std::mem::replace(&mut self.delivering, true)
    }

    /// The next message to send; `None` ends the delivery.
    pub fn next(&mut self) -> Option<PostMessage> {
        let next = self.queue.pop_front();
        if next.is_none() {
            self.delivering = false;
        }
        next
    }

    /// `failed` could not be sent: it and every message behind it, which are now out of the queue.
    pub fn fail(&mut self, failed: PostMessage) -> Vec<PostMessage> {
        std::iter::once(failed)
            .chain(self.queue.drain(..))
            .collect()
    }
}

#[cfg(test)]
mod tests;
