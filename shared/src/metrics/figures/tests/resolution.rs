//! What counts as a conversation, as AI-resolved and as handed off: the traps of resolution rates.

use expect_test::expect;

use super::{Script, check, later, report_at, week};
use crate::metrics::figures::Scope;

#[test]
fn only_conversations_the_visitor_wrote_in_count() {
    let mut script = Script::default();
    script
        .chat("c1", "visitor-1", "2026-11-02 10:00")
        .asks("2026-11-02 10:01")
        .answered("2026-11-02 10:01");
    // Opened, greeted, never written in: not a conversation.
    script.chat("c2", "visitor-2", "2026-11-02 11:00");
    check(
        &script,
        expect![[r#"
            conversations 1
            ai_resolved 1 (1.0)
            handoffs 0 (0.0) by reason {} by team {} by intent {}
            first human reply: 0 replied, median - p90 -, business hours median - p90 -
            missed 0 (0.0)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 0 (0.0)
            conversations: c1
            ai_resolved: c1
        "#]],
    );
}

#[test]
fn a_visitor_who_left_on_a_fallback_or_a_clarifying_question_is_not_resolved() {
    let mut script = Script::default();
    script
        .chat("answered", "v-answered", "2026-11-02 10:00")
        .asks("2026-11-02 10:01")
        .answered("2026-11-02 10:01");
    script
        .chat("fallback", "v-fallback", "2026-11-02 11:00")
        .asks("2026-11-02 11:01")
        .answered("2026-11-02 11:01")
        .asks("2026-11-02 11:02")
        .fallback("2026-11-02 11:02", "can I pay in bitcoin");
    script
        .chat("clarify", "v-clarify", "2026-11-02 12:00")
        .asks("2026-11-02 12:01")
        .clarify("2026-11-02 12:01", "my order");
    // A fallback, then an answer the visitor was content with: resolved.
    script
        .chat("recovered", "v-recovered", "2026-11-02 13:00")
        .asks("2026-11-02 13:01")
        .fallback("2026-11-02 13:01", "shiping time")
        .asks("2026-11-02 13:02")
        .answered("2026-11-02 13:02");
    // Asked, then left before any answer came.
    script
        .chat("unanswered", "v-unanswered", "2026-11-02 14:00")
        .asks("2026-11-02 14:01");
    check(
        &script,
        expect![[r#"
            conversations 5
            ai_resolved 2 (0.4)
            handoffs 0 (0.0) by reason {} by team {} by intent {}
            first human reply: 0 replied, median - p90 -, business hours median - p90 -
            missed 0 (0.0)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 0 (0.0)
            conversations: unanswered recovered clarify fallback answered
            ai_resolved: recovered answered
        "#]],
    );
}

#[test]
fn a_visitor_who_asks_again_within_a_day_was_not_resolved() {
    let mut script = Script::default();
    script
        .chat("first", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:01")
        .answered("2026-11-02 10:01");
    // Back 23 hours after their last message, with the same question.
    script
        .chat("again", "v1", "2026-11-03 09:00")
        .asks("2026-11-03 09:01")
        .answered("2026-11-03 09:01");
    // Another visitor comes back after 25 hours: the first answer held.
    script
        .chat("held", "v2", "2026-11-02 10:00")
        .asks("2026-11-02 10:01")
        .answered("2026-11-02 10:01");
    script
        .chat("new-question", "v2", "2026-11-03 11:02")
        .asks("2026-11-03 11:03")
        .answered("2026-11-03 11:03");
    check(
        &script,
        expect![[r#"
            conversations 4
            ai_resolved 3 (0.75)
            handoffs 0 (0.0) by reason {} by team {} by intent {}
            first human reply: 0 replied, median - p90 -, business hours median - p90 -
            missed 0 (0.0)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 2 (0.5)
            conversations: new-question again held first
            ai_resolved: new-question again held
            repeat_contact: held first
        "#]],
    );
}

#[test]
fn asking_again_just_after_the_range_is_seen_through_the_later_conversations() {
    let mut script = Script::default();
    script
        .chat("sunday", "v1", "2026-11-08 22:00")
        .asks("2026-11-08 22:01")
        .answered("2026-11-08 22:01");
    let mut ledger = script.ledger();
    ledger.later.push(later("monday", "v1", "2026-11-09 08:00"));
    let (report, drill) = report_at(&ledger, &week(), &Scope::Site, "2026-12-08 12:00");
    assert_eq!(report.conversations, 1);
    assert_eq!(report.ai_resolved.count, 0, "{drill}");
    assert_eq!(report.repeat_contact.count, 1, "{drill}");
    expect![[r#"
        conversations: sunday
        repeat_contact: sunday"#]]
    .assert_eq(&drill);
}

#[test]
fn handoff_wins_over_the_answers_before_it() {
    let mut script = Script::default();
    // Baton answered twice, then the visitor asked for a person: a handoff, never an AI resolution.
    script
        .chat("both", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:01")
        .answered("2026-11-02 10:01")
        .asks("2026-11-02 10:02")
        .answered("2026-11-02 10:02")
        .asks("2026-11-02 10:03")
        .handed_to_support("2026-11-02 10:03")
        .agent_replies("2026-11-02 10:04", "ana");
    // Answered after the handoff while nobody had replied: still a handoff.
    script
        .chat("answered-after", "v2", "2026-11-02 11:00")
        .asks("2026-11-02 11:01")
        .handed_to_sales("2026-11-02 11:01")
        .asks("2026-11-02 11:02")
        .answered("2026-11-02 11:02")
        .agent_replies("2026-11-02 11:03", "bo");
    script
        .chat("ai", "v3", "2026-11-02 12:00")
        .asks("2026-11-02 12:01")
        .answered("2026-11-02 12:01");
    check(
        &script,
        expect![[r#"
            conversations 3
            ai_resolved 1 (0.3333)
            handoffs 2 (0.6667) by reason {"asked_for_person": 1, "sales_moment": 1} by team {"sales": 1, "support": 1} by intent {"sales": 1, "support": 1}
            first human reply: 2 replied, median 1.0 min p90 2.0 min, business hours median 1.0 min p90 2.0 min
            missed 0 (0.0)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 0 (0.0)
            conversations: ai answered-after both
            ai_resolved: ai
            handoffs: answered-after both
        "#]],
    );
}
