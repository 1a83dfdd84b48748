//! The inbox's one clock, and how a caller's times are put on it.
//!
//! The inbox keeps its waits (missed chats, retention, presence) on the platform's clock, because its alarm and its
//! agents' heartbeats know no other. A call carries its caller's time (the request's, which a test may set with
//! `X-Baton-Now`), and the times inside the call are on that clock: each is moved by the distance between the two
//! nows, so a conversation handed over "on Saturday" by a test waits as long as it would have, starting now. On a
//! real request the two nows differ by a few milliseconds and nothing visibly moves.

use crate::protocol::agent::InboxItem;

/// The caller's now and the inbox's now, for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxClock {
    /// The caller's time, from the call's envelope.
    pub caller_now_ms: u64,
    /// The platform's time where the inbox runs.
    pub inbox_now_ms: u64,
}

impl InboxClock {
    /// The time every decision of the inbox is made at.
    pub fn now_ms(&self) -> u64 {
        self.inbox_now_ms
    }

    /// A time of the caller's clock on the inbox's, keeping its distance to now (never before the epoch).
    pub fn rebase(&self, caller_ms: u64) -> u64 {
        caller_ms
            .saturating_add(self.inbox_now_ms)
            .saturating_sub(self.caller_now_ms)
    }

    /// A handed-over item on the inbox's clock: its handoff and its next opening move together.
    pub fn item(&self, mut item: InboxItem) -> InboxItem {
        item.opens_at_ms = item.opens_at_ms.map(|opens| self.rebase(opens));
        item.handed_off_at_ms = self.rebase(item.handed_off_at_ms);
        item
    }
}

#[cfg(test)]
mod tests;
