//! The visitor routes campaigns added (`GET …/staffing`, `POST …/campaign-events`, `POST …/leads`) answer only the
//! origins a site allows, like every visitor route: a page elsewhere is refused with 403 `origin_not_allowed`
//! before its body is read, its preflight is refused, and no CORS header lets its script read an answer. The same
//! requests from an allowed origin go through (`tests/sites/campaigns.json` allows `http://localhost:*`).

use baton_shared::protocol::{
    CampaignEvent, CampaignEvents, CampaignWhat, FieldValue, SubmitLead, paths,
};

use super::{Answer, post_json, request};

const SITE: &str = "campaigns";
const ALLOWED: (&str, &str) = ("Origin", "http://localhost:3000");
const FOREIGN: (&str, &str) = ("Origin", "https://evil.example");
/// Tuesday 4 February 2031, noon UTC: a day no other test counts on.
const AT_MS: u64 = 1_927_886_400_000;

fn now() -> String {
    AT_MS.to_string()
}

fn staffing(origin: (&str, &str)) -> Answer {
    request("GET", &paths::staffing(SITE), &[origin], None)
}

fn campaign_events(origin: (&str, &str)) -> Answer {
    let batch = CampaignEvents {
        visitor: "origin-visitor-01".into(),
        events: vec![CampaignEvent {
            campaign: "pricing-help".into(),
            variant: Some("short".into()),
            held_out: false,
            what: CampaignWhat::Shown,
            at_ms: AT_MS - 60_000,
        }],
    };
    post_json(
        &paths::campaign_events(SITE),
        &[origin, ("X-Baton-Now", &now())],
        &batch,
    )
}

/// A lead whose consent box is not ticked: refused for its body when its origin is allowed (so nothing is stored
/// either way), and for its origin, before the body, when it is not.
fn lead(origin: (&str, &str)) -> Answer {
    let body = SubmitLead {
        campaign: "demo-lead".into(),
        variant: None,
        fields: vec![
            FieldValue {
                id: "name".into(),
                value: "Eve".into(),
            },
            FieldValue {
                id: "email".into(),
                value: "eve@example.com".into(),
            },
        ],
        consent: false,
        page_url: Some("https://evil.example/office".into()),
        timezone: None,
        visitor: "origin-visitor-01".into(),
        turnstile_token: None,
    };
    post_json(
        &paths::leads(SITE),
        &[origin, ("X-Baton-Now", &now())],
        &body,
    )
}

const REFUSED: &str = "403 origin_not_allowed: origin https://evil.example is not in the allowed_origins of site \"campaigns\"";

#[track_caller]
fn assert_refused(answer: &Answer) {
    assert_eq!(answer.error_line(), REFUSED);
    assert_eq!(answer.header("Access-Control-Allow-Origin"), None);
}

#[test]
fn staffing_refuses_a_foreign_origin() {
    assert_refused(&staffing(FOREIGN));
    let allowed = staffing(ALLOWED);
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    assert_eq!(
        allowed.header("Access-Control-Allow-Origin"),
        Some("http://localhost:3000")
    );
}

#[test]
fn campaign_events_refuse_a_foreign_origin() {
    assert_refused(&campaign_events(FOREIGN));
    let allowed = campaign_events(ALLOWED);
    assert_eq!(allowed.status, 204, "{}", allowed.body);
}

#[test]
fn leads_refuse_a_foreign_origin_before_reading_the_lead() {
    assert_refused(&lead(FOREIGN));
    assert_eq!(
        lead(ALLOWED).error_line(),
        "400 invalid_field: consent: must be ticked: \"You may contact me about office coffee.\""
    );
}

#[test]
fn the_campaign_routes_refuse_a_foreign_preflight() {
    let preflights: Vec<String> = [
        ("GET", paths::staffing(SITE)),
        ("POST", paths::campaign_events(SITE)),
        ("POST", paths::leads(SITE)),
    ]
    .into_iter()
    .map(|(method, path)| {
        let answer = request(
            "OPTIONS",
            &path,
            &[
                FOREIGN,
                ("Access-Control-Request-Method", method),
                ("Access-Control-Request-Headers", "content-type"),
            ],
            None,
        );
        format!(
            "{path}: {} {:?}",
            answer.status,
            answer.header("Access-Control-Allow-Origin")
        )
    })
    .collect();
    expect_test::expect![[r#"
        /v1/sites/campaigns/staffing: 403 None
        /v1/sites/campaigns/campaign-events: 403 None
        /v1/sites/campaigns/leads: 403 None"#]]
    .assert_eq(&preflights.join("\n"));
}
