//! `cargo xtask bench metrics`: the metrics report over 100,000 ledger events in local D1. A month of the demo
//! site's history (`history.rs`: conversations, handoffs, replies, ratings, goals, campaign events) is written to
//! a fresh state's D1, then the worker on local workerd answers `GET /v1/sites/demo/metrics` for the whole month
//! many times, one request at a time, as the site's admin: p50 and p95, against the budget in `size.rs`.

use std::time::{Duration, Instant};

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::{AgentCreated, AgentRole, CreateAgent};
use baton_shared::protocol::metrics::{Interval, MetricsQuery, MetricsReport};
use baton_shared::protocol::paths;

use crate::history::{self, DAY, Plan};
use crate::seed;
use crate::stack::{Logs, Stack};

const STATE: &str = "target/bench-metrics-state";
const PORT: u16 = 8795;
/// The benchmark stack's operator token (it only creates the admin who reads the report).
const OPERATOR_TOKEN: &str = "op_bench_metrics_operator_token";
const EVENTS: usize = 100_000;
const DAYS: u64 = 30;
const WARM_UP: usize = 5;
const REQUESTS: usize = 100;

pub fn run() -> crate::Result<Vec<String>> {
    let state = crate::at(STATE);
    crate::stack::clear_state(&state)?;
    seed::sites(&state, &seed::site_files("sites")?)?;
    seed::migrations(&state)?;
    let demo = demo_site()?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|error| format!("the clock is before 1970: {error}"))?
        .as_millis() as u64;
    let today = now_ms / DAY * DAY;
    let from_ms = today - DAYS * DAY;
    let made = Instant::now();
    let history = history::generate(&Plan {
        site: &demo,
        from_ms,
        days: DAYS,
        until_ms: today,
        events: EVENTS,
        seed: 16,
    });
    println!(
        "xtask: writing {} events and {} conversations' facts to local D1 ({STATE})",
        history.events.len(),
        history.facts.len()
    );
    history::seed(&state, &demo.id, &history)?;
    let seeded_s = made.elapsed().as_secs_f64();
    println!("xtask: starting the worker on 127.0.0.1:{PORT} for the metrics benchmark");
    let stack = Stack::start(
        PORT,
        &state,
        Logs::Quiet("target/wrangler-bench-metrics.log"),
        &[("BATON_ADMIN_TOKEN", OPERATOR_TOKEN.to_string())],
    )?;
    let admin: AgentCreated = crate::load::post_json(
        &format!("{}{}", stack.base_url, paths::agents(&demo.id)),
        "10.200.0.1",
        Some(OPERATOR_TOKEN),
        &CreateAgent {
            name: "Bench admin".into(),
            teams: Vec::new(),
            role: AgentRole::Admin,
        },
    )?;
    let query = MetricsQuery {
        from: day(from_ms),
        to: day(today - DAY),
        interval: Interval::Day,
        ..MetricsQuery::default()
    };
    let path = paths::metrics(&demo.id, &paths::metrics_query(&query, None));
    let mut figures = vec![format!(
        "metrics ledger: {} events, {} conversations over {DAYS} days, seeded in {seeded_s:.0} s",
        history.events.len(),
        history.facts.len()
    )];
    let mut budget_p95 = None;
    for (base, via) in [
        (stack.direct_url.as_deref(), "on workerd directly"),
        (
            Some(stack.base_url.as_str()),
            "through wrangler's dev proxy",
        ),
    ] {
        let Some(base) = base else {
            figures.push(
                "workerd's direct address was not found: measured through the proxy only".into(),
            );
            continue;
        };
        let (p50, p95, conversations) = measure(&format!("{base}{path}"), &admin.token)?;
        figures.push(format!(
            "metrics report over the {DAYS} days ({conversations} conversations) {via}, {REQUESTS} requests: \
             p50 {p50:.1} ms, p95 {p95:.1} ms"
        ));
        budget_p95.get_or_insert(p95);
    }
    drop(stack);
    let p95 = budget_p95.unwrap_or(f64::INFINITY);
    if p95 > crate::size::METRICS_REPORT_P95_MS {
        return Err(format!(
            "the metrics report's p95 is {p95:.1} ms; the budget is {} ms\n  {}",
            crate::size::METRICS_REPORT_P95_MS,
            figures.join("\n  ")
        ));
    }
    Ok(figures)
}

fn demo_site() -> crate::Result<SiteConfig> {
    SiteConfig::from_json(
        &std::fs::read_to_string(crate::at("sites/demo.json"))
            .map_err(|error| format!("cannot read sites/demo.json: {error}"))?,
    )
    .map_err(|errors| format!("sites/demo.json: {errors:?}"))
}

/// `YYYY-MM-DD` (UTC) of an instant.
pub fn day(ms: u64) -> String {
    let days = i64::try_from(ms / DAY).unwrap_or_default();
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// p50 and p95 of the report's latency in ms, after a warm-up, and how many conversations it counted.
fn measure(url: &str, token: &str) -> crate::Result<(f64, f64, u64)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut latencies = Vec::with_capacity(REQUESTS);
    let mut conversations = 0;
    for round in 0..WARM_UP + REQUESTS {
        let started = Instant::now();
        let mut response = agent
            .get(url)
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .map_err(|error| format!("GET {url}: {error}"))?;
        let text = response
            .body_mut()
            .with_config()
            .limit(16 << 20)
            .read_to_string()
            .map_err(|error| format!("GET {url}: {error}"))?;
        let elapsed = started.elapsed();
        if response.status() != 200 {
            return Err(format!("GET {url} answered {}: {text}", response.status()));
        }
        if round >= WARM_UP {
            latencies.push(elapsed);
        }
        let report: MetricsReport =
            serde_json::from_str(&text).map_err(|error| format!("GET {url}: {error}"))?;
        conversations = report.conversations;
    }
    latencies.sort();
    let at = |share: f64| {
        let index =
            ((latencies.len() as f64 * share).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index].as_secs_f64() * 1000.0
    };
    Ok((at(0.50), at(0.95), conversations))
}
