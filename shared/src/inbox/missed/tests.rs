use expect_test::expect;

use super::*;
use crate::inbox::tests::{agent, item};
use crate::protocol::live::CloseOutcome;

#[test]
fn missed_chats_are_found_once_and_the_alarm_follows_the_oldest() {
    let mut inbox = Inbox::default();
    inbox.hand_over(item("old", "support", 1_000));
    inbox.hand_over(item("new", "support", 5_000));
    inbox.hand_over(item("answered", "support", 0));
    inbox.agent_replied("answered", 100);
    assert_eq!(inbox.next_missed_check_ms(3_000), Some(4_000));
    assert_eq!(
        inbox.mark_missed(3_999, 3_000, usize::MAX),
        Vec::<String>::new()
    );
    assert_eq!(inbox.mark_missed(4_000, 3_000, usize::MAX), ["old"]);
    assert_eq!(
        inbox.mark_missed(4_500, 3_000, usize::MAX),
        Vec::<String>::new()
    );
    assert_eq!(inbox.next_missed_check_ms(3_000), Some(8_000));
    inbox.close("new", CloseOutcome::NoResponse);
    assert_eq!(inbox.next_missed_check_ms(3_000), None);
}

#[test]
fn a_burst_of_missed_chats_is_spread_over_rounds_the_longest_waiting_first() {
    let waits = Waits {
        missed_after_ms: 1_000,
        retention_ms: 1_000_000,
    };
    let mut inbox = Inbox::default();
    // Handed over newest first, so the order of the items is not the order of their waits.
    let burst = MISSED_PER_ROUND + 5;
    for n in (0..burst).rev() {
        inbox.hand_over(item(&format!("c{n:02}"), "support", 100 + n as u64));
    }
    let first = inbox.on_alarm(5_000, waits);
    assert_eq!(first.len(), MISSED_PER_ROUND);
    assert_eq!(first[0].conversation_id, "c00", "the longest-waiting first");
    assert!(first.iter().all(|item| item.missed));
    // The rest wait for the next round, a gap after this one, whatever else rings the alarm before it.
    let next = 5_000 + MISSED_ROUND_GAP_MS;
    assert_eq!(inbox.next_alarm_ms(waits, None, 5_000), Some(next));
    assert_eq!(inbox.next_alarm_ms(waits, Some(5_200), 5_000), Some(5_200));
    assert!(
        inbox.on_alarm(5_200, waits).is_empty(),
        "a delivery's round"
    );
    let second: Vec<String> = inbox
        .on_alarm(next, waits)
        .into_iter()
        .map(|item| item.conversation_id)
        .collect();
    assert_eq!(second, ["c25", "c26", "c27", "c28", "c29"]);
    assert_eq!(inbox.next_missed_check_ms(waits.missed_after_ms), None);
    // A later handoff is checked when it is due (the last round is long past by then).
    inbox.hand_over(item("later", "support", 60_000));
    assert_eq!(inbox.next_alarm_ms(waits, None, 60_000), Some(61_000));
}

#[test]
fn every_item_expires_with_the_retention() {
    let mut inbox = Inbox::default();
    inbox.hand_over(item("old", "support", 10));
    inbox.hand_over(item("new", "support", 500));
    inbox
        .claim("new", &agent("ana", &["support"]))
        .expect("claimed");
    assert_eq!(inbox.next_expiry_ms(1_000), Some(1_010));
    assert_eq!(inbox.expire(1_009, 1_000), Vec::<String>::new());
    assert_eq!(inbox.expire(1_010, 1_000), vec!["old".to_string()]);
    assert_eq!(inbox.expire(1_500, 1_000), vec!["new".to_string()]);
    assert_eq!(inbox.next_expiry_ms(1_000), None);
}

#[test]
fn the_alarm_marks_missed_chats_expires_old_items_and_rings_again_for_the_next() {
    let waits = Waits {
        missed_after_ms: 2_000,
        retention_ms: 100_000,
    };
    let mut inbox = Inbox::default();
    inbox.hand_over(item("old", "support", 0));
    inbox.hand_over(item("late", "support", 99_000));
    inbox.hand_over(item("fresh", "support", 100_500));
    // The next delivery is sooner than any wait; a time already past rings a moment after now.
    assert_eq!(inbox.next_alarm_ms(waits, Some(50), 0), Some(50));
    assert_eq!(inbox.next_alarm_ms(waits, None, 5_000), Some(5_010));
    let missed: Vec<String> = inbox
        .on_alarm(101_000, waits)
        .into_iter()
        .map(|item| item.conversation_id)
        .collect();
    assert_eq!(missed, ["late"]);
    assert!(inbox.item("old").is_none(), "past the retention");
    assert!(inbox.item("late").is_some_and(|item| item.missed));
    assert!(inbox.on_alarm(101_000, waits).is_empty(), "missed once");
    assert_eq!(inbox.next_alarm_ms(waits, None, 101_000), Some(102_500));
    assert_eq!(Inbox::default().next_alarm_ms(waits, None, 0), None);
}

#[test]
fn a_missed_visitor_is_asked_for_an_email_only_when_there_is_none() {
    let site = crate::config::SiteConfig::from_json(include_str!("../../../../sites/demo.json"))
        .expect("the demo site is valid");
    let waits = Waits::of(&site);
    assert_eq!(
        waits.missed_after_ms,
        u64::from(site.handoff.missed_after_seconds) * 1_000
    );
    let notice = missed_notice(&item("c", "support", 0), &site.teams);
    expect![[r#"
        HandoffNotice {
            reason: AskedForPerson,
            team: Some(
                "Customer Care",
            ),
            asks_for: [],
            queued: true,
            next_opening_ms: None,
            queue_position: None,
            expected_wait_ms: None,
        }
    "#]]
    .assert_debug_eq(&notice);
    let unknown_team = missed_notice(&item("c", "nobody", 0), &site.teams);
    assert_eq!(unknown_team.team, None);
    let asks = missed_notice_to_visitor(&notice, Some("email"), false).expect("asks");
    assert_eq!(
        (asks.asks_for, asks.team),
        (vec!["email".to_string()], notice.team.clone())
    );
    assert_eq!(missed_notice_to_visitor(&notice, Some("email"), true), None);
    assert_eq!(missed_notice_to_visitor(&notice, None, false), None);
}
