//! Matching speed and index size on a 500-entry FAQ assembled from the evaluation sets (`../shared/eval`), queried
//! with the CLINC150 dev questions. Criterion measures the mean; a second pass times every query on its own and
//! prints the p50 and p99 the product cares about, the index build and load times, and the compact index bytes per
//! 100 entries.
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark times itself with the wall clock; it is not part of the pure core"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use baton_shared::config::FaqEntry;
use baton_shared::faq::{CALIBRATION, FaqIndex};
use baton_shared::signals;
use criterion::{Criterion, criterion_group};

const ENTRIES: usize = 500;

/// `BATON_EVAL_DIR` (set by `cargo xtask bench`), else `../shared/eval` beside the repository.
fn eval_dir() -> PathBuf {
    std::env::var_os("BATON_EVAL_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval"),
        PathBuf::from,
    )
}

fn read_json(path: PathBuf) -> serde_json::Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every eval entry at K = 10 and again at K = 3 (with distinct ids), cut to 500.
fn faq() -> Vec<FaqEntry> {
    let mut entries = Vec::new();
    for k in [10, 3] {
        for set in ["clinc150_oos", "banking77", "bitext"] {
            let file = read_json(eval_dir().join(set).join(format!("faq_k{k}.json")));
            for entry in file["entries"].as_array().into_iter().flatten() {
                let text =
                    |value: &serde_json::Value| value.as_str().unwrap_or_default().to_string();
                entries.push(FaqEntry {
                    id: format!(
                        "{}-k{k}",
                        text(&entry["id"]).to_lowercase().replace('_', "-")
                    ),
                    question: text(&entry["question"]),
                    alternates: entry["examples"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(text)
                        .collect(),
                    answer: "(answer)".into(),
                    tags: Vec::new(),
                    links: Vec::new(),
                });
            }
        }
    }
    entries.truncate(ENTRIES);
    entries
}

fn queries() -> Vec<String> {
    let text = std::fs::read_to_string(eval_dir().join("clinc150_oos/queries_dev.jsonl"))
        .expect("queries");
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|query| query["text"].as_str().map(String::from))
        .collect()
}

fn benches(criterion: &mut Criterion) {
    let faq = faq();
    let queries = queries();
    let index = FaqIndex::build(&faq);
    criterion.bench_function("index build, 500 entries", |bench| {
        bench.iter(|| FaqIndex::build(black_box(&faq)))
    });
    criterion.bench_function("match one question, 500 entries", |bench| {
        let mut next = queries.iter().cycle();
        bench.iter(|| {
            let question = next.next().map_or("", String::as_str);
            CALIBRATION.confidence(&index.search(black_box(question), 3))
        })
    });
}

criterion_group!(matching, benches);

/// Per-query latency percentiles, build time and index size, printed for `cargo xtask bench` to report.
fn percentiles() {
    let faq = faq();
    let queries = queries();
    let started = Instant::now();
    let index = FaqIndex::build(&faq);
    let build = started.elapsed();
    let mut timings: Vec<u128> = Vec::new();
    for _ in 0..3 {
        for question in &queries {
            let started = Instant::now();
            black_box(CALIBRATION.confidence(&index.search(black_box(question), 3)));
            timings.push(started.elapsed().as_nanos());
        }
    }
    timings.sort_unstable();
    let at = |share: f64| timings[((timings.len() as f64 - 1.0) * share) as usize] as f64 / 1_000.0;
    let compact = index.to_bytes();
    let started = Instant::now();
    let loaded = FaqIndex::from_bytes(&compact).expect("the index loads its own bytes");
    let load = started.elapsed();
    assert!(loaded == index, "a loaded index equals the built one");
    let mut signal_timings: Vec<u128> = Vec::new();
    for _ in 0..3 {
        for question in &queries {
            let started = Instant::now();
            black_box(signals::read(black_box(question)));
            signal_timings.push(started.elapsed().as_nanos());
        }
    }
    signal_timings.sort_unstable();
    let signal_at = |share: f64| {
        signal_timings[((signal_timings.len() as f64 - 1.0) * share) as usize] as f64 / 1_000.0
    };
    let json = serde_json::to_vec(&index).map_or(0, |json| json.len());
    println!(
        "baton-bench entries={} queries={}",
        faq.len(),
        timings.len()
    );
    println!(
        "baton-bench match_p50_us={:.1} match_p99_us={:.1}",
        at(0.5),
        at(0.99)
    );
    println!(
        "baton-bench signals_p50_us={:.1} signals_p99_us={:.1} (all four models, one message)",
        signal_at(0.5),
        signal_at(0.99)
    );
    println!(
        "baton-bench index_build_ms={:.2}",
        build.as_secs_f64() * 1_000.0
    );
    println!(
        "baton-bench index_load_from_bytes_ms={:.2}",
        load.as_secs_f64() * 1_000.0
    );
    println!(
        "baton-bench index_bytes_per_100_entries={} (as JSON: {})",
        compact.len() * 100 / faq.len().max(1),
        json * 100 / faq.len().max(1)
    );
}

/// With `BATON_BENCH_INPUTS=DIR` (set by `cargo xtask bench`), writes the FAQ and the questions as JSON for the
/// same measurement inside Chromium (`wasm-bench/`).
fn write_inputs() {
    let Some(dir) = std::env::var_os("BATON_BENCH_INPUTS").map(PathBuf::from) else {
        return;
    };
    std::fs::create_dir_all(&dir).expect("the bench input directory can be created");
    let write = |name: &str, json: String| {
        std::fs::write(dir.join(name), json).expect("bench inputs can be written");
    };
    write(
        "faq.json",
        serde_json::to_string(&faq()).expect("entries serialise"),
    );
    write(
        "questions.json",
        serde_json::to_string(&queries()).expect("strings serialise"),
    );
}

fn main() {
    write_inputs();
    percentiles();
    matching();
    Criterion::default().configure_from_args().final_summary();
}
