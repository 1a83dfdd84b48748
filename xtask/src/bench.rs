//! `cargo xtask bench`: the benchmarks, with the figures the product tracks printed at the end:
//! FAQ matching natively (criterion plus p50/p99), the same matching inside Chromium's wasm, the campaign
//! evaluator's time per check (natively and in Chromium's wasm, against its budget), what instant answers add
//! to the widget's download, and long tasks on the host page while scrolling with 50 campaigns.
//! Every part runs even when one misses its goals; the misses fail the run at the end.

use std::process::Stdio;

use crate::build::{self, build_wasm};
use crate::process::{command, describe};
use crate::size::brotli_len;
use crate::tools::{self, Need};
use crate::{live_load, load};

/// Where the native bench writes its inputs for the in-browser run.
const INPUTS: &str = "target/bench-inputs";

/// Every benchmark; with `matching`, only the FAQ matcher and the signals natively and in Chromium; with
/// `campaigns`, only the campaign evaluator natively and in Chromium; with `messages`, only the build and the
/// message latency and throughput against local workerd; with `ledger`, only the build and what recording the
/// metrics ledger adds to a message's latency (`recording.rs`); with `long-tasks`, only the build and the host page's
/// long tasks while scrolling with 50 campaigns; with `metrics`, only the build and the metrics report over
/// 100,000 ledger events; with `first-open`, only the build, the page-load and chat-open weights and the time from a
/// click on the launcher to a usable chat on a cold cache over a throttled network.
pub fn run(only: Option<&str>) -> crate::Result<()> {
    tools::ensure(Need::Test)?;
    match only {
        None => {}
        Some("matching") => {
            let figures = matching()?;
            for figure in figures {
                println!("  {figure}");
            }
            return Ok(());
        }
        Some("campaigns") => {
            for figure in campaigns()? {
                println!("  {figure}");
            }
            return Ok(());
        }
        Some("messages") => {
            build::run()?;
            for figure in load::run()? {
                println!("  {figure}");
            }
            return Ok(());
        }
        Some("ledger") => {
            build::run()?;
            for figure in crate::recording::run()? {
                println!("  {figure}");
            }
            return Ok(());
        }
        Some("live") => {
            build::run()?;
            for figure in live_load::run()? {
                println!("  {figure}");
            }
            return Ok(());
        }
        Some("long-tasks") => {
            build::run()?;
            for figure in long_tasks()? {
                println!("  {figure}");
            }
            return Ok(());
        }
        Some("first-open") => {
            let report = build::run()?;
            for figure in first_open(&report)? {
                println!("  {figure}");
            }
            return Ok(());
        }
        Some("metrics") => {
            build::run()?;
            for figure in crate::bench_metrics::run()? {
                println!("  {figure}");
            }
            return Ok(());
        }
        Some(other) => {
            return Err(format!(
                "unknown benchmark \"{other}\"; use matching, campaigns, first-open, messages, ledger, live, long-tasks or \
                 metrics"
            ));
        }
    }
    // Every part runs, so that a missed goal in one does not hide the others' figures; the misses fail the run at
    // the end. Only a failed build stops it (the parts after it need it).
    let mut figures = Vec::new();
    let mut missed = Vec::new();
    gather(&mut figures, &mut missed, matching());
    gather(&mut figures, &mut missed, campaigns());
    gather(
        &mut figures,
        &mut missed,
        instant_answer_bytes().map(|figure| vec![figure]),
    );
    // The product as a visitor meets it: the build served by local workerd.
    let report = build::run()?;
    gather(&mut figures, &mut missed, first_open(&report));
    gather(&mut figures, &mut missed, load::run());
    gather(&mut figures, &mut missed, crate::recording::run());
    gather(&mut figures, &mut missed, live_load::run());
    gather(&mut figures, &mut missed, long_tasks());
    gather(&mut figures, &mut missed, crate::bench_metrics::run());
    println!("\nbenchmark figures (matching: 500-entry FAQ; the rest: the demo site):");
    for figure in figures {
        println!("  {figure}");
    }
    if missed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} part(s) of the benchmarks failed or missed their goals:\n  {}",
            missed.len(),
            missed.join("\n  ")
        ))
    }
}

/// Keeps a part's figures, or what went wrong with it.
fn gather(figures: &mut Vec<String>, missed: &mut Vec<String>, part: crate::Result<Vec<String>>) {
    match part {
        Ok(part) => figures.extend(part),
        Err(error) => missed.push(error),
    }
}

/// The FAQ matcher natively and in Chromium, on a FAQ built from the evaluation sets, which are not part of this
/// repository: `BATON_EVAL_DIR`, else `../shared/eval` beside it. Without them (a clone elsewhere) both parts are
/// skipped, and the figures say so.
fn matching() -> crate::Result<Vec<String>> {
    let eval = std::env::var_os("BATON_EVAL_DIR")
        .map_or_else(|| crate::at("../shared/eval"), std::path::PathBuf::from);
    if !eval.join("clinc150_oos").is_dir() {
        let skipped = format!(
            "matching skipped: the evaluation sets are not at {} (set BATON_EVAL_DIR to a copy of shared/eval)",
            eval.display()
        );
        println!("xtask: {skipped}");
        return Ok(vec![skipped]);
    }
    let mut figures = native(&eval)?;
    figures.extend(in_chromium()?);
    Ok(figures)
}

/// Criterion and the percentile pass of `shared/benches/matching.rs`; returns its `baton-bench` lines.
fn native(eval: &std::path::Path) -> crate::Result<Vec<String>> {
    let mut bench = command("cargo");
    bench
        .args(["bench", "-p", "baton-shared", "--bench", "matching"])
        .env("BATON_EVAL_DIR", eval)
        .env("BATON_BENCH_INPUTS", crate::at(INPUTS));
    Ok(figure_lines(&run_printing(&mut bench)?, "native "))
}

/// The same questions against the same FAQ in Chromium, built with the widget's release profile.
fn in_chromium() -> crate::Result<Vec<String>> {
    println!("xtask: building the matcher for the browser (wasm-bench)");
    let out = crate::at("target/wasm-bench");
    build_wasm("baton-wasm-bench", &[], &out)?;
    let inputs = crate::at(INPUTS);
    let mut node = command("node");
    node.arg(crate::at("wasm-bench/run.mjs"))
        .arg(&out)
        .arg(inputs.join("faq.json"))
        .arg(inputs.join("questions.json"))
        .arg("3");
    Ok(figure_lines(&run_printing(&mut node)?, "chromium "))
}

/// The campaign evaluator with 50 campaigns: `shared/benches/campaigns.rs` natively (criterion plus p50/p99), then
/// the same checks in Chromium's wasm; fails when the wasm p99 is over its budget (`size.rs`).
fn campaigns() -> crate::Result<Vec<String>> {
    let inputs = crate::at(INPUTS);
    let mut bench = command("cargo");
    bench
        .args(["bench", "-p", "baton-shared", "--bench", "campaigns"])
        .env("BATON_BENCH_INPUTS", &inputs);
    let mut figures = figure_lines(&run_printing(&mut bench)?, "native ");
    println!("xtask: building the campaign evaluator for the browser (wasm-bench)");
    let out = crate::at("target/wasm-bench");
    build_wasm("baton-wasm-bench", &[], &out)?;
    let mut node = command("node");
    node.arg(crate::at("wasm-bench/run.mjs"))
        .arg("campaigns")
        .arg(&out)
        .arg(inputs.join("campaigns.json"))
        .arg("5");
    let printed = run_printing(&mut node)?;
    figures.extend(figure_lines(&printed, "chromium "));
    let p99 = printed
        .split_whitespace()
        .find_map(|word| word.strip_prefix("wasm_campaign_check_p99_us="))
        .and_then(|value| value.parse::<f64>().ok())
        .ok_or("the in-browser campaign bench printed no wasm_campaign_check_p99_us")?;
    let budget = crate::size::CAMPAIGN_CHECK_P99_US;
    if p99 > budget {
        return Err(format!(
            "a campaign check takes {p99:.1} µs at p99 in Chromium's wasm, over its budget of {budget} µs"
        ));
    }
    figures.push(format!(
        "budget campaign check p99 in wasm: {p99:.1} µs of {budget} µs: ok"
    ));
    Ok(figures)
}

/// The widget's wasm (all its modules) with and without the `instant-answers` feature, Brotli-compressed like the
/// size report.
fn instant_answer_bytes() -> crate::Result<String> {
    let mut sizes = Vec::new();
    for (dir, args) in [
        ("target/widget-with-instant", &[][..]),
        (
            "target/widget-without-instant",
            &["--no-default-features"][..],
        ),
    ] {
        let out = crate::at(dir);
        build::build_widget_wasm(args, &out)?;
        let mut total = 0;
        for wasm in build::widget_modules(&out)? {
            let bytes = std::fs::read(&wasm)
                .map_err(|error| format!("cannot read {}: {error}", wasm.display()))?;
            total += brotli_len(&bytes);
        }
        sizes.push(total);
    }
    Ok(format!(
        "widget wasm: {} B Brotli with the in-browser matcher, {} B without (configuration fetch and decoding in \
         both): the matcher and policy add {} B",
        sizes[0],
        sizes[1],
        sizes[0].saturating_sub(sizes[1])
    ))
}

/// What a visitor downloads on first open, and how long from their click until they can type (cold cache, in
/// Chromium, against local workerd).
fn first_open(report: &crate::size::Report) -> crate::Result<Vec<String>> {
    let mut figures = report.weight_lines();
    let state = crate::at("target/bench-first-open-state");
    crate::stack::clear_state(&state)?;
    crate::seed::sites(&state, &crate::seed::site_files("sites")?)?;
    let stack = crate::stack::Stack::start(
        8791,
        &state,
        crate::stack::Logs::File("target/wrangler-bench-open.log"),
        &[],
    )?;
    let mut node = command("node");
    node.arg(crate::at("tests/bench/first-open.mjs"))
        .env("BATON_API_URL", &stack.base_url)
        .env("CHROMIUM", tools::CHROMIUM);
    let printed = run_printing(&mut node)?;
    let cold = printed
        .lines()
        .find_map(|line| line.strip_prefix("baton-bench click_to_interactive_cold_ms "))
        .and_then(|rest| {
            rest.split_once("p50=")?
                .1
                .split_whitespace()
                .next()?
                .parse::<f64>()
                .ok()
        })
        .ok_or("tests/bench/first-open.mjs printed no click_to_interactive_cold_ms figure")?;
    let budget = crate::size::CLICK_TO_INTERACTIVE_P50_MS;
    if cold > budget {
        return Err(format!(
            "a click on the launcher took {cold} ms (p50) to a usable chat on a cold cache at 10 Mbps / 40 ms; the \
             budget is {budget} ms"
        ));
    }
    figures.extend(figure_lines(&printed, "chromium "));
    figures.push(format!(
        "budget click to interactive (cold, p50): {cold} ms of {budget} ms: ok"
    ));
    Ok(figures)
}

/// Long tasks on the host page while the visitor scrolls, with a site of 50 live campaigns; over the budget
/// (`size::LONG_TASKS_WHILE_SCROLLING`) is an error.
fn long_tasks() -> crate::Result<Vec<String>> {
    let state = crate::at("target/bench-campaigns-state");
    crate::stack::clear_state(&state)?;
    crate::seed::sites(&state, &crate::seed::site_files("tests/bench/sites")?)?;
    let stack = crate::stack::Stack::start(
        8791,
        &state,
        crate::stack::Logs::Quiet("target/wrangler-bench-campaigns.log"),
        &[],
    )?;
    let mut node = command("node");
    node.arg(crate::at("tests/bench/long-tasks.mjs"))
        .env("BATON_API_URL", &stack.base_url)
        .env("CHROMIUM", tools::CHROMIUM);
    let printed = run_printing(&mut node)?;
    let long_tasks = printed
        .lines()
        .filter_map(|line| line.split_once(" long_tasks="))
        .filter_map(|(_, rest)| rest.split_whitespace().next()?.parse::<usize>().ok())
        .next()
        .ok_or("tests/bench/long-tasks.mjs printed no long_tasks figure")?;
    if long_tasks > crate::size::LONG_TASKS_WHILE_SCROLLING {
        return Err(format!(
            "{long_tasks} long tasks on the host page while scrolling with 50 campaigns; the budget is {}",
            crate::size::LONG_TASKS_WHILE_SCROLLING
        ));
    }
    Ok(figure_lines(&printed, "chromium "))
}

/// Runs a command, echoing its output, and returns what it printed on stdout.
fn run_printing(command: &mut std::process::Command) -> crate::Result<String> {
    println!("xtask: {}", describe(command));
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run {}: {error}", describe(command)))?;
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{printed}");
    if !output.status.success() {
        return Err(format!("{} failed ({})", describe(command), output.status));
    }
    Ok(printed)
}

fn figure_lines(printed: &str, prefix: &str) -> Vec<String> {
    printed
        .lines()
        .filter_map(|line| line.strip_prefix("baton-bench "))
        .map(|line| format!("{prefix}{line}"))
        .collect()
}
