//! The studio's "send a test" (`POST …/config/webhooks/test`): a sample handoff reaches the endpoint (the test's
//! loopback receiver) with the body of its format and the signature real deliveries carry, and the admin is told
//! what the endpoint answered, or why nothing did; a URL a webhook may not have is refused by field path. Who may
//! call it is in `site_config.rs`'s table of every configuration route.

use std::time::{Duration, Instant};

use baton_shared::config::{Webhook, WebhookFormat};
use baton_shared::protocol::paths;
use baton_shared::protocol::site_config::WebhookTestResult;

use super::live::{admin_token, assert_signed, bearer, webhook_receiver};
use super::{Answer, post_json};

/// The `live` test site, whose webhook secret the test stack sets.
const SITE: &str = "live";

fn send_test(url: &str, format: WebhookFormat) -> Answer {
    post_json(
        &paths::config_webhook_test(SITE),
        &[("Authorization", &bearer(&admin_token(SITE)))],
        &Webhook {
            url: url.into(),
            format,
        },
    )
}

fn receiver_url(path: &str) -> String {
    let port = std::env::var("BATON_WEBHOOK_PORT").expect("set by `cargo xtask test`");
    format!("http://127.0.0.1:{port}{path}")
}

/// What the receiver got for the sample `conversation_id`: path, signature header, body.
fn received_for(conversation_id: &str) -> Vec<(String, Option<String>, String)> {
    let received = webhook_receiver();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let found: Vec<_> = received
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|(_, _, body)| body.contains(conversation_id))
            .cloned()
            .collect();
        if !found.is_empty() || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_test_webhook_arrives_signed_like_a_real_one_and_the_admin_sees_the_answer() {
    webhook_receiver();
    let answer = send_test(&receiver_url("/hook/test-json"), WebhookFormat::Json);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let result: WebhookTestResult = answer.json();
    assert!(result.conversation_id.starts_with("webhook-test-"));
    assert_eq!(
        (
            result.delivered,
            result.status,
            result.error.as_deref(),
            result.signed
        ),
        (true, Some(200), None, true)
    );
    assert_eq!(result.endpoint, format!("{}/…", receiver_url("")));
    assert!(result.elapsed_ms < 5_000, "{}", result.elapsed_ms);

    let got = received_for(&result.conversation_id);
    assert_eq!(got.len(), 1, "sent once");
    let (path, signature, body) = &got[0];
    assert_eq!(path, "/hook/test-json");
    assert_signed(signature.as_deref(), body);
    let json: serde_json::Value = serde_json::from_str(body).expect("JSON");
    assert_eq!(json["type"], "handoff");
    assert_eq!(json["site_id"], SITE);
    assert_eq!(json["reason"], "asked_for_person");
    assert_eq!(json["visitor_name"], "Test visitor");

    // The Slack format gets Slack's body.
    let slack: WebhookTestResult =
        send_test(&receiver_url("/hook/test-slack"), WebhookFormat::Slack).json();
    assert!(slack.delivered);
    let got = received_for(&slack.conversation_id);
    let text = serde_json::from_str::<serde_json::Value>(&got[0].2).expect("JSON")["text"]
        .as_str()
        .map(str::to_string)
        .expect("Slack text");
    assert!(
        text.starts_with("Test visitor (name as given, not verified) on "),
        "{text}"
    );
}

#[test]
fn a_failing_or_unreachable_endpoint_is_reported_and_a_bad_url_refused_by_path() {
    webhook_receiver();
    let failing: WebhookTestResult = send_test(&receiver_url("/fail"), WebhookFormat::Json).json();
    assert_eq!(
        (failing.delivered, failing.status, failing.error.as_deref()),
        (false, Some(500), Some("the endpoint answered 500"))
    );
    // Port 9 (discard) on loopback: nothing listens there on the test machine.
    let unreachable: WebhookTestResult =
        send_test("http://127.0.0.1:9/hook", WebhookFormat::Json).json();
    assert_eq!((unreachable.delivered, unreachable.status), (false, None));
    assert!(unreachable.error.is_some());
    let bad = send_test("http://hooks.example/x", WebhookFormat::Slack);
    assert_eq!(
        bad.error_line(),
        "400 invalid_field: url: \"http://hooks.example/x\" must be an https:// URL (http:// only on loopback)"
    );
}
