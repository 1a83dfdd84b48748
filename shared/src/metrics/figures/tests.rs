//! The figures over synthetic ledgers: each test plays conversations as events (the way the ledger records
//! them), folds them into facts, computes the report and reads it back as a few lines, with the conversations
//! behind every figure, so a figure and its drill-down are checked together.

mod campaigns;
mod conversions;
mod export;
mod filters;
mod people;
mod resolution;
mod script;
mod series;

use expect_test::Expect;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use self::script::Script;
use super::{Contact, Ledger, Range, Request, Scope};
use crate::config::SiteConfig;
use crate::protocol::metrics::{Figure, MetricsQuery, MetricsReport};

/// A shop in London, open weekdays 09:00–17:00, with Sales (3 min replies) and Support (5 min), a `purchase`
/// goal and a 7-day conversion window.
fn site() -> SiteConfig {
    SiteConfig::from_json(
        r#"{
        "id": "shop", "name": "Shop", "allowed_origins": ["https://shop.example"], "timezone": "Europe/London", "faq": [],
        "business_hours": {
            "mon": [{"opens": "09:00", "closes": "17:00"}], "tue": [{"opens": "09:00", "closes": "17:00"}],
            "wed": [{"opens": "09:00", "closes": "17:00"}], "thu": [{"opens": "09:00", "closes": "17:00"}],
            "fri": [{"opens": "09:00", "closes": "17:00"}]
        },
        "teams": [
            {"id": "sales", "name": "Sales", "intents": ["sales"], "reply_minutes": 3},
            {"id": "support", "name": "Support", "intents": ["support", "billing", "technical", "general"], "reply_minutes": 5}
        ],
        "goals": [{"event": "purchase"}],
        "conversion_window_days": 7,
        "campaigns": [{
            "id": "club", "name": "Coffee Club", "status": "live", "trigger": {"kind": "page_view"},
            "format": "bubble", "content": {"text": "Join the club"}, "action": {"kind": "open_chat"},
            "variants": [
                {"id": "a", "weight": 1, "content": {"text": "Join the club"}},
                {"id": "b", "weight": 1, "content": {"text": "Our club"}}
            ],
            "holdout_percent": 10
        }]
    }"#,
    )
    .expect("the test site is valid")
}

/// `"2026-11-02 10:00"` (a Monday) in London, as ms since the epoch (November: London is on UTC).
fn at(local: &str) -> u64 {
    let datetime: DateTime = local.replace(' ', "T").parse().expect("a date and time");
    let zoned = datetime
        .to_zoned(TimeZone::get("Europe/London").expect("a zone"))
        .expect("in range");
    u64::try_from(zoned.timestamp().as_millisecond()).expect("after 1970")
}

/// The inverse of [`at`]: `"2026-11-02T10:00:30"` in London.
fn local(at_ms: u64) -> String {
    let timestamp = jiff::Timestamp::from_millisecond(i64::try_from(at_ms).expect("in range"))
        .expect("in range");
    let zoned = timestamp.to_zoned(TimeZone::get("Europe/London").expect("a zone"));
    zoned.datetime().strftime("%Y-%m-%d %H:%M:%S").to_string()
}

const SECOND: u64 = 1_000;
const MINUTE: u64 = 60 * SECOND;

fn query(from: &str, to: &str) -> MetricsQuery {
    MetricsQuery {
        from: from.into(),
        to: to.into(),
        ..MetricsQuery::default()
    }
}

/// The week of 2026-11-02 (Monday) to 2026-11-08.
fn week() -> MetricsQuery {
    query("2026-11-02", "2026-11-08")
}

/// The report of `ledger` for `query`, as the site's admin sees it at `now`.
fn report_at(
    ledger: &Ledger,
    query: &MetricsQuery,
    scope: &Scope,
    now: &str,
) -> (MetricsReport, String) {
    let config = site();
    let range = Range::new(query, &config.timezone).expect("a valid range");
    let request = Request {
        config: &config,
        query,
        range: &range,
        scope,
        now_ms: at(now),
    };
    let report = super::report(&request, ledger);
    let mut drill = Vec::new();
    for figure in Figure::ALL {
        let listed = super::conversations(&request, ledger, figure);
        let ids: Vec<&str> = listed
            .conversations
            .iter()
            .map(|row| row.id.as_str())
            .collect();
        if !ids.is_empty() {
            drill.push(format!("{}: {}", figure.name(), ids.join(" ")));
        }
    }
    (report, drill.join("\n"))
}

/// The headline figures and the conversations behind each, as a few lines.
fn headline(report: &MetricsReport, drill: &str) -> String {
    let handoffs = &report.handoffs;
    let reply = &report.first_human_reply_ms;
    let csat = &report.csat;
    let minutes =
        |ms: Option<u64>| ms.map_or("-".into(), |ms| format!("{:.1} min", ms as f64 / 60_000.0));
    format!(
        "conversations {}\nai_resolved {} ({:?})\nhandoffs {} ({:?}) by reason {:?} by team {:?} by intent {:?}\n\
         first human reply: {} replied, median {} p90 {}, business hours median {} p90 {}\n\
         missed {} ({:?})\nconverted after handoff {} ({:?}) value {:?}; without handoff {} ({:?}) value {:?}\n\
         csat {} responses, mean {:?}, response rate {:?}, distribution {:?}, ai only {:?}, with a person {:?}\n\
         repeat contact {} ({:?})\n{drill}\n",
        report.conversations,
        report.ai_resolved.count,
        report.ai_resolved.rate,
        handoffs.count,
        handoffs.rate,
        handoffs.by_reason,
        handoffs.by_team,
        handoffs.by_intent,
        reply.count,
        minutes(reply.median),
        minutes(reply.p90),
        minutes(reply.business_hours_median),
        minutes(reply.business_hours_p90),
        report.missed.count,
        report.missed.rate,
        report.conversions_after_handoff.count,
        report.conversions_after_handoff.rate,
        report.conversions_after_handoff.value,
        report.conversions_without_handoff.count,
        report.conversions_without_handoff.rate,
        report.conversions_without_handoff.value,
        csat.responses,
        csat.mean,
        csat.response_rate,
        csat.distribution,
        (csat.ai_only.responses, csat.ai_only.mean),
        (csat.with_person.responses, csat.with_person.mean),
        report.repeat_contact.count,
        report.repeat_contact.rate,
    )
}

/// The week's headline figures for the site's admin, a month after it (every target long passed).
#[track_caller]
fn check(script: &Script, expect: Expect) {
    check_query(script, &week(), &Scope::Site, expect);
}

#[track_caller]
fn check_query(script: &Script, query: &MetricsQuery, scope: &Scope, expect: Expect) {
    let (report, drill) = report_at(&script.ledger(), query, scope, "2026-12-08 12:00");
    expect.assert_eq(&headline(&report, &drill));
}

/// A conversation as a thin row of the ledger's conversations after the range.
fn later(id: &str, visitor: &str, when: &str) -> Contact {
    Contact {
        conversation_id: id.into(),
        visitor_id: Some(visitor.into()),
        email: None,
        started_ms: at(when),
        visitor_messages: 1,
        handoff_ms: None,
    }
}
