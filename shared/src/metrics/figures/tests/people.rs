//! The people side: time to the first human reply (bot time excluded, after-hours handoffs counted from the
//! opening, medians not means, business hours), missed chats against each team's promise, and CSAT.

use expect_test::expect;

use super::{MINUTE, SECOND, Script, at, check, local, report_at, week};
use crate::metrics::ClosedBy;
use crate::metrics::figures::Scope;
use crate::protocol::live::CloseOutcome;
use crate::vocab::{HandoffReason, Intent};

#[test]
fn the_first_human_reply_is_timed_from_the_handoff_not_the_start() {
    let mut script = Script::default();
    // Ten minutes with Baton, then a handoff answered 30 s later: 30 s, not 10.5 min.
    script
        .chat("c1", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .answered("2026-11-02 10:00")
        .asks("2026-11-02 10:10")
        .handed_to_support("2026-11-02 10:10")
        .agent_replies("2026-11-02 10:10:30", "ana");
    let (report, _) = report_at(&script.ledger(), &week(), &Scope::Site, "2026-12-08 12:00");
    assert_eq!(report.first_human_reply_ms.median, Some(30 * SECOND));
    assert_eq!(
        report.first_human_reply_ms.business_hours_median,
        Some(30 * SECOND)
    );
}

#[test]
fn an_after_hours_handoff_is_timed_from_the_next_opening() {
    let mut script = Script::default();
    // Friday 20:00, closed until Monday 09:00; the agent replies at 09:02: 2 min, not 61 h.
    script
        .chat("weekend", "v1", "2026-11-06 20:00")
        .asks("2026-11-06 20:00")
        .handoff_until(
            "2026-11-06 20:00",
            HandoffReason::Sensitive,
            "support",
            Intent::Billing,
            Some("2026-11-09 09:00"),
        )
        .agent_replies("2026-11-09 09:02", "ana");
    // Handed off in hours at 16:58 and answered the next morning at 09:02: 16 h 4 min of wall clock, 4 min of
    // business hours; and missed, since Support promises 5 min.
    script
        .chat("overnight", "v2", "2026-11-03 16:58")
        .asks("2026-11-03 16:58")
        .handed_to_support("2026-11-03 16:58")
        .agent_replies("2026-11-04 09:02", "bo");
    check(
        &script,
        expect![[r#"
            conversations 2
            ai_resolved 0 (0.0)
            handoffs 2 (1.0) by reason {"asked_for_person": 1, "sensitive": 1} by team {"support": 2} by intent {"billing": 1, "support": 1}
            first human reply: 2 replied, median 2.0 min p90 964.0 min, business hours median 2.0 min p90 4.0 min
            missed 1 (0.5)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 0 (0.0)
            conversations: weekend overnight
            handoffs: weekend overnight
            missed: overnight
        "#]],
    );
}

#[test]
fn reply_times_are_medians_and_90th_percentiles_not_means() {
    let mut script = Script::default();
    // Four quick replies and one forgotten for three hours: the mean would be 36 min; the median is 30 s.
    for (index, wait) in [10, 20, 30, 40, 3 * 60 * 60].into_iter().enumerate() {
        let handed = at("2026-11-03 10:00") + index as u64 * 10 * MINUTE;
        let (handed, replied) = (local(handed), local(handed + wait * SECOND));
        script
            .chat(&format!("c{index}"), &format!("visitor-{index}"), &handed)
            .asks(&handed)
            .handoff(
                &handed,
                HandoffReason::AskedForPerson,
                "sales",
                Intent::Sales,
            )
            .agent_replies(&replied, "ana");
    }
    let (report, _) = report_at(&script.ledger(), &week(), &Scope::Site, "2026-12-08 12:00");
    let reply = report.first_human_reply_ms;
    assert_eq!(
        (reply.count, reply.median, reply.p90),
        (5, Some(30 * SECOND), Some(3 * 60 * MINUTE))
    );
    // Three hours is far past Sales' 3 minutes: missed, though answered in the end.
    assert_eq!(report.missed.count, 1);
}

#[test]
fn a_chat_is_missed_without_a_reply_within_the_team_promise_or_before_the_visitor_left() {
    let mut script = Script::default();
    // Support promises 5 minutes, Sales 3.
    script
        .chat("in-time", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .handed_to_support("2026-11-02 10:00")
        .agent_replies("2026-11-02 10:04:59", "ana");
    script
        .chat("late", "v2", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .handed_to_sales("2026-11-02 10:00")
        .agent_replies("2026-11-02 10:04", "bo");
    script
        .chat("never", "v3", "2026-11-02 11:00")
        .asks("2026-11-02 11:00")
        .handoff(
            "2026-11-02 11:00",
            HandoffReason::Frustration,
            "support",
            Intent::Support,
        );
    // The visitor gave up after a minute: missed, though the target had not passed yet.
    script
        .chat("left", "v4", "2026-11-02 12:00")
        .asks("2026-11-02 12:00")
        .handed_to_support("2026-11-02 12:00")
        .closed("2026-11-02 12:01", None, ClosedBy::Visitor);
    check(
        &script,
        expect![[r#"
            conversations 4
            ai_resolved 0 (0.0)
            handoffs 4 (1.0) by reason {"asked_for_person": 2, "frustration": 1, "sales_moment": 1} by team {"sales": 1, "support": 3} by intent {"sales": 1, "support": 3}
            first human reply: 2 replied, median 4.0 min p90 5.0 min, business hours median 4.0 min p90 5.0 min
            missed 3 (0.75)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 0 (0.0)
            conversations: left never late in-time
            handoffs: left never late in-time
            missed: left never late
        "#]],
    );
}

#[test]
fn a_handoff_waiting_within_its_target_is_not_missed_yet() {
    let mut script = Script::default();
    script
        .chat("waiting", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .handed_to_support("2026-11-02 10:00");
    let ledger = script.ledger();
    let (report, _) = report_at(&ledger, &week(), &Scope::Site, "2026-11-02 10:04");
    assert_eq!(report.missed.count, 0);
    let (report, _) = report_at(&ledger, &week(), &Scope::Site, "2026-11-02 10:06");
    assert_eq!(report.missed.count, 1);
}

#[test]
fn csat_is_a_mean_a_distribution_and_a_response_rate_split_by_who_answered() {
    let mut script = Script::default();
    for (id, rating) in [
        ("rated-4", Some(4)),
        ("rated-5", Some(5)),
        ("rated-2", Some(2)),
        ("unrated", None),
    ] {
        let mut chat = script
            .chat(id, id, "2026-11-04 10:00")
            .asks("2026-11-04 10:00")
            .handed_to_support("2026-11-04 10:00")
            .agent_replies("2026-11-04 10:01", "ana")
            .closed(
                "2026-11-04 10:05",
                Some(CloseOutcome::Resolved),
                ClosedBy::Agent,
            );
        if let Some(rating) = rating {
            chat = chat.rated("2026-11-04 10:06", rating);
        }
        drop(chat);
    }
    // Closed by an agent before anyone wrote back, and rated: an AI-only rating.
    script
        .chat("ai-only", "v-ai", "2026-11-04 11:00")
        .asks("2026-11-04 11:00")
        .answered("2026-11-04 11:00")
        .closed(
            "2026-11-04 11:05",
            Some(CloseOutcome::Resolved),
            ClosedBy::Agent,
        )
        .rated("2026-11-04 11:06", 3);
    // Expired by the clock: never offered a rating, so not in the response rate's whole.
    script
        .chat("expired", "v-expired", "2026-11-04 12:00")
        .asks("2026-11-04 12:00")
        .answered("2026-11-04 12:00")
        .closed("2026-11-05 12:00", None, ClosedBy::Timeout);
    let (report, drill) = report_at(&script.ledger(), &week(), &Scope::Site, "2026-12-08 12:00");
    expect![[r#"
        Csat {
            responses: 4,
            mean: Some(
                3.5,
            ),
            response_rate: 0.8,
            distribution: [
                0,
                1,
                1,
                1,
                1,
            ],
            ai_only: CsatPart {
                responses: 1,
                mean: Some(
                    3.0,
                ),
            },
            with_person: CsatPart {
                responses: 3,
                mean: Some(
                    3.6667,
                ),
            },
        }
    "#]]
    .assert_debug_eq(&report.csat);
    assert!(
        drill.contains("csat: ai-only rated-5 rated-4 rated-2"),
        "{drill}"
    );
}
