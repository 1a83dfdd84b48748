use super::*;
use crate::inbox::tests::item;

#[test]
fn a_callers_times_move_onto_the_inbox_clock() {
    // A test hands a conversation over "on Saturday 2024" with the next opening on Monday 09:00; the inbox's
    // clock says 2026. The wait starts now and still lasts until the opening, two days away.
    let saturday = 1_718_460_000_000;
    let monday = saturday + 2 * 86_400_000;
    let inbox_now = 1_790_000_000_000;
    let clock = InboxClock {
        caller_now_ms: saturday,
        inbox_now_ms: inbox_now,
    };
    let mut after_hours = item("c", "support", saturday);
    after_hours.opens_at_ms = Some(monday);
    let moved = clock.item(after_hours);
    assert_eq!(moved.handed_off_at_ms, inbox_now);
    assert_eq!(moved.opens_at_ms, Some(inbox_now + 2 * 86_400_000));
    assert_eq!(clock.now_ms(), inbox_now);
    // A caller ahead of the inbox moves times back, never before the epoch; one clock moves nothing.
    let ahead = InboxClock {
        caller_now_ms: 5_000,
        inbox_now_ms: 1_000,
    };
    assert_eq!((ahead.rebase(4_500), ahead.rebase(100)), (500, 0));
    let same = InboxClock {
        caller_now_ms: 7_000,
        inbox_now_ms: 7_000,
    };
    assert_eq!(
        same.item(item("d", "support", 6_000)).handed_off_at_ms,
        6_000
    );
}
