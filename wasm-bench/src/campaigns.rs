//! The campaign evaluator timed where visitors run it: the 50 campaigns and the checks the native bench
//! (`shared/benches/campaigns.rs`) writes, each check timed on its own, as the widget makes one per scroll tick.

use baton_shared::campaign::{
    Campaign, CampaignLimits, History, Moment, Staffed, Visit, bucket, evaluate,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::now;

/// One check's inputs.
struct Check {
    visit: Visit,
    history: History,
    staffed: Staffed,
    moment: Moment,
    visitor: String,
    now_ms: u64,
}

fn field<T: serde::de::DeserializeOwned>(value: &Value, name: &str) -> Result<T, JsValue> {
    serde_json::from_value(value[name].clone())
        .map_err(|error| JsValue::from_str(&format!("{name}: {error}")))
}

/// Times every check `rounds` times; returns `baton-bench …` lines, the format `cargo xtask bench` reports.
#[wasm_bindgen]
pub fn run_campaigns(inputs_json: &str, rounds: u32) -> Result<String, JsValue> {
    let inputs: Value = serde_json::from_str(inputs_json)
        .map_err(|error| JsValue::from_str(&format!("inputs: {error}")))?;
    let campaigns: Vec<Campaign> = field(&inputs, "campaigns")?;
    let limits: CampaignLimits = field(&inputs, "limits")?;
    let checks = inputs["checks"]
        .as_array()
        .ok_or_else(|| JsValue::from_str("checks: not a list"))?
        .iter()
        .map(|check| {
            Ok(Check {
                visit: field(check, "visit")?,
                history: field(check, "history")?,
                staffed: field(check, "staffed")?,
                moment: field(check, "moment")?,
                visitor: field(check, "visitor")?,
                now_ms: field(check, "now_ms")?,
            })
        })
        .collect::<Result<Vec<Check>, JsValue>>()?;
    let mut timings = Vec::with_capacity(checks.len() * rounds as usize);
    let mut shown = 0usize;
    for _ in 0..rounds {
        for check in &checks {
            let started = now();
            let verdict = evaluate(
                std::hint::black_box(&campaigns),
                &limits,
                std::hint::black_box(&check.visit),
                &check.history,
                &check.staffed,
                &check.moment,
                &check.visitor,
                check.now_ms,
            );
            timings.push(now() - started);
            shown += usize::from(verdict.show.is_some());
        }
    }
    timings.sort_by(f64::total_cmp);
    let at = |share: f64| {
        let position = ((timings.len().saturating_sub(1)) as f64 * share) as usize;
        timings.get(position).copied().unwrap_or(0.0) * 1_000.0
    };
    Ok(format!(
        "baton-bench wasm_campaigns={} wasm_campaign_checks={} (a campaign shown in {shown}; \
         bucket(visitor-1, pricing-help) = {}, 160 natively)\n\
         baton-bench wasm_campaign_check_p50_us={:.1} wasm_campaign_check_p99_us={:.1} \
         wasm_campaign_check_max_us={:.1}\n",
        campaigns.len(),
        timings.len(),
        bucket("visitor-1", "pricing-help"),
        at(0.5),
        at(0.99),
        at(1.0),
    ))
}
