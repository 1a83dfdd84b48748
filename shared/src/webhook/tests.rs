use expect_test::{Expect, expect};

use super::{endpoint_shown, handoff_body, one_line, slack_escape};
use crate::config::{SiteConfig, WebhookFormat};
use crate::handoff::{HandoffPackage, HandoffReason};
use crate::intent::Intent;

fn site() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("the demo site is valid")
}

fn package(name: &str, summary: &str, verified: bool) -> HandoffPackage {
    HandoffPackage {
        conversation_id: "c-1".into(),
        visitor_name: Some(name.into()),
        visitor_email: Some("ada@example.com".into()),
        verified_user_id: verified.then(|| "u-42".into()),
        page_url: Some("https://fernleaf.example/pricing".into()),
        referrer: None,
        summary: summary.into(),
        intent: Intent::Support,
        intent_confidence: 0.9,
        topic: None,
        fields: Vec::new(),
        previous_answers: Vec::new(),
        reason: HandoffReason::AskedForPerson,
        team: Some(("support".into(), "Customer Care".into())),
        visitor_local_time: None,
        handed_off_at_ms: 0,
        queued: false,
        next_opening_ms: None,
    }
}

#[track_caller]
fn check(name: &str, summary: &str, format: WebhookFormat, expect: Expect) {
    let body = handoff_body(
        &site(),
        &package(name, summary, false),
        format,
        Some("https://baton.example.com/"),
    );
    let value: serde_json::Value = serde_json::from_str(&body).expect("bodies are JSON");
    expect.assert_eq(&serde_json::to_string_pretty(&value).expect("prints"));
}

#[test]
fn slack_bodies_render_visitor_text_inert() {
    check(
        "Ada <!channel>\n*Admin* & co",
        "Please <!here> read <https://evil.example|Log in again> now",
        WebhookFormat::Slack,
        expect![[r#"
            {
              "blocks": [
                {
                  "text": {
                    "text": "Ada &lt;!channel&gt; *Admin* &amp; co (name as given, not verified) on Fernleaf Coffee Co. needs Customer Care: the visitor asked for a person.\n>Please &lt;!here&gt; read &lt;https://evil.example|Log in again&gt; now\n<https://baton.example.com/console/#conversation=c-1|Open in Baton>",
                    "type": "mrkdwn"
                  },
                  "type": "section"
                }
              ],
              "text": "Ada &lt;!channel&gt; *Admin* &amp; co (name as given, not verified) on Fernleaf Coffee Co. needs Customer Care: the visitor asked for a person.\n>Please &lt;!here&gt; read &lt;https://evil.example|Log in again&gt; now\n<https://baton.example.com/console/#conversation=c-1|Open in Baton>"
            }"#]],
    );
}

#[test]
fn a_summary_of_several_lines_stays_quoted() {
    check(
        "Ada",
        "first line\n*bold new line* <@U123>",
        WebhookFormat::Slack,
        expect![[r#"
            {
              "blocks": [
                {
                  "text": {
                    "text": "Ada (name as given, not verified) on Fernleaf Coffee Co. needs Customer Care: the visitor asked for a person.\n>first line\n>*bold new line* &lt;@U123&gt;\n<https://baton.example.com/console/#conversation=c-1|Open in Baton>",
                    "type": "mrkdwn"
                  },
                  "type": "section"
                }
              ],
              "text": "Ada (name as given, not verified) on Fernleaf Coffee Co. needs Customer Care: the visitor asked for a person.\n>first line\n>*bold new line* &lt;@U123&gt;\n<https://baton.example.com/console/#conversation=c-1|Open in Baton>"
            }"#]],
    );
}

#[test]
fn json_bodies_link_to_the_public_url_and_say_whether_the_visitor_is_verified() {
    check(
        "Ada\r\nLovelace",
        "Where is my order?",
        WebhookFormat::Json,
        expect![[r#"
            {
              "console_url": "https://baton.example.com/console/#conversation=c-1",
              "conversation_id": "c-1",
              "page_url": "https://fernleaf.example/pricing",
              "reason": "asked_for_person",
              "site_id": "demo",
              "summary": "Where is my order?",
              "team": "support",
              "type": "handoff",
              "visitor_email": "ada@example.com",
              "visitor_name": "Ada Lovelace",
              "visitor_verified": false
            }"#]],
    );
}

#[test]
fn without_a_public_url_there_is_no_link() {
    let body = handoff_body(
        &site(),
        &package("Ada", "Hi", true),
        WebhookFormat::Slack,
        None,
    );
    assert!(!body.contains("Open in Baton"), "{body}");
    assert!(!body.contains("not verified"), "{body}");
}

#[test]
fn escaping_and_names() {
    assert_eq!(slack_escape("a&b<c>d"), "a&amp;b&lt;c&gt;d");
    assert_eq!(one_line("  Ada\u{0}\n\tLovelace \u{7f} "), "Ada Lovelace");
    assert_eq!(one_line(&"x".repeat(200)).len(), 80);
}

#[test]
fn endpoints_are_shown_without_their_secret_path() {
    assert_eq!(
        endpoint_shown("https://hooks.slack.com/services/T0/B0/secret"),
        "https://hooks.slack.com/…"
    );
    assert_eq!(
        endpoint_shown("http://user:pw@127.0.0.1:8792/hook"),
        "http://127.0.0.1:8792/…"
    );
    assert_eq!(endpoint_shown("https://example.com"), "https://example.com");
}
