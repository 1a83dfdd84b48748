//! The made-up history reads as a real site's week: every figure has something in it, and the rates are plausible.

use baton_shared::config::SiteConfig;
use baton_shared::metrics::figures::{self, Ledger, Range, Request, Scope};
use baton_shared::protocol::metrics::MetricsQuery;
use expect_test::expect;

use super::{DAY, Plan, generate};

#[test]
fn a_week_of_demo_history_has_every_figure() {
    let site =
        SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("the demo site");
    // Monday 2 November 2026, 00:00 UTC.
    let from_ms = 1_793_577_600_000;
    let history = generate(&Plan {
        site: &site,
        from_ms,
        days: 7,
        until_ms: from_ms + 7 * DAY,
        events: 2_500,
        seed: 7,
    });
    let mut ledger = Ledger {
        conversations: history.facts,
        ..Ledger::default()
    };
    for event in &history.events {
        if let baton_shared::metrics::EventKind::Goal { goal, value } = &event.kind {
            ledger.goals.push(figures::GoalRecord {
                at_ms: event.at_ms,
                visitor_id: event.visitor_id.clone(),
                conversation_id: event.conversation_id.clone(),
                goal: goal.clone(),
                value: *value,
            });
        }
    }
    let query = MetricsQuery {
        from: "2026-11-02".into(),
        to: "2026-11-08".into(),
        ..MetricsQuery::default()
    };
    let range = Range::new(&query, &site.timezone).expect("a range");
    let request = Request {
        config: &site,
        query: &query,
        range: &range,
        scope: &Scope::Site,
        now_ms: from_ms + 8 * DAY,
    };
    let report = figures::report(&request, &ledger);
    expect![[r#"2507 events; conversations 382, ai resolved Rate { count: 213, rate: 0.5576 }, handoffs 98 (0.2565) {"sales": 22, "support": 68, "tech": 8}, first reply median Some(159163) p90 Some(1626537), missed Rate { count: 32, rate: 0.3265 }, converted after handoff Conversions { count: 13, rate: 0.1327, value: 1696.0 }, without Conversions { count: 18, rate: 0.0634, value: 1874.0 }, csat 42 mean Some(3.8571), repeat Rate { count: 38, rate: 0.0995 }"#]].assert_eq(&format!(
        "{} events; conversations {}, ai resolved {:?}, handoffs {} ({:?}) {:?}, first reply median {:?} p90 {:?}, \
         missed {:?}, converted after handoff {:?}, without {:?}, csat {} mean {:?}, repeat {:?}",
        history.events.len(),
        report.conversations,
        report.ai_resolved,
        report.handoffs.count,
        report.handoffs.rate,
        report.handoffs.by_team,
        report.first_human_reply_ms.median,
        report.first_human_reply_ms.p90,
        report.missed,
        report.conversions_after_handoff,
        report.conversions_without_handoff,
        report.csat.responses,
        report.csat.mean,
        report.repeat_contact,
    ));
}
