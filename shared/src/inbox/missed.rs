//! Missed chats and retention, as the inbox's alarm decides them: a conversation nobody replied to within the
//! site's target is missed once (its room then tells the visitor, and asks for an email when it has none), and an
//! item older than the site's retention leaves the inbox whatever its state. A round marks at most
//! [`MISSED_PER_ROUND`] conversations, the longest-waiting first, and the next round comes
//! [`MISSED_ROUND_GAP_MS`] after it: each missed conversation's room is woken to tell its visitor, and hundreds of
//! handoffs nobody answered (a busy hour with no agent) woken at once held up every visitor chatting meanwhile.

use super::Inbox;
use crate::config::{SiteConfig, Team};
use crate::protocol::HandoffNotice;
use crate::protocol::agent::{InboxItem, ItemState};

/// The alarm is never set sooner than this after now (a time in the past would ring at once, again and again).
const ALARM_MIN_DELAY_MS: u64 = 10;

/// The most conversations one alarm round marks missed.
pub const MISSED_PER_ROUND: usize = 25;

/// After a round that marked conversations missed, the next missed check waits at least this long.
pub const MISSED_ROUND_GAP_MS: u64 = 1_000;

/// The site's waits, in ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waits {
    /// How long a conversation may wait for a first reply before it is missed.
    pub missed_after_ms: u64,
    /// How long anything of a conversation is kept.
    pub retention_ms: u64,
}

impl Waits {
    pub fn of(site: &SiteConfig) -> Waits {
        Waits {
            missed_after_ms: u64::from(site.handoff.missed_after_seconds) * 1_000,
            retention_ms: u64::from(site.retention_days) * 24 * 60 * 60 * 1_000,
        }
    }
}

impl Inbox {
    /// The alarm's round: items past the retention go, then conversations waiting too long are marked missed (at
    /// most [`MISSED_PER_ROUND`], the longest-waiting first; the rest in the next rounds); returns those newly
    /// missed, as they now stand.
    pub fn on_alarm(&mut self, now_ms: u64, waits: Waits) -> Vec<InboxItem> {
        self.expire(now_ms, waits.retention_ms);
        // A round for something else (a webhook delivery) right after one that marked some marks none.
        let most = match self.missed_round_at_ms {
            Some(round) if now_ms < round + MISSED_ROUND_GAP_MS => 0,
            _ => MISSED_PER_ROUND,
        };
        let missed = self.mark_missed(now_ms, waits.missed_after_ms, most);
        if !missed.is_empty() {
            self.missed_round_at_ms = Some(now_ms);
        }
        missed
            .iter()
            .filter_map(|id| self.item(id).cloned())
            .collect()
    }

    /// When the alarm should ring next: the next missed chat, the next expiry or the next webhook delivery
    /// (`next_delivery_ms`), whichever comes first, and never sooner than a moment after now.
    pub fn next_alarm_ms(
        &self,
        waits: Waits,
        next_delivery_ms: Option<u64>,
        now_ms: u64,
    ) -> Option<u64> {
        [
            self.next_missed_check_ms(waits.missed_after_ms),
            self.next_expiry_ms(waits.retention_ms),
            next_delivery_ms,
        ]
        .into_iter()
        .flatten()
        .min()
        .map(|at| at.max(now_ms + ALARM_MIN_DELAY_MS))
    }

    /// Items handed over longer ago than the site's retention, whatever their state, are dropped (their
    /// conversations are gone by then too); returns their ids.
    pub fn expire(&mut self, now_ms: u64, retention_ms: u64) -> Vec<String> {
        let mut expired = Vec::new();
        self.items.retain(|item| {
            let keep = item.handed_off_at_ms.saturating_add(retention_ms) > now_ms;
            if !keep {
                expired.push(item.conversation_id.clone());
            }
            keep
        });
        expired
    }

    /// When the oldest item reaches the end of the retention.
    pub fn next_expiry_ms(&self, retention_ms: u64) -> Option<u64> {
        self.items
            .iter()
            .map(|item| item.handed_off_at_ms.saturating_add(retention_ms))
            .min()
    }

    /// Conversations that waited longer than the target with no agent reply are marked missed, at most `most`
    /// of them, the longest-waiting first; returns their ids, in that order.
    pub fn mark_missed(&mut self, now_ms: u64, missed_after_ms: u64, most: usize) -> Vec<String> {
        let mut due: Vec<usize> = (0..self.items.len())
            .filter(|&index| {
                let item = &self.items[index];
                may_be_missed(item) && now_ms >= item.waiting_since_ms() + missed_after_ms
            })
            .collect();
        due.sort_by_key(|&index| self.items[index].waiting_since_ms());
        due.truncate(most);
        due.into_iter()
            .map(|index| {
                let item = &mut self.items[index];
                item.missed = true;
                item.conversation_id.clone()
            })
            .collect()
    }

    /// When the next conversation would be missed, for the inbox's alarm: never sooner than
    /// [`MISSED_ROUND_GAP_MS`] after the last round that marked some.
    pub fn next_missed_check_ms(&self, missed_after_ms: u64) -> Option<u64> {
        let due = self
            .items
            .iter()
            .filter(|item| may_be_missed(item))
            .map(|item| item.waiting_since_ms() + missed_after_ms)
            .min()?;
        Some(match self.missed_round_at_ms {
            Some(round) => due.max(round + MISSED_ROUND_GAP_MS),
            None => due,
        })
    }
}

/// Open, not missed yet, and no agent replied.
fn may_be_missed(item: &InboxItem) -> bool {
    !matches!(item.state, ItemState::Closed { .. })
        && !item.missed
        && item.first_reply_at_ms.is_none()
}

/// What the inbox tells a missed conversation's room: still queued, for the team the visitor was told of.
pub fn missed_notice(item: &InboxItem, teams: &[Team]) -> HandoffNotice {
    HandoffNotice {
        reason: item.reason,
        team: item.team.as_ref().and_then(|team| {
            teams
                .iter()
                .find(|known| &known.id == team)
                .map(|team| team.name.clone())
        }),
        asks_for: Vec::new(),
        queued: true,
        next_opening_ms: None,
        queue_position: None,
        expected_wait_ms: None,
    }
}

/// The notice on the visitor's missed-chat message: it asks for the email (the site's email field, `email_field`)
/// when the conversation has none yet, and is `None` when there is nothing to ask (the message then only
/// apologises). Whether it asks is also whether the message says so (`ConversationEvent::Missed { asks_email }`).
pub fn missed_notice_to_visitor(
    notice: &HandoffNotice,
    email_field: Option<&str>,
    has_email: bool,
) -> Option<HandoffNotice> {
    let field = email_field.filter(|_| !has_email)?;
    Some(HandoffNotice {
        asks_for: vec![field.to_string()],
        queued: true,
        ..notice.clone()
    })
}

#[cfg(test)]
mod tests;
