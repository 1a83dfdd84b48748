//! Security headers, as a browser receives them: static files get theirs from `public/_headers` (through the assets
//! binding), the API's answers from the worker. Nothing is type-sniffed; the agent console runs only its own code
//! and no other page may frame it; the widget stays importable from customers' pages.

use baton_shared::protocol::paths;
use expect_test::{Expect, expect};

use super::{Answer, request};

/// The headers a browser's security decisions rest on, in this order, each shown only when present.
const SHOWN: &[&str] = &[
    "Content-Type",
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
    "Access-Control-Allow-Origin",
];

/// `method path` without credentials: its status, then the [`SHOWN`] headers it carries. `HEAD` for binary files
/// (the assets binding sends the same headers; the helper reads bodies as text).
#[track_caller]
fn check(method: &str, path: &str, expect: Expect) {
    let answer = request(method, path, &[], None);
    let mut shown = format!("{}\n", answer.status);
    for name in SHOWN {
        if let Some(value) = answer.header(name) {
            shown.push_str(&format!("{name}: {value}\n"));
        }
    }
    expect.assert_eq(&shown);
}

/// The sources a Content-Security-Policy gives `directive`, falling back to `default-src` as browsers do for fetch
/// directives; `None` when neither is there.
fn sources<'a>(policy: &'a str, directive: &str) -> Option<Vec<&'a str>> {
    let directives: Vec<Vec<&str>> = policy
        .split(';')
        .map(|part| part.split_whitespace().collect::<Vec<_>>())
        .filter(|words| !words.is_empty())
        .collect();
    let find = |name: &str| {
        directives
            .iter()
            .find(|words| words[0].eq_ignore_ascii_case(name))
            .map(|words| words[1..].to_vec())
    };
    find(directive).or_else(|| {
        (directive != "frame-ancestors")
            .then(|| find("default-src"))
            .flatten()
    })
}

/// The console's page and its files: only its own scripts (its wasm compiled, nothing inline, nothing evaluated),
/// never framed, no referrer.
#[track_caller]
fn assert_console_policy(path: &str, answer: &Answer) {
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    let policy = answer
        .header("Content-Security-Policy")
        .unwrap_or_else(|| panic!("{path} has no Content-Security-Policy"));
    let scripts = sources(policy, "script-src").unwrap_or_default();
    assert!(
        scripts.contains(&"'self'") && scripts.contains(&"'wasm-unsafe-eval'"),
        "{path}: scripts must come from the console's origin and its wasm must compile: {policy}"
    );
    for forbidden in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"] {
        assert!(
            !scripts.contains(&forbidden),
            "{path}: scripts allow {forbidden}: {policy}"
        );
    }
    assert_eq!(
        sources(policy, "frame-ancestors"),
        Some(vec!["'none'"]),
        "{path}: {policy}"
    );
    assert_eq!(
        sources(policy, "connect-src"),
        Some(vec!["'self'"]),
        "{path}: the console talks to its own origin only: {policy}"
    );
    assert_eq!(answer.header("X-Frame-Options"), Some("DENY"), "{path}");
    assert_eq!(
        answer.header("Referrer-Policy"),
        Some("no-referrer"),
        "{path}"
    );
    assert_eq!(
        answer.header("X-Content-Type-Options"),
        Some("nosniff"),
        "{path}"
    );
}

#[test]
fn the_console_runs_only_its_own_code_and_cannot_be_framed() {
    for path in [
        "/console/",
        "/console/main.js",
        "/console/console.css",
        "/console/app/baton_console.js",
        "/console/app/baton_console_bg.wasm",
    ] {
        assert_console_policy(path, &request("HEAD", path, &[], None));
    }
    // The page loads no inline script: the policy would block it and the console would never start.
    let page = request("GET", "/console/", &[], None);
    assert!(
        page.body
            .contains(r#"<script type="module" src="/console/main.js"></script>"#),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("<script>") && !page.body.contains("<script type=\"module\">"),
        "{}",
        page.body
    );
    check(
        "GET",
        "/console/",
        expect![[r#"
            200
            Content-Type: text/html; charset=utf-8
            X-Content-Type-Options: nosniff
            Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'
            X-Frame-Options: DENY
            Referrer-Policy: no-referrer
        "#]],
    );
}

#[test]
fn the_loader_the_widget_and_the_demo_are_never_type_sniffed() {
    // The loader and the widget are fetched from customers' pages (CORS) and carry no console policy: they run
    // under the host page's own.
    check(
        "GET",
        "/loader.js",
        expect![[r#"
            200
            Content-Type: text/javascript; charset=utf-8
            X-Content-Type-Options: nosniff
            Access-Control-Allow-Origin: *
        "#]],
    );
    check(
        "GET",
        "/widget/baton_widget.js",
        expect![[r#"
            200
            Content-Type: text/javascript; charset=utf-8
            X-Content-Type-Options: nosniff
            Access-Control-Allow-Origin: *
        "#]],
    );
    check(
        "HEAD",
        "/widget/baton_widget_bg.wasm",
        expect![[r#"
            200
            Content-Type: application/wasm
            X-Content-Type-Options: nosniff
            Access-Control-Allow-Origin: *
        "#]],
    );
    check(
        "GET",
        "/demo/",
        expect![[r#"
            200
            Content-Type: text/html; charset=utf-8
            X-Content-Type-Options: nosniff
        "#]],
    );
}

#[test]
fn api_answers_are_never_type_sniffed() {
    check(
        "GET",
        paths::HEALTH,
        expect![[r#"
            200
            Content-Type: application/json
            X-Content-Type-Options: nosniff
        "#]],
    );
    check(
        "GET",
        "/v1/no-such-route",
        expect![[r#"
            404
            Content-Type: application/json
            X-Content-Type-Options: nosniff
        "#]],
    );
    // No agent token.
    check(
        "GET",
        &paths::agent_me("demo"),
        expect![[r#"
            401
            Content-Type: application/json
            X-Content-Type-Options: nosniff
        "#]],
    );
}
