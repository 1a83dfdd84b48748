//! Every trigger, due and not yet, and fired once per occurrence; and the chat's state, which holds campaigns back
//! except the two triggers that are about the chat itself.

use expect_test::{Expect, expect};
use serde_json::json;

use super::fixture::{Case, DAY, NOW, SECOND, table};
use crate::campaign::Moment;

#[track_caller]
fn check(rows: Vec<(&str, String)>, expect: Expect) {
    expect.assert_eq(&table(rows));
}

/// `Case::one` with `fields`, changed by `setup`, on one line.
fn one(fields: serde_json::Value, setup: impl FnOnce(&mut Case)) -> String {
    let mut case = Case::one(fields);
    setup(&mut case);
    case.short()
}

#[test]
fn every_trigger_due_and_not_yet() {
    let trigger = |kind: serde_json::Value| json!({ "trigger": kind });
    let dwell = trigger(json!({"kind": "dwell", "seconds": 20}));
    let dwell_later = trigger(json!({"kind": "dwell", "seconds": 45}));
    let site_time = trigger(json!({"kind": "site_time", "seconds": 600}));
    let scroll = trigger(json!({"kind": "scroll", "percent": 50}));
    let inactivity = trigger(json!({"kind": "inactivity", "seconds": 30}));
    let click = trigger(json!({"kind": "click", "selector": "#buy"}));
    let event = trigger(json!({"kind": "event", "name": "added_to_cart"}));
    let struggled = trigger(json!({"kind": "ai_struggled"}));
    let waiting = trigger(json!({"kind": "waiting_for_person", "seconds": 60}));
    let handed_over = |ago: u64| {
        move |case: &mut Case| case.visit.chat.handed_over_at_ms = Some(NOW - ago * SECOND)
    };
    check(
        vec![
            (
                "page_view",
                one(trigger(json!({"kind": "page_view"})), |_| {}),
            ),
            (
                "page_view, viewed on this page",
                one(trigger(json!({"kind": "page_view"})), |case| {
                    case.clocks("c").last_view_ms = Some(NOW - SECOND);
                }),
            ),
            ("dwell 20 s after 30 s", one(dwell.clone(), |_| {})),
            ("dwell 45 s after 30 s", one(dwell_later, |_| {})),
            (
                "dwell, viewed on this page",
                one(dwell.clone(), |case| {
                    case.clocks("c").last_view_ms = Some(NOW - 5 * SECOND);
                }),
            ),
            (
                "dwell, viewed on the last page",
                one(dwell, |case| {
                    case.clocks("c").last_view_ms = Some(NOW - 60 * SECOND);
                }),
            ),
            (
                "site_time 600 s after 300 s",
                one(site_time.clone(), |_| {}),
            ),
            (
                "site_time 600 s after 700 s",
                one(site_time, |case| {
                    case.visit.visit_started_ms = NOW - 700 * SECOND;
                }),
            ),
            (
                "scroll 50 % at 49 %",
                one(scroll.clone(), |case| case.visit.scroll_percent = 49),
            ),
            (
                "scroll 50 % at 50 %",
                one(scroll, |case| case.visit.scroll_percent = 50),
            ),
            (
                "exit_intent on a tick",
                one(trigger(json!({"kind": "exit_intent"})), |_| {}),
            ),
            (
                "exit_intent on exit intent",
                one(trigger(json!({"kind": "exit_intent"})), |case| {
                    case.moment = Moment::ExitIntent;
                }),
            ),
            ("inactivity 30 s after 1 s", one(inactivity.clone(), |_| {})),
            (
                "inactivity 30 s after 31 s",
                one(inactivity, |case| {
                    case.visit.last_activity_ms = NOW - 31 * SECOND;
                }),
            ),
            (
                "click matching another",
                one(click.clone(), |case| {
                    case.moment = Moment::Click {
                        matched: vec!["other".into()],
                    };
                }),
            ),
            (
                "click matching it",
                one(click, |case| {
                    case.moment = Moment::Click {
                        matched: vec!["other".into(), "c".into()],
                    };
                }),
            ),
            (
                "event, another name",
                one(event.clone(), |case| {
                    case.moment = Moment::Event {
                        name: "signup".into(),
                    };
                }),
            ),
            (
                "event, its name",
                one(event, |case| {
                    case.moment = Moment::Event {
                        name: "added_to_cart".into(),
                    };
                }),
            ),
            (
                "manual on a tick",
                one(trigger(json!({"kind": "manual"})), |_| {}),
            ),
            (
                "manual on exit intent",
                one(trigger(json!({"kind": "manual"})), |case| {
                    case.moment = Moment::ExitIntent;
                }),
            ),
            (
                "ai_struggled, one struggle",
                one(struggled.clone(), |case| {
                    case.visit.chat.struggling_answers = 1;
                }),
            ),
            (
                "ai_struggled, two",
                one(struggled.clone(), |case| {
                    case.visit.chat.struggling_answers = 2;
                    case.visit.chat.last_message_ms = Some(NOW - 5 * SECOND);
                }),
            ),
            (
                "ai_struggled, two, viewed since",
                one(struggled, |case| {
                    case.visit.chat.struggling_answers = 2;
                    case.visit.chat.last_message_ms = Some(NOW - 5 * SECOND);
                    case.clocks("c").last_view_ms = Some(NOW - 2 * SECOND);
                }),
            ),
            (
                "waiting_for_person, no handoff",
                one(waiting.clone(), |_| {}),
            ),
            (
                "waiting 60 s, handed over 20 s ago",
                one(waiting.clone(), handed_over(20)),
            ),
            (
                "waiting 60 s, handed over 90 s ago",
                one(waiting.clone(), handed_over(90)),
            ),
            (
                "waiting, a person replied",
                one(waiting, |case| {
                    handed_over(90)(case);
                    case.visit.chat.person_replied = true;
                }),
            ),
        ],
        expect![[r#"
            page_view                           shown
            page_view, viewed on this page      not shown — not_triggered
            dwell 20 s after 30 s               shown
            dwell 45 s after 30 s               not shown — not_triggered (recheck in 15000 ms)
            dwell, viewed on this page          not shown — not_triggered
            dwell, viewed on the last page      shown
            site_time 600 s after 300 s         not shown — not_triggered (recheck in 300000 ms)
            site_time 600 s after 700 s         shown
            scroll 50 % at 49 %                 not shown — not_triggered
            scroll 50 % at 50 %                 shown
            exit_intent on a tick               not shown — not_triggered
            exit_intent on exit intent          shown
            inactivity 30 s after 1 s           not shown — not_triggered (recheck in 29000 ms)
            inactivity 30 s after 31 s          shown
            click matching another              not shown — not_triggered
            click matching it                   shown
            event, another name                 not shown — not_triggered
            event, its name                     shown
            manual on a tick                    not shown — not_triggered
            manual on exit intent               not shown — not_triggered
            ai_struggled, one struggle          not shown — not_triggered
            ai_struggled, two                   shown
            ai_struggled, two, viewed since     not shown — not_triggered
            waiting_for_person, no handoff      not shown — not_triggered
            waiting 60 s, handed over 20 s ago  not shown — not_triggered (recheck in 40000 ms)
            waiting 60 s, handed over 90 s ago  shown
            waiting, a person replied           not shown — person_in_conversation
        "#]],
    );
}

#[test]
fn the_chat_state_holds_campaigns_back() {
    let waiting = json!({"trigger": {"kind": "waiting_for_person", "seconds": 10}});
    let struggled = json!({"trigger": {"kind": "ai_struggled"}});
    let chatted = |case: &mut Case| {
        case.visit.chat.last_message_ms = Some(NOW - 60 * SECOND);
        case.visit.chat.struggling_answers = 2;
    };
    check(
        vec![
            (
                "panel open",
                one(json!({}), |case| case.visit.chat.panel_open = true),
            ),
            (
                "handed over",
                one(json!({}), |case| {
                    case.visit.chat.handed_over_at_ms = Some(NOW - DAY)
                }),
            ),
            (
                "handed over, waiting_for_person",
                one(waiting.clone(), |case| {
                    case.visit.chat.handed_over_at_ms = Some(NOW - 60 * SECOND);
                }),
            ),
            (
                "waiting_for_person, panel open",
                one(waiting, |case| {
                    case.visit.chat.handed_over_at_ms = Some(NOW - 60 * SECOND);
                    case.visit.chat.panel_open = true;
                }),
            ),
            ("chatted 60 s ago (quiet 600 s)", one(json!({}), chatted)),
            (
                "chatted 601 s ago",
                one(json!({}), |case| {
                    case.visit.chat.last_message_ms = Some(NOW - 601 * SECOND);
                }),
            ),
            ("chatted 60 s ago, ai_struggled", one(struggled, chatted)),
        ],
        expect![[r#"
            panel open                       not shown — chat_open
            handed over                      not shown — person_in_conversation
            handed over, waiting_for_person  shown
            waiting_for_person, panel open   not shown — chat_open
            chatted 60 s ago (quiet 600 s)   not shown — quiet_after_chat
            chatted 601 s ago                shown
            chatted 60 s ago, ai_struggled   shown
        "#]],
    );
}
