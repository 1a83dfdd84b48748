use baton_shared::protocol::metrics::{
    CampaignFigures, ConversationRow, Figure, Interval, MetricsReport, SeriesPoint,
};
use expect_test::{Expect, expect};

use super::cards::cards;
use super::charts::intervals;
use super::day::Day;
use super::format;
use super::route::{Drill, Narrow, Range, ReportView};
use super::tables::uplift;
use super::unanswered::{entry_id, entry_snippet};

fn today() -> Day {
    Day::from_ymd(2026, 12, 1).unwrap_or(Day::EPOCH)
}

/// Reads a hash, and shows the view, the hash it writes back and the query it asks for today.
#[track_caller]
fn check_route(hash: &str, expect: Expect) {
    let shown = match ReportView::read(hash) {
        None => "not the reports page".to_string(),
        Some(view) => {
            let query = match view.query(today()) {
                Ok(query) => baton_shared::protocol::paths::metrics_query(&query, None),
                Err(message) => format!("refused: {message}"),
            };
            format!("{view:?}\n#{}\n{query}", view.hash())
        }
    };
    expect.assert_eq(&shown);
}

#[test]
fn the_reports_hash_reads_and_writes_back() {
    check_route("#inbox", expect!["not the reports page"]);
    check_route(
        "reports",
        expect![[r#"
            ReportView { range: Last7, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: None }
            #reports&range=last7
            from=2026-11-25&to=2026-12-01"#]],
    );
    check_route(
        "#reports&range=last30&team=sales&intent=billing&interval=week",
        expect![[r#"
            ReportView { range: Last30, team: Some("sales"), agent: None, intent: Some("billing"), campaign: None, interval: Week, drill: None }
            #reports&range=last30&team=sales&intent=billing&interval=week
            from=2026-11-02&to=2026-12-01&team=sales&intent=billing&interval=week"#]],
    );
    check_route(
        "reports&range=month&agent=ag%201&campaign=pricing-help",
        expect![[r#"
            ReportView { range: ThisMonth, team: None, agent: Some("ag 1"), intent: None, campaign: Some("pricing-help"), interval: Day, drill: None }
            #reports&range=month&agent=ag%201&campaign=pricing-help
            from=2026-12-01&to=2026-12-01&agent=ag%201&campaign=pricing-help"#]],
    );
    check_route(
        "reports&from=2026-10-01&to=2026-10-31&drill=handoffs&by=reason&value=asked_for_person",
        expect![[r#"
            ReportView { range: Custom { from: "2026-10-01", to: "2026-10-31" }, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: Some(Drill { figure: Handoffs, narrow: Some(Reason("asked_for_person")) }) }
            #reports&from=2026-10-01&to=2026-10-31&drill=handoffs&by=reason&value=asked_for_person
            from=2026-10-01&to=2026-10-31"#]],
    );
    check_route(
        "reports&drill=conversations&by=page&value=%2Fpricing%3Fa%3D1%26b&x=unknown",
        expect![[r#"
            ReportView { range: Last7, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: Some(Drill { figure: Conversations, narrow: Some(Page("/pricing?a=1&b")) }) }
            #reports&range=last7&drill=conversations&by=page&value=%2Fpricing%3Fa%3D1%26b
            from=2026-11-25&to=2026-12-01"#]],
    );
    check_route(
        "reports&drill=conversations&by=slot&value=6-23&range=last7",
        expect![[r#"
            ReportView { range: Last7, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: Some(Drill { figure: Conversations, narrow: Some(Slot { weekday: 6, hour: 23 }) }) }
            #reports&range=last7&drill=conversations&by=slot&value=6-23
            from=2026-11-25&to=2026-12-01"#]],
    );
    // A slot out of the grid, an unknown figure: no narrowing, no drill-down.
    check_route(
        "reports&drill=conversations&by=slot&value=7-1",
        expect![[r#"
            ReportView { range: Last7, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: Some(Drill { figure: Conversations, narrow: None }) }
            #reports&range=last7&drill=conversations
            from=2026-11-25&to=2026-12-01"#]],
    );
    check_route(
        "reports&drill=everything",
        expect![[r#"
            ReportView { range: Last7, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: None }
            #reports&range=last7
            from=2026-11-25&to=2026-12-01"#]],
    );
}

#[test]
fn custom_ranges_are_checked() {
    check_route(
        "reports&from=2026-11-30&to=2026-11-01",
        expect![[r#"
            ReportView { range: Custom { from: "2026-11-30", to: "2026-11-01" }, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: None }
            #reports&from=2026-11-30&to=2026-11-01
            refused: The start date is after the end date."#]],
    );
    check_route(
        "reports&from=2024-01-01&to=2026-11-01",
        expect![[r#"
            ReportView { range: Custom { from: "2024-01-01", to: "2026-11-01" }, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: None }
            #reports&from=2024-01-01&to=2026-11-01
            refused: A report covers at most 366 days."#]],
    );
    check_route(
        "reports&from=yesterday&to=2026-11-01",
        expect![[r#"
            ReportView { range: Custom { from: "yesterday", to: "2026-11-01" }, team: None, agent: None, intent: None, campaign: None, interval: Day, drill: None }
            #reports&from=yesterday&to=2026-11-01
            refused: The start date is not a date."#]],
    );
    // Only one date: the default preset.
    assert_eq!(
        ReportView::read("reports&from=2026-11-01").map(|view| view.range),
        Some(Range::Last7)
    );
}

#[test]
fn a_drill_down_narrows_the_query_or_the_rows() {
    let view = ReportView::read("reports&range=last7&team=sales").unwrap_or_default();
    let query = view.query(today()).unwrap_or_default();
    let shown = |narrow: Narrow| {
        let drill = Drill {
            figure: Figure::Handoffs,
            narrow: Some(narrow),
        };
        baton_shared::protocol::paths::metrics_query(&drill.query(&query), None)
    };
    expect![[r#"
        from=2026-11-30&to=2026-12-01&team=sales
        from=2026-11-25&to=2026-12-01&team=support
        from=2026-11-25&to=2026-12-01&team=sales&intent=billing
        from=2026-11-25&to=2026-12-01&team=sales&campaign=c1
        from=2026-11-25&to=2026-12-01&team=sales"#]]
    .assert_eq(
        &[
            shown(Narrow::Days {
                from: "2026-11-30".into(),
                to: "2026-12-01".into(),
            }),
            shown(Narrow::Team("support".into())),
            shown(Narrow::Intent("billing".into())),
            shown(Narrow::Campaign {
                id: "c1".into(),
                variant: Some("b".into()),
            }),
            shown(Narrow::Reason("frustration".into())),
        ]
        .join("\n"),
    );

    let row = ConversationRow {
        id: "c".into(),
        started_at_ms: 1_000,
        reason: Some("frustration".into()),
        page_url: Some("https://shop.example/pricing?plan=pro".into()),
        variant: Some("b".into()),
        ..ConversationRow::default()
    };
    let slot = |_: u64| Some((2, 14));
    let keeps = |narrow: Narrow| narrow.keeps(&row, slot);
    assert!(keeps(Narrow::Reason("frustration".into())));
    assert!(!keeps(Narrow::Reason("sensitive".into())));
    assert!(keeps(Narrow::Page("https://shop.example/pricing".into())));
    assert!(keeps(Narrow::Page("/pricing".into())));
    assert!(!keeps(Narrow::Page(
        "https://shop.example/pricing/team".into()
    )));
    assert!(!keeps(Narrow::Page("/".into())));
    assert!(keeps(Narrow::Slot {
        weekday: 2,
        hour: 14
    }));
    assert!(!keeps(Narrow::Slot {
        weekday: 2,
        hour: 15
    }));
    assert!(keeps(Narrow::Campaign {
        id: "c1".into(),
        variant: Some("b".into())
    }));
    assert!(!keeps(Narrow::Campaign {
        id: "c1".into(),
        variant: Some("a".into())
    }));
    assert!(keeps(Narrow::Team("anything: the API narrowed it".into())));
}

#[test]
fn numbers_read_well_and_nothing_reads_as_a_result() {
    let shown = [
        format::count(0),
        format::count(999),
        format::count(1_234_567),
        format::percent(0.0, 0),
        format::percent(0.0, 3),
        format::percent(1.0 / 3.0, 3),
        format::percent(0.075, 40),
        format::percent(1.0, 1),
        format::percent(f64::NAN, 2),
        format::duration(None),
        format::duration(Some(0)),
        format::duration(Some(45_400)),
        format::duration(Some(90_000)),
        format::duration(Some(600_000)),
        format::duration(Some(12 * 60_000 + 20_000)),
        format::duration(Some(2 * 3_600_000 + 5 * 60_000)),
        format::duration(Some(3 * 86_400_000 + 4 * 3_600_000)),
        format::rating(None),
        format::rating(Some(4.25)),
        format::value(0.0),
        format::value(1250.0),
        format::value(12.5),
        format::reason("asked_for_person"),
        format::reason("something_new"),
        format::intent("billing"),
    ];
    expect![[r#"
        0 · 999 · 1,234,567 · — · 0% · 33.3% · 7.5% · 100% · — · — · 0 s · 45 s · 1 min 30 s · 10 min · 12 min · 2 h 05 min · 3 d 4 h · — · 4.2 / 5 · 0 · 1,250 · 12.50 · asked for a person · something new · Billing"#]]
    .assert_eq(&shown.join(" · "));
}

fn report() -> MetricsReport {
    let mut report = MetricsReport {
        from: "2026-11-25".into(),
        to: "2026-12-01".into(),
        timezone: "Europe/Dublin".into(),
        interval: Interval::Day,
        conversations: 8,
        ..MetricsReport::default()
    };
    report.ai_resolved.count = 4;
    report.ai_resolved.rate = 0.5;
    report.handoffs.count = 3;
    report.handoffs.rate = 0.375;
    report.first_human_reply_ms.count = 2;
    report.first_human_reply_ms.median = Some(30_000);
    report.first_human_reply_ms.p90 = Some(95_000);
    report.missed.count = 1;
    report.missed.rate = 1.0 / 3.0;
    report.conversions_after_handoff.count = 1;
    report.conversions_after_handoff.rate = 1.0 / 3.0;
    report.conversions_after_handoff.value = 40.0;
    report.csat.responses = 1;
    report.csat.mean = Some(4.0);
    report.csat.response_rate = 0.5;
    report.csat.with_person.mean = Some(4.0);
    report.repeat_contact.count = 1;
    report.repeat_contact.rate = 0.125;
    report.series = ["2026-11-23", "2026-11-30"]
        .into_iter()
        .map(|start| SeriesPoint {
            start: start.into(),
            conversations: 4,
            ..SeriesPoint::default()
        })
        .collect();
    report
}

#[test]
fn the_cards_say_each_figure_with_its_context() {
    let shown: Vec<String> = cards(&report())
        .into_iter()
        .map(|card| {
            format!(
                "{} [{}] = {} ({}) → {}",
                card.label,
                card.raw,
                card.value,
                card.detail,
                card.figure.name()
            )
        })
        .collect();
    expect![[r#"
        Conversations [8] = 8 (2026-11-25 to 2026-12-01) → conversations
        AI resolution rate [0.5] = 50% (4 resolved by Baton alone) → ai_resolved
        Handoff rate [0.375] = 37.5% (3 handed to a person) → handoffs
        Time to first human reply [30000] = 30 s (median · p90 1 min 35 s · 2 replied) → handoffs
        First reply, business hours [] = — (median · p90 —) → handoffs
        Missed chats [1] = 1 (33.3% of handoffs) → missed
        Conversion after handoff [0.3333333333333333] = 33.3% (1 converted · value 40 · vs 0% without handoff) → conversions_after_handoff
        CSAT [4] = 4.0 / 5 (1 rating · 50% responded · AI only — · with a person 4.0 / 5) → csat
        Repeat contact [0.125] = 12.5% (1 came back within 7 days) → repeat_contact"#]]
    .assert_eq(&shown.join("\n"));

    // No conversations: every share is "—", never 0% or NaN.
    let empty: Vec<String> = cards(&MetricsReport::default())
        .into_iter()
        .map(|card| format!("{}={}", card.key, card.value))
        .collect();
    expect![[r#"conversations=0 ai_resolution_rate=— handoff_rate=— first_human_reply=— first_human_reply_business=— missed=0 conversion_after_handoff=— csat=— repeat_contact=—"#]]
    .assert_eq(&empty.join(" "));
}

#[test]
fn each_interval_ends_where_the_next_starts() {
    let shown: Vec<String> = intervals(&report())
        .into_iter()
        .map(|(point, last)| format!("{}..{last}", point.start))
        .collect();
    expect!["2026-11-23..2026-11-29 2026-11-30..2026-12-01"].assert_eq(&shown.join(" "));
}

#[test]
fn a_variant_is_compared_with_its_holdout() {
    let row = |variant: Option<&str>, held_out: bool, views: u64, goal_rate: f64| CampaignFigures {
        id: "c1".into(),
        variant: variant.map(Into::into),
        held_out,
        views,
        goal_rate,
        ..CampaignFigures::default()
    };
    expect!["+3.5 pts · -1.0 pts · — · —"].assert_eq(
        &[
            uplift(&row(Some("a"), false, 100, 0.085), Some(0.05)),
            uplift(&row(Some("b"), false, 100, 0.04), Some(0.05)),
            uplift(&row(None, true, 100, 0.05), Some(0.05)),
            uplift(&row(Some("a"), false, 100, 0.085), None),
        ]
        .join(" · "),
    );
}

#[test]
fn an_unanswered_question_becomes_a_faq_entry_to_paste() {
    expect![[r#"
        do-you-deliver-to-the-moon · new-question · what-is-the-difference-between-the-house-blend
        {
          "id": "do-you-deliver-to-the-moon",
          "question": "Do you deliver to the Moon?",
          "alternates": [],
          "answer": "",
          "tags": [],
          "links": []
        }"#]]
    .assert_eq(&format!(
        "{} · {} · {}\n{}",
        entry_id("Do you deliver to the Moon?"),
        entry_id("¿¡ !?"),
        entry_id("What is the difference between the house blend and the single origin, really?"),
        entry_snippet("  Do you deliver to the Moon? ")
    ));
}

#[test]
fn days_are_counted_and_written_like_the_api() {
    let day =
        |text: &str| Day::parse(text).map_or_else(|| "invalid".to_string(), |day| day.to_string());
    expect!["2026-12-01 · 2024-02-29 · invalid · invalid · invalid · invalid · 1970-01-01"]
        .assert_eq(
            &[
                day("2026-12-01"),
                day("2024-02-29"),
                day("2026-02-29"),
                day("2026-13-01"),
                day("2026-1-01"),
                day("yesterday"),
                day(" 1970-01-01 "),
            ]
            .join(" · "),
        );
    let first = Day::parse("2024-02-28").unwrap_or(Day::EPOCH);
    expect!["2024-02-29 2024-03-01 2023-02-28 2024-02-01 366 28 Feb"].assert_eq(&format!(
        "{} {} {} {} {} {}",
        first.plus(1),
        first.plus(2),
        first.plus(-365),
        first.first_of_month(),
        first.plus(366).since(first),
        first.short()
    ));
}

#[test]
fn the_series_axis_is_labelled_with_whole_intervals_only() {
    let starts = [Day::parse("2026-11-23"), Day::parse("2026-11-30")];
    let labels: Vec<String> = [0.0, 0.5, 1.0, 2.0, -1.0]
        .into_iter()
        .map(|x| format!("{:?}", super::charts::interval_label(&starts, x, x == 1.0)))
        .collect();
    expect![[r#""23 Nov" "" "2026-11-30" "" """#]].assert_eq(&labels.join(" "));
}

#[test]
fn every_definition_is_readme_s() {
    use super::definitions::*;
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let readme = words(include_str!("../../../README.md"));
    let missing: Vec<&str> = [
        CONVERSATIONS,
        AI_RESOLVED,
        HANDOFFS,
        FIRST_HUMAN_REPLY,
        FIRST_HUMAN_REPLY_BUSINESS,
        MISSED,
        CONVERSIONS_AFTER_HANDOFF,
        CSAT,
        REPEAT_CONTACT,
        SERIES,
        BY_REASON,
        BY_TEAM,
        INTENTS,
        HEATMAP,
        CAMPAIGNS,
        TEAMS,
        PAGES,
        UNANSWERED,
    ]
    .into_iter()
    .filter(|definition| !readme.contains(&words(definition)))
    .collect();
    assert!(
        missing.is_empty(),
        "README's \"Reports\" must say, word for word: {missing:#?}"
    );
}
