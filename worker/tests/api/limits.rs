//! Rate limits: per conversation (visitor token) and per client address, each answered with 429 and
//! `Retry-After`. Each test speaks from its own address (`CF-Connecting-IP`, which local workerd keeps when the
//! client sets it, as Cloudflare's edge would set it), so the limits never leak into other tests.
//!
//! The limiter counts per fixed window of the period, so a burst may straddle two windows: the first `limit`
//! requests always pass, and a 429 must come before twice the limit.

use baton_shared::protocol::{ErrorBody, ErrorCode, PostMessage, paths};

use super::{post_message_with, request, start_conversation_on};

#[test]
fn a_conversation_over_its_limit_is_told_when_to_retry() {
    let address = [("CF-Connecting-IP", "198.51.100.7")];
    let chat = start_conversation_on("demo", &address);
    let mut statuses = Vec::new();
    for n in 0..61 {
        let body = PostMessage {
            client_message_id: format!("burst-{n}"),
            text: "How long does delivery take?".into(),
            instant_answer: None,
            chose_person: false,
            choice: None,
        };
        let answer = post_message_with(&chat, &body, &address);
        statuses.push(answer.status);
        if answer.status == 429 {
            assert_eq!(answer.header("Retry-After"), Some("60"));
            let error: ErrorBody = answer.json();
            assert_eq!(error.error.code, ErrorCode::RateLimited);
            assert!(
                error.error.message.contains("this conversation"),
                "{}",
                error.error.message
            );
            break;
        }
    }
    assert_eq!(statuses[..30], [200; 30]);
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}

#[test]
fn an_address_over_its_limit_is_told_when_to_retry() {
    let headers = [
        ("CF-Connecting-IP", "203.0.113.50"),
        ("Content-Type", "application/json"),
    ];
    // Refused bodies are cheap and still count: the limit is checked before the body is read.
    let path = paths::conversations("demo");
    let mut statuses = Vec::new();
    while statuses.len() < 1201 && statuses.last() != Some(&429) {
        statuses.push(request("POST", &path, &headers, Some(r#"{"bogus": 1}"#)).status);
    }
    assert!(
        statuses[..600].iter().all(|status| *status == 400),
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&429));
    let limited = request("POST", &path, &headers, Some("{}"));
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert_eq!(limited.header("Retry-After"), Some("60"));
    assert!(limited.body.contains("203.0.113.50"), "{}", limited.body);
    // Another address is not affected.
    let other = request(
        "POST",
        &path,
        &[
            ("CF-Connecting-IP", "203.0.113.51"),
            ("Content-Type", "application/json"),
        ],
        Some("{}"),
    );
    assert_eq!(other.status, 201, "{}", other.body);
}
