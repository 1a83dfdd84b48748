//! Conversion after a handoff (and without one, for comparison), and repeat contact by visitor id or email.

use expect_test::expect;

use super::{Script, check};
use crate::metrics::ClosedBy;
use crate::protocol::live::CloseOutcome;

#[test]
fn a_conversion_is_a_converted_close_or_a_goal_within_the_window_after_the_handoff() {
    let mut script = Script::default();
    // Closed as converted by the agent: converted, with no value.
    script
        .chat("closed-converted", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .handed_to_sales("2026-11-02 10:00")
        .agent_replies("2026-11-02 10:01", "ana")
        .closed(
            "2026-11-02 10:10",
            Some(CloseOutcome::Converted),
            ClosedBy::Agent,
        );
    // A purchase of 49 six days after the handoff, by the same visitor: converted.
    script
        .chat("goal", "v2", "2026-11-02 11:00")
        .asks("2026-11-02 11:00")
        .handed_to_sales("2026-11-02 11:00")
        .agent_replies("2026-11-02 11:01", "ana");
    script.goal("v2", None, "2026-11-08 10:00", 49.0);
    // A purchase eight days later is past the 7-day window: not this conversation's.
    script
        .chat("too-late", "v3", "2026-11-02 12:00")
        .asks("2026-11-02 12:00")
        .handed_to_sales("2026-11-02 12:00")
        .agent_replies("2026-11-02 12:01", "bo");
    script.goal("v3", None, "2026-11-10 12:01", 20.0);
    // Never handed off, and the visitor bought within the window after the start: counted apart.
    script
        .chat("self-served", "v4", "2026-11-03 10:00")
        .asks("2026-11-03 10:00")
        .answered("2026-11-03 10:00");
    script.goal("v4", None, "2026-11-03 10:30", 15.5);
    script
        .chat("browsed", "v5", "2026-11-03 11:00")
        .asks("2026-11-03 11:00")
        .answered("2026-11-03 11:00");
    check(
        &script,
        expect![[r#"
            conversations 5
            ai_resolved 2 (0.4)
            handoffs 3 (0.6) by reason {"sales_moment": 3} by team {"sales": 3} by intent {"sales": 3}
            first human reply: 3 replied, median 1.0 min p90 1.0 min, business hours median 1.0 min p90 1.0 min
            missed 0 (0.0)
            converted after handoff 2 (0.6667) value 49.0; without handoff 1 (0.5) value 15.5
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 0 (0.0)
            conversations: browsed self-served too-late goal closed-converted
            ai_resolved: browsed self-served
            handoffs: too-late goal closed-converted
            conversions_after_handoff: goal closed-converted
        "#]],
    );
}

#[test]
fn a_goal_counts_once_for_the_visitor_latest_conversation_or_the_one_it_names() {
    let mut script = Script::default();
    // The same visitor chats twice, each handed off; their purchase counts for the later one only.
    script
        .chat("earlier", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .handed_to_sales("2026-11-02 10:00")
        .agent_replies("2026-11-02 10:01", "ana");
    script
        .chat("later", "v1", "2026-11-04 10:00")
        .asks("2026-11-04 10:00")
        .handed_to_sales("2026-11-04 10:00")
        .agent_replies("2026-11-04 10:01", "ana");
    script.goal("v1", None, "2026-11-05 10:00", 30.0);
    // A goal the widget tracked with its conversation open names it, whoever chatted since.
    script
        .chat("named", "v2", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .handed_to_sales("2026-11-02 10:00")
        .agent_replies("2026-11-02 10:01", "ana");
    script
        .chat("other", "v2", "2026-11-03 10:00")
        .asks("2026-11-03 10:00")
        .answered("2026-11-03 10:00");
    script.goal("v2", Some("named"), "2026-11-03 10:30", 12.0);
    check(
        &script,
        expect![[r#"
            conversations 4
            ai_resolved 1 (0.25)
            handoffs 3 (0.75) by reason {"sales_moment": 3} by team {"sales": 3} by intent {"sales": 3}
            first human reply: 3 replied, median 1.0 min p90 1.0 min, business hours median 1.0 min p90 1.0 min
            missed 0 (0.0)
            converted after handoff 2 (0.6667) value 42.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 2 (0.5)
            conversations: later other named earlier
            ai_resolved: other
            handoffs: later named earlier
            conversions_after_handoff: later named
            repeat_contact: named earlier
        "#]],
    );
}

#[test]
fn repeat_contact_is_the_same_visitor_by_id_or_email_within_seven_days_of_the_end() {
    let mut script = Script::default();
    // Back by the same browser three days after the close.
    script
        .chat("by-id", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .handed_to_support("2026-11-02 10:00")
        .agent_replies("2026-11-02 10:01", "ana")
        .closed(
            "2026-11-02 10:10",
            Some(CloseOutcome::Resolved),
            ClosedBy::Agent,
        );
    script
        .chat("by-id-again", "v1", "2026-11-05 10:00")
        .asks("2026-11-05 10:00")
        .answered("2026-11-05 10:00");
    // Back from another device, known by the email given both times (case aside).
    script
        .chat("by-email", "laptop", "2026-11-02 11:00")
        .asks("2026-11-02 11:00")
        .identified("2026-11-02 11:01", "Sam@example.com")
        .answered("2026-11-02 11:01");
    script
        .chat("by-email-again", "phone", "2026-11-06 09:00")
        .asks("2026-11-06 09:00")
        .identified("2026-11-06 09:01", "sam@example.com")
        .answered("2026-11-06 09:01");
    // Back eight days later: a new matter, not a repeat.
    script
        .chat("long-ago", "v3", "2026-11-02 12:00")
        .asks("2026-11-02 12:00")
        .answered("2026-11-02 12:00");
    script
        .chat("much-later", "v3", "2026-11-10 12:01")
        .asks("2026-11-10 12:01")
        .answered("2026-11-10 12:01");
    check(
        &script,
        expect![[r#"
            conversations 5
            ai_resolved 4 (0.8)
            handoffs 1 (0.2) by reason {"asked_for_person": 1} by team {"support": 1} by intent {"support": 1}
            first human reply: 1 replied, median 1.0 min p90 1.0 min, business hours median 1.0 min p90 1.0 min
            missed 0 (0.0)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 2 (0.4)
            conversations: by-email-again by-id-again long-ago by-email by-id
            ai_resolved: by-email-again by-id-again long-ago by-email
            handoffs: by-id
            repeat_contact: by-email by-id
        "#]],
    );
}
