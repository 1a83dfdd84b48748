//! The human layer against workerd: accounts and tokens, the inbox socket, claims, live replies both ways over the
//! conversation's sockets, reconnecting with `since`, closing and rating, missed chats, webhooks and erasure.
//! Sites `live` and `missed` are test sites (`tests/sites/`).

use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use baton_shared::protocol::agent::{
    AgentConversation, AgentCreated, AgentList, AgentRole, AgentSession, CloseConversation,
    CreateAgent, Deliveries, Erase, Erased, InboxEvent, InboxItem, ItemState, Rate,
    TransferConversation,
};
use baton_shared::protocol::live::{CloseOutcome, LiveCommand, LiveEvent};
use baton_shared::protocol::ticket::{RequestTicket, SocketTicket};
use baton_shared::protocol::{Author, ConversationEvent, Message, MessagesAppended, paths, wire};
use baton_shared::signing::{WEBHOOK_SIGNATURE_HEADER, webhook_signature};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tungstenite::{Message as Frame, WebSocket};

use super::{Answer, Chat, post_json, request, say, start_conversation_on};

/// The operator's token (`BATON_ADMIN_TOKEN`): it creates sites and their admins, nothing else.
pub(crate) fn operator_token() -> String {
    std::env::var("BATON_ADMIN_TOKEN").expect("BATON_ADMIN_TOKEN is set by `cargo xtask test`")
}

pub(crate) fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// The token of an admin of `site`, created once per test run with the operator token.
pub(crate) fn admin_token(site: &str) -> String {
    static ADMINS: OnceLock<Mutex<Vec<(String, String)>>> = OnceLock::new();
    let admins = ADMINS.get_or_init(|| Mutex::new(Vec::new()));
    let mut admins = admins.lock().expect("not poisoned");
    if let Some((_, token)) = admins.iter().find(|(known, _)| known == site) {
        return token.clone();
    }
    let answer = post_json(
        &paths::agents(site),
        &[("Authorization", &bearer(&operator_token()))],
        &CreateAgent {
            name: format!("Admin of {site}"),
            teams: Vec::new(),
            role: AgentRole::Admin,
        },
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let created: AgentCreated = answer.json();
    admins.push((site.to_string(), created.token.clone()));
    created.token
}

/// Creates an agent on `site` as the site's admin; returns its token and profile.
pub(crate) fn create_agent(
    site: &str,
    name: &str,
    teams: &[&str],
    role: AgentRole,
) -> AgentCreated {
    let admin = bearer(&admin_token(site));
    let answer = post_json(
        &paths::agents(site),
        &[("Authorization", &admin)],
        &CreateAgent {
            name: name.into(),
            teams: teams.iter().map(|team| team.to_string()).collect(),
            role,
        },
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.json()
}

pub(crate) fn as_agent<T: Serialize>(token: &str, path: &str, body: &T) -> Answer {
    post_json(path, &[("Authorization", &bearer(token))], body)
}

pub(crate) fn get_as(token: &str, path: &str) -> Answer {
    request("GET", path, &[("Authorization", &bearer(token))], None)
}

/// A WebSocket to the worker, reading frames of type `E` (JSON text, or binary in the wire encoding) and sending
/// JSON commands.
pub(crate) struct Socket<E> {
    ws: WebSocket<TcpStream>,
    /// How many text (JSON) frames it read.
    pub(crate) text_frames: usize,
    /// How many binary (wire) frames it read.
    pub(crate) binary_frames: usize,
    _events: std::marker::PhantomData<E>,
}

impl<E: DeserializeOwned> Socket<E> {
    pub(crate) fn open(path_and_query: &str) -> Socket<E> {
        let base = super::base_url();
        let address = base.trim_start_matches("http://").to_string();
        let stream = TcpStream::connect(&address).expect("the worker listens");
        let url = format!("ws://{address}{path_and_query}");
        let (ws, response) = tungstenite::client(url.as_str(), stream)
            .unwrap_or_else(|error| panic!("WebSocket {path_and_query}: {error}"));
        assert_eq!(response.status().as_u16(), 101);
        ws.get_ref()
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("a timeout can be set");
        Socket {
            ws,
            text_frames: 0,
            binary_frames: 0,
            _events: std::marker::PhantomData,
        }
    }

    /// The next event within `within`, or `None`.
    pub(crate) fn next_within(&mut self, within: Duration) -> Option<E> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            match self.ws.read() {
                Ok(Frame::Text(text)) => {
                    self.text_frames += 1;
                    return Some(
                        serde_json::from_str(text.as_str())
                            .unwrap_or_else(|error| panic!("{error}: {text}")),
                    );
                }
                Ok(Frame::Binary(bytes)) => {
                    self.binary_frames += 1;
                    return Some(
                        wire::from_bytes(&bytes)
                            .unwrap_or_else(|error| panic!("{error}: {bytes:?}")),
                    );
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(error))
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(error) => panic!("socket failed: {error}"),
            }
        }
        None
    }

    /// Events until one matches `wanted` (within 5 s), which is returned; the others are dropped.
    pub(crate) fn until<T>(&mut self, mut wanted: impl FnMut(&E) -> Option<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Some(event) = self.next_within(Duration::from_millis(200))
                && let Some(found) = wanted(&event)
            {
                return found;
            }
        }
        panic!("the awaited event did not come within 5 s")
    }

    pub(crate) fn send<C: Serialize>(&mut self, command: &C) {
        let text = serde_json::to_string(command).expect("commands serialise");
        self.ws.send(Frame::text(text)).expect("the socket is open");
    }

    fn close(mut self) {
        let _ = self.ws.close(None);
        let _ = self.ws.flush();
    }

    /// The code the server closed the socket with, waiting up to 5 s (other frames are dropped); `None` if it
    /// stayed open.
    pub(crate) fn closed_with(&mut self) -> Option<u16> {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match self.ws.read() {
                Ok(Frame::Close(frame)) => return frame.map(|frame| u16::from(frame.code)),
                Ok(_) => {}
                Err(tungstenite::Error::Io(error))
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return Some(0),
            }
        }
        None
    }
}

pub(crate) type Live = Socket<LiveEvent>;
pub(crate) type Inbox = Socket<InboxEvent>;

/// A single-use socket ticket, asked for with `token` (the visitor's or an agent's).
pub(crate) fn ticket(site: &str, token: &str, body: &RequestTicket) -> SocketTicket {
    let answer = as_agent(token, &paths::socket_tickets(site), body);
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.json()
}

pub(crate) fn visitor_socket(chat: &Chat, since: u64) -> Live {
    let ticket = ticket(
        chat.site,
        &chat.visitor_token,
        &RequestTicket {
            conversation_id: Some(chat.conversation_id.clone()),
            inbox: false,
        },
    );
    Socket::open(&format!(
        "{}?ticket={}&since={since}",
        paths::live(chat.site, &chat.conversation_id),
        ticket.ticket
    ))
}

pub(crate) fn agent_socket(site: &str, token: &str, conversation_id: &str, since: u64) -> Live {
    let ticket = ticket(
        site,
        token,
        &RequestTicket {
            conversation_id: Some(conversation_id.to_string()),
            inbox: false,
        },
    );
    Socket::open(&format!(
        "{}?ticket={}&since={since}",
        paths::agent_conversation(site, conversation_id, Some("live")),
        ticket.ticket
    ))
}

pub(crate) fn inbox_socket(site: &str, token: &str) -> Inbox {
    let ticket = ticket(
        site,
        token,
        &RequestTicket {
            conversation_id: None,
            inbox: true,
        },
    );
    Socket::open(&format!(
        "{}?ticket={}",
        paths::agent_inbox(site),
        ticket.ticket
    ))
}

/// Messages carried by an event, if it is a `messages` event.
pub(crate) fn messages(event: &LiveEvent) -> Option<Vec<Message>> {
    match event {
        LiveEvent::Messages { messages } if !messages.is_empty() => Some(messages.clone()),
        _ => None,
    }
}

fn texts(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .map(|message| format!("{}: {}", author(message), message.text))
        .collect()
}

fn author(message: &Message) -> String {
    match (&message.author, &message.author_name) {
        (_, Some(name)) => name.clone(),
        (author, None) => format!("{author:?}").to_lowercase(),
    }
}

pub(crate) fn unique(name: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{name} {}-{n}", std::process::id() % 1000)
}

#[test]
fn accounts_are_made_by_admins_and_every_agent_route_checks_the_token() {
    let site = "live";
    // No token, a wrong token, an agent who is not an admin: refused, and nothing is created.
    let body = CreateAgent {
        name: "Eve".into(),
        teams: vec!["support".into()],
        role: AgentRole::Agent,
    };
    let refused = post_json(&paths::agents(site), &[], &body);
    assert_eq!(refused.status, 401, "{}", refused.body);
    let wrong = as_agent("bat_not-a-token", &paths::agents(site), &body);
    assert_eq!(
        wrong.error_line(),
        "401 unauthorized: this agent token is not valid"
    );
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    assert!(ana.token.starts_with("bat_") && ana.token.len() > 40);
    let by_agent = as_agent(&ana.token, &paths::agents(site), &body);
    assert_eq!(by_agent.status, 403, "{}", by_agent.body);
    // Bad input names the field.
    let bad = as_agent(
        &admin_token(site),
        &paths::agents(site),
        &CreateAgent {
            name: " ".into(),
            teams: vec!["kitchen".into()],
            role: AgentRole::Agent,
        },
    );
    assert_eq!(
        bad.error_line(),
        "400 invalid_field: name: must be 1 to 80 characters; teams[0]: site \"live\" has no team \"kitchen\" (it has: sales, support)"
    );
    // The token is stored only as its digest (in the site's directory): no KV key holds it.
    assert!(super::kv_get(&format!("agent:{}", ana.token)).is_none());
    let listed: AgentList = get_as(&admin_token(site), &paths::agents(site)).json();
    assert!(listed.agents.iter().any(|agent| agent.id == ana.agent.id));
    // The agent's own session; another site's routes are forbidden.
    let me: AgentSession = get_as(&ana.token, &paths::agent_me(site)).json();
    assert_eq!(me.agent.name, ana.agent.name);
    assert_eq!(me.canned_replies.len(), 1);
    let elsewhere = get_as(&ana.token, &paths::agent_me("demo"));
    assert_eq!(
        elsewhere.error_line(),
        "403 forbidden: this agent token is for site \"live\", not \"demo\""
    );
    for path in [
        paths::agent_me(site),
        paths::agent_inbox(site),
        paths::agent_webhooks(site),
        paths::agent_conversation(site, "nope", None),
    ] {
        assert_eq!(request("GET", &path, &[], None).status, 401, "{path}");
    }
    // A socket without a valid ticket is refused before any upgrade.
    let socket = request(
        "GET",
        &format!("{}?ticket=wrong", paths::agent_inbox(site)),
        &[("Upgrade", "websocket")],
        None,
    );
    assert_eq!(socket.status, 401);
    // The operator token is no account: it creates admins, not agents, and reads nothing.
    let operator = as_agent(&operator_token(), &paths::agents(site), &body);
    assert_eq!(operator.status, 403, "{}", operator.body);
    assert_eq!(
        get_as(&operator_token(), &paths::agent_inbox(site)).status,
        403
    );
}

#[test]
fn a_handoff_reaches_the_inbox_the_first_claim_wins_and_both_sides_talk_live() {
    let site = "live";
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let bob = create_agent(site, &unique("Bob"), &["support"], AgentRole::Agent);
    let sam = create_agent(site, &unique("Sam"), &["sales"], AgentRole::Agent);
    let mut inbox = inbox_socket(site, &ana.token);
    let snapshot = inbox.until(|event| match event {
        InboxEvent::Snapshot { agents, .. } => Some(agents.clone()),
        _ => None,
    });
    assert!(snapshot.iter().any(|agent| agent.agent_id == ana.agent.id));

    let chat = start_conversation_on(site, &[]);
    let mut visitor = visitor_socket(&chat, 0);
    let greeting = visitor.until(messages);
    assert_eq!(greeting.len(), 1);
    let asked = Instant::now();
    let handoff: MessagesAppended = say(&chat, "v1", "I want to talk to a human please").json();
    let item = inbox.until(|event| match event {
        InboxEvent::Item { item } if item.conversation_id == chat.conversation_id => {
            Some((**item).clone())
        }
        _ => None,
    });
    let reached_ms = asked.elapsed().as_millis();
    assert!(reached_ms < 1_000, "the inbox heard after {reached_ms} ms");
    assert_eq!(item.state, ItemState::Waiting);
    assert_eq!(item.team.as_deref(), Some("support"));
    // Ana is online, so the visitor is told the conversation's place rather than "nobody is available".
    let notice = handoff.messages[1]
        .handoff
        .clone()
        .expect("a handoff notice");
    assert!(!notice.queued, "{notice:?}");
    assert!(notice.queue_position.is_some(), "{notice:?}");
    assert!(
        handoff.messages[1].text.contains("in the queue"),
        "{}",
        handoff.messages[1].text
    );

    // First claim wins; the others get a clear refusal.
    let claimed: AgentConversation = as_agent(
        &ana.token,
        &paths::agent_conversation(site, &chat.conversation_id, Some("claim")),
        &(),
    )
    .json();
    assert!(
        matches!(claimed.item.state, ItemState::Assigned { ref agent_id, .. } if *agent_id == ana.agent.id)
    );
    let package = claimed.package.expect("the package");
    assert_eq!(package.summary, "I want to talk to a human please");
    let second = as_agent(
        &bob.token,
        &paths::agent_conversation(site, &chat.conversation_id, Some("claim")),
        &(),
    );
    assert_eq!(
        second.error_line(),
        format!(
            "409 conflict: {} already took this conversation",
            ana.agent.name
        )
    );
    let other_team = as_agent(
        &sam.token,
        &paths::agent_conversation(site, &chat.conversation_id, Some("claim")),
        &(),
    );
    assert_eq!(other_team.status, 403, "{}", other_team.body);
    let joined = visitor.until(|event| {
        messages(event).and_then(|messages| {
            messages.into_iter().find(|message| {
                matches!(message.event, Some(ConversationEvent::AgentJoined { .. }))
            })
        })
    });
    assert_eq!(
        joined.text,
        format!("{} joined the conversation.", ana.agent.name)
    );

    // Live both ways: the agent's reply over the socket, the visitor's over HTTP (Baton stays quiet now).
    let mut agent = agent_socket(site, &ana.token, &chat.conversation_id, 0);
    let history = agent.until(messages);
    assert_eq!(history.len(), claimed.messages.len());
    agent.send(&LiveCommand::Typing);
    assert_eq!(
        visitor.until(|event| match event {
            LiveEvent::Typing { author, name } => Some((*author, name.clone())),
            _ => None,
        }),
        (Author::Agent, Some(ana.agent.name.clone()))
    );
    let reply = LiveCommand::Send {
        client_message_id: "a1".into(),
        text: "Hi, I'm here. What can I do?".into(),
    };
    agent.send(&reply);
    // Sent twice (a retry after a lost acknowledgement): stored once.
    agent.send(&reply);
    let seen_by_visitor = visitor.until(|event| {
        messages(event)
            .and_then(|messages| messages.into_iter().find(|m| m.author == Author::Agent))
    });
    assert_eq!(
        seen_by_visitor.author_name.as_deref(),
        Some(ana.agent.name.as_str())
    );
    let answered: MessagesAppended = say(&chat, "v2", "My grinder arrived broken").json();
    assert_eq!(
        texts(&answered.messages),
        ["visitor: My grinder arrived broken"]
    );
    let seen_by_agent = agent.until(|event| {
        messages(event)
            .and_then(|messages| messages.into_iter().find(|m| m.author == Author::Visitor))
    });
    assert_eq!(seen_by_agent.text, "My grinder arrived broken");
    agent.send(&LiveCommand::Read {
        seq: seen_by_agent.seq,
    });
    assert_eq!(
        visitor.until(|event| match event {
            LiveEvent::Read { author, seq } => Some((*author, *seq)),
            _ => None,
        }),
        (Author::Agent, seen_by_agent.seq)
    );

    // The agent's socket is cut; the visitor goes on; reconnecting with `since` gives exactly what was missed.
    let last_seen = seen_by_agent.seq;
    agent.close();
    say(&chat, "v3", "Are you still there?");
    say(&chat, "v4", "Hello?");
    let mut agent = agent_socket(site, &ana.token, &chat.conversation_id, last_seen);
    let missed = agent.until(messages);
    assert_eq!(
        texts(&missed),
        ["visitor: Are you still there?", "visitor: Hello?"]
    );
    agent.send(&LiveCommand::Send {
        client_message_id: "a2".into(),
        text: "Yes! Sorry, my connection dropped.".into(),
    });
    visitor.until(|event| {
        messages(event).and_then(|messages| {
            messages
                .into_iter()
                .find(|m| m.client_message_id.as_deref() == Some("a2"))
        })
    });

    // Both sides' transcripts equal the stored history: nothing lost, nothing doubled.
    let stored: AgentConversation = get_as(
        &ana.token,
        &paths::agent_conversation(site, &chat.conversation_id, None),
    )
    .json();
    let seqs: Vec<u64> = stored.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
    let agent_replies = stored
        .messages
        .iter()
        .filter(|m| m.author == Author::Agent)
        .count();
    assert_eq!(agent_replies, 2);
    let mut visitor_again = visitor_socket(&chat, 0);
    assert_eq!(visitor_again.until(messages), stored.messages);
    let mut agent_again = agent_socket(site, &ana.token, &chat.conversation_id, 0);
    assert_eq!(agent_again.until(messages), stored.messages);

    // Rating before the close is refused; closing archives and asks the visitor.
    let early = super::post_as_visitor(
        &chat,
        &paths::csat(site, &chat.conversation_id),
        &Rate { rating: 5 },
        &[],
    );
    assert_eq!(early.status, 409, "{}", early.body);
    let not_mine = as_agent(
        &bob.token,
        &paths::agent_conversation(site, &chat.conversation_id, Some("close")),
        &CloseConversation {
            outcome: CloseOutcome::Resolved,
        },
    );
    assert_eq!(not_mine.status, 409, "{}", not_mine.body);
    let closed: AgentConversation = as_agent(
        &ana.token,
        &paths::agent_conversation(site, &chat.conversation_id, Some("close")),
        &CloseConversation {
            outcome: CloseOutcome::Converted,
        },
    )
    .json();
    assert_eq!(
        closed.item.state,
        ItemState::Closed {
            outcome: CloseOutcome::Converted
        }
    );
    assert_eq!(
        visitor.until(|event| match event {
            LiveEvent::Closed { outcome } => Some(*outcome),
            _ => None,
        }),
        CloseOutcome::Converted
    );
    let rated = super::post_as_visitor(
        &chat,
        &paths::csat(site, &chat.conversation_id),
        &Rate { rating: 5 },
        &[],
    );
    assert_eq!(rated.status, 200, "{}", rated.body);
    let bad_rating = super::post_as_visitor(
        &chat,
        &paths::csat(site, &chat.conversation_id),
        &Rate { rating: 9 },
        &[],
    );
    assert_eq!(
        bad_rating.error_line(),
        "400 invalid_field: rating: must be 1 to 5, got 9"
    );
    let archive =
        super::kv_get(&format!("archive:live:{}", chat.conversation_id)).expect("archived");
    let archive: serde_json::Value = serde_json::from_str(&archive).expect("JSON");
    assert_eq!(archive["conversation"]["csat"], 5);
    assert_eq!(archive["conversation"]["closed"], "converted");
    assert!(archive["package"]["summary"].is_string());
    inbox.close();
}

#[test]
fn transfers_move_a_conversation_to_another_team() {
    let site = "live";
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let sam = create_agent(site, &unique("Sam"), &["sales"], AgentRole::Agent);
    let chat = start_conversation_on(site, &[]);
    say(&chat, "v1", "Can I speak to someone?");
    let claim = paths::agent_conversation(site, &chat.conversation_id, Some("claim"));
    assert_eq!(as_agent(&ana.token, &claim, &()).status, 200);
    let transfer = paths::agent_conversation(site, &chat.conversation_id, Some("transfer"));
    let bad = as_agent(
        &ana.token,
        &transfer,
        &TransferConversation {
            team: Some("kitchen".into()),
            agent_id: None,
        },
    );
    assert_eq!(
        bad.error_line(),
        "400 invalid_field: team: site \"live\" has no team \"kitchen\""
    );
    let moved: AgentConversation = as_agent(
        &ana.token,
        &transfer,
        &TransferConversation {
            team: Some("sales".into()),
            agent_id: None,
        },
    )
    .json();
    assert_eq!(moved.item.team.as_deref(), Some("sales"));
    assert_eq!(moved.item.state, ItemState::Waiting);
    let said = moved.messages.last().expect("a message");
    assert_eq!(
        said.text,
        "I'm passing you to our Sales team; they can see everything said so far."
    );
    // Now Sales can claim it, and Ana no longer sees it.
    assert_eq!(as_agent(&sam.token, &claim, &()).status, 200);
    let gone = get_as(
        &ana.token,
        &paths::agent_conversation(site, &chat.conversation_id, None),
    );
    assert_eq!(gone.status, 403, "{}", gone.body);
    // Straight to a named agent: they have it at once, and the visitor is told who joined.
    let sue = create_agent(site, &unique("Sue"), &["sales"], AgentRole::Agent);
    let unknown = as_agent(
        &sam.token,
        &transfer,
        &TransferConversation {
            team: None,
            agent_id: Some("nobody".into()),
        },
    );
    assert_eq!(
        unknown.error_line(),
        "400 invalid_field: agent_id: site \"live\" has no agent \"nobody\""
    );
    let handed: AgentConversation = as_agent(
        &sam.token,
        &transfer,
        &TransferConversation {
            team: None,
            agent_id: Some(sue.agent.id.clone()),
        },
    )
    .json();
    assert!(
        matches!(&handed.item.state, ItemState::Assigned { agent_id, .. } if *agent_id == sue.agent.id),
        "{:?}",
        handed.item.state
    );
    let said = handed.messages.last().expect("a message");
    assert_eq!(
        said.text,
        format!("{} joined the conversation.", sue.agent.name)
    );
    assert_eq!(
        as_agent(&sam.token, &claim, &()).error_line(),
        format!(
            "409 conflict: {} already took this conversation",
            sue.agent.name
        )
    );
}

#[test]
fn a_handoff_nobody_answers_is_missed_and_the_visitor_is_offered_email() {
    let site = "missed";
    let chat = start_conversation_on(site, &[]);
    let mut visitor = visitor_socket(&chat, 0);
    visitor.until(messages);
    say(&chat, "v1", "I need a person now");
    // The site's target is 2 s; the inbox's alarm marks the chat missed and the room tells the visitor.
    let missed = visitor.until(|event| {
        messages(event).and_then(|messages| {
            messages
                .into_iter()
                .find(|message| matches!(message.event, Some(ConversationEvent::Missed { .. })))
        })
    });
    assert_eq!(
        missed.event,
        Some(ConversationEvent::Missed { asks_email: true })
    );
    assert_eq!(missed.handoff.expect("asks for fields").asks_for, ["email"]);
    assert!(
        missed
            .text
            .starts_with("Sorry, nobody has been able to reply yet. Leave your email")
    );
    let admin = admin_token(site);
    let items: Vec<InboxItem> = get_as(&admin, &paths::agent_inbox(site)).json();
    let item = items
        .iter()
        .find(|item| item.conversation_id == chat.conversation_id)
        .expect("in the inbox");
    assert!(item.missed);
}

#[test]
fn a_burst_of_handoffs_nobody_answers_is_missed_in_rounds_until_every_one_is_told() {
    let site = "missed";
    // More than one alarm round marks (25): the rest need the alarm set again after the first round.
    let headers = [
        ("Origin", "http://localhost:3000"),
        ("CF-Connecting-IP", "203.0.113.41"),
    ];
    let chats: Vec<Chat> = (0..baton_shared::inbox::MISSED_PER_ROUND + 3)
        .map(|_| {
            let chat = start_conversation_on(site, &headers);
            let answer = say(&chat, "v1", "I need a person now");
            assert_eq!(answer.status, 200, "{}", answer.body);
            chat
        })
        .collect();
    let admin = admin_token(site);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let items: Vec<InboxItem> = get_as(&admin, &paths::agent_inbox(site)).json();
        let waiting = chats
            .iter()
            .filter(|chat| {
                !items
                    .iter()
                    .any(|item| item.conversation_id == chat.conversation_id && item.missed)
            })
            .count();
        if waiting == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{waiting} of {} handoffs still not missed after 20 s (the site's target is 2 s)",
            chats.len()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Every visitor was told, each once.
    for chat in &chats {
        let bearer = format!("Bearer {}", chat.visitor_token);
        let history = request(
            "GET",
            &paths::history(site, &chat.conversation_id, 0),
            &[("Authorization", &bearer)],
            None,
        );
        assert_eq!(history.status, 200, "{}", history.body);
        let told = history
            .json::<MessagesAppended>()
            .messages
            .iter()
            .filter(|message| matches!(message.event, Some(ConversationEvent::Missed { .. })))
            .count();
        assert_eq!(told, 1, "{}", chat.conversation_id);
    }
}

/// Webhook requests received on loopback: path, signature header, body.
pub(crate) type Received = Arc<Mutex<Vec<(String, Option<String>, String)>>>;

/// The webhook receiver (`/hook/*` answers 200, `/fail` 500), started once for the test binary.
pub(crate) fn webhook_receiver() -> Received {
    static RECEIVED: OnceLock<Received> = OnceLock::new();
    RECEIVED
        .get_or_init(|| {
            let port = std::env::var("BATON_WEBHOOK_PORT").expect("set by `cargo xtask test`");
            let listener =
                TcpListener::bind(format!("127.0.0.1:{port}")).expect("the port is free");
            let received: Received = Arc::default();
            let log = Arc::clone(&received);
            std::thread::spawn(move || {
                // One thread per connection: a connection that stalls must not hold up the others.
                for stream in listener.incoming().flatten() {
                    let log = Arc::clone(&log);
                    std::thread::spawn(move || {
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                        if let Some(request) = super::loopback::read_request(&stream) {
                            let signature =
                                request.header(WEBHOOK_SIGNATURE_HEADER).map(str::to_string);
                            let status = if request.path.starts_with("/hook") {
                                200
                            } else {
                                500
                            };
                            log.lock().expect("not poisoned").push((
                                request.path,
                                signature,
                                request.body,
                            ));
                            super::loopback::respond(&stream, status, "{}");
                        }
                    });
                }
            });
            received
        })
        .clone()
}

#[test]
fn handoffs_are_announced_to_signed_webhooks_and_failures_are_retried() {
    let received = webhook_receiver();
    let site = "live";
    let chat = start_conversation_on(site, &[]);
    say(&chat, "v1", "I'd like to talk to a person about my order");
    let deadline = Instant::now() + Duration::from_secs(8);
    let for_chat = |path: &str| -> Vec<(String, Option<String>, String)> {
        received
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|(p, _, body)| p == path && body.contains(&chat.conversation_id))
            .cloned()
            .collect()
    };
    // The failing endpoint is retried (after 2 s): two attempts within the deadline.
    while Instant::now() < deadline && for_chat("/fail").len() < 2 {
        std::thread::sleep(Duration::from_millis(100));
    }
    let slack = for_chat("/hook/slack");
    let json = for_chat("/hook/json");
    assert_eq!((slack.len(), json.len()), (1, 1), "each endpoint once");
    assert!(
        for_chat("/fail").len() >= 2,
        "the failing endpoint was retried"
    );
    for (_, signature, body) in slack.iter().chain(&json) {
        assert_signed(signature.as_deref(), body);
    }
    let slack: serde_json::Value = serde_json::from_str(&slack[0].2).expect("JSON");
    let text = slack["text"].as_str().expect("Slack text");
    assert!(text.contains("needs Customer Care"), "{text}");
    assert!(
        text.contains(&format!("/console/#conversation={}", chat.conversation_id)),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&json[0].2).expect("JSON");
    assert_eq!(json["reason"], "asked_for_person");
    // Admins see each delivery's status, typed, with the endpoint's host only (a Slack URL's path is its secret);
    // agents see nothing of them.
    let agent = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    assert_eq!(
        get_as(&agent.token, &paths::agent_webhooks(site)).error_line(),
        format!(
            "403 forbidden: {} is not an admin of site \"live\"",
            agent.agent.name
        )
    );
    let deliveries: Deliveries = get_as(&admin_token(site), &paths::agent_webhooks(site)).json();
    let statuses: Vec<String> = deliveries
        .deliveries
        .iter()
        .filter(|delivery| delivery.conversation_id == chat.conversation_id)
        .map(|delivery| {
            format!(
                "{} {:?} {:?} {}",
                delivery.endpoint,
                delivery.format,
                delivery.status,
                delivery.attempts.min(2)
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            "http://127.0.0.1:8792/… Slack Delivered 1",
            "http://127.0.0.1:8792/… Json Delivered 1",
            "http://127.0.0.1:8792/… Json Pending 2",
        ]
    );
}

#[test]
fn erasure_forgets_everything_about_a_visitor() {
    let site = "live";
    let chat = start_conversation_on(site, &[]);
    super::post_as_visitor(
        &chat,
        &paths::identify(site, &chat.conversation_id),
        &baton_shared::protocol::Identify {
            name: Some("Zoé".into()),
            email: Some("zoe@example.com".into()),
            user_id: None,
            token: None,
            ..Default::default()
        },
        &[],
    );
    say(&chat, "v1", "Please get me a human");
    assert!(super::kv_get(&format!("handoff:live:{}", chat.conversation_id)).is_some());
    let agent = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let refused = as_agent(
        &agent.token,
        &paths::erasure(site),
        &Erase {
            email: Some("zoe@example.com".into()),
            conversation_id: None,
        },
    );
    assert_eq!(refused.status, 403);
    let erased: Erased = as_agent(
        &admin_token(site),
        &paths::erasure(site),
        &Erase {
            email: Some("Zoe@Example.com".into()),
            conversation_id: None,
        },
    )
    .json();
    assert_eq!(erased.conversations, vec![chat.conversation_id.clone()]);
    assert!(super::kv_get(&format!("handoff:live:{}", chat.conversation_id)).is_none());
    let history = request(
        "GET",
        &paths::history(site, &chat.conversation_id, 0),
        &[("Authorization", &bearer(&chat.visitor_token))],
        None,
    );
    assert_eq!(history.status, 404, "{}", history.body);
    let gone = get_as(
        &admin_token(site),
        &paths::agent_conversation(site, &chat.conversation_id, None),
    );
    assert_eq!(gone.status, 404, "{}", gone.body);
}

/// Run alone by `cargo xtask test` (hence ignored in the main run): halfway through, it asks xtask to restart the
/// local workerd (writing `BATON_RESTART_REQUEST`, waiting for `BATON_RESTART_DONE`). Storage persists on disk;
/// both sides' sockets break and reconnect with `since`, and the history is intact.
#[test]
#[ignore = "needs `cargo xtask test` to restart workerd when asked"]
fn a_restart_of_workerd_mid_conversation_loses_nothing() {
    let request = std::env::var("BATON_RESTART_REQUEST").expect("set by `cargo xtask test`");
    let done = std::env::var("BATON_RESTART_DONE").expect("set by `cargo xtask test`");
    let site = "live";
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let chat = start_conversation_on(site, &[]);
    say(&chat, "v1", "Can I talk to a person?");
    let claim = paths::agent_conversation(site, &chat.conversation_id, Some("claim"));
    assert_eq!(as_agent(&ana.token, &claim, &()).status, 200);
    let mut visitor = visitor_socket(&chat, 0);
    let mut agent = agent_socket(site, &ana.token, &chat.conversation_id, 0);
    let mut visitor_seen = Vec::new();
    let mut agent_seen = Vec::new();
    agent.send(&LiveCommand::Send {
        client_message_id: "before".into(),
        text: "Let me check that for you.".into(),
    });
    follow(&mut visitor, &mut visitor_seen, "before");
    follow(&mut agent, &mut agent_seen, "before");

    std::fs::write(&request, "restart").expect("the request file is writable");
    let deadline = Instant::now() + Duration::from_secs(90);
    while !std::path::Path::new(&done).exists() {
        assert!(
            Instant::now() < deadline,
            "xtask did not restart workerd within 90 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(visitor);
    drop(agent);

    // Both sides come back from where they were: nothing new, nothing lost.
    let last = |seen: &[Message]| seen.last().map_or(0, |m| m.seq);
    let mut visitor = visitor_socket(&chat, last(&visitor_seen));
    let mut agent = agent_socket(site, &ana.token, &chat.conversation_id, last(&agent_seen));
    let nothing = Some(LiveEvent::Messages {
        messages: Vec::new(),
    });
    assert_eq!(visitor.next_within(Duration::from_millis(500)), nothing);
    assert_eq!(agent.next_within(Duration::from_millis(500)), nothing);
    // And the conversation goes on.
    say(&chat, "after", "Thanks, still here.");
    follow(&mut agent, &mut agent_seen, "after");
    agent.send(&LiveCommand::Send {
        client_message_id: "reply-after".into(),
        text: "Found it: it ships tomorrow.".into(),
    });
    follow(&mut visitor, &mut visitor_seen, "reply-after");
    follow(&mut agent, &mut agent_seen, "reply-after");
    let stored: AgentConversation = get_as(
        &ana.token,
        &paths::agent_conversation(site, &chat.conversation_id, None),
    )
    .json();
    assert_eq!(
        visitor_seen, stored.messages,
        "the visitor's transcript is the stored one"
    );
    assert_eq!(
        agent_seen, stored.messages,
        "the agent's transcript is the stored one"
    );
    let tail = &stored.messages[stored.messages.len() - 3..];
    assert_eq!(
        texts(tail),
        [
            format!("{}: Let me check that for you.", ana.agent.name),
            "visitor: Thanks, still here.".to_string(),
            format!("{}: Found it: it ships tomorrow.", ana.agent.name),
        ]
    );
}

/// Reads a socket's message events into `seen` until the message with `client_message_id` is there (within 5 s).
fn follow(socket: &mut Live, seen: &mut Vec<Message>, client_message_id: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !seen
        .iter()
        .any(|m| m.client_message_id.as_deref() == Some(client_message_id))
    {
        assert!(
            Instant::now() < deadline,
            "{client_message_id} did not come within 5 s"
        );
        if let Some(LiveEvent::Messages { messages }) =
            socket.next_within(Duration::from_millis(200))
        {
            live_merge(seen, messages);
        }
    }
}

/// Adds messages to a side's transcript by sequence number, each once (what the widget and console do).
fn live_merge(seen: &mut Vec<Message>, incoming: Vec<Message>) {
    for message in incoming {
        if !seen.iter().any(|known| known.seq == message.seq) {
            seen.push(message);
        }
    }
    seen.sort_by_key(|message| message.seq);
}

#[test]
fn with_auto_assign_handoffs_go_to_online_agents_in_turn() {
    let site = "assign";
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let bob = create_agent(site, &unique("Bob"), &["support"], AgentRole::Agent);
    // Online means a console with the inbox open.
    let mut inboxes = [
        inbox_socket(site, &ana.token),
        inbox_socket(site, &bob.token),
    ];
    for inbox in &mut inboxes {
        inbox.until(|event| matches!(event, InboxEvent::Snapshot { .. }).then_some(()));
    }
    let mut assigned = Vec::new();
    for n in 0..4 {
        let chat = start_conversation_on(site, &[]);
        let handoff: MessagesAppended =
            say(&chat, &format!("v{n}"), "I want to talk to a person").json();
        // The visitor hears at once who took it.
        let joined = handoff
            .messages
            .iter()
            .find_map(|message| match &message.event {
                Some(ConversationEvent::AgentJoined { agent_name }) => Some(agent_name.clone()),
                _ => None,
            })
            .expect("an agent joined in the same reply");
        assigned.push(joined);
    }
    let (a, b) = (ana.agent.name.clone(), bob.agent.name.clone());
    assert!(
        assigned == [a.clone(), b.clone(), a.clone(), b.clone()]
            || assigned == [b.clone(), a.clone(), b, a],
        "{assigned:?}"
    );
}

/// A delivery's signature header is the site's webhook signature of its body, at the timestamp it names.
pub(crate) fn assert_signed(signature: Option<&str>, body: &str) {
    let secret = std::env::var("BATON_WEBHOOK_SECRET_LIVE").expect("set by `cargo xtask test`");
    let signature = signature.expect("signed");
    let timestamp: u64 = signature
        .trim_start_matches("t=")
        .split(',')
        .next()
        .and_then(|t| t.parse().ok())
        .expect("a timestamp");
    assert_eq!(
        signature,
        webhook_signature(secret.as_bytes(), timestamp, body)
    );
}
