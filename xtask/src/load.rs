//! The message benchmark of `cargo xtask bench`: the worker on local workerd (its own stack and state) answering
//! visitor messages with the default `none` provider, measured twice: through wrangler's development proxy (the port
//! tests use) and on workerd directly (what Cloudflare runs has no such proxy). Latency: one visitor at a time,
//! p50/p99 of message → answer.
//! Throughput: many visitors at once, each from its own address (`CF-Connecting-IP`, as Cloudflare's edge sets
//! it) and within the per-conversation rate limit, so the limits measure nothing here; through the proxy, each run
//! is followed by the same load against the floor (`floor.rs`), which Baton's figure is read against.

mod client;
mod cpu;
mod floor;
mod pauses;
mod state;
mod tally;

use client::RETRIED;
pub use client::{agent, post, post_json};
use pauses::{PAUSE, Pauses, Span, pauses};
use state::state_dir;
use tally::{QUIET, settled_tally, tally_line};

use std::path::Path;
use std::time::{Duration, Instant};

use baton_shared::protocol::{
    ConversationCreated, CreateConversation, MessagesAppended, PostMessage, paths,
};

use crate::seed;
use crate::stack::{Logs, Stack, clear_state};

const BENCH_PORT: u16 = 8789;
/// Messages per conversation: under the per-conversation rate limit (30 a minute).
const PER_CONVERSATION: usize = 25;
const LATENCY_MESSAGES: usize = 500;
const LOAD_CLIENTS: usize = 32;
const LOAD_MESSAGES_PER_CLIENT: usize = 100;
/// Throughput runs per pass; the median counts.
const LOAD_RUNS: usize = 3;

/// A realistic mix: FAQ answers, knowledge extracts, fallbacks, a handoff.
pub const QUESTIONS: &[&str] = &[
    "How long does delivery take?",
    "Where do you buy your green coffee?",
    "Can I return an opened bag?",
    "Do you deliver to France?",
    "zxqv blorp fnord",
    "How much is the café app?",
    "What payment methods do you take?",
    "I want to talk to a person",
];

/// The operator token of the benchmark's stack: it reads the tally (`GET /v1/__tally`).
const BENCH_ADMIN_TOKEN: &str = "bench-admin-token";
const SITE: &str = "demo";

pub fn run() -> crate::Result<Vec<String>> {
    let state = state_dir();
    clear_state(&state)?;
    let figures = run_in(&state);
    clear_state(&state)?;
    figures
}

fn run_in(state: &Path) -> crate::Result<Vec<String>> {
    seed::sites(state, &seed::site_files("sites")?)?;
    println!(
        "xtask: starting the worker (wrangler's dev server) on 127.0.0.1:{BENCH_PORT} for the message benchmark"
    );
    let stack = Stack::start(
        BENCH_PORT,
        state,
        Logs::Quiet("target/wrangler-bench.log"),
        &[
            ("BATON_TALLY", "on".into()),
            ("BATON_ADMIN_TOKEN", BENCH_ADMIN_TOKEN.into()),
        ],
    )?;
    let mut figures = vec![format!(
        "the stack's KV, Durable Object and D1 state in {}",
        state.display()
    )];
    // The floor's stack beside Baton's, its load runs between Baton's through the proxy (`floor.rs`). One that
    // fails is a line: Baton's figures and goals stand without it.
    let (mut floor, floor_failed) = match floor::Floor::start(state) {
        Ok(floor) => (Some(floor), None),
        Err(error) => (None, Some(format!("the floor was not measured: {error}"))),
    };
    let proxy = measure(
        &stack,
        &stack.base_url,
        0,
        "through wrangler's dev proxy",
        &mut floor,
    )?;
    figures.extend(proxy.figures.iter().cloned());
    if let Some(floor) = floor {
        figures.extend(floor.finish(&proxy.runs));
    }
    figures.extend(floor_failed);
    match &stack.direct_url {
        Some(direct) => match measure(&stack, direct, 1, "on workerd directly", &mut None) {
            Ok(pass) => figures.extend(pass.figures),
            Err(error) => return Err(format!("{}\n{error}", figures.join("\n"))),
        },
        None => figures
            .push("workerd's direct address was not found: measured through the proxy only".into()),
    }
    drop(stack);
    figures.push(format!(
        "requests sent again after a connection was lost (see `load::client::REUSE_WITHIN`): {}",
        RETRIED.load(std::sync::atomic::Ordering::Relaxed)
    ));
    let (lines, met) = check_goals(&proxy);
    figures.extend(lines);
    if !met {
        return Err(format!(
            "{}\nthe message benchmark missed its goals",
            figures.join("\n")
        ));
    }
    Ok(figures)
}

/// One pass's figures, and the two its goals are about.
struct Pass {
    figures: Vec<String>,
    throughput: f64,
    loaded_p99_ms: f64,
    /// Each load run's messages per second, in the order they ran.
    runs: Vec<f64>,
}

/// Latency one visitor at a time (with what each message cost the platform, from the worker's tally), then
/// throughput with many, [`LOAD_RUNS`] times; `pass` keeps each pass's client addresses apart (the per-address
/// limit counts a minute). Under load, also the CPU time `stack`'s workerd processes spent per message. With a
/// `floor`, each load run is followed by the floor's, once Baton's background work is over, and each of Baton's
/// runs after the first waits as long first.
fn measure(
    stack: &Stack,
    base: &str,
    pass: usize,
    path: &str,
    floor: &mut Option<floor::Floor>,
) -> crate::Result<Pass> {
    let before = settled_tally(base)?;
    let sent = send_messages(
        base,
        &format!("10.{}.0.1", 100 + pass),
        LATENCY_MESSAGES,
        Instant::now(),
    )?;
    let per_message = tally_line(&before, &settled_tally(base)?, LATENCY_MESSAGES);
    let sequential = percentiles(&mut elapsed(&sent, |_| true));
    let mut figures = vec![
        format!(
            "message → answer {path}, one visitor at a time ({LATENCY_MESSAGES} messages, none provider): p50 \
             {:.1} ms, p99 {:.1} ms",
            sequential.0, sequential.1
        ),
        format!("work per message {path}: {per_message}"),
    ];
    // Figures vary from run to run on a shared machine: three runs, the median (by throughput) counts.
    let loaded_before = settled_tally(base)?;
    let cpu_before = cpu::workerd_times(stack.pid());
    let mut runs = Vec::with_capacity(LOAD_RUNS);
    for run in 0..LOAD_RUNS {
        if floor.is_some() && run > 0 {
            // As quiet before each of Baton's runs as before each of the floor's (`settled_tally` below).
            std::thread::sleep(QUIET);
        }
        let measured = load_run(base, 10 + pass * LOAD_RUNS + run)?;
        let (throughput, loaded) = (measured.throughput, measured.all);
        figures.push(format!(
            "throughput {path} with {LOAD_CLIENTS} visitors at once, run {}: {} messages = {throughput:.0} \
             messages/s (latency under load p50 {:.1} ms, p99 {:.1} ms; the messages that handed over p50 {:.1} \
             ms, p99 {:.1} ms; the others p50 {:.1} ms, p99 {:.1} ms); {}",
            run + 1,
            LOAD_CLIENTS * LOAD_MESSAGES_PER_CLIENT,
            loaded.0,
            loaded.1,
            measured.handoffs.0,
            measured.handoffs.1,
            measured.others.0,
            measured.others.1,
            pause_line(&measured.pauses),
        ));
        runs.push((throughput, loaded.1));
        if let Some(floor) = floor {
            settled_tally(base)?;
            floor.load_run(run);
        }
    }
    let loaded_messages = LOAD_RUNS * LOAD_CLIENTS * LOAD_MESSAGES_PER_CLIENT;
    let loaded_after = settled_tally(base)?;
    let cpu_after = cpu::workerd_times(stack.pid());
    // Under load a room's background sends gather many messages; one visitor at a time, a conversation's 25
    // messages fall in one gathering: the two bound what a message costs.
    figures.push(format!(
        "work per message under load {path}: {}",
        tally_line(&loaded_before, &loaded_after, loaded_messages)
    ));
    // Background work included (the tally settled first), like the work above.
    figures.push(format!(
        "workerd's CPU time per message under load {path}: {} (each of the stack's workerd processes, the busiest \
         first)",
        cpu::per_message(&cpu_before, &cpu_after, loaded_messages)
    ));
    let in_order: Vec<f64> = runs.iter().map(|(throughput, _)| *throughput).collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (throughput, loaded_p99_ms) = runs[runs.len() / 2];
    figures.push(format!(
        "throughput {path}, median of {LOAD_RUNS} runs: {throughput:.0} messages/s (that run's p99 under load \
         {loaded_p99_ms:.1} ms)"
    ));
    Ok(Pass {
        figures,
        throughput,
        loaded_p99_ms,
        runs: in_order,
    })
}

/// One throughput run: [`LOAD_CLIENTS`] visitors at once, each from its own address in `10.{network}.0.0/16`
/// (fresh for every run, so the per-address limit counts nothing); messages per second and the latency p50 and p99.
fn load_run(base: &str, network: usize) -> crate::Result<LoadRun> {
    let started = Instant::now();
    let workers: Vec<_> = (0..LOAD_CLIENTS)
        .map(|client| {
            let base = base.to_string();
            std::thread::spawn(move || {
                send_messages(
                    &base,
                    &format!("10.{network}.{}.{}", client / 250, client % 250 + 1),
                    LOAD_MESSAGES_PER_CLIENT,
                    started,
                )
            })
        })
        .collect();
    let mut under_load = Vec::new();
    for worker in workers {
        under_load.extend(worker.join().map_err(|_| "a load client panicked")??);
    }
    let throughput = under_load.len() as f64 / started.elapsed().as_secs_f64();
    Ok(LoadRun {
        throughput,
        all: percentiles(&mut elapsed(&under_load, |_| true)),
        handoffs: percentiles(&mut elapsed(&under_load, |sent| sent.handed_over)),
        others: percentiles(&mut elapsed(&under_load, |sent| !sent.handed_over)),
        pauses: pauses(&under_load.iter().map(|sent| sent.span).collect::<Vec<_>>()),
    })
}

/// What one throughput run measured: messages per second, and the latency p50 and p99 of every message, of those
/// whose reply handed the conversation over, and of the others; and the run's pauses.
struct LoadRun {
    throughput: f64,
    all: (f64, f64),
    handoffs: (f64, f64),
    others: (f64, f64),
    pauses: Pauses,
}

/// A run's pauses in words.
fn pause_line(pauses: &Pauses) -> String {
    format!(
        "{} pauses of {} ms or more with no answer while visitors waited (longest {:.0} ms, {:.0} ms in all); \
         of the slowest {} messages, {} waited through one",
        pauses.count,
        PAUSE.as_millis(),
        pauses.longest.as_secs_f64() * 1000.0,
        pauses.total.as_secs_f64() * 1000.0,
        pauses.slowest,
        pauses.slowest_in_a_pause,
    )
}

/// The round trips of the messages `keep` keeps.
fn elapsed(sent: &[Sent], keep: impl Fn(&Sent) -> bool) -> Vec<Duration> {
    sent.iter()
        .filter(|sent| keep(sent))
        .map(|sent| sent.span.round_trip())
        .collect()
}

/// The throughput and latency-under-load goals (`size.rs`), checked on the pass through wrangler's proxy: the local
/// stack as tests and browsers use it, the load generator on the same machine.
fn check_goals(pass: &Pass) -> (Vec<String>, bool) {
    let throughput_goal = crate::size::MESSAGES_PER_SECOND_GOAL;
    let p99_goal = crate::size::LOADED_P99_MS_GOAL;
    let throughput_met = pass.throughput >= throughput_goal;
    let p99_met = pass.loaded_p99_ms <= p99_goal;
    let verdict = |met: bool| if met { "ok" } else { "MISSED" };
    let lines = vec![
        format!(
            "goal throughput through the proxy: {:.0} messages/s of at least {throughput_goal:.0}: {}",
            pass.throughput,
            verdict(throughput_met)
        ),
        format!(
            "goal latency under load p99 through the proxy: {:.1} ms of at most {p99_goal:.0} ms: {}",
            pass.loaded_p99_ms,
            verdict(p99_met)
        ),
    ];
    (lines, throughput_met && p99_met)
}

/// The page origin the benchmark's visitors send (the demo site allows any localhost port).
pub const BENCH_ORIGIN: &str = "http://localhost:3000";

/// Sends `count` messages from one address, one after the other, over as many conversations as the rate limit
/// needs; returns each message's round trip, and when it was sent and answered on the clock started at `since`.
fn send_messages(
    base: &str,
    address: &str,
    count: usize,
    since: Instant,
) -> crate::Result<Vec<Sent>> {
    let agent = agent();
    let mut sent = Vec::with_capacity(count);
    let mut conversation: Option<ConversationCreated> = None;
    for n in 0..count {
        if n % PER_CONVERSATION == 0 {
            conversation = Some(post(
                &agent,
                &format!("{base}{}", paths::conversations(SITE)),
                address,
                None,
                &CreateConversation::default(),
            )?);
        }
        let Some(current) = &conversation else {
            continue;
        };
        let body = bench_message(n);
        let url = format!("{base}{}", paths::messages(SITE, &current.conversation_id));
        let started = Instant::now();
        let reply: MessagesAppended =
            post(&agent, &url, address, Some(&current.visitor_token), &body)?;
        let span = Span {
            sent: started - since,
            answered: since.elapsed(),
        };
        let handed_over = reply
            .messages
            .iter()
            .any(|message| message.handoff.is_some());
        sent.push(Sent { handed_over, span });
    }
    Ok(sent)
}

/// A visitor's `n`th message, as Baton's and the floor's load send it.
fn bench_message(n: usize) -> PostMessage {
    PostMessage {
        client_message_id: format!("bench-{n}"),
        text: QUESTIONS[n % QUESTIONS.len()].to_string(),
        instant_answer: None,
        chose_person: false,
        choice: None,
    }
}

/// One message: whether Baton's reply handed the conversation over (its notice), and when it was sent and answered.
struct Sent {
    handed_over: bool,
    span: Span,
}

/// p50 and p99 in milliseconds (not a number for no latency at all).
pub fn percentiles(latencies: &mut [Duration]) -> (f64, f64) {
    if latencies.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    latencies.sort();
    let at = |share: f64| {
        let index =
            ((latencies.len() as f64 * share).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.99))
}
