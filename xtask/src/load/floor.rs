//! The message benchmark's floor: the same load, through the same proxy to the same local workerd, sent to a worker
//! that does only what no design of Baton's message route can avoid on this platform (`xtask/floor/`: read the body,
//! check two rate limits, call the conversation's Durable Object once, append the message and a fixed answer in one
//! storage write). Its messages per second are what this machine allows at best, with no Baton code at all: the
//! ceiling Baton's own figure is read against.

use std::time::{Duration, Instant};

use super::client::{agent, post};
use super::{LOAD_CLIENTS, LOAD_MESSAGES_PER_CLIENT, LOAD_RUNS, PER_CONVERSATION, QUESTIONS};
use super::{cpu, percentiles};
use crate::stack::{Logs, Stack, clear_state};

/// The floor's wrangler configuration, from the repository's root.
const CONFIG: &str = "xtask/floor/wrangler.toml";

/// The floor's figures and its median messages per second.
pub struct Floor {
    pub figures: Vec<String>,
    pub throughput: f64,
}

/// The floor, run on a stack of its own on `port` with its state in `state` (cleared before and after).
pub fn measure(port: u16, state: &std::path::Path) -> crate::Result<Floor> {
    clear_state(state)?;
    println!("xtask: starting the floor worker (xtask/floor/) on 127.0.0.1:{port}");
    let stack = Stack::start_config(
        CONFIG,
        port,
        state,
        Logs::Quiet("target/wrangler-floor.log"),
        &[],
    )?;
    let mut figures = Vec::new();
    let mut runs = Vec::with_capacity(LOAD_RUNS);
    let cpu_before = cpu::workerd_times(stack.pid());
    for run in 0..LOAD_RUNS {
        let (throughput, p99) = load_run(&stack.base_url, run)?;
        figures.push(format!(
            "the floor (xtask/floor/: no Baton code) through wrangler's dev proxy with {LOAD_CLIENTS} visitors at \
             once, run {}: {throughput:.0} messages/s (latency under load p99 {p99:.1} ms)",
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
        "the floor, median of {LOAD_RUNS} runs: {throughput:.0} messages/s (that run's p99 under load {p99:.1} ms): \
         the most any design of the message route can reach on this machine"
    ));
    drop(stack);
    clear_state(state)?;
    Ok(Floor {
        figures,
        throughput,
    })
}

/// One run of the same shape as Baton's (`load_run`): messages per second and the p99 of their round trips.
fn load_run(base: &str, run: usize) -> crate::Result<(f64, f64)> {
    let started = Instant::now();
    let clients: Vec<_> = (0..LOAD_CLIENTS)
        .map(|client| {
            let base = base.to_string();
            std::thread::spawn(move || send(&base, run, client))
        })
        .collect();
    let mut round_trips = Vec::new();
    for client in clients {
        round_trips.extend(client.join().map_err(|_| "a floor client panicked")??);
    }
    let throughput = round_trips.len() as f64 / started.elapsed().as_secs_f64();
    Ok((throughput, percentiles(&mut round_trips).1))
}

/// One visitor's messages, one after the other, a new conversation every [`PER_CONVERSATION`].
fn send(base: &str, run: usize, client: usize) -> crate::Result<Vec<Duration>> {
    let agent = agent();
    let address = format!("10.{}.{}.{}", 200 + run, client / 250, client % 250 + 1);
    (0..LOAD_MESSAGES_PER_CLIENT)
        .map(|n| {
            let url = format!(
                "{base}/floor/run{run}-visitor{client}-{}",
                n / PER_CONVERSATION
            );
            let body = serde_json::json!({
                "client_message_id": format!("bench-{n}"),
                "text": QUESTIONS[n % QUESTIONS.len()],
            });
            let started = Instant::now();
            let _: serde_json::Value = post(&agent, &url, &address, None, &body)?;
            Ok(started.elapsed())
        })
        .collect()
}
