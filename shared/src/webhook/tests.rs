use expect_test::{Expect, expect};

use super::{
    Delivery, KEPT, due, endpoint_shown, for_handoff, for_lead, forget, handoff_body, lead_body,
    next_attempt_ms, one_line, prune, record, secret_name, slack_escape,
};
use crate::config::{SiteConfig, Webhook, WebhookFormat};
use crate::handoff::{HandoffPackage, HandoffReason};
use crate::intent::Intent;
use crate::protocol::agent::DeliveryStatus;
use crate::protocol::{CampaignRef, Lead};

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
        ai_summary: None,
        campaign_name: None,
        campaign: None,
        attributes: Vec::new(),
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

fn pending(conversation_id: &str, url: &str, next_attempt_ms: u64) -> Delivery {
    Delivery {
        site_id: "demo".into(),
        conversation_id: conversation_id.into(),
        url: url.into(),
        format: WebhookFormat::Json,
        body: format!("{{\"conversation_id\":\"{conversation_id}\"}}"),
        status: DeliveryStatus::Pending,
        attempts: 0,
        next_attempt_ms,
        last_error: None,
    }
}

/// Each line: status, attempts, next attempt and last error of the one delivery.
fn trace(delivery: &Delivery) -> String {
    format!(
        "{:?} after {} attempts, next at {}, last error {:?}",
        delivery.status, delivery.attempts, delivery.next_attempt_ms, delivery.last_error
    )
}

#[test]
fn a_failing_endpoint_is_retried_with_growing_delays_then_given_up() {
    let mut deliveries = vec![pending("c-1", "https://hooks.example/a", 1_000)];
    assert!(due(&deliveries, 999).is_empty());
    assert_eq!(next_attempt_ms(&deliveries), Some(1_000));
    let mut now = 1_000;
    let mut lines = Vec::new();
    while let Some(sent) = due(&deliveries, now).pop() {
        assert!(record(
            &mut deliveries,
            &sent,
            Err("the endpoint answered 500".into()),
            now
        ));
        lines.push(trace(&deliveries[0]));
        now = deliveries[0].next_attempt_ms;
    }
    expect![[r#"
        [
            "Pending after 1 attempts, next at 3000, last error Some(\"the endpoint answered 500\")",
            "Pending after 2 attempts, next at 13000, last error Some(\"the endpoint answered 500\")",
            "Pending after 3 attempts, next at 73000, last error Some(\"the endpoint answered 500\")",
            "Pending after 4 attempts, next at 373000, last error Some(\"the endpoint answered 500\")",
            "Pending after 5 attempts, next at 2173000, last error Some(\"the endpoint answered 500\")",
            "Failed after 6 attempts, next at 2173000, last error Some(\"the endpoint answered 500\")",
        ]
    "#]]
    .assert_debug_eq(&lines);
    assert_eq!(next_attempt_ms(&deliveries), None);
}

#[test]
fn a_success_is_recorded_on_the_list_as_it_is_after_sending() {
    let mut deliveries = vec![pending("c-1", "https://hooks.example/a", 0)];
    let sent = due(&deliveries, 0);
    // While the request was out, a handoff queued another delivery and the first failed attempt is unknown.
    deliveries.push(pending("c-2", "https://hooks.example/a", 0));
    assert!(record(&mut deliveries, &sent[0], Ok(()), 10));
    assert_eq!(
        deliveries.iter().map(trace).collect::<Vec<_>>(),
        [
            "Delivered after 1 attempts, next at 0, last error None",
            "Pending after 0 attempts, next at 0, last error None"
        ]
    );
    // Recorded once: the same attempt is not found again; an erased delivery is not found either.
    assert!(!record(&mut deliveries, &sent[0], Ok(()), 20));
    assert_eq!(forget(&mut deliveries, "c-2"), 1);
    let erased = pending("c-2", "https://hooks.example/a", 0);
    assert!(!record(&mut deliveries, &erased, Ok(()), 30));
    assert_eq!(deliveries.len(), 1);
}

#[test]
fn the_list_keeps_every_pending_delivery_and_the_newest_finished_ones() {
    let mut deliveries: Vec<Delivery> = (0..KEPT + 3)
        .map(|n| Delivery {
            status: DeliveryStatus::Delivered,
            ..pending(&format!("done-{n}"), "https://hooks.example/a", 0)
        })
        .collect();
    deliveries.insert(0, pending("waiting", "https://hooks.example/a", 0));
    prune(&mut deliveries);
    assert_eq!(deliveries.len(), KEPT + 1);
    assert_eq!(deliveries[0].conversation_id, "waiting");
    assert_eq!(deliveries[1].conversation_id, "done-3");
}

#[test]
fn handoffs_make_one_delivery_per_endpoint_shown_without_body_or_secret() {
    let mut site = site();
    site.webhooks = [
        "https://hooks.slack.com/services/T0/B0/secret",
        "https://crm.example/hook",
    ]
    .iter()
    .zip([WebhookFormat::Slack, WebhookFormat::Json])
    .map(|(url, format)| Webhook {
        url: url.to_string(),
        format,
    })
    .collect();
    let deliveries = for_handoff(
        &site,
        &package("Ada", "Hi", false),
        Some("https://baton.example.com"),
        5,
    );
    let shown: Vec<String> = deliveries
        .iter()
        .map(|delivery| delivery.view().endpoint)
        .collect();
    assert_eq!(
        shown,
        ["https://hooks.slack.com/…", "https://crm.example/…"]
    );
    for delivery in &deliveries {
        assert!(delivery.is_due(5) && !delivery.is_due(4));
        let view = delivery.view();
        assert_eq!((view.attempts, view.status), (0, DeliveryStatus::Pending));
        assert_eq!(
            delivery.body,
            handoff_body(
                &site,
                &package("Ada", "Hi", false),
                delivery.format,
                Some("https://baton.example.com")
            )
        );
    }
    assert_eq!(secret_name("demo-shop"), "BATON_WEBHOOK_SECRET_DEMO_SHOP");
}

fn lead() -> Lead {
    Lead {
        lead_id: "l-1".into(),
        site_id: "demo".into(),
        campaign: CampaignRef {
            id: "demo-lead".into(),
            variant: Some("b".into()),
        },
        campaign_name: "Office <!channel> demo".into(),
        fields: vec![
            ("Name".into(), "Ada *bold*\nLovelace".into()),
            ("Email".into(), "ada@example.com".into()),
        ],
        consent: true,
        page_url: Some("https://fernleaf.example/office?a=1&b=2".into()),
        visitor: "visitor-0001".into(),
        created_at_ms: 0,
    }
}

#[track_caller]
fn check_lead(format: WebhookFormat, expect: Expect) {
    let body = lead_body(&site(), &lead(), format);
    let value: serde_json::Value = serde_json::from_str(&body).expect("bodies are JSON");
    expect.assert_eq(&serde_json::to_string_pretty(&value).expect("prints"));
}

#[test]
fn lead_bodies_list_the_answers_inert_in_slack_and_as_json() {
    check_lead(
        WebhookFormat::Slack,
        expect![[r#"
            {
              "blocks": [
                {
                  "text": {
                    "text": "New lead on Fernleaf Coffee Co. from “Office &lt;!channel&gt; demo”.\n>*Name:* Ada *bold* Lovelace\n>*Email:* ada@example.com\nPage: https://fernleaf.example/office?a=1&amp;b=2",
                    "type": "mrkdwn"
                  },
                  "type": "section"
                }
              ],
              "text": "New lead on Fernleaf Coffee Co. from “Office &lt;!channel&gt; demo”.\n>*Name:* Ada *bold* Lovelace\n>*Email:* ada@example.com\nPage: https://fernleaf.example/office?a=1&amp;b=2"
            }"#]],
    );
    check_lead(
        WebhookFormat::Json,
        expect![[r#"
            {
              "campaign": "demo-lead",
              "campaign_name": "Office <!channel> demo",
              "consent": true,
              "fields": [
                {
                  "label": "Name",
                  "value": "Ada *bold*\nLovelace"
                },
                {
                  "label": "Email",
                  "value": "ada@example.com"
                }
              ],
              "lead_id": "l-1",
              "page_url": "https://fernleaf.example/office?a=1&b=2",
              "site_id": "demo",
              "type": "lead",
              "variant": "b"
            }"#]],
    );
    let deliveries = for_lead(&site(), &lead(), 7);
    assert_eq!(deliveries.len(), site().webhooks.len());
    assert!(
        deliveries
            .iter()
            .all(|delivery| delivery.conversation_id == "l-1" && delivery.next_attempt_ms == 7)
    );
}
