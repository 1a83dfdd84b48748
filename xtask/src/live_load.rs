//! The live benchmark of `cargo xtask bench`: the worker on its own local workerd, the `live` test site (always
//! open) and one agent (created by an admin, whom the operator token creates). Every socket opens with a fresh
//! ticket, as the widget and the console do. Delivery: visitor messages posted over HTTP, timed until the agent's socket receives them
//! (1,000 messages over 50 conversations, within the per-conversation rate limit). Concurrency: 200 handed-over
//! conversations with the visitor's and the agent's sockets open at once, one message each way on every one, and
//! workerd's memory while they are all open.

use std::net::TcpStream;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use baton_shared::protocol::agent::{AgentCreated, AgentRole, CreateAgent};
use baton_shared::protocol::live::{LiveCommand, LiveEvent};
use baton_shared::protocol::ticket::{RequestTicket, SocketTicket, TICKET_PARAM};
use baton_shared::protocol::{ConversationCreated, CreateConversation, PostMessage, paths};
use tungstenite::{Message as Frame, WebSocket};

use crate::load::{percentiles, post_json};
use crate::seed;
use crate::stack::{Logs, Stack};

const LIVE_PORT: u16 = 8793;
const LIVE_STATE: &str = "target/bench-live-state";
const ADMIN_TOKEN: &str = "bench-admin-token";
const SITE: &str = "live";
const DELIVERY_CONVERSATIONS: usize = 50;
const DELIVERY_PER_CONVERSATION: usize = 20;
const CONCURRENT: usize = 200;

pub fn run() -> crate::Result<Vec<String>> {
    let state = crate::at(LIVE_STATE);
    crate::stack::clear_state(&state)?;
    let mut sites = seed::site_files("sites")?;
    sites.push(crate::at("tests/sites/live.json"));
    seed::sites(&state, &sites)?;
    println!(
        "xtask: starting the worker (wrangler's dev server) on 127.0.0.1:{LIVE_PORT} for the live benchmark"
    );
    let stack = Stack::start(
        LIVE_PORT,
        Path::new(&state),
        Logs::Quiet("target/wrangler-bench-live.log"),
        &[("BATON_ADMIN_TOKEN", ADMIN_TOKEN.into())],
    )?;
    let base = stack.base_url.clone();
    // The operator token creates admins only; the admin creates the agent.
    let admin: AgentCreated = post_json(
        &format!("{base}{}", paths::agents(SITE)),
        "10.9.0.1",
        Some(ADMIN_TOKEN),
        &CreateAgent {
            name: "Bench Admin".into(),
            teams: vec!["support".into()],
            role: AgentRole::Admin,
        },
    )?;
    let agent: AgentCreated = post_json(
        &format!("{base}{}", paths::agents(SITE)),
        "10.9.0.1",
        Some(&admin.token),
        &CreateAgent {
            name: "Bench Agent".into(),
            teams: vec!["support".into()],
            role: AgentRole::Agent,
        },
    )?;

    let mut latencies = Vec::new();
    for n in 0..DELIVERY_CONVERSATIONS {
        let conversation = hand_over(
            &base,
            &agent.token,
            &format!("10.2.{}.{}", n / 250, n % 250 + 1),
        )?;
        let mut agent_socket = open(
            &base,
            &conversation.conversation_id,
            &format!("10.2.{}.{}", n / 250, n % 250 + 1),
            Side::Agent(&agent.token),
        )?;
        for m in 0..DELIVERY_PER_CONVERSATION {
            let id = format!("d{n}-{m}");
            let started = Instant::now();
            post_message(
                &base,
                &conversation,
                &format!("10.2.{}.{}", n / 250, n % 250 + 1),
                &id,
            )?;
            wait_for(&mut agent_socket, &id)?;
            latencies.push(started.elapsed());
        }
    }
    let (p50, p99) = percentiles(&mut latencies);

    // 200 conversations at once, each with both sockets open.
    let conversations: Vec<ConversationCreated> = (0..CONCURRENT)
        .map(|n| {
            hand_over(
                &base,
                &agent.token,
                &format!("10.3.{}.{}", n / 250, n % 250 + 1),
            )
        })
        .collect::<crate::Result<_>>()?;
    let all_open = Arc::new(Barrier::new(CONCURRENT + 1));
    let measured = Arc::new(Barrier::new(CONCURRENT + 1));
    let workers: Vec<_> = conversations
        .into_iter()
        .enumerate()
        .map(|(n, conversation)| {
            let (base, token) = (base.clone(), agent.token.clone());
            let (all_open, measured) = (Arc::clone(&all_open), Arc::clone(&measured));
            std::thread::spawn(move || -> crate::Result<()> {
                let address = format!("10.3.{}.{}", n / 250, n % 250 + 1);
                let id = &conversation.conversation_id;
                let sockets = (|| {
                    let visitor = open(
                        &base,
                        id,
                        &address,
                        Side::Visitor(&conversation.visitor_token),
                    )?;
                    let agent = open(&base, id, &address, Side::Agent(&token))?;
                    Ok::<_, String>((visitor, agent))
                })();
                all_open.wait();
                measured.wait();
                let (mut visitor, mut agent) = sockets?;
                let reply = format!("agent-{n}");
                send(
                    &mut agent,
                    &LiveCommand::Send {
                        client_message_id: reply.clone(),
                        text: "Hello from the agent".into(),
                    },
                )?;
                wait_for(&mut visitor, &reply)?;
                let question = format!("visitor-{n}");
                post_message(&base, &conversation, &address, &question)?;
                wait_for(&mut agent, &question)?;
                Ok(())
            })
        })
        .collect();
    all_open.wait();
    let memory = workerd_memory_kib(stack.pid());
    measured.wait();
    let mut errors = Vec::new();
    for worker in workers {
        match worker.join() {
            Ok(Ok(())) => {}
            Ok(Err(error)) => errors.push(error),
            Err(_) => errors.push("a conversation thread panicked".into()),
        }
    }
    drop(stack);
    let total = DELIVERY_CONVERSATIONS * DELIVERY_PER_CONVERSATION;
    Ok(vec![
        format!(
            "visitor → agent delivery (HTTP post to the agent's socket, {total} messages over \
             {DELIVERY_CONVERSATIONS} conversations): p50 {p50:.1} ms, p99 {p99:.1} ms"
        ),
        format!(
            "{CONCURRENT} conversations with both sockets open ({} sockets), a message each way on each: {} errors{}; \
             workerd memory with all open: {}",
            CONCURRENT * 2,
            errors.len(),
            errors
                .first()
                .map(|error| format!(" (first: {error})"))
                .unwrap_or_default(),
            memory.map_or("unknown".into(), |kib| format!(
                "{:.0} MiB RSS",
                kib as f64 / 1024.0
            ))
        ),
    ])
}

/// A new conversation on the live site, handed over ("talk to a person") and claimed by the agent.
fn hand_over(base: &str, token: &str, address: &str) -> crate::Result<ConversationCreated> {
    let conversation: ConversationCreated = post_json(
        &format!("{base}{}", paths::conversations(SITE)),
        address,
        None,
        &CreateConversation::default(),
    )?;
    post_visitor(
        base,
        &conversation,
        address,
        "handoff",
        "I want to talk to a person",
        true,
    )?;
    let _: serde_json::Value = post_json(
        &format!(
            "{base}{}",
            paths::agent_conversation(SITE, &conversation.conversation_id, Some("claim"))
        ),
        address,
        Some(token),
        &(),
    )?;
    Ok(conversation)
}

fn post_message(
    base: &str,
    conversation: &ConversationCreated,
    address: &str,
    id: &str,
) -> crate::Result<()> {
    post_visitor(base, conversation, address, id, "Is it in stock?", false)
}

/// One visitor message over HTTP, with the visitor's token, from `address`.
fn post_visitor(
    base: &str,
    conversation: &ConversationCreated,
    address: &str,
    id: &str,
    text: &str,
    chose_person: bool,
) -> crate::Result<()> {
    let _: serde_json::Value = post_json(
        &format!(
            "{base}{}",
            paths::messages(SITE, &conversation.conversation_id)
        ),
        address,
        Some(&conversation.visitor_token),
        &PostMessage {
            client_message_id: id.into(),
            text: text.into(),
            instant_answer: None,
            chose_person,
            choice: None,
        },
    )?;
    Ok(())
}

/// Whose socket on a conversation, with the token that asks for its ticket.
enum Side<'a> {
    Visitor(&'a str),
    Agent(&'a str),
}

/// Opens a conversation's socket (the visitor's or the agent's) with a fresh ticket asked for from `address`.
fn open(
    base: &str,
    conversation_id: &str,
    address: &str,
    side: Side,
) -> crate::Result<WebSocket<TcpStream>> {
    let (token, path) = match side {
        Side::Visitor(token) => (token, paths::live(SITE, conversation_id)),
        Side::Agent(token) => (
            token,
            paths::agent_conversation(SITE, conversation_id, Some("live")),
        ),
    };
    let ticket: SocketTicket = post_json(
        &format!("{base}{}", paths::socket_tickets(SITE)),
        address,
        Some(token),
        &RequestTicket {
            conversation_id: Some(conversation_id.into()),
            inbox: false,
        },
    )?;
    let path = format!("{path}?{TICKET_PARAM}={}", ticket.ticket);
    let address = base.trim_start_matches("http://");
    let stream =
        TcpStream::connect(address).map_err(|error| format!("connect {address}: {error}"))?;
    let (socket, _) = tungstenite::client(format!("ws://{address}{path}").as_str(), stream)
        .map_err(|error| format!("WebSocket {path}: {error}"))?;
    socket
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|error| error.to_string())?;
    Ok(socket)
}

fn send(socket: &mut WebSocket<TcpStream>, command: &LiveCommand) -> crate::Result<()> {
    let text = serde_json::to_string(command).map_err(|error| error.to_string())?;
    socket
        .send(Frame::text(text))
        .map_err(|error| error.to_string())
}

/// Reads frames until a message with `client_message_id` arrives (10 s at most per read).
fn wait_for(socket: &mut WebSocket<TcpStream>, client_message_id: &str) -> crate::Result<()> {
    loop {
        let frame = socket
            .read()
            .map_err(|error| format!("waiting for {client_message_id}: {error}"))?;
        if let Frame::Text(text) = frame
            && let Ok(LiveEvent::Messages { messages }) = serde_json::from_str(text.as_str())
            && messages
                .iter()
                .any(|message| message.client_message_id.as_deref() == Some(client_message_id))
        {
            return Ok(());
        }
    }
}

/// The resident memory of the stack's workerd processes (its process group), in KiB, from /proc.
fn workerd_memory_kib(group: u32) -> Option<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Fields after the command name (which is in parentheses): state, ppid, pgrp, …
        let pgrp = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(2))
            .and_then(|field| field.parse::<u32>().ok());
        let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if pgrp == Some(group) && cmdline.contains("workerd") {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            total += status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|value| value.split_whitespace().next()?.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    (total > 0).then_some(total)
}
