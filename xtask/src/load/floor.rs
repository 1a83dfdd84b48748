//! The message benchmark's floor: the same load, through the same proxy to the same local workerd, sent to a worker
//! that does only what no design of Baton's visitor routes can avoid on this platform (`xtask/floor/`: per message,
//! two rate limit checks, one call to the conversation's Durable Object and one storage write; per conversation
//! started, one check, one call, one write; Baton's static files routed as Baton's are). Its messages per second are
//! about what the machine allows at that moment with no Baton code at all.
//!
//! The machine's speed changes within minutes (Baton's share of a floor run after its own passes was 31–62 % in
//! three invocations back to back), so the floor's stack runs beside Baton's and their load runs alternate: Baton's
//! run 1, the floor's run 1, Baton's run 2, … Each pair meets about the same machine, and each pair's share is
//! reported with the medians'. Each stack is idle while the other is measured: Baton's background work (the ledger's
//! gathered sends) is let finish before each floor run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
/// The floor's port, beside Baton's benchmark stack.
const PORT: u16 = 8796;

/// The floor's stack, warmed up, between Baton's load runs; its figures so far. Dropped, it stops its stack and
/// throws its state away, however the benchmark ends.
pub struct Floor {
    stack: Option<Stack>,
    state: PathBuf,
    figures: Vec<String>,
    /// Each load run's messages per second and p99.
    runs: Vec<(f64, f64)>,
    cpu_before: BTreeMap<u32, Duration>,
    /// Why the floor made no more runs, when one failed.
    failed: Option<String>,
}

impl Floor {
    /// The floor on a stack of its own, its state beside Baton's `baton_state`, with its pass of one visitor at a
    /// time, as Baton's latency pass comes before its load: the isolate is as warm.
    pub fn start(baton_state: &Path) -> crate::Result<Floor> {
        let state = baton_state.with_extension("floor");
        clear_state(&state)?;
        let mut floor = Floor {
            stack: None,
            state,
            figures: Vec::new(),
            runs: Vec::with_capacity(LOAD_RUNS),
            cpu_before: BTreeMap::new(),
            failed: None,
        };
        println!("xtask: starting the floor worker (xtask/floor/) on 127.0.0.1:{PORT}");
        let stack = floor.stack.insert(Stack::start_config(
            CONFIG,
            PORT,
            &floor.state,
            Logs::Quiet("target/wrangler-floor.log"),
            &[],
        )?);
        let sequential = percentiles(&mut send(&stack.base_url, 0, 0, LATENCY_MESSAGES)?);
        floor.cpu_before = cpu::workerd_times(stack.pid());
        floor.figures.push(format!(
            "the floor (xtask/floor/: no Baton code) through wrangler's dev proxy, one visitor at a time \
             ({LATENCY_MESSAGES} messages): p50 {:.1} ms, p99 {:.1} ms",
            sequential.0, sequential.1
        ));
        Ok(floor)
    }

    /// The floor's load run `run` (0-based), right after Baton's of the same number; none once one failed.
    pub fn load_run(&mut self, run: usize) {
        let Some(stack) = self.stack.as_ref().filter(|_| self.failed.is_none()) else {
            return;
        };
        match load_run(&stack.base_url, run) {
            Ok((throughput, p99)) => {
                self.figures.push(format!(
                    "the floor through wrangler's dev proxy with {LOAD_CLIENTS} visitors at once, run {} (right \
                     after Baton's run {0}): {throughput:.0} messages/s (latency under load p99 {p99:.1} ms)",
                    run + 1
                ));
                self.runs.push((throughput, p99));
            }
            Err(error) => {
                self.failed = Some(format!(
                    "the floor's run {} failed, and it made no more: {error}",
                    run + 1
                ));
            }
        }
    }

    /// The floor's figures and Baton's share of it, `baton` being Baton's runs' messages per second through the
    /// proxy, in the order they ran; then the floor's stack is stopped and its state thrown away.
    pub fn finish(mut self, baton: &[f64]) -> Vec<String> {
        let mut figures = std::mem::take(&mut self.figures);
        match (&self.failed, &self.stack) {
            (Some(failed), _) => figures.push(failed.clone()),
            (None, Some(stack)) => figures.push(format!(
                "the floor's workerd CPU time per message under load: {}",
                cpu::per_message(
                    &self.cpu_before,
                    &cpu::workerd_times(stack.pid()),
                    self.runs.len() * LOAD_CLIENTS * LOAD_MESSAGES_PER_CLIENT
                )
            )),
            (None, None) => {}
        }
        let shares: Vec<String> = baton
            .iter()
            .zip(&self.runs)
            .map(|(baton, (floor, _))| format!("{:.0}%", 100.0 * baton / floor))
            .collect();
        let mut runs = self.runs.clone();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut baton = baton.to_vec();
        baton.sort_by(f64::total_cmp);
        if let (Some((floor, p99)), Some(baton_median)) =
            (runs.get(runs.len() / 2), baton.get(baton.len() / 2))
        {
            figures.push(format!(
                "the floor, median of {} runs: {floor:.0} messages/s (that run's p99 under load {p99:.1} ms)",
                runs.len()
            ));
            figures.push(format!(
                "Baton's median through the proxy is {:.0}% of the floor's ({baton_median:.0} of {floor:.0} \
                 messages/s); run by run, each against the floor's run right after it: {}",
                100.0 * baton_median / floor,
                shares.join(", ")
            ));
        }
        figures
    }
}

impl Drop for Floor {
    fn drop(&mut self) {
        // The stack first: its workerd holds the state's files open.
        drop(self.stack.take());
        if let Err(error) = clear_state(&self.state) {
            eprintln!("xtask: {error}");
        }
    }
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
