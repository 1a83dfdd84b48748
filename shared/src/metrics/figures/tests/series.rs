//! Days, weeks and hours in the site's timezone, the series, the heatmap, and the lists: pages, intents and the
//! questions Baton could not answer.

use expect_test::expect;

use super::{Script, at, query, report_at};
use crate::metrics::figures::{Ledger, Range, Request, Scope};
use crate::protocol::metrics::Interval;
use crate::vocab::{HandoffReason, Intent};

#[test]
fn days_are_the_site_days_also_when_the_clocks_change() {
    // London leaves summer time on Sunday 2026-10-25: that day lasts 25 hours, from 23:00 UTC the day before.
    let range = Range::new(&query("2026-10-25", "2026-10-25"), "Europe/London").expect("a range");
    assert_eq!(range.end_ms - range.start_ms, 25 * 60 * 60 * 1_000);
    assert_eq!(range.start_ms, at("2026-10-25 00:00"));
    // In New York, a Monday-morning chat in London is still Sunday.
    let new_york =
        Range::new(&query("2026-11-01", "2026-11-01"), "America/New_York").expect("a range");
    assert!(new_york.contains(at("2026-11-02 04:59")));
    assert!(!new_york.contains(at("2026-11-02 05:00")));
}

#[test]
fn the_series_has_every_day_or_week_and_the_heatmap_weekday_and_hour() {
    let mut script = Script::default();
    for (id, when) in [
        ("wed", "2026-11-04 09:30"),
        ("sun-late", "2026-11-08 23:59"),
        ("mon", "2026-11-09 00:00"),
        ("mon-2", "2026-11-09 10:15"),
    ] {
        script.chat(id, id, when).asks(when).answered(when);
    }
    let ledger = script.ledger();
    let weeks = crate::protocol::metrics::MetricsQuery {
        interval: Interval::Week,
        ..query("2026-11-04", "2026-11-17")
    };
    let (report, _) = report_at(&ledger, &weeks, &Scope::Site, "2026-12-08 12:00");
    let series: Vec<String> = report
        .series
        .iter()
        .map(|point| {
            format!(
                "{} {} resolved {}",
                point.start, point.conversations, point.ai_resolved
            )
        })
        .collect();
    expect![[r#"
        [
            "2026-11-02 2 resolved 2",
            "2026-11-09 2 resolved 2",
            "2026-11-16 0 resolved 0",
        ]
    "#]]
    .assert_debug_eq(&series);
    let cells: Vec<String> = report
        .heatmap
        .iter()
        .enumerate()
        .flat_map(|(weekday, hours)| {
            hours
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .map(move |(hour, count)| format!("weekday {weekday} hour {hour}: {count}"))
        })
        .collect();
    expect![[r#"
        [
            "weekday 0 hour 0: 1",
            "weekday 0 hour 10: 1",
            "weekday 2 hour 9: 1",
            "weekday 6 hour 23: 1",
        ]
    "#]]
    .assert_debug_eq(&cells);
    let days = query("2026-11-08", "2026-11-09");
    let (report, _) = report_at(&ledger, &days, &Scope::Site, "2026-12-08 12:00");
    let series: Vec<(String, u64)> = report
        .series
        .iter()
        .map(|point| (point.start.clone(), point.conversations))
        .collect();
    assert_eq!(
        series,
        [("2026-11-08".to_owned(), 1), ("2026-11-09".to_owned(), 2)]
    );
}

#[test]
fn pages_intents_and_unanswered_questions_are_ranked() {
    let mut script = Script::default();
    script
        .chat_from(
            "a",
            "va",
            "2026-11-02 10:00",
            Some("https://shop.example/pricing?utm_source=mail"),
            None,
        )
        .asks("2026-11-02 10:00")
        .fallback("2026-11-02 10:00", "Do you ship to Spain?")
        .asks("2026-11-02 10:01")
        .handoff(
            "2026-11-02 10:01",
            HandoffReason::UnansweredTurns,
            "support",
            Intent::Support,
        );
    script
        .chat_from(
            "b",
            "vb",
            "2026-11-03 10:00",
            Some("https://shop.example/pricing#plans"),
            None,
        )
        .asks("2026-11-03 10:00")
        .clarify("2026-11-03 10:00", "do you  ship to spain")
        .asks("2026-11-03 10:01")
        .fallback("2026-11-03 10:01", "=cmd|' /C calc'!A0");
    script
        .chat_from(
            "c",
            "vc",
            "2026-11-04 10:00",
            Some("https://shop.example/"),
            None,
        )
        .asks("2026-11-04 10:00")
        .handed_to_sales("2026-11-04 10:00");
    let (report, _) = report_at(
        &script.ledger(),
        &super::week(),
        &Scope::Site,
        "2026-12-08 12:00",
    );
    expect![[r#"
        pages [Count { key: "https://shop.example/pricing", count: 2 }, Count { key: "https://shop.example/", count: 1 }]
        intents [Count { key: "sales", count: 1 }, Count { key: "support", count: 1 }]
        unanswered [Unanswered { question: "do you ship to spain", count: 2, conversation_ids: ["b", "a"] }, Unanswered { question: "=cmd|' /C calc'!A0", count: 1, conversation_ids: ["b"] }]"#]]
    .assert_eq(&format!("pages {:?}\nintents {:?}\nunanswered {:?}", report.pages, report.intents, report.unanswered));
}

#[test]
fn rates_stay_within_0_and_1_and_every_count_is_its_drill_down() {
    // Every combination of a few outcomes, in one ledger.
    let mut script = Script::default();
    let outcomes = [
        "answered", "fallback", "handoff", "replied", "late", "rated",
    ];
    for (index, first) in outcomes.iter().enumerate() {
        for (other, second) in outcomes.iter().enumerate() {
            let id = format!("c{index}{other}");
            let visitor = format!("v{}", (index + other) % 4);
            let mut chat = script
                .chat(&id, &visitor, "2026-11-03 10:00")
                .asks("2026-11-03 10:00");
            for step in [first, second] {
                chat = match *step {
                    "answered" => chat.answered("2026-11-03 10:01"),
                    "fallback" => chat.fallback("2026-11-03 10:01", "why"),
                    "handoff" => chat.handoff(
                        "2026-11-03 10:02",
                        HandoffReason::Frustration,
                        "support",
                        Intent::General,
                    ),
                    "replied" => chat.agent_replies("2026-11-03 10:03", "ana"),
                    "late" => chat.agent_replies("2026-11-03 11:00", "bo"),
                    _ => chat.rated("2026-11-03 11:30", 5),
                };
            }
        }
    }
    let ledger: Ledger = script.ledger();
    let config = super::site();
    let week = super::week();
    let range = Range::new(&week, &config.timezone).expect("a range");
    let request = Request {
        config: &config,
        query: &week,
        range: &range,
        scope: &Scope::Site,
        now_ms: at("2026-12-01 00:00"),
    };
    let report = crate::metrics::figures::report(&request, &ledger);
    let rates = [
        report.ai_resolved.rate,
        report.handoffs.rate,
        report.missed.rate,
        report.conversions_after_handoff.rate,
        report.conversions_without_handoff.rate,
        report.csat.response_rate,
        report.repeat_contact.rate,
    ];
    assert!(
        rates.iter().all(|rate| (0.0..=1.0).contains(rate)),
        "{rates:?}"
    );
    assert!(report.ai_resolved.count + report.handoffs.count <= report.conversations);
    use crate::protocol::metrics::Figure;
    let listed = |figure| {
        crate::metrics::figures::conversations(&request, &ledger, figure)
            .conversations
            .len() as u64
    };
    assert_eq!(
        [
            report.conversations,
            report.ai_resolved.count,
            report.handoffs.count,
            report.missed.count,
            report.csat.responses,
            report.repeat_contact.count
        ],
        [
            Figure::Conversations,
            Figure::AiResolved,
            Figure::Handoffs,
            Figure::Missed,
            Figure::Csat,
            Figure::RepeatContact
        ]
        .map(listed),
    );
    expect![[r#"conversations 36, resolved 4, handoffs 11, missed 9"#]].assert_eq(&format!(
        "conversations {}, resolved {}, handoffs {}, missed {}",
        report.conversations, report.ai_resolved.count, report.handoffs.count, report.missed.count
    ));
}
