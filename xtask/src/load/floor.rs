//! The message benchmark's floor: the same load, through the same proxy to the same local workerd, sent to a worker
//! that does only what no design of Baton's visitor routes can avoid on this platform (`xtask/floor/`: per message,
//! two rate limit checks, one call to the conversation's Durable Object and one storage write; per conversation
//! started, one check, one call, one write; Baton's static files routed as Baton's are). Run right after Baton's
//! passes, its messages per second are about what the machine allows at that moment with no Baton code at all. The
//! machine's speed changes from day to day and within minutes, so Baton's share of the floor moves too (31–62 % in
//! three invocations back to back): read several.

use std::time::{Duration, Instant};

use baton_shared::protocol::CreateConversation;

use super::client::{agent, post};
use super::{
    LATENCY_MESSAGES, LOAD_CLIENTS, LOAD_MESSAGES_PER_CLIENT, LOAD_RUNS, PER_CONVERSATION,
    bench_message,
};
use super::{cpu, percentiles};
use crate::stack::{Logs, Stack, clear_state};

/// The floor's wrangler configuration, from the repository's root.
const CONFIG: &str = "xtask/floor/wrangler.toml";

/// The floor's figures and Baton's share of it (`baton`: Baton's median messages per second through the proxy).
/// A floor that cannot be measured is a line saying why: Baton's own figures and goals stand without it.
pub fn against(baton: f64, port: u16, state: &std::path::Path) -> Vec<String> {
    match measure(port, state) {
        Ok((mut figures, floor)) => {
            figures.push(format!(
                "Baton's median through the proxy is {:.0}% of the floor's ({baton:.0} of {floor:.0} messages/s)",
                100.0 * baton / floor
            ));
            figures
        }
        Err(error) => vec![format!("the floor was not measured: {error}")],
    }
}

/// The floor on a stack of its own on `port`, its state in `state` (cleared before and after): its figures and its
/// median messages per second.
fn measure(port: u16, state: &std::path::Path) -> crate::Result<(Vec<String>, f64)> {
    clear_state(state)?;
    println!("xtask: starting the floor worker (xtask/floor/) on 127.0.0.1:{port}");
    let stack = Stack::start_config(
        CONFIG,
        port,
        state,
        Logs::Quiet("target/wrangler-floor.log"),
        &[],
    )?;
    // One visitor at a time first, as Baton's latency pass comes before its load: the isolate is as warm.
    let sequential = percentiles(&mut send(&stack.base_url, 0, 0, LATENCY_MESSAGES)?);
    let mut figures = vec![format!(
        "the floor (xtask/floor/: no Baton code) through wrangler's dev proxy, one visitor at a time \
         ({LATENCY_MESSAGES} messages): p50 {:.1} ms, p99 {:.1} ms",
        sequential.0, sequential.1
    )];
    let mut runs = Vec::with_capacity(LOAD_RUNS);
    let cpu_before = cpu::workerd_times(stack.pid());
    for run in 0..LOAD_RUNS {
        let (throughput, p99) = load_run(&stack.base_url, run)?;
        figures.push(format!(
            "the floor through wrangler's dev proxy with {LOAD_CLIENTS} visitors at once, run {}: \
             {throughput:.0} messages/s (latency under load p99 {p99:.1} ms)",
            run + 1
        ));
        runs.push((throughput, p99));
    }
    let cpu_after = cpu::workerd_times(stack.pid());
    figures.push(format!(
        "the floor's workerd CPU time per message under load: {}",
        cpu::per_message(
            &cpu_before,
            &cpu_after,
            LOAD_RUNS * LOAD_CLIENTS * LOAD_MESSAGES_PER_CLIENT
        )
    ));
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (throughput, p99) = runs[runs.len() / 2];
    figures.push(format!(
        "the floor, median of {LOAD_RUNS} runs: {throughput:.0} messages/s (that run's p99 under load {p99:.1} ms)"
    ));
    drop(stack);
    clear_state(state)?;
    Ok((figures, throughput))
}

/// One run of the same shape as Baton's (`load_run`): messages per second (the conversations' starts inside the
/// time, as in Baton's) and the p99 of the messages' round trips.
fn load_run(base: &str, run: usize) -> crate::Result<(f64, f64)> {
    let started = Instant::now();
    let clients: Vec<_> = (0..LOAD_CLIENTS)
        .map(|client| {
            let base = base.to_string();
            std::thread::spawn(move || send(&base, run + 1, client, LOAD_MESSAGES_PER_CLIENT))
        })
        .collect();
    let mut round_trips = Vec::new();
    for client in clients {
        round_trips.extend(client.join().map_err(|_| "a floor client panicked")??);
    }
    let throughput = round_trips.len() as f64 / started.elapsed().as_secs_f64();
    Ok((throughput, percentiles(&mut round_trips).1))
}

/// One visitor's `count` messages, one after the other, starting a conversation every [`PER_CONVERSATION`] as
/// Baton's visitors do, with the bodies Baton's get; the messages' round trips. `pass` (0 for one visitor at a time,
/// then each run's number) keeps the passes' conversations and addresses apart (the address limit counts a minute).
fn send(base: &str, pass: usize, client: usize, count: usize) -> crate::Result<Vec<Duration>> {
    let agent = agent();
    let address = format!("10.{}.{}.{}", 240 + pass, client / 250, client % 250 + 1);
    let mut round_trips = Vec::with_capacity(count);
    for n in 0..count {
        let conversation = format!("pass{pass}-visitor{client}-{}", n / PER_CONVERSATION);
        if n % PER_CONVERSATION == 0 {
            let _: serde_json::Value = post(
                &agent,
                &format!("{base}/floor/{conversation}/start"),
                &address,
                None,
                &CreateConversation::default(),
            )?;
        }
        let body = bench_message(n);
        let started = Instant::now();
        let _: serde_json::Value = post(
            &agent,
            &format!("{base}/floor/{conversation}"),
            &address,
            None,
            &body,
        )?;
        round_trips.push(started.elapsed());
    }
    Ok(round_trips)
}
