//! `cargo xtask bench ledger`: what recording the metrics ledger adds to a visitor message's latency. Two stacks
//! run the same build at once, one with the ledger off (`BATON_LEDGER=off`, a var only this benchmark sets) and one
//! as deployed; each message goes to one and then the same message to the other, so a busy machine slows both
//! alike. Measured on workerd directly. The difference of the two p50s is what recording costs the visitor, against
//! its budget (`size::LEDGER_RECORDING_P50_MS`); then the recording stack's ledger is counted, to show it recorded.

use std::time::{Duration, Instant};

use baton_shared::protocol::{ConversationCreated, CreateConversation, PostMessage, paths};

use crate::load::{QUESTIONS, percentiles, post};
use crate::process::{command, output};
use crate::seed;
use crate::stack::{Logs, Stack};

const OFF_PORT: u16 = 8789;
const ON_PORT: u16 = 8795;
/// Messages to each stack (after a warm-up of one conversation each).
const MESSAGES: usize = 400;
/// Messages per conversation: under the per-conversation rate limit (30 a minute).
const PER_CONVERSATION: usize = 25;

pub fn run() -> crate::Result<Vec<String>> {
    let off = start("target/bench-ledger-off", OFF_PORT, "off")?;
    let on = start("target/bench-ledger-on", ON_PORT, "on")?;
    let url = |stack: &Stack| stack.direct_url.clone().unwrap_or(stack.base_url.clone());
    let (off_url, on_url) = (url(&off), url(&on));
    let agent = crate::load::agent();
    let mut visitors = [
        Visitor::new(&off_url, "10.77.0.1"),
        Visitor::new(&on_url, "10.77.0.2"),
    ];
    for visitor in &mut visitors {
        for n in 0..PER_CONVERSATION {
            visitor.say(&agent, n)?;
        }
    }
    let mut latencies = [Vec::with_capacity(MESSAGES), Vec::with_capacity(MESSAGES)];
    for n in 0..MESSAGES {
        // Which goes first alternates too.
        for side in [n % 2, 1 - n % 2] {
            latencies[side].push(visitors[side].say(&agent, PER_CONVERSATION + n)?);
        }
    }
    let [mut without, mut with] = latencies;
    let (off_p50, off_p99) = percentiles(&mut without);
    let (on_p50, on_p99) = percentiles(&mut with);
    let added = on_p50 - off_p50;
    // The background sends end soon after the last answer (a room gathers its events for 2 to 4 s first).
    std::thread::sleep(Duration::from_secs(6));
    drop(off);
    drop(on);
    let recorded = count_events("target/bench-ledger-on")?;
    let budget = crate::size::LEDGER_RECORDING_P50_MS;
    let mut figures = vec![
        format!(
            "message → answer on workerd directly, {MESSAGES} messages to each stack in turn: ledger off p50 \
             {off_p50:.2} ms, p99 {off_p99:.1} ms; ledger on p50 {on_p50:.2} ms, p99 {on_p99:.1} ms"
        ),
        format!(
            "recording the ledger adds {added:.2} ms to a message at p50 (budget {budget} ms); {recorded} events \
             recorded in D1 by the stack with it on"
        ),
    ];
    if added > budget {
        return Err(format!(
            "{}\nrecording the ledger adds {added:.2} ms to a visitor message at p50, over its budget of {budget} ms",
            figures.join("\n")
        ));
    }
    figures.push(format!(
        "budget ledger recording p50: {added:.2} ms of {budget} ms: ok"
    ));
    Ok(figures)
}

fn start(state: &str, port: u16, ledger: &str) -> crate::Result<Stack> {
    let dir = crate::at(state);
    crate::stack::clear_state(&dir)?;
    seed::sites(&dir, &seed::site_files("sites")?)?;
    println!("xtask: starting the worker on 127.0.0.1:{port} with the ledger {ledger}");
    let vars = if ledger == "off" {
        vec![("BATON_LEDGER", "off".to_string())]
    } else {
        Vec::new()
    };
    let log = if ledger == "off" {
        "target/wrangler-bench-ledger-off.log"
    } else {
        "target/wrangler-bench-ledger-on.log"
    };
    Stack::start(port, &dir, Logs::Quiet(log), &vars)
}

/// One visitor of the demo site on one stack, starting a new conversation every [`PER_CONVERSATION`] messages.
struct Visitor {
    base: String,
    address: &'static str,
    conversation: Option<ConversationCreated>,
    sent: usize,
}

impl Visitor {
    fn new(base: &str, address: &'static str) -> Visitor {
        Visitor {
            base: base.to_string(),
            address,
            conversation: None,
            sent: 0,
        }
    }

    /// Message `n` of the mix; returns its round trip.
    fn say(&mut self, agent: &ureq::Agent, n: usize) -> crate::Result<Duration> {
        if self.sent.is_multiple_of(PER_CONVERSATION) {
            self.conversation = Some(post(
                agent,
                &format!("{}{}", self.base, paths::conversations("demo")),
                self.address,
                None,
                &CreateConversation::default(),
            )?);
        }
        self.sent += 1;
        let conversation = self
            .conversation
            .as_ref()
            .ok_or("a conversation was started above")?;
        let body = PostMessage {
            client_message_id: format!("ledger-bench-{n}"),
            text: QUESTIONS[n % QUESTIONS.len()].to_string(),
            instant_answer: None,
            chose_person: false,
            choice: None,
        };
        let url = format!(
            "{}{}",
            self.base,
            paths::messages("demo", &conversation.conversation_id)
        );
        let started = Instant::now();
        let _: serde_json::Value = post(
            agent,
            &url,
            self.address,
            Some(&conversation.visitor_token),
            &body,
        )?;
        Ok(started.elapsed())
    }
}

/// The events in a state folder's local D1, counted with wrangler.
fn count_events(state: &str) -> crate::Result<u64> {
    let printed = output(
        command(&crate::at("node_modules/.bin/wrangler").to_string_lossy())
            .args([
                "d1",
                "execute",
                "BATON_DB",
                "--local",
                "--json",
                "--persist-to",
            ])
            .arg(crate::at(state))
            .args(["--command", "SELECT count(*) AS n FROM events"]),
    )
    .ok_or("wrangler d1 execute failed")?;
    let results: serde_json::Value =
        serde_json::from_str(&printed).map_err(|error| format!("{error}: {printed}"))?;
    results[0]["results"][0]["n"]
        .as_u64()
        .ok_or_else(|| format!("no count in {printed}"))
}
