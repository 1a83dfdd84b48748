//! The FAQ matcher and the campaign evaluator timed where visitors run them: compiled to wasm with the widget's
//! release profile and called from a page in Chromium by `wasm-bench/run.mjs`. The inputs are the ones the native
//! benches write (a 500-entry FAQ and the CLINC150 dev questions; 50 campaigns and 600 checks), so both figures
//! describe the same work.

mod campaigns;

use baton_shared::config::FaqEntry;
use baton_shared::faq::{CALIBRATION, FaqIndex};
use baton_shared::signals;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds with microsecond resolution on a cross-origin-isolated page.
    #[wasm_bindgen(js_namespace = performance)]
    pub(crate) fn now() -> f64;
}

/// Builds the index, reloads it from its compact bytes, then times every question on its own `rounds` times.
/// Returns `baton-bench …` lines, the format `cargo xtask bench` reports.
#[wasm_bindgen]
pub fn run(faq_json: &str, questions_json: &str, rounds: u32) -> Result<String, JsValue> {
    let faq: Vec<FaqEntry> = serde_json::from_str(faq_json)
        .map_err(|error| JsValue::from_str(&format!("faq: {error}")))?;
    let questions: Vec<String> = serde_json::from_str(questions_json)
        .map_err(|error| JsValue::from_str(&format!("questions: {error}")))?;
    let started = now();
    let built = FaqIndex::build(&faq);
    let build_ms = now() - started;
    let bytes = built.to_bytes();
    let started = now();
    let index = FaqIndex::from_bytes(&bytes).map_err(|error| JsValue::from_str(&error))?;
    let load_ms = now() - started;
    let mut timings = Vec::with_capacity(questions.len() * rounds as usize);
    let mut answered = 0usize;
    for _ in 0..rounds {
        for question in &questions {
            let started = now();
            let confidence = CALIBRATION.confidence(&index.search(question, 3));
            timings.push(now() - started);
            answered += usize::from(confidence >= 0.5);
        }
    }
    let mut signal_timings = Vec::with_capacity(timings.len());
    for _ in 0..rounds {
        for question in &questions {
            let started = now();
            std::hint::black_box(signals::read(std::hint::black_box(question)));
            signal_timings.push(now() - started);
        }
    }
    signal_timings.sort_by(f64::total_cmp);
    let signal_at = |share: f64| {
        let position = ((signal_timings.len().saturating_sub(1)) as f64 * share) as usize;
        signal_timings.get(position).copied().unwrap_or(0.0) * 1_000.0
    };
    timings.sort_by(f64::total_cmp);
    let at = |share: f64| {
        let position = ((timings.len().saturating_sub(1)) as f64 * share) as usize;
        timings.get(position).copied().unwrap_or(0.0) * 1_000.0
    };
    Ok(format!(
        "baton-bench wasm_entries={} wasm_queries={} (confident: {answered})\n\
         baton-bench wasm_match_p50_us={:.1} wasm_match_p99_us={:.1} wasm_match_max_us={:.1}\n\
         baton-bench wasm_signals_p50_us={:.1} wasm_signals_p99_us={:.1} (all four models, one message)\n\
         baton-bench wasm_index_build_ms={build_ms:.2} wasm_index_load_from_bytes_ms={load_ms:.2}\n",
        faq.len(),
        timings.len(),
        at(0.5),
        at(0.99),
        at(1.0),
        signal_at(0.5),
        signal_at(0.99),
    ))
}
