//! Turnstile on conversation creation, against a stand-in for Cloudflare's siteverify on loopback: it passes the
//! token `good-token` when the worker sends the site's secret, and refuses everything else, recording what it got.

use std::net::TcpListener;
use std::sync::{Arc, Mutex, OnceLock};

use baton_shared::protocol::{CreateConversation, paths};

use super::post_json;

type Seen = Arc<Mutex<Vec<String>>>;

fn verifier() -> Seen {
    static SEEN: OnceLock<Seen> = OnceLock::new();
    SEEN.get_or_init(|| {
        let port = std::env::var("BATON_TURNSTILE_PORT").expect("set by `cargo xtask test`");
        let secret =
            std::env::var("BATON_TURNSTILE_SECRET_GUARDED").expect("set by `cargo xtask test`");
        let listener = TcpListener::bind(format!("127.0.0.1:{port}")).expect("the port is free");
        let seen: Seen = Arc::default();
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if let Some(request) = super::loopback::read_request(&stream) {
                    let passes = request.body.contains(&format!("secret={secret}"))
                        && request.body.contains("response=good-token");
                    log.lock().expect("not poisoned").push(request.body);
                    let verdict = if passes {
                        r#"{"success": true, "error-codes": []}"#
                    } else {
                        r#"{"success": false, "error-codes": ["invalid-input-response"]}"#
                    };
                    super::loopback::respond(&stream, 200, verdict);
                }
            }
        });
        seen
    })
    .clone()
}

fn create(token: Option<&str>) -> super::Answer {
    post_json(
        &paths::conversations("guarded"),
        &[("Origin", "http://localhost:3000")],
        &CreateConversation {
            turnstile_token: token.map(str::to_string),
            ..CreateConversation::default()
        },
    )
}

#[test]
fn a_site_with_turnstile_starts_conversations_only_after_the_check() {
    let seen = verifier();
    assert_eq!(
        create(None).error_line(),
        "403 forbidden: this site asks for a bot check before a chat starts: send the Turnstile token as turnstile_token"
    );
    assert_eq!(
        create(Some("forged")).error_line(),
        "403 forbidden: the bot check did not pass; reload the page and try again"
    );
    let passed = create(Some("good-token"));
    assert_eq!(passed.status, 201, "{}", passed.body);
    let bodies = seen.lock().expect("not poisoned").clone();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert!(bodies[1].contains("response=good-token"), "{bodies:?}");
    // Sites without Turnstile never ask it.
    let plain = post_json(
        &paths::conversations("demo"),
        &[("Origin", "http://localhost:3000")],
        &CreateConversation::default(),
    );
    assert_eq!(plain.status, 201, "{}", plain.body);
    assert_eq!(seen.lock().expect("not poisoned").len(), 2);
}
