//! The message benchmark of `cargo xtask bench`: the worker on local workerd (its own stack and state) answering
//! visitor messages with the default `none` provider, measured twice: through wrangler's development proxy (the port
//! tests use) and on workerd directly (what Cloudflare runs has no such proxy). Latency: one visitor at a time,
//! p50/p99 of message → answer.
//! Throughput: many visitors at once, each from its own address (`CF-Connecting-IP`, as Cloudflare's edge sets
//! it) and within the per-conversation rate limit, so the limits measure nothing here.

use std::path::Path;
use std::time::{Duration, Instant};

use baton_shared::protocol::{ConversationCreated, CreateConversation, PostMessage, paths};

use crate::seed;
use crate::stack::{Logs, Stack};

const BENCH_PORT: u16 = 8789;
/// Requests sent a second time after their connection dropped (see `post`).
static RETRIED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
const BENCH_STATE: &str = "target/bench-state";
/// Messages per conversation: under the per-conversation rate limit (30 a minute).
const PER_CONVERSATION: usize = 25;
const LATENCY_MESSAGES: usize = 500;
const LOAD_CLIENTS: usize = 32;
const LOAD_MESSAGES_PER_CLIENT: usize = 100;

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

pub fn run() -> crate::Result<Vec<String>> {
    let state = crate::at(BENCH_STATE);
    if state.exists() {
        std::fs::remove_dir_all(&state)
            .map_err(|error| format!("cannot clear {BENCH_STATE}: {error}"))?;
    }
    seed::sites(&state, &seed::site_files("sites")?)?;
    println!(
        "xtask: starting the worker (wrangler's dev server) on 127.0.0.1:{BENCH_PORT} for the message benchmark"
    );
    let stack = Stack::start(
        BENCH_PORT,
        Path::new(&state),
        Logs::Quiet("target/wrangler-bench.log"),
        &[],
    )?;
    let mut figures = measure(&stack.base_url, 0, "through wrangler's dev proxy")?;
    match &stack.direct_url {
        Some(direct) => figures.extend(measure(direct, 1, "on workerd directly")?),
        None => figures
            .push("workerd's direct address was not found: measured through the proxy only".into()),
    }
    figures.push(format!(
        "requests sent again after their kept-alive connection dropped: {}",
        RETRIED.load(std::sync::atomic::Ordering::Relaxed)
    ));
    Ok(figures)
}

/// Latency one visitor at a time, then throughput with many; `pass` keeps each pass's client addresses apart (the
/// per-address limit counts a minute).
fn measure(base: &str, pass: usize, path: &str) -> crate::Result<Vec<String>> {
    let mut latencies = send_messages(base, &format!("10.{}.0.1", 100 + pass), LATENCY_MESSAGES)?;
    let sequential = percentiles(&mut latencies);

    let started = Instant::now();
    let workers: Vec<_> = (0..LOAD_CLIENTS)
        .map(|client| {
            let base = base.to_string();
            std::thread::spawn(move || {
                send_messages(
                    &base,
                    &format!("10.{}.{}.{}", pass + 1, client / 250, client % 250 + 1),
                    LOAD_MESSAGES_PER_CLIENT,
                )
            })
        })
        .collect();
    let mut under_load = Vec::new();
    for worker in workers {
        under_load.extend(worker.join().map_err(|_| "a load client panicked")??);
    }
    let elapsed = started.elapsed();
    let throughput = under_load.len() as f64 / elapsed.as_secs_f64();
    let loaded = percentiles(&mut under_load);
    Ok(vec![
        format!(
            "message → answer {path}, one visitor at a time ({LATENCY_MESSAGES} messages, none provider): p50 \
             {:.1} ms, p99 {:.1} ms",
            sequential.0, sequential.1
        ),
        format!(
            "throughput {path} with {LOAD_CLIENTS} visitors at once: {} messages in {:.2} s = {throughput:.0} \
             messages/s (latency under load p50 {:.1} ms, p99 {:.1} ms)",
            under_load.len(),
            elapsed.as_secs_f64(),
            loaded.0,
            loaded.1
        ),
    ])
}

/// The page origin the benchmark's visitors send (the demo site allows any localhost port).
pub const BENCH_ORIGIN: &str = "http://localhost:3000";

/// Sends `count` messages from one address over as many conversations as the rate limit needs; returns each
/// message's round trip.
fn send_messages(base: &str, address: &str, count: usize) -> crate::Result<Vec<Duration>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut latencies = Vec::with_capacity(count);
    let mut conversation: Option<ConversationCreated> = None;
    for n in 0..count {
        if n % PER_CONVERSATION == 0 {
            conversation = Some(post(
                &agent,
                &format!("{base}{}", paths::conversations("demo")),
                address,
                None,
                &CreateConversation::default(),
            )?);
        }
        let Some(current) = &conversation else {
            continue;
        };
        let body = PostMessage {
            client_message_id: format!("bench-{n}"),
            text: QUESTIONS[n % QUESTIONS.len()].to_string(),
            instant_answer: None,
            chose_person: false,
            choice: None,
        };
        let url = format!(
            "{base}{}",
            paths::messages("demo", &current.conversation_id)
        );
        let started = Instant::now();
        let _: serde_json::Value =
            post(&agent, &url, address, Some(&current.visitor_token), &body)?;
        latencies.push(started.elapsed());
    }
    Ok(latencies)
}

pub fn post<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    agent: &ureq::Agent,
    url: &str,
    address: &str,
    token: Option<&str>,
    body: &B,
) -> crate::Result<T> {
    // As the widget on a page would: a browser's request carries its page's origin (scripts without one have
    // hourly limits the benchmark would hit).
    let send = || {
        let mut request = agent
            .post(url)
            .header("CF-Connecting-IP", address)
            .header("Origin", BENCH_ORIGIN);
        if let Some(token) = token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        request.send_json(body)
    };
    // A kept-alive connection the server closed fails before any answer; like a browser, the client sends the
    // request once more on a new one (safe: a message is answered from the transcript when retried). Counted, and
    // reported with the figures, since the retry's time is in the latency.
    let mut response = match send() {
        Ok(response) => response,
        Err(_) => {
            RETRIED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            send().map_err(|error| format!("POST {url}: {error}"))?
        }
    };
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|error| format!("POST {url}: {error}"))?;
    if !(200..300).contains(&status) {
        return Err(format!("POST {url} answered {status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|error| format!("POST {url}: {error}: {text}"))
}

/// One POST with a fresh client (for callers outside a hot loop), from `address`, with a bearer `token`.
pub fn post_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    url: &str,
    address: &str,
    token: Option<&str>,
    body: &B,
) -> crate::Result<T> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    post(&agent, url, address, token, body)
}

/// p50 and p99 in milliseconds.
pub fn percentiles(latencies: &mut [Duration]) -> (f64, f64) {
    latencies.sort();
    let at = |share: f64| {
        let index =
            ((latencies.len() as f64 * share).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.99))
}
