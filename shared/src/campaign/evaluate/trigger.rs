//! Whether a campaign's trigger has happened, and when a time-based one will.
//!
//! A trigger fires once per occurrence: a campaign already viewed (or held out) since the occurrence began does
//! not fire again for it, so `show: always` means "every time it triggers", not "on every check". The occurrences:
//! the page (`page_view`, `dwell`, `scroll`), the visit (`site_time`), the idle spell (`inactivity`, since the last
//! activity), the handoff (`waiting_for_person`), the visitor's last message (`ai_struggled`), and each moment for
//! `exit_intent`, `click` and `event`.

use super::super::model::{Campaign, Trigger};
use super::super::visit::Moment;
use super::Context;

/// A trigger's state now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Triggered {
    Yes,
    /// Not (yet); a time-based trigger says when it comes due if nothing else changes.
    No {
        due_ms: Option<u64>,
    },
}

/// Whether `campaign`'s trigger has happened at `context.now_ms` with `context.moment`.
pub fn state(campaign: &Campaign, context: &Context) -> Triggered {
    let visit = context.visit;
    let now_ms = context.now_ms;
    let last_view_ms = context
        .history
        .campaigns
        .get(&campaign.id)
        .and_then(|clocks| clocks.last_view_ms);
    let viewed_since = |start_ms: u64| last_view_ms.is_some_and(|view_ms| view_ms >= start_ms);
    let after = |start_ms: u64, seconds: u32| {
        if viewed_since(start_ms) {
            return Triggered::No { due_ms: None };
        }
        let due_ms = start_ms.saturating_add(u64::from(seconds) * 1_000);
        if now_ms >= due_ms {
            Triggered::Yes
        } else {
            Triggered::No {
                due_ms: Some(due_ms),
            }
        }
    };
    let when = |fired: bool| {
        if fired {
            Triggered::Yes
        } else {
            Triggered::No { due_ms: None }
        }
    };
    match &campaign.trigger {
        Trigger::PageView => when(!viewed_since(visit.page_started_ms)),
        Trigger::Dwell { seconds } => after(visit.page_started_ms, *seconds),
        Trigger::SiteTime { seconds } => after(visit.visit_started_ms, *seconds),
        Trigger::Scroll { percent } => {
            when(visit.scroll_percent >= *percent && !viewed_since(visit.page_started_ms))
        }
        Trigger::ExitIntent => when(*context.moment == Moment::ExitIntent),
        Trigger::Inactivity { seconds } => after(visit.last_activity_ms, *seconds),
        Trigger::Click { .. } => when(matches!(
            context.moment,
            Moment::Click { matched } if matched.contains(&campaign.id)
        )),
        Trigger::Event { name } => when(matches!(
            context.moment,
            Moment::Event { name: happened } if happened == name
        )),
        // Only `Baton('show', id)`, which skips the trigger altogether.
        Trigger::Manual => when(false),
        Trigger::AiStruggled => when(
            visit.chat.struggling_answers >= 2
                && !viewed_since(visit.chat.last_message_ms.unwrap_or(0)),
        ),
        Trigger::WaitingForPerson { seconds } => match visit.chat.handed_over_at_ms {
            Some(handed_over_ms) if !visit.chat.person_replied => after(handed_over_ms, *seconds),
            _ => when(false),
        },
    }
}
