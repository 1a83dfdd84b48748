//! The hardening findings, each tried as an attacker would: Slack injection and Host-header links in webhooks,
//! deliveries for admins only, transfer steals, sockets that outlive access, disabled and deleted agents, tokens in
//! URLs, identity tokens of other sites or too long a life, erasure that misses or races, rate limits spent by
//! strangers, scripts without an `Origin`, and conversations without caps.

use std::time::{Duration, Instant};

use baton_shared::identity;
use baton_shared::protocol::agent::{
    AgentConversation, AgentDeleted, AgentProfile, AgentRole, CloseConversation, CreateSite,
    Deliveries, Erase, Erased, InboxItem, SiteCreated, TransferConversation, UpdateAgent,
};
use baton_shared::protocol::live::{CloseOutcome, LiveCommand, LiveEvent};
use baton_shared::protocol::ticket::{
    CLOSE_ACCESS_LOST, CLOSE_ERASED, CLOSE_REVOKED, RequestTicket,
};
use baton_shared::protocol::{Author, Identify, PostMessage, paths};

use super::live::{
    admin_token, agent_socket, as_agent, bearer, create_agent, get_as, inbox_socket, messages,
    operator_token, ticket, unique, visitor_socket, webhook_receiver,
};
use super::{base_url, post_as_visitor, post_json, request, say, start_conversation_on};

fn claim(site: &str, token: &str, conversation_id: &str) -> u16 {
    as_agent(
        token,
        &paths::agent_conversation(site, conversation_id, Some("claim")),
        &(),
    )
    .status
}

fn transfer(
    site: &str,
    token: &str,
    conversation_id: &str,
    body: &TransferConversation,
) -> super::Answer {
    as_agent(
        token,
        &paths::agent_conversation(site, conversation_id, Some("transfer")),
        body,
    )
}

fn erase(site: &str, body: &Erase) -> Erased {
    let answer = as_agent(&admin_token(site), &paths::erasure(site), body);
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

fn identify(chat: &super::Chat, body: &Identify) -> super::Answer {
    post_as_visitor(
        chat,
        &paths::identify(chat.site, &chat.conversation_id),
        body,
        &[],
    )
}

#[test]
fn slack_bodies_render_visitor_text_inert_and_links_ignore_the_host_header() {
    let received = webhook_receiver();
    let site = "live";
    let chat = start_conversation_on(site, &[]);
    let named = identify(
        &chat,
        &Identify {
            name: Some("Mallory <!channel>".into()),
            email: None,
            user_id: None,
            token: None,
            ..Default::default()
        },
    );
    assert_eq!(named.status, 200, "{}", named.body);
    let body = PostMessage {
        client_message_id: "v1".into(),
        text: "<!here> <https://evil.example|Log in again> I want a human now".into(),
        instant_answer: None,
        chose_person: false,
        choice: None,
    };
    let handed = post_as_visitor(
        &chat,
        &paths::messages(site, &chat.conversation_id),
        &body,
        &[("X-Forwarded-Host", "evil.example")],
    );
    assert_eq!(handed.status, 200, "{}", handed.body);
    // A failed delivery is retried after 2 s and 10 s more: within 20 s each endpoint has had three tries.
    let deadline = Instant::now() + Duration::from_secs(20);
    let bodies = || -> Vec<(String, String)> {
        received
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|(path, _, body)| {
                path.starts_with("/hook") && body.contains(&chat.conversation_id)
            })
            .map(|(path, _, body)| (path.clone(), body.clone()))
            .collect()
    };
    let both = |bodies: &[(String, String)]| {
        ["/hook/slack", "/hook/json"]
            .iter()
            .all(|wanted| bodies.iter().any(|(path, _)| path == wanted))
    };
    while Instant::now() < deadline && !both(&bodies()) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let bodies = bodies();
    let slack = &bodies
        .iter()
        .find(|(path, _)| path == "/hook/slack")
        .expect("Slack got it")
        .1;
    let slack: serde_json::Value = serde_json::from_str(slack).expect("JSON");
    let text = slack["text"].as_str().expect("text");
    assert!(
        !text.contains("<!channel>") && !text.contains("<!here>"),
        "{text}"
    );
    assert!(!text.contains("<https://evil.example"), "{text}");
    assert!(text.contains("Mallory &lt;!channel&gt;"), "{text}");
    assert!(text.contains("Log in again&gt;"), "{text}");
    // The one `<` left is Baton's own link.
    assert_eq!(text.matches('<').count(), 1, "{text}");
    let link = format!(
        "<{}/console/#conversation={}|Open in Baton>",
        base_url(),
        chat.conversation_id
    );
    assert!(text.ends_with(&link), "{text}");
    let json = &bodies
        .iter()
        .find(|(path, _)| path == "/hook/json")
        .expect("JSON got it")
        .1;
    let json: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(
        json["console_url"],
        format!(
            "{}/console/#conversation={}",
            base_url(),
            chat.conversation_id
        )
    );
    assert_eq!(json["visitor_verified"], false);
}

#[test]
fn only_the_agent_who_has_a_conversation_or_an_admin_transfers_it() {
    let site = "live";
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let bob = create_agent(site, &unique("Bob"), &["support"], AgentRole::Agent);
    let sam = create_agent(site, &unique("Sam"), &["sales"], AgentRole::Agent);
    let chat = start_conversation_on(site, &[]);
    say(&chat, "v1", "Can I speak to someone please?");
    assert_eq!(claim(site, &ana.token, &chat.conversation_id), 200);
    let mut visitor = visitor_socket(&chat, 0);
    // Bob transfers Ana's conversation to himself: refused, and his reply never reaches the visitor.
    let steal = transfer(
        site,
        &bob.token,
        &chat.conversation_id,
        &TransferConversation {
            team: None,
            agent_id: Some(bob.agent.id.clone()),
        },
    );
    assert_eq!(
        steal.error_line(),
        format!(
            "403 forbidden: {} has this conversation; only they or an admin can transfer it",
            ana.agent.name
        )
    );
    let mut bob_socket = agent_socket(site, &bob.token, &chat.conversation_id, 0);
    bob_socket.send(&LiveCommand::Send {
        client_message_id: "steal".into(),
        text: "Please send me your card number".into(),
    });
    let refused = bob_socket.until(|event| match event {
        LiveEvent::Refused { message } => Some(message.clone()),
        _ => None,
    });
    assert_eq!(refused, "claim this conversation before replying to it");
    while let Some(event) = visitor.next_within(Duration::from_millis(300)) {
        let from_bob = messages(&event)
            .unwrap_or_default()
            .iter()
            .any(|message| message.author == Author::Agent);
        assert!(!from_bob, "the visitor saw {event:?}");
    }
    // Ana may not hand it to someone outside the team it lands in.
    let outside = transfer(
        site,
        &ana.token,
        &chat.conversation_id,
        &TransferConversation {
            team: None,
            agent_id: Some(sam.agent.id.clone()),
        },
    );
    assert_eq!(outside.status, 409, "{}", outside.body);
    // Closed stays closed: not even an admin's transfer reopens it.
    let close = as_agent(
        &ana.token,
        &paths::agent_conversation(site, &chat.conversation_id, Some("close")),
        &CloseConversation {
            outcome: CloseOutcome::Resolved,
        },
    );
    assert_eq!(close.status, 200, "{}", close.body);
    let reopen = transfer(
        site,
        &admin_token(site),
        &chat.conversation_id,
        &TransferConversation {
            team: Some("sales".into()),
            agent_id: None,
        },
    );
    assert_eq!(
        reopen.error_line(),
        "409 conflict: this conversation is closed; a transfer does not reopen it"
    );
}

#[test]
fn an_agent_socket_closes_when_its_conversation_moves_to_another_team() {
    let site = "live";
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let chat = start_conversation_on(site, &[]);
    say(&chat, "v1", "I need a person to help me");
    assert_eq!(claim(site, &ana.token, &chat.conversation_id), 200);
    let mut watching = agent_socket(site, &ana.token, &chat.conversation_id, 0);
    let moved: AgentConversation = transfer(
        site,
        &ana.token,
        &chat.conversation_id,
        &TransferConversation {
            team: Some("sales".into()),
            agent_id: None,
        },
    )
    .json();
    assert_eq!(moved.item.team.as_deref(), Some("sales"));
    assert_eq!(watching.closed_with(), Some(CLOSE_ACCESS_LOST));
    // And no new ticket for it.
    let again = as_agent(
        &ana.token,
        &paths::socket_tickets(site),
        &RequestTicket {
            conversation_id: Some(chat.conversation_id.clone()),
            inbox: false,
        },
    );
    assert_eq!(again.status, 403, "{}", again.body);
}

#[test]
fn a_disabled_or_deleted_agent_is_locked_out_at_once() {
    let site = "live";
    let admin = admin_token(site);
    let bob = create_agent(site, &unique("Bob"), &["support"], AgentRole::Agent);
    let chat = start_conversation_on(site, &[]);
    say(&chat, "v1", "I'd like to talk to a person about my order");
    assert_eq!(claim(site, &bob.token, &chat.conversation_id), 200);
    let mut inbox = inbox_socket(site, &bob.token);
    let mut watching = agent_socket(site, &bob.token, &chat.conversation_id, 0);
    // Who may disable: nobody without a token (401), not a plain agent nor another site's admin (403).
    let body = serde_json::to_string(&UpdateAgent { disabled: true }).expect("serialises");
    let path = paths::agent(site, &bob.agent.id);
    let json = ("Content-Type", "application/json");
    let stranger = request("PATCH", &path, &[json], Some(&body));
    assert_eq!(stranger.status, 401, "{}", stranger.body);
    let plain = bearer(&bob.token);
    let by_agent = request(
        "PATCH",
        &path,
        &[("Authorization", &plain), json],
        Some(&body),
    );
    assert_eq!(by_agent.status, 403, "{}", by_agent.body);
    let other_site = bearer(&admin_token("demo"));
    let by_other = request("DELETE", &path, &[("Authorization", &other_site)], None);
    assert_eq!(by_other.status, 403, "{}", by_other.body);
    let inbox_ticket = as_agent(
        &chat.visitor_token,
        &paths::socket_tickets(site),
        &RequestTicket {
            conversation_id: None,
            inbox: true,
        },
    );
    assert_eq!(inbox_ticket.status, 401, "a visitor gets no inbox ticket");
    let disabled = request(
        "PATCH",
        &paths::agent(site, &bob.agent.id),
        &[
            ("Authorization", &bearer(&admin)),
            ("Content-Type", "application/json"),
        ],
        Some(&serde_json::to_string(&UpdateAgent { disabled: true }).expect("serialises")),
    );
    assert_eq!(disabled.status, 200, "{}", disabled.body);
    assert!(disabled.json::<AgentProfile>().disabled);
    assert_eq!(get_as(&bob.token, &paths::agent_me(site)).status, 401);
    assert_eq!(inbox.closed_with(), Some(CLOSE_REVOKED));
    assert_eq!(watching.closed_with(), Some(CLOSE_REVOKED));
    // Enabled again, the same token works; deleted, it never does again.
    let enabled = request(
        "PATCH",
        &paths::agent(site, &bob.agent.id),
        &[
            ("Authorization", &bearer(&admin)),
            ("Content-Type", "application/json"),
        ],
        Some(&serde_json::to_string(&UpdateAgent { disabled: false }).expect("serialises")),
    );
    assert_eq!(enabled.status, 200, "{}", enabled.body);
    assert_eq!(get_as(&bob.token, &paths::agent_me(site)).status, 200);
    let mut inbox = inbox_socket(site, &bob.token);
    let deleted = request(
        "DELETE",
        &paths::agent(site, &bob.agent.id),
        &[("Authorization", &bearer(&admin))],
        None,
    );
    assert_eq!(deleted.json::<AgentDeleted>().agent_id, bob.agent.id);
    assert_eq!(get_as(&bob.token, &paths::agent_me(site)).status, 401);
    assert_eq!(inbox.closed_with(), Some(CLOSE_REVOKED));
}

#[test]
fn the_operator_creates_sites_whose_last_admin_cannot_be_removed() {
    let id = format!("made-{}", std::process::id());
    let body = CreateSite {
        id: id.clone(),
        name: "Made by the operator".into(),
        allowed_origins: vec!["https://shop.example".into()],
        admin_name: "Olga".into(),
    };
    let path = paths::SITES;
    let by_admin = post_json(
        path,
        &[("Authorization", &bearer(&admin_token("live")))],
        &body,
    );
    assert_eq!(by_admin.status, 403, "{}", by_admin.body);
    let created = post_json(
        path,
        &[("Authorization", &bearer(&operator_token()))],
        &body,
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let created: SiteCreated = created.json();
    assert_eq!(created.admin.agent.role, AgentRole::Admin);
    assert!(created.admin.token.starts_with(&format!("bat_{id}.")));
    let again = post_json(
        path,
        &[("Authorization", &bearer(&operator_token()))],
        &body,
    );
    assert_eq!(again.status, 409, "{}", again.body);
    let last = request(
        "DELETE",
        &paths::agent(&id, &created.admin.agent.id),
        &[("Authorization", &bearer(&created.admin.token))],
        None,
    );
    assert_eq!(
        last.error_line(),
        "409 conflict: Olga is the site's last enabled admin; make another admin first"
    );
}

#[test]
fn tokens_never_travel_in_urls_and_tickets_open_one_socket() {
    let site = "live";
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let in_url = request(
        "GET",
        &format!("{}?access_token={}", paths::agent_me(site), ana.token),
        &[],
        None,
    );
    assert_eq!(in_url.status, 401, "{}", in_url.body);
    let both = request(
        "GET",
        &format!("{}?access_token={}", paths::agent_me(site), ana.token),
        &[("Authorization", &bearer(&ana.token))],
        None,
    );
    assert_eq!(
        both.status, 401,
        "a token in the URL is refused even with a header"
    );
    let chat = start_conversation_on(site, &[]);
    let old_style = request(
        "GET",
        &format!(
            "{}?access_token={}",
            paths::live(site, &chat.conversation_id),
            chat.visitor_token
        ),
        &[("Upgrade", "websocket")],
        None,
    );
    assert_eq!(old_style.status, 401, "{}", old_style.body);
    // A ticket opens one socket; the second try with it is refused. Another conversation's token gets none.
    let one = ticket(
        site,
        &chat.visitor_token,
        &RequestTicket {
            conversation_id: Some(chat.conversation_id.clone()),
            inbox: false,
        },
    );
    let url = format!(
        "{}?ticket={}",
        paths::live(site, &chat.conversation_id),
        one.ticket
    );
    let _open = super::live::Socket::<LiveEvent>::open(&url);
    let reused = request("GET", &url, &[("Upgrade", "websocket")], None);
    assert_eq!(reused.status, 401, "{}", reused.body);
    let other = start_conversation_on(site, &[]);
    let stranger = as_agent(
        &other.visitor_token,
        &paths::socket_tickets(site),
        &RequestTicket {
            conversation_id: Some(chat.conversation_id.clone()),
            inbox: false,
        },
    );
    assert_eq!(stranger.status, 401, "{}", stranger.body);
}

#[test]
fn identity_tokens_are_bound_to_their_site_and_live_at_most_a_day() {
    let secret = std::env::var("BATON_IDENTITY_SECRET_DEMO").expect("set by `cargo xtask test`");
    let now_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let chat = start_conversation_on("demo", &[]);
    let tries = [
        (
            "another site",
            identity::sign(secret.as_bytes(), "other", "u-9", now_s + 600),
        ),
        (
            "two days",
            identity::sign(secret.as_bytes(), "demo", "u-9", now_s + 2 * 86_400),
        ),
    ];
    for (case, token) in tries {
        let refused = identify(
            &chat,
            &Identify {
                name: None,
                email: None,
                user_id: Some("u-9".into()),
                token: Some(token),
                ..Default::default()
            },
        );
        assert_eq!(refused.status, 401, "{case}: {}", refused.body);
    }
    let signed = identify(
        &chat,
        &Identify {
            name: Some("Uma".into()),
            email: Some("uma@example.com".into()),
            user_id: Some("u-9".into()),
            token: Some(identity::sign(
                secret.as_bytes(),
                "demo",
                "u-9",
                now_s + 600,
            )),
            ..Default::default()
        },
    );
    assert_eq!(signed.status, 200, "{}", signed.body);
    // The agent reads who is verified.
    say(&chat, "v1", "I want to talk to a real person");
    let item: Vec<InboxItem> = get_as(&admin_token("demo"), &paths::agent_inbox("demo")).json();
    let item = item
        .into_iter()
        .find(|item| item.conversation_id == chat.conversation_id)
        .expect("handed over");
    assert!(item.verified);
    let view: AgentConversation = get_as(
        &admin_token("demo"),
        &paths::agent_conversation("demo", &chat.conversation_id, None),
    )
    .json();
    let package = view.package.expect("a package");
    assert_eq!(package.verified_user_id.as_deref(), Some("u-9"));
    assert_eq!(package.visitor_name.as_deref(), Some("Uma"));
}

#[test]
fn erasure_by_email_finds_an_address_typed_only_in_a_message_and_purges_deliveries() {
    let received = webhook_receiver();
    let site = "live";
    let email = format!("tom-{}@example.com", std::process::id());
    let chat = start_conversation_on(site, &[]);
    say(&chat, "v1", "I'd like to talk to a person about my order");
    say(&chat, "v2", &format!("you can write to {email} too"));
    let count = |deliveries: &Deliveries| {
        deliveries
            .deliveries
            .iter()
            .filter(|delivery| delivery.conversation_id == chat.conversation_id)
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(8);
    let mut before = 0;
    while Instant::now() < deadline && before < 3 {
        let listed: Deliveries = get_as(&admin_token(site), &paths::agent_webhooks(site)).json();
        before = count(&listed);
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        before >= 3,
        "one delivery per endpoint and handoff: {before}"
    );
    let deadline = Instant::now() + Duration::from_secs(8);
    while Instant::now() < deadline
        && !received
            .lock()
            .expect("not poisoned")
            .iter()
            .any(|(path, _, body)| path == "/hook/json" && body.contains(&chat.conversation_id))
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    let erased = erase(
        site,
        &Erase {
            email: Some(email.to_uppercase()),
            conversation_id: None,
        },
    );
    assert_eq!(erased.conversations, vec![chat.conversation_id.clone()]);
    assert_eq!(
        (
            erased.packages,
            erased.inbox_items,
            erased.webhook_deliveries,
            erased.email_links
        ),
        (1, 1, before as u64, 1)
    );
    assert!(erased.messages >= 3, "{erased:?}");
    let after: Deliveries = get_as(&admin_token(site), &paths::agent_webhooks(site)).json();
    assert_eq!(count(&after), 0);
    assert!(super::kv_get(&format!("handoff:live:{}", chat.conversation_id)).is_none());
}

#[test]
fn eight_concurrent_identifies_with_one_email_are_all_erased() {
    let site = "demo";
    let email = format!("octo-{}@example.com", std::process::id());
    let chats: Vec<super::Chat> = (0..8).map(|_| start_conversation_on(site, &[])).collect();
    std::thread::scope(|scope| {
        for chat in &chats {
            let email = email.clone();
            scope.spawn(move || {
                let answer = identify(
                    chat,
                    &Identify {
                        name: None,
                        email: Some(email),
                        user_id: None,
                        token: None,
                        ..Default::default()
                    },
                );
                assert_eq!(answer.status, 200, "{}", answer.body);
            });
        }
    });
    let erased = erase(
        site,
        &Erase {
            email: Some(email),
            conversation_id: None,
        },
    );
    let mut expected: Vec<String> = chats
        .iter()
        .map(|chat| chat.conversation_id.clone())
        .collect();
    expected.sort();
    assert_eq!(erased.conversations, expected);
    assert_eq!(erased.email_links, 8);
}

#[test]
fn an_erasure_racing_five_posts_leaves_nothing_behind() {
    let site = "demo";
    let chat = start_conversation_on(site, &[]);
    let ids: Vec<String> = (0..5).map(|n| format!("race-{n}")).collect();
    let erased = std::thread::scope(|scope| {
        for id in &ids {
            let chat = &chat;
            scope.spawn(move || {
                say(chat, id, "I want to talk to a person about my delivery");
            });
        }
        std::thread::sleep(Duration::from_millis(5));
        erase(
            site,
            &Erase {
                email: None,
                conversation_id: Some(chat.conversation_id.clone()),
            },
        )
    });
    assert_eq!(erased.conversations, vec![chat.conversation_id.clone()]);
    // Whatever was in flight finished before the erasure or found nothing after it.
    let history = request(
        "GET",
        &paths::history(site, &chat.conversation_id, 0),
        &[("Authorization", &bearer(&chat.visitor_token))],
        None,
    );
    assert_eq!(history.status, 404, "{}", history.body);
    assert!(super::kv_get(&format!("handoff:demo:{}", chat.conversation_id)).is_none());
    let items: Vec<InboxItem> = get_as(&admin_token(site), &paths::agent_inbox(site)).json();
    assert!(
        items
            .iter()
            .all(|item| item.conversation_id != chat.conversation_id)
    );
    let late = say(&chat, "late", "hello?");
    assert_eq!(late.status, 404, "{}", late.body);
}

#[test]
fn an_erased_conversation_closes_its_sockets() {
    let chat = start_conversation_on("demo", &[]);
    let mut visitor = visitor_socket(&chat, 0);
    erase(
        "demo",
        &Erase {
            email: None,
            conversation_id: Some(chat.conversation_id.clone()),
        },
    );
    assert_eq!(visitor.closed_with(), Some(CLOSE_ERASED));
}

#[test]
fn strangers_who_know_a_conversation_id_cannot_spend_its_rate_limit() {
    let address = [("CF-Connecting-IP", "198.51.100.23")];
    let chat = start_conversation_on("demo", &address);
    let body = serde_json::to_string(&PostMessage {
        client_message_id: "x".into(),
        text: "spam".into(),
        instant_answer: None,
        chose_person: false,
        choice: None,
    })
    .expect("serialises");
    for n in 0..40 {
        let attacker = [
            ("CF-Connecting-IP", "203.0.113.99"),
            ("Content-Type", "application/json"),
        ];
        let wrong = format!("Bearer wrong-{n}");
        let mut headers = attacker.to_vec();
        if n % 2 == 0 {
            headers.push(("Authorization", wrong.as_str()));
        }
        let answer = request(
            "POST",
            &paths::messages("demo", &chat.conversation_id),
            &headers,
            Some(&body),
        );
        assert_eq!(answer.status, 401, "{}", answer.body);
    }
    let mine = super::post_message_with(
        &chat,
        &PostMessage {
            client_message_id: "mine".into(),
            text: "How long does delivery take?".into(),
            instant_answer: None,
            chose_person: false,
            choice: None,
        },
        &address,
    );
    assert_eq!(mine.status, 200, "{}", mine.body);
}

#[test]
fn scripts_without_an_origin_have_hourly_limits_on_conversations_and_handoffs() {
    let site = "live";
    let address = format!("192.0.2.{}", std::process::id() % 200 + 20);
    let scripted = [("CF-Connecting-IP", address.as_str())];
    // Five handoffs in new conversations pass; the sixth conversation's message is refused.
    for n in 0..5 {
        let chat = start_conversation_on(site, &scripted);
        let answer = super::post_message_with(
            &chat,
            &PostMessage {
                client_message_id: format!("h{n}"),
                text: "I'd like to talk to a person about my order".into(),
                instant_answer: None,
                chose_person: false,
                choice: None,
            },
            &scripted,
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    let chat = start_conversation_on(site, &scripted);
    let refused = say_from(&chat, &scripted);
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.body.contains("handoffs"), "{}", refused.body);
    // From a page (with an Origin) the same address is a browser: no hourly limit.
    let browser = [
        ("CF-Connecting-IP", address.as_str()),
        ("Origin", "http://localhost:3000"),
    ];
    let chat = start_conversation_on(site, &browser);
    assert_eq!(say_from(&chat, &browser).status, 200);
    // Conversations: 20 an hour without an Origin (6 used above).
    let path = paths::conversations(site);
    let mut statuses = Vec::new();
    for _ in 0..15 {
        let answer = post_json(
            &path,
            &scripted,
            &baton_shared::protocol::CreateConversation::default(),
        );
        statuses.push(answer.status);
    }
    assert_eq!(statuses[..14], [201; 14], "{statuses:?}");
    assert_eq!(statuses[14], 429, "{statuses:?}");
}

fn say_from(chat: &super::Chat, headers: &[(&str, &str)]) -> super::Answer {
    super::post_message_with(
        chat,
        &PostMessage {
            client_message_id: "again".into(),
            text: "I want to talk to a person".into(),
            instant_answer: None,
            chose_person: false,
            choice: None,
        },
        headers,
    )
}

#[test]
fn a_conversation_full_of_messages_refuses_more_with_a_clear_error() {
    // The test stack caps conversations at 120 messages (`BATON_MAX_CONVERSATION_MESSAGES`); agent replies are not
    // rate limited, so an agent fills one quickly.
    let site = "live";
    let ana = create_agent(site, &unique("Ana"), &["support"], AgentRole::Agent);
    let chat = start_conversation_on(site, &[]);
    say(&chat, "v1", "I'd like to talk to a person about my order");
    assert_eq!(claim(site, &ana.token, &chat.conversation_id), 200);
    let mut socket = agent_socket(site, &ana.token, &chat.conversation_id, 0);
    let mut refused = None;
    for n in 0..130 {
        socket.send(&LiveCommand::Send {
            client_message_id: format!("fill-{n}"),
            text: "ok".into(),
        });
        let outcome = socket.until(|event| match event {
            LiveEvent::Messages { messages } => messages
                .iter()
                .any(|message| message.client_message_id.as_deref() == Some(&format!("fill-{n}")))
                .then_some(None),
            LiveEvent::Refused { message } => Some(Some(message.clone())),
            _ => None,
        });
        if let Some(message) = outcome {
            refused = Some(message);
            break;
        }
    }
    assert_eq!(
        refused.as_deref(),
        Some("this conversation has reached its limit of 120 messages; start a new one")
    );
    let full = say(&chat, "v2", "hello?");
    let error: baton_shared::protocol::ErrorBody = full.json();
    assert_eq!(
        (full.status, error.error.code),
        (409, baton_shared::protocol::ErrorCode::ConversationFull)
    );
}
