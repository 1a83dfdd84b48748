//! The campaign evaluator's time per check, natively, with 50 varied campaigns (every trigger, page rules of every
//! operator, nested audiences, staffing, variants, holdouts, schedules) against a set of visits and moments like
//! the widget's: scroll ticks on matching and non-matching pages, clicks, tracked events, exit intent, an open
//! chat, a handoff. Criterion measures the mean; a second pass times every check on its own and prints the p50 and
//! p99 that `cargo xtask bench campaigns` reports. With `BATON_BENCH_INPUTS=DIR` the same campaigns and checks are
//! written as JSON for the in-browser run (`wasm-bench/`).
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark times itself with the wall clock; it is not part of the pure core"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use baton_shared::campaign::{Campaign, CampaignLimits, History, Moment, Staffed, Visit, evaluate};
use criterion::{Criterion, criterion_group};
use serde_json::{Value, json};

/// 2027-01-14T08:00:00Z.
const NOW: u64 = 1_799_913_600_000;
const CAMPAIGNS: usize = 50;

/// Fifty campaigns, each a different mix of the settings sites use.
fn campaigns() -> Vec<Campaign> {
    let triggers = [
        json!({"kind": "dwell", "seconds": 20}),
        json!({"kind": "scroll", "percent": 50}),
        json!({"kind": "exit_intent"}),
        json!({"kind": "page_view"}),
        json!({"kind": "click", "selector": ".pricing-table a.cta"}),
        json!({"kind": "event", "name": "added_to_cart"}),
        json!({"kind": "site_time", "seconds": 120}),
        json!({"kind": "inactivity", "seconds": 45}),
        json!({"kind": "ai_struggled"}),
        json!({"kind": "waiting_for_person", "seconds": 90}),
        json!({"kind": "manual"}),
    ];
    let pages = [
        json!({"rules": []}),
        json!({"rules": [{"op": "starts_with", "value": "/pricing"}]}),
        json!({"match": "any", "rules": [{"op": "matches", "value": "/blog/*/coffee-*"}, {"op": "contains", "value": "espresso"}]}),
        json!({"match": "all", "rules": [{"op": "starts_with", "value": "/shop"}, {"op": "not_contains", "value": "/checkout"}]}),
        json!({"rules": [{"op": "starts_with", "value": "https://shop.example/"}]}),
        json!({"rules": [{"op": "ends_with", "value": "/subscriptions"}, {"op": "equals", "value": "/"}]}),
    ];
    let audiences = [
        Value::Null,
        json!({"visitor": "returning"}),
        json!({"all": [{"visitor": "returning"}, {"utm_source": {"op": "equals", "value": "newsletter"}}]}),
        json!({"any": [{"language": "fr"}, {"country": "BE"}, {"country": "CH"}]}),
        json!({"all": [{"device": "desktop"}, {"not": {"campaign": {"id": "campaign-3", "was": "dismissed", "within_days": 30}}},
                       {"any": [{"visits": {"at_least": 3}}, {"attribute": {"name": "plan", "op": "equals", "value": "pro"}}]}]}),
        json!({"not": {"identified": true}}),
        json!({"all": [{"referrer": {"op": "contains", "value": "google."}}, {"utm_medium": {"op": "not_equals", "value": "cpc"}}]}),
    ];
    let staffing = ["any", "people_online", "nobody_online", "any"];
    let frequency = [
        json!("once"),
        json!("always"),
        json!("until_engaged"),
        json!({"max": 3}),
    ];
    let from = [Value::Null, json!("sales"), json!("support"), json!("Anna")];
    (0..CAMPAIGNS)
        .map(|index| {
            let mut fields = json!({
                "id": format!("campaign-{index}"),
                "name": format!("Campaign {index}"),
                "status": if index % 9 == 8 { "paused" } else { "live" },
                "priority": (index * 7 % 11) as i32 - 3,
                "trigger": triggers[index % triggers.len()],
                "pages": pages[index % pages.len()],
                "staffing": staffing[index % staffing.len()],
                "frequency": {"show": frequency[index % frequency.len()], "after_dismiss_days": 7},
                "content": {"from": from[index % from.len()], "title": "Need a hand?",
                            "text": "Questions about plans? Someone from Sales is online now."},
                "action": {"kind": "open_chat", "message": "I have a question"},
                "holdout_percent": if index % 5 == 0 { 10 } else { 0 },
                "goal": {"event": "signup", "within_days": 7},
            });
            if index % 4 == 1 {
                fields["variants"] = json!([
                    {"id": "a", "weight": 1, "content": {"text": "Variant A"}},
                    {"id": "b", "weight": 2, "content": {"text": "Variant B"}},
                ]);
            }
            if index % 6 == 2 {
                fields["schedule"] = json!({"starts": "2026-12-01T00:00:00Z", "ends": "2027-03-01T00:00:00Z", "hours": "open"});
            }
            let audience = &audiences[index % audiences.len()];
            if !audience.is_null() {
                fields["audience"] = audience.clone();
            }
            serde_json::from_value(fields).expect("a bench campaign")
        })
        .collect()
}

/// One check as the widget makes it.
struct Check {
    visit: Visit,
    history: History,
    staffed: Staffed,
    moment: Moment,
    visitor: String,
    now_ms: u64,
}

/// Checks over several pages, visitors, histories and moments, mostly scroll ticks.
fn checks() -> Vec<Check> {
    let urls = [
        "https://shop.example/pricing?plan=pro&utm_source=newsletter",
        "https://shop.example/blog/2026/coffee-grinders",
        "https://shop.example/shop/espresso/beans",
        "https://shop.example/",
        "https://shop.example/account/subscriptions",
        "https://shop.example/shop/checkout",
    ];
    let mut checks = Vec::new();
    for index in 0..600u64 {
        let mut history = History::default();
        for seen in 0..(index % 12) {
            let clocks = history
                .campaigns
                .get_or_default(&format!("campaign-{}", seen * 4 % 50));
            clocks.views = 1;
            clocks.last_view_ms = Some(NOW - seen * 3_600_000);
            clocks.dismissed_ms = (seen % 3 == 0).then_some(NOW - seen * 86_400_000);
        }
        history.shown_ms = (0..index % 3).map(|ago| NOW - ago * 7_200_000).collect();
        let mut visit = Visit {
            url: urls[(index % urls.len() as u64) as usize].into(),
            referrer: "https://www.google.com/".into(),
            utm_source: (index % 4 == 0).then(|| "newsletter".into()),
            visits: (index % 5) as u32 + 1,
            language: if index % 3 == 0 { "fr-BE" } else { "en-GB" }.into(),
            country: Some(if index % 2 == 0 { "BE" } else { "GB" }.into()),
            page_started_ms: NOW - (index % 40) * 1_000,
            visit_started_ms: NOW - (index % 300) * 1_000,
            scroll_percent: (index * 13 % 101) as u8,
            last_activity_ms: NOW - (index % 60) * 1_000,
            identified: index % 7 == 0,
            ..Visit::default()
        };
        visit.attributes.insert("plan".into(), "pro".into());
        visit.chat.panel_open = index % 29 == 0;
        visit.chat.handed_over_at_ms = (index % 23 == 0).then_some(NOW - 100_000);
        visit.chat.struggling_answers = (index % 4) as u32;
        let moment = match index % 20 {
            0 => Moment::Click {
                matched: vec!["campaign-4".into(), "campaign-15".into()],
            },
            1 => Moment::Event {
                name: "added_to_cart".into(),
            },
            2 => Moment::ExitIntent,
            3 => Moment::Show {
                id: "campaign-10".into(),
                force: index % 40 == 3,
            },
            _ => Moment::Tick,
        };
        checks.push(Check {
            visit,
            history,
            staffed: Staffed {
                teams_online: if index % 3 == 1 {
                    vec![]
                } else {
                    vec!["sales".into()]
                },
                open: index % 5 != 0,
                unknown: index % 50 == 0,
            },
            moment,
            visitor: format!("visitor-{index}"),
            now_ms: NOW,
        });
    }
    checks
}

fn run(campaigns: &[Campaign], limits: &CampaignLimits, check: &Check) -> usize {
    let verdict = evaluate(
        black_box(campaigns),
        limits,
        black_box(&check.visit),
        &check.history,
        &check.staffed,
        &check.moment,
        &check.visitor,
        check.now_ms,
    );
    verdict.not_shown.len() + usize::from(verdict.show.is_some())
}

fn benches(criterion: &mut Criterion) {
    let campaigns = campaigns();
    let checks = checks();
    let limits = CampaignLimits::default();
    criterion.bench_function("campaign check, 50 campaigns", |bench| {
        let mut next = checks.iter().cycle();
        bench.iter(|| {
            next.next()
                .map_or(0, |check| run(&campaigns, &limits, check))
        })
    });
}

criterion_group!(campaign_checks, benches);

/// Per-check percentiles, printed for `cargo xtask bench` to report.
fn percentiles() {
    let campaigns = campaigns();
    let checks = checks();
    let limits = CampaignLimits::default();
    let mut timings: Vec<u128> = Vec::new();
    let mut shown = 0;
    for _ in 0..5 {
        for check in &checks {
            let started = Instant::now();
            let listed = run(&campaigns, &limits, check);
            timings.push(started.elapsed().as_nanos());
            assert_eq!(listed, campaigns.len(), "every campaign is listed");
        }
    }
    for check in &checks {
        let verdict = evaluate(
            &campaigns,
            &limits,
            &check.visit,
            &check.history,
            &check.staffed,
            &check.moment,
            &check.visitor,
            check.now_ms,
        );
        shown += usize::from(verdict.show.is_some());
    }
    timings.sort_unstable();
    let at = |share: f64| timings[((timings.len() as f64 - 1.0) * share) as usize] as f64 / 1_000.0;
    println!(
        "baton-bench campaigns={} campaign_checks={} (a campaign shown in {shown})",
        campaigns.len(),
        timings.len()
    );
    println!(
        "baton-bench campaign_check_p50_us={:.1} campaign_check_p99_us={:.1}",
        at(0.5),
        at(0.99)
    );
}

/// With `BATON_BENCH_INPUTS=DIR`, writes the campaigns and the checks as JSON for the same measurement inside
/// Chromium: `{"limits", "campaigns", "checks": [{"visit", "history", "staffed", "moment", "visitor", "now_ms"}]}`.
fn write_inputs() {
    let Some(dir) = std::env::var_os("BATON_BENCH_INPUTS").map(PathBuf::from) else {
        return;
    };
    std::fs::create_dir_all(&dir).expect("the bench input directory can be created");
    let checks: Vec<Value> = checks()
        .iter()
        .map(|check| {
            json!({"visit": check.visit, "history": check.history, "staffed": check.staffed,
                   "moment": check.moment, "visitor": check.visitor, "now_ms": check.now_ms})
        })
        .collect();
    let inputs =
        json!({"limits": CampaignLimits::default(), "campaigns": campaigns(), "checks": checks});
    std::fs::write(dir.join("campaigns.json"), inputs.to_string())
        .expect("bench inputs can be written");
}

fn main() {
    write_inputs();
    percentiles();
    campaign_checks();
    Criterion::default().configure_from_args().final_summary();
}
