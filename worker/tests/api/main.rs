//! API tests against the built worker running in local workerd (`wrangler dev`), with real KV state.
//! `cargo xtask test` starts that stack, seeds the demo site and sets `BATON_API_URL`; run on its own, this binary
//! fails and says so. Requests and responses use the protocol types of `baton-shared`.

use baton_shared::config::SiteConfig;
use baton_shared::handoff::{HandoffPackage, HandoffReason};
use baton_shared::intent::Intent;
use baton_shared::protocol::{
    AnswerSource, Author, ConversationCreated, CreateConversation, ErrorBody, Health,
    MAX_BODY_BYTES, MessagesAppended, PostMessage, WidgetConfig, WidgetFaq, paths, wire,
};
use expect_test::expect;

mod campaign_origins;
#[cfg(not(target_arch = "wasm32"))]
mod campaigns;
mod grounding;
mod grounding_semantic;
mod grounding_summary;
#[cfg(not(target_arch = "wasm32"))]
mod hardening;
mod headers;
#[cfg(not(target_arch = "wasm32"))]
mod ledger;
mod limits;
#[cfg(not(target_arch = "wasm32"))]
mod live;
mod loopback;
#[cfg(not(target_arch = "wasm32"))]
mod metrics;
#[cfg(not(target_arch = "wasm32"))]
mod metrics_access;
mod model_server;
#[cfg(not(target_arch = "wasm32"))]
mod site_config;
#[cfg(not(target_arch = "wasm32"))]
mod site_config_webhooks;
#[cfg(not(target_arch = "wasm32"))]
mod site_create;
#[cfg(not(target_arch = "wasm32"))]
mod tally;
mod turnstile;
mod visitor;
#[cfg(not(target_arch = "wasm32"))]
mod visitor_wire;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn base_url() -> String {
    std::env::var("BATON_API_URL").expect(
        "BATON_API_URL is not set: these tests need the worker running in workerd; run them with `cargo xtask test`",
    )
}

fn demo_site() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("the demo site is valid")
}

/// An HTTP answer: status, selected headers, body text.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("{error}: {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// `405 method_not_allowed: GET is not allowed …` for error answers.
    fn error_line(&self) -> String {
        let body: ErrorBody = self.json();
        let code = serde_json::to_value(body.error.code).expect("codes serialise");
        format!(
            "{} {}: {}",
            self.status,
            code.as_str().unwrap_or("?"),
            body.error.message
        )
    }
}

/// One request: method, path, extra headers, raw body.
fn request(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}{path}", base_url());
    let mut builder = ureq::http::Request::builder().method(method).uri(&url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(body.unwrap_or("").to_string())
        .expect("a valid request");
    let mut response = agent.run(request).expect("the worker answers");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("").to_string()))
        .collect();
    let body = response
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_string()
        .expect("a text body");
    Answer {
        status,
        headers,
        body,
    }
}

fn post_json<T: Serialize>(path: &str, headers: &[(&str, &str)], body: &T) -> Answer {
    let json = serde_json::to_string(body).expect("protocol types serialise");
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    request("POST", path, &all, Some(&json))
}

/// A conversation on one site, as a visitor holds it.
struct Chat {
    site: &'static str,
    created: ConversationCreated,
}

impl std::ops::Deref for Chat {
    type Target = ConversationCreated;

    fn deref(&self) -> &ConversationCreated {
        &self.created
    }
}

fn start_conversation() -> Chat {
    start_conversation_on("demo", &[])
}

/// A new conversation on `site`, visitor in Paris; `headers` go with the request (`X-Baton-Now`, an `Origin`).
fn start_conversation_on(site: &'static str, headers: &[(&str, &str)]) -> Chat {
    let answer = post_json(
        &paths::conversations(site),
        &as_a_browser(headers),
        &CreateConversation {
            page_url: Some("http://localhost:3000/pricing".into()),
            referrer: Some("https://search.example/?q=coffee".into()),
            timezone: Some("Europe/Paris".into()),
            turnstile_token: None,
            ..Default::default()
        },
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    Chat {
        site,
        created: answer.json(),
    }
}

/// The headers of a request as a page's widget sends it: with the page's `Origin`, unless the test chose an origin
/// or a client address of its own (scripts without an `Origin` share an hourly allowance per address, and local
/// workerd gives every test the same address).
fn as_a_browser<'a>(headers: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = headers.to_vec();
    let chosen = headers.iter().any(|(name, _)| {
        name.eq_ignore_ascii_case("Origin") || name.eq_ignore_ascii_case("CF-Connecting-IP")
    });
    if !chosen {
        all.push(("Origin", "http://localhost:3000"));
    }
    all
}

fn say(chat: &Chat, client_message_id: &str, text: &str) -> Answer {
    post_message(
        chat,
        &PostMessage {
            client_message_id: client_message_id.into(),
            text: text.into(),
            instant_answer: None,
            chose_person: false,
            choice: None,
        },
    )
}

fn post_message(chat: &Chat, body: &PostMessage) -> Answer {
    post_message_with(chat, body, &[])
}

fn post_message_with(chat: &Chat, body: &PostMessage, headers: &[(&str, &str)]) -> Answer {
    post_as_visitor(
        chat,
        &paths::messages(chat.site, &chat.conversation_id),
        body,
        headers,
    )
}

/// A `POST` of a conversation's route with the visitor's token and extra `headers`.
fn post_as_visitor<T: Serialize>(
    chat: &Chat,
    path: &str,
    body: &T,
    headers: &[(&str, &str)],
) -> Answer {
    let bearer = format!("Bearer {}", chat.visitor_token);
    let mut all = vec![("Authorization", bearer.as_str())];
    all.extend(as_a_browser(headers));
    post_json(path, &all, body)
}

#[test]
fn health() {
    let answer = request("GET", paths::HEALTH, &[], None);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json::<Health>().status, "ok");
}

#[test]
fn the_site_schema_is_served() {
    let answer = request("GET", "/v1/schema/site.json", &[], None);
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("Content-Type"),
        Some("application/schema+json")
    );
    assert_eq!(answer.body, SiteConfig::json_schema());
}

#[test]
fn a_visitor_gets_faq_answers_and_a_polite_fallback() {
    let site = demo_site();
    let conversation = start_conversation();
    assert_eq!(conversation.messages.len(), 1);
    assert_eq!(conversation.messages[0].text, site.appearance.greeting);

    let answered: MessagesAppended =
        say(&conversation, "m1", "How long does shipping take?").json();
    let summary: Vec<String> = answered
        .messages
        .iter()
        .map(|m| {
            let source = m.answer.as_ref().map(|a| {
                format!(
                    " [{} {:.2}]",
                    a.faq_entry_id.as_deref().unwrap_or("fallback"),
                    a.confidence
                )
            });
            format!(
                "{} {:?}{}: {}",
                m.seq,
                m.author,
                source.unwrap_or_default(),
                m.text
            )
        })
        .collect();
    expect![[r#"
        [
            "2 Visitor: How long does shipping take?",
            "3 Ai [delivery-times 1.00]: Orders placed before 13:00 on a weekday are roasted and dispatched the same day. UK delivery takes 1-2 working days with Royal Mail Tracked 48, or the next working day with Express.",
        ]
    "#]]
    .assert_debug_eq(&summary);

    let fallback: MessagesAppended = say(&conversation, "m2", "zxqv blorp fnord").json();
    assert_eq!(fallback.messages.len(), 2);
    assert_eq!(fallback.messages[1].author, Author::Ai);
    assert_eq!(fallback.messages[1].text, site.messages.fallback);
    assert_eq!(fallback.messages[1].seq, 5);
}

#[test]
fn asking_for_a_person_gets_an_honest_handoff_notice() {
    let conversation = start_conversation();
    let appended: MessagesAppended =
        say(&conversation, "h1", "I want to talk to a real person").json();
    let notice = &appended.messages[1];
    assert_eq!(notice.author, Author::System);
    assert_eq!(notice.answer, None);
    // Nobody is signed in yet, so in or out of hours the visitor hears who will reply and is asked for an email.
    assert!(
        notice.text.contains("Customer Care team"),
        "{}",
        notice.text
    );
    assert!(notice.text.contains("Leave your email"), "{}", notice.text);
    assert!(
        notice.text.contains("won't need to repeat anything"),
        "{}",
        notice.text
    );
}

/// A value from the worker's local KV, read with wrangler (`cargo xtask test` says where the state is).
fn kv_get(key: &str) -> Option<String> {
    let state =
        std::env::var("BATON_KV_STATE").expect("BATON_KV_STATE is set by `cargo xtask test`");
    let wrangler = std::env::var("WRANGLER").expect("WRANGLER is set by `cargo xtask test`");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let output = std::process::Command::new(wrangler)
        .current_dir(root)
        .args([
            "kv",
            "key",
            "get",
            key,
            "--binding",
            "BATON_KV",
            "--local",
            "--persist-to",
        ])
        .arg(state)
        .output()
        .expect("wrangler runs");
    let text = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (output.status.success() && text.starts_with('{')).then_some(text)
}

#[test]
fn a_handoff_stores_the_agent_package_in_kv() {
    let conversation = start_conversation();
    say(&conversation, "p1", "How long does delivery take?");
    say(
        &conversation,
        "p2",
        "It's been 9 days. I want to talk to a real person about my order",
    );
    let key = format!("handoff:demo:{}", conversation.conversation_id);
    let stored = kv_get(&key).unwrap_or_else(|| panic!("{key} is in KV"));
    let package: HandoffPackage = serde_json::from_str(&stored).expect("the package parses");
    assert_eq!(package.conversation_id, conversation.conversation_id);
    assert_eq!(
        package.page_url.as_deref(),
        Some("http://localhost:3000/pricing")
    );
    assert_eq!(
        package.referrer.as_deref(),
        Some("https://search.example/?q=coffee")
    );
    assert_eq!(package.reason, HandoffReason::AskedForPerson);
    assert_eq!(package.intent, Intent::Support);
    assert_eq!(
        package.team,
        Some(("support".into(), "Customer Care".into()))
    );
    assert_eq!(
        package.summary,
        "How long does delivery take? It's been 9 days. I want to talk to a real person about my order"
    );
    assert_eq!(package.previous_answers.len(), 1);
    assert!(package.topic.is_some());
    let local_time = package
        .visitor_local_time
        .expect("the visitor's timezone was given");
    assert!(local_time.ends_with(", Europe/Paris"), "{local_time}");
    // A conversation that was only answered has no package.
    let answered = start_conversation();
    say(&answered, "a1", "How long does delivery take?");
    assert_eq!(
        kv_get(&format!("handoff:demo:{}", answered.conversation_id)),
        None
    );
}

#[test]
fn a_retried_message_is_stored_once_and_answered_the_same() {
    let conversation = start_conversation();
    let first = say(&conversation, "retry-1", "Do you sell gift cards?");
    let second = say(&conversation, "retry-1", "Do you sell gift cards?");
    assert_eq!(first.status, 200);
    assert_eq!(second.status, 200);
    assert_eq!(
        first.json::<MessagesAppended>(),
        second.json::<MessagesAppended>()
    );
    let next: MessagesAppended = say(&conversation, "retry-2", "Thanks!").json();
    assert_eq!(
        next.messages[0].seq, 4,
        "the retry added nothing to the conversation"
    );
}

#[test]
fn bad_requests_are_refused_with_what_is_wrong() {
    let conversation = start_conversation();
    let messages = paths::messages("demo", &conversation.conversation_id);
    let bearer = format!("Bearer {}", conversation.visitor_token);
    let json = ("Content-Type", "application/json");
    let auth = ("Authorization", bearer.as_str());
    let too_big = format!(
        r#"{{"client_message_id":"big","text":"{}"}}"#,
        "a".repeat(MAX_BODY_BYTES)
    );
    let cases: Vec<(&str, Answer)> = vec![
        (
            "unknown site",
            request("POST", &paths::conversations("nope"), &[], None),
        ),
        (
            "unknown route",
            request("GET", "/v1/nothing/here", &[], None),
        ),
        (
            "wrong method",
            request("GET", &paths::conversations("demo"), &[], None),
        ),
        (
            "wrong method",
            request("DELETE", &paths::messages("demo", "c1"), &[auth], None),
        ),
        (
            "malformed JSON",
            request("POST", &messages, &[json, auth], Some("{\"text\": ")),
        ),
        (
            "missing field",
            request(
                "POST",
                &messages,
                &[json, auth],
                Some(r#"{"client_message_id":"x"}"#),
            ),
        ),
        (
            "wrong type",
            request(
                "POST",
                &messages,
                &[json, auth],
                Some(r#"{"client_message_id":"x","text":5}"#),
            ),
        ),
        (
            "empty text",
            request(
                "POST",
                &messages,
                &[json, auth],
                Some(r#"{"client_message_id":"x","text":" "}"#),
            ),
        ),
        (
            "not JSON",
            request(
                "POST",
                &messages,
                &[("Content-Type", "text/plain"), auth],
                Some("hi"),
            ),
        ),
        (
            "over 16 KB",
            request("POST", &messages, &[json, auth], Some(&too_big)),
        ),
        (
            "no token",
            request(
                "POST",
                &messages,
                &[json],
                Some(r#"{"client_message_id":"x","text":"hi"}"#),
            ),
        ),
        (
            "wrong token",
            request(
                "POST",
                &messages,
                &[json, ("Authorization", "Bearer not-the-token")],
                Some(r#"{"client_message_id":"x","text":"hi"}"#),
            ),
        ),
        (
            "unknown conversation",
            request(
                "POST",
                &paths::messages("demo", "no-such-conversation"),
                &[json, auth],
                Some(r#"{"client_message_id":"x","text":"hi"}"#),
            ),
        ),
        (
            "origin not allowed",
            request(
                "POST",
                &paths::conversations("demo"),
                &[("Origin", "https://evil.example")],
                None,
            ),
        ),
        (
            "reserved header",
            request(
                "POST",
                &messages,
                &[json, auth, ("X-Baton-Call", "{}")],
                Some(r#"{"client_message_id":"x","text":"hi"}"#),
            ),
        ),
        (
            "socket without upgrade",
            request(
                "GET",
                &paths::live("demo", &conversation.conversation_id),
                &[],
                None,
            ),
        ),
    ];
    let lines: Vec<String> = cases
        .iter()
        .map(|(case, answer)| format!("{case}: {}", answer.error_line()))
        .collect();
    expect![[r#"
        [
            "unknown site: 404 not_found: site \"nope\" does not exist",
            "unknown route: 404 not_found: there is no API route /v1/nothing/here",
            "wrong method: 405 method_not_allowed: GET is not allowed on /v1/sites/demo/conversations; use POST",
            "wrong method: 405 method_not_allowed: DELETE is not allowed on /v1/sites/demo/conversations/c1/messages; use GET, POST",
            "malformed JSON: 400 invalid_json: request body is not valid: EOF while parsing a value at line 1 column 9",
            "missing field: 400 invalid_json: request body is not valid: missing field `text` at line 1 column 25",
            "wrong type: 400 invalid_json: request body is not valid: invalid type: integer `5`, expected a string at line 1 column 33",
            "empty text: 400 invalid_field: text: must not be empty",
            "not JSON: 415 unsupported_media_type: request body must be application/json, got \"text/plain\"",
            "over 16 KB: 413 payload_too_large: request body is larger than the limit of 16384 bytes",
            "no token: 401 unauthorized: missing visitor token: send the visitor_token from conversation creation as `Authorization: Bearer <token>`",
            "wrong token: 401 unauthorized: the visitor token does not belong to this conversation",
            "unknown conversation: 404 not_found: conversation \"no-such-conversation\" does not exist on site \"demo\"",
            "origin not allowed: 403 origin_not_allowed: origin https://evil.example is not in the allowed_origins of site \"demo\"",
            "reserved header: 400 bad_request: the X-Baton-Call header is Baton's own; do not send it",
            "socket without upgrade: 400 bad_request: this route is a WebSocket: send `Upgrade: websocket`",
        ]
    "#]].assert_debug_eq(&lines);
    let wrong_method = &cases[2].1;
    assert_eq!(wrong_method.header("Allow"), Some("POST"));
}

#[test]
fn cors_reflects_only_allowed_origins() {
    let preflight = request(
        "OPTIONS",
        &paths::conversations("demo"),
        &[
            ("Origin", "http://localhost:5173"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        None,
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("Access-Control-Allow-Origin"),
        Some("http://localhost:5173")
    );
    assert_eq!(
        preflight.header("Access-Control-Allow-Methods"),
        Some("POST, OPTIONS")
    );

    let created = request(
        "POST",
        &paths::conversations("demo"),
        &[("Origin", "http://127.0.0.1:4321")],
        None,
    );
    assert_eq!(created.status, 201);
    assert_eq!(
        created.header("Access-Control-Allow-Origin"),
        Some("http://127.0.0.1:4321")
    );

    let refused = request(
        "OPTIONS",
        &paths::conversations("demo"),
        &[("Origin", "https://evil.example")],
        None,
    );
    assert_eq!(refused.status, 403);
    assert_eq!(refused.header("Access-Control-Allow-Origin"), None);
}

#[test]
fn the_widget_config_is_compiled_cached_and_revalidated() {
    let path = paths::widget_config("demo");
    let origin = [("Origin", "http://localhost:3000")];
    let first = request("GET", &path, &origin, None);
    assert_eq!(first.status, 200, "{}", first.body);
    let widget_config: WidgetConfig = first.json();
    let etag = first.header("ETag").expect("an ETag").to_string();
    assert_eq!(etag, format!("\"{}\"", widget_config.version));
    assert_eq!(
        first.header("Access-Control-Expose-Headers"),
        Some("ETag, Retry-After")
    );
    // The second request is served from the KV copy: same bytes.
    let second = request("GET", &path, &origin, None);
    assert_eq!(second.body, first.body);
    // A widget holding the current version gets a bodiless 304.
    let revalidated = request(
        "GET",
        &path,
        &[
            ("Origin", "http://localhost:3000"),
            ("If-None-Match", &etag),
        ],
        None,
    );
    assert_eq!(revalidated.status, 304);
    assert_eq!(revalidated.body, "");
    let stale = request("GET", &path, &[("If-None-Match", "\"0000\"")], None);
    assert_eq!(stale.status, 200);
}

/// The FAQ comes apart from the configuration (the chat fetches it, not every page view): same version, tags of
/// its own, cached and revalidated the same way, in JSON or in the wire encoding, from the site's pages only.
#[test]
fn the_widget_faq_is_compiled_cached_and_revalidated() {
    let path = paths::widget_faq("demo");
    let origin = ("Origin", "http://localhost:3000");
    let first = request("GET", &path, &[origin], None);
    assert_eq!(first.status, 200, "{}", first.body);
    let faq: WidgetFaq = first.json();
    let version = request("GET", &paths::widget_config("demo"), &[origin], None)
        .json::<WidgetConfig>()
        .version;
    assert_eq!(faq.version, version);
    let etag = first.header("ETag").expect("an ETag").to_string();
    assert_eq!(etag, format!("\"{version}-faq\""));
    assert_eq!(
        first.header("Access-Control-Allow-Origin"),
        Some("http://localhost:3000")
    );
    let site = demo_site();
    assert_eq!(faq.faq.len(), site.faq.len());
    assert!(faq.faq.iter().all(|entry| entry.alternates.is_empty()));
    // The index answers like one built from the site file.
    let index = faq.index().expect("the served index decodes");
    let top = index.search("do you deliver abroad", 1);
    assert_eq!(
        top.first().map(|hit| site.faq[hit.entry].id.as_str()),
        Some("international-shipping")
    );
    // From the KV copy: the same bytes; revalidated by its own tag, not by the configuration's.
    assert_eq!(request("GET", &path, &[origin], None).body, first.body);
    let with_tag = |tag: &str| request("GET", &path, &[origin, ("If-None-Match", tag)], None);
    let revalidated = with_tag(&etag);
    assert_eq!((revalidated.status, revalidated.body.as_str()), (304, ""));
    assert_eq!(with_tag(&format!("\"{version}\"")).status, 200);
    // In the wire encoding, as the widget asks: a representation of its own.
    let wire_answer = get_bytes(&path, &[origin, ("Accept", wire::MEDIA_TYPE)]);
    assert_eq!(wire_answer.status, 200);
    assert_eq!(wire_answer.header("Content-Type"), wire::MEDIA_TYPE);
    assert_eq!(
        wire_answer.header("ETag"),
        format!("\"{version}-faq-wire\"")
    );
    assert!(wire_answer.header("Vary").contains("Accept"));
    assert_eq!(WidgetFaq::from_wire(&wire_answer.body), Ok(faq));
    // Another site's page may not read it.
    let refused = request("GET", &path, &[("Origin", "https://evil.example")], None);
    assert_eq!(refused.status, 403, "{}", refused.body);
    // An unknown site is a 404 that says so.
    let unknown = request("GET", &paths::widget_faq("no-such-site"), &[], None);
    assert_eq!(unknown.status, 404, "{}", unknown.body);
}

/// An answer read as bytes (the wire encoding is not text).
struct BytesAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl BytesAnswer {
    /// The header's value, or an empty string when it is missing.
    fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }
}

/// `GET path` with `headers`, its body read as bytes.
fn get_bytes(path: &str, headers: &[(&str, &str)]) -> BytesAnswer {
    request_bytes("GET", path, headers, None)
}

/// A request whose answer's body is read as bytes.
fn request_bytes(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> BytesAnswer {
    let mut builder = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", base_url()));
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let request = builder
        .body(body.unwrap_or("").to_string())
        .expect("a valid request");
    let mut response = agent.run(request).expect("the worker answers");
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("").to_string()))
        .collect();
    BytesAnswer {
        status: response.status().as_u16(),
        headers,
        body: response.body_mut().read_to_vec().expect("a body"),
    }
}

/// What the widget asks for: the same configuration in the compact wire encoding, a representation of its own
/// (its own `ETag`, `Vary: Accept`).
#[test]
fn the_widget_config_comes_in_the_wire_encoding_when_asked() {
    let path = paths::widget_config("demo");
    let json = request("GET", &path, &[("Origin", "http://localhost:3000")], None);
    let from_json: WidgetConfig = json.json();
    let asks = |accept: &str, if_none_match: Option<&str>| {
        let mut headers = vec![("Origin", "http://localhost:3000"), ("Accept", accept)];
        if let Some(tag) = if_none_match {
            headers.push(("If-None-Match", tag));
        }
        let answer = get_bytes(&path, &headers);
        let (content_type, etag, vary) = (
            answer.header("Content-Type"),
            answer.header("ETag"),
            answer.header("Vary"),
        );
        (answer.status, content_type, etag, vary, answer.body)
    };
    let (status, content_type, etag, vary, body) = asks(wire::MEDIA_TYPE, None);
    assert_eq!(status, 200);
    assert_eq!(content_type, wire::MEDIA_TYPE);
    assert_eq!(etag, format!("\"{}-wire\"", from_json.version));
    assert!(vary.contains("Accept"), "Vary: {vary}");
    let from_wire = WidgetConfig::from_wire(&body).expect("the wire answer decodes");
    assert_eq!(from_wire, from_json);
    assert!(
        body.len() < json.body.len(),
        "{} B in wire, {} B in JSON",
        body.len(),
        json.body.len()
    );
    // Among other media types, with a weight.
    let (_, content_type, ..) = asks(&format!("text/html, {};q=0.9", wire::MEDIA_TYPE), None);
    assert_eq!(content_type, wire::MEDIA_TYPE);
    // Revalidated by its own tag; the JSON's tag does not stand for it.
    let (status, _, _, _, body) = asks(wire::MEDIA_TYPE, Some(&etag));
    assert_eq!((status, body.len()), (304, 0));
    let json_tag = json.header("ETag").expect("an ETag");
    assert_eq!(asks(wire::MEDIA_TYPE, Some(json_tag)).0, 200);
    // JSON stays the default, and what any other `Accept` gets.
    let (_, content_type, ..) = asks("application/json", None);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
}

#[test]
fn an_instant_answer_is_recorded_as_the_widget_showed_it() {
    let conversation = start_conversation();
    let instant = PostMessage {
        client_message_id: "instant-1".into(),
        text: "how long does delivery take".into(),
        instant_answer: Some(AnswerSource {
            faq_entry_id: Some("delivery-times".into()),
            confidence: 0.97,
            sources: Vec::new(),
        }),
        chose_person: false,
        choice: None,
    };
    let answer = post_message(&conversation, &instant);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let appended: MessagesAppended = answer.json();
    let site = demo_site();
    let entry = site
        .faq
        .iter()
        .find(|entry| entry.id == "delivery-times")
        .expect("the demo has the entry");
    assert_eq!(appended.messages.len(), 2);
    assert_eq!(appended.messages[1].author, Author::Ai);
    assert_eq!(appended.messages[1].text, entry.answer);
    assert_eq!(appended.messages[1].answer, instant.instant_answer);
    // An entry the site does not have is refused by field, and nothing is stored.
    let unknown = PostMessage {
        client_message_id: "instant-2".into(),
        instant_answer: Some(AnswerSource {
            faq_entry_id: Some("no-such-entry".into()),
            confidence: 0.9,
            sources: Vec::new(),
        }),
        ..instant
    };
    expect![[r#"400 invalid_field: instant_answer.faq_entry_id: site "demo" has no FAQ entry "no-such-entry""#]]
        .assert_eq(&post_message(&conversation, &unknown).error_line());
    let retry = say(&conversation, "instant-2", "how long does delivery take");
    assert_eq!(retry.json::<MessagesAppended>().messages[0].seq, 4);
}

#[test]
fn the_history_is_read_back_since_a_sequence_number() {
    let conversation = start_conversation();
    say(&conversation, "h-1", "how long does delivery take");
    say(&conversation, "h-2", "zxqv blorp");
    let bearer = format!("Bearer {}", conversation.visitor_token);
    let history = |since: u64| -> Vec<String> {
        let answer = request(
            "GET",
            &paths::history("demo", &conversation.conversation_id, since),
            &[("Authorization", &bearer)],
            None,
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer
            .json::<MessagesAppended>()
            .messages
            .iter()
            .map(|message| format!("{} {:?}", message.seq, message.author))
            .collect()
    };
    expect![[r#"
        [
            "1 Ai",
            "2 Visitor",
            "3 Ai",
            "4 Visitor",
            "5 Ai",
        ]
    "#]]
    .assert_debug_eq(&history(0));
    expect![[r#"
        [
            "4 Visitor",
            "5 Ai",
        ]
    "#]]
    .assert_debug_eq(&history(3));
    assert!(history(5).is_empty());
    // Without the visitor's token, or with a malformed position, nothing is read.
    let path = paths::messages("demo", &conversation.conversation_id);
    expect!["401 unauthorized: the visitor token does not belong to this conversation"]
        .assert_eq(&request("GET", &path, &[("Authorization", "Bearer wrong")], None).error_line());
    expect![[r#"400 invalid_field: since: must be a sequence number (0 or more), got "-1""#]]
        .assert_eq(
            &request(
                "GET",
                &format!("{path}?since=-1"),
                &[("Authorization", &bearer)],
                None,
            )
            .error_line(),
        );
}
