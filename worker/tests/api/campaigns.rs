//! Campaigns on the worker (`tests/sites/campaigns.json`): the visitor's country with the widget's configuration,
//! who can answer now, the browser's campaign events and their results for staff, lead forms (handed to a team,
//! or kept and sent to webhooks), campaigns that hand a new conversation over at once, and `identify` attributes
//! in the agent's package. Each test that counts uses a day of its own (`X-Baton-Now`), so the results it reads
//! are its own.

use std::time::{Duration, Instant};

use baton_shared::handoff::HandoffReason;
use baton_shared::protocol::agent::{AgentConversation, AgentRole, Erase, Erased};
use baton_shared::protocol::{
    CampaignEvent, CampaignEvents, CampaignRef, CampaignResult, CampaignResults, CampaignWhat,
    ConversationCreated, CreateConversation, FieldValue, Identify, LeadCreated, StaffingNow,
    SubmitLead, WidgetConfig, paths, wire,
};

use super::live::{
    admin_token, bearer, create_agent, get_as, inbox_socket, unique, webhook_receiver,
};
use super::{
    Answer, Chat, as_a_browser, get_bytes, kv_get, post_as_visitor, post_json, request, say,
};

const SITE: &str = "campaigns";
const ORIGIN: (&str, &str) = ("Origin", "http://localhost:3000");
/// Tuesday 14 January 2031, 12:00 in Paris.
const EVENTS_DAY: (&str, u64) = ("2031-01-14", 1_926_154_800_000);
/// Sunday 19 January 2031, 12:00 in Paris: closed.
const TEAM_LEAD_DAY: (&str, u64) = ("2031-01-19", 1_926_586_800_000);
/// Tuesday 21 January 2031.
const WEBHOOK_LEAD_DAY: (&str, u64) = ("2031-01-21", 1_926_759_600_000);
/// Sunday 26 January 2031, 12:00 in Paris: closed.
const HANDOFF_DAY: (&str, u64) = ("2031-01-26", 1_927_191_600_000);
/// Tuesday 28 January 2031, 11:00 in Paris: open.
const OPEN_AT_MS: u64 = 1_927_360_800_000;

fn now_header(at_ms: u64) -> String {
    at_ms.to_string()
}

fn get(path: &str, headers: &[(&str, &str)]) -> Answer {
    request("GET", path, &as_a_browser(headers), None)
}

/// The results of one day, as an agent of the site reads them; the rows as `campaign/variant/held_out: counts`.
fn results_of(day: &str) -> Vec<String> {
    let agent = create_agent(SITE, &unique("Rita"), &["sales"], AgentRole::Agent);
    let answer = get_as(&agent.token, &paths::campaign_results(SITE, day, day));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let results: CampaignResults = answer.json();
    results.rows.iter().map(show_row).collect()
}

fn show_row(row: &CampaignResult) -> String {
    format!(
        "{}/{}{}: shown {} clicked {} dismissed {} leads {} conversations {} handoffs {} goals {}",
        row.campaign,
        row.variant.as_deref().unwrap_or("-"),
        if row.held_out { " (holdout)" } else { "" },
        row.shown,
        row.clicked,
        row.dismissed,
        row.leads,
        row.conversations,
        row.handoffs,
        row.goals
    )
}

fn lead(
    campaign: &str,
    variant: Option<&str>,
    fields: &[(&str, &str)],
    consent: bool,
) -> SubmitLead {
    SubmitLead {
        campaign: campaign.into(),
        variant: variant.map(str::to_string),
        fields: fields
            .iter()
            .map(|(id, value)| FieldValue {
                id: (*id).into(),
                value: (*value).into(),
            })
            .collect(),
        consent,
        page_url: Some("http://localhost:3000/office".into()),
        timezone: Some("Europe/Paris".into()),
        visitor: "visitor-0001".into(),
        turnstile_token: None,
    }
}

fn post_lead(body: &SubmitLead, at_ms: u64) -> Answer {
    let now = now_header(at_ms);
    post_json(&paths::leads(SITE), &[ORIGIN, ("X-Baton-Now", &now)], body)
}

#[test]
fn the_widget_config_carries_the_visitors_country_and_is_never_shared() {
    let path = paths::widget_config(SITE);
    // Local workerd takes the request's `cf` from miniflare's own header; in production only Cloudflare's edge sets
    // `cf`, and the worker reads nothing else.
    // (Miniflare's header replaces the whole `cf`; an empty `clientAcceptEncoding` keeps the answer uncompressed.)
    let in_france = get(
        &path,
        &[(
            "MF-CF-Blob",
            r#"{"country":"FR","clientAcceptEncoding":""}"#,
        )],
    );
    assert_eq!(in_france.status, 200, "{}", in_france.body);
    let widget_config: WidgetConfig = in_france.json();
    assert_eq!(widget_config.country.as_deref(), Some("FR"));
    // The ETag is still the configuration's version, and no shared cache may keep a visitor's country.
    assert_eq!(
        in_france.header("ETag"),
        Some(format!("\"{}\"", widget_config.version).as_str())
    );
    assert_eq!(
        in_france.header("Cache-Control"),
        Some("private, max-age=60, stale-while-revalidate=600")
    );
    // Unknown (`XX`) and Tor (`T1`) say nothing about where the visitor is.
    for unknown in ["XX", "T1"] {
        let blob = format!(r#"{{"country":"{unknown}","clientAcceptEncoding":""}}"#);
        let answer: WidgetConfig = get(&path, &[("MF-CF-Blob", &blob)]).json();
        assert_eq!(answer.country, None, "{unknown}");
        assert_eq!(answer.version, widget_config.version);
    }
    // Only `live` campaigns reach the widget.
    let ids: Vec<&str> = widget_config
        .site
        .campaigns
        .iter()
        .map(|campaign| campaign.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["pricing-help", "talk-to-sales", "demo-lead", "newsletter"]
    );
}

#[test]
fn staffing_says_which_teams_are_online_and_whether_hours_are_open() {
    let open = now_header(OPEN_AT_MS);
    let closed = now_header(HANDOFF_DAY.1);
    let staffing = |site: &str, now: &str| -> StaffingNow {
        let answer = get(&paths::staffing(site), &[("X-Baton-Now", now)]);
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.header("Cache-Control"), Some("public, max-age=30"));
        answer.json()
    };
    // Nobody online; open on Tuesday morning, closed on Sunday (Europe/Paris).
    assert_eq!(
        staffing(SITE, &open),
        StaffingNow {
            teams_online: Vec::new(),
            open: true
        }
    );
    assert!(!staffing(SITE, &closed).open);
    // An agent of Sales opens the console: Sales is online.
    let agent = create_agent(SITE, &unique("Sam"), &["sales"], AgentRole::Agent);
    let _inbox = inbox_socket(SITE, &agent.token);
    assert_eq!(staffing(SITE, &open).teams_online, ["sales"]);
    // The widget asks in the wire encoding: the same answer, kept apart from the JSON by any cache.
    let in_wire = staffing_in_wire(SITE, &open);
    assert_eq!(in_wire, staffing(SITE, &open));
    assert_eq!(in_wire.teams_online, ["sales"]);
    // A site without teams (and without hours: always open) says `*` once anyone is online.
    let solo = "campaigns-solo";
    assert_eq!(
        staffing(solo, &open),
        StaffingNow {
            teams_online: Vec::new(),
            open: true
        }
    );
    let owner = create_agent(solo, &unique("Olga"), &[], AgentRole::Agent);
    let _solo_inbox = inbox_socket(solo, &owner.token);
    assert_eq!(staffing(solo, &open).teams_online, ["*"]);
}

/// `GET …/staffing` asked as the widget asks, `Accept: application/vnd.baton.wire`; the answer says so and varies
/// by `Accept`.
fn staffing_in_wire(site: &str, now: &str) -> StaffingNow {
    let answer = get_bytes(
        &paths::staffing(site),
        &[ORIGIN, ("Accept", wire::MEDIA_TYPE), ("X-Baton-Now", now)],
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("Content-Type"), wire::MEDIA_TYPE);
    let vary = answer.header("Vary");
    assert!(vary.contains("Accept"), "Vary: {vary}");
    wire::from_bytes(&answer.body).expect("the wire answer decodes")
}

#[test]
fn campaign_events_are_checked_counted_and_summed_for_staff() {
    let (day, at_ms) = EVENTS_DAY;
    let now = now_header(at_ms);
    let event =
        |campaign: &str, variant: Option<&str>, held_out: bool, what: CampaignWhat| CampaignEvent {
            campaign: campaign.into(),
            variant: variant.map(str::to_string),
            held_out,
            what,
            at_ms: at_ms - 60_000,
        };
    let batch = CampaignEvents {
        visitor: "v_1234567890".into(),
        events: vec![
            event("pricing-help", Some("short"), false, CampaignWhat::Shown),
            event("pricing-help", Some("short"), false, CampaignWhat::Shown),
            event("pricing-help", Some("short"), false, CampaignWhat::Clicked),
            event("pricing-help", Some("long"), false, CampaignWhat::Shown),
            event("pricing-help", Some("long"), false, CampaignWhat::Dismissed),
            event("pricing-help", None, true, CampaignWhat::Shown),
            event("pricing-help", None, true, CampaignWhat::Goal),
            // The worker counts these itself; from a browser they are ignored.
            event(
                "pricing-help",
                Some("short"),
                false,
                CampaignWhat::Conversation,
            ),
            event("demo-lead", None, false, CampaignWhat::Lead),
            // Any status: a draft's events are still taken.
            event("winter-promo", None, false, CampaignWhat::Shown),
        ],
    };
    // `navigator.sendBeacon` sends the JSON as text/plain.
    let json = serde_json::to_string(&batch).expect("serialises");
    let events_path = paths::campaign_events(SITE);
    let beacon = request(
        "POST",
        &events_path,
        &as_a_browser(&[
            ("Content-Type", "text/plain;charset=UTF-8"),
            ("X-Baton-Now", &now),
        ]),
        Some(&json),
    );
    assert_eq!(beacon.status, 204, "{}", beacon.body);
    let fetched = post_json(&events_path, &[ORIGIN, ("X-Baton-Now", &now)], &batch);
    assert_eq!(fetched.status, 204, "{}", fetched.body);
    let other_type = request(
        "POST",
        &events_path,
        &as_a_browser(&[("Content-Type", "application/x-www-form-urlencoded")]),
        Some(&json),
    );
    assert_eq!(other_type.status, 415, "{}", other_type.body);
    // A bad batch is refused whole, each problem with its path.
    let bad = CampaignEvents {
        visitor: "v1".into(),
        events: vec![
            event("pricing-help", Some("short"), false, CampaignWhat::Shown),
            event("nope", None, false, CampaignWhat::Shown),
            event("pricing-help", Some("medium"), false, CampaignWhat::Clicked),
            CampaignEvent {
                at_ms: at_ms - 3 * 24 * 60 * 60 * 1_000,
                ..event("demo-lead", None, false, CampaignWhat::Shown)
            },
        ],
    };
    let refused = post_json(&events_path, &[ORIGIN, ("X-Baton-Now", &now)], &bad);
    expect_test::expect![[r#"400 invalid_field: visitor: must be 8 to 64 letters, digits, `_` or `-`; events[1].campaign: there is no campaign "nope"; events[2].variant: campaign "pricing-help" has no variant "medium"; events[3].at_ms: must be within a day of now (milliseconds since 1970, UTC)"#]]
    .assert_eq(&refused.error_line());
    let too_many = CampaignEvents {
        visitor: "v_1234567890".into(),
        events: vec![event("pricing-help", None, false, CampaignWhat::Shown); 51],
    };
    assert_eq!(
        post_json(&events_path, &[ORIGIN, ("X-Baton-Now", &now)], &too_many).error_line(),
        "400 invalid_field: events: must hold at most 50 events (got 51)"
    );
    // Staff read the sums: both batches counted, per variant, the holdout as its own row.
    expect_test::expect![[r#"
        pricing-help/long: shown 2 clicked 0 dismissed 2 leads 0 conversations 0 handoffs 0 goals 0
        pricing-help/short: shown 4 clicked 2 dismissed 0 leads 0 conversations 0 handoffs 0 goals 0
        pricing-help/- (holdout): shown 2 clicked 0 dismissed 0 leads 0 conversations 0 handoffs 0 goals 2
        winter-promo/-: shown 2 clicked 0 dismissed 0 leads 0 conversations 0 handoffs 0 goals 0"#]]
    .assert_eq(&results_of(day).join("\n"));
    // Only the site's staff, with two well-formed days.
    let results_path = paths::campaign_results(SITE, day, day);
    assert_eq!(request("GET", &results_path, &[], None).status, 401);
    let other_site = bearer(&admin_token("demo"));
    let by_other = request(
        "GET",
        &results_path,
        &[("Authorization", &other_site)],
        None,
    );
    assert_eq!(
        by_other.status, 403,
        "another site's admin: {}",
        by_other.body
    );
    let agent = create_agent(SITE, &unique("Rex"), &["support"], AgentRole::Agent);
    assert_eq!(
        get_as(
            &agent.token,
            &paths::campaign_results(SITE, "2031-1-14", day)
        )
        .error_line(),
        "400 invalid_field: from: must be a day as YYYY-MM-DD, got \"2031-1-14\""
    );
    assert_eq!(
        get_as(
            &agent.token,
            &paths::campaign_results(SITE, day, "2031-01-01")
        )
        .error_line(),
        "400 invalid_field: to: must be on or after `from`, and at most 366 days later"
    );
}

#[test]
fn a_lead_with_a_team_is_handed_to_it_with_the_fields_in_the_package() {
    let (day, at_ms) = TEAM_LEAD_DAY;
    let fields = [
        ("name", "Ada Lovelace"),
        ("email", " ada@example.com "),
        ("company", "Analytical Engines"),
    ];
    // Every problem at once, with the pre-chat form's rules and paths.
    let refused = post_lead(
        &lead(
            "demo-lead",
            None,
            &[("email", "not-an-email"), ("shoe", "42")],
            false,
        ),
        at_ms,
    );
    expect_test::expect![[r#"400 invalid_field: fields[0].value: must be an email address like name@example.com; fields[1].id: the form has no field "shoe"; fields: Name is needed; consent: must be ticked: "You may contact me about office coffee.""#]]
    .assert_eq(&refused.error_line());
    for (campaign, variant, expected) in [
        (
            "nope",
            None,
            "campaign: site \"campaigns\" has no campaign \"nope\"",
        ),
        (
            "demo-lead",
            Some("b"),
            "variant: campaign \"demo-lead\" has no variant \"b\"",
        ),
        (
            "winter-promo",
            None,
            "campaign: campaign \"winter-promo\" is not live",
        ),
        (
            "talk-to-sales",
            None,
            "campaign: campaign \"talk-to-sales\" has no lead form",
        ),
    ] {
        let refused = post_lead(&lead(campaign, variant, &fields, true), at_ms);
        assert_eq!(
            refused.error_line(),
            format!("400 invalid_field: {expected}")
        );
    }
    // A good one: a conversation handed to Sales at once (closed on Sunday, so queued), and the thanks.
    let answer = post_lead(&lead("demo-lead", None, &fields, true), at_ms);
    assert_eq!(answer.status, 201, "{}", answer.body);
    let created: LeadCreated = answer.json();
    assert_eq!(created.thanks, "Thanks! Sales will call you back today.");
    let conversation_id = created.conversation_id.expect("a conversation for Sales");
    // Sales sees it in the inbox with the fields, the campaign and the page.
    let agent = create_agent(SITE, &unique("Sol"), &["sales"], AgentRole::Agent);
    let view: AgentConversation = get_as(
        &agent.token,
        &paths::agent_conversation(SITE, &conversation_id, None),
    )
    .json();
    assert_eq!(view.item.reason, HandoffReason::LeadForm);
    assert_eq!(view.item.team.as_deref(), Some("sales"));
    let package = view.package.expect("a package");
    assert_eq!(package.topic.as_deref(), Some("Office coffee demo"));
    assert_eq!(package.summary, "Sent the form “Office coffee demo”.");
    assert_eq!(view.item.summary, package.summary);
    assert_eq!(
        view.item.campaign_name.as_deref(),
        Some("Office coffee demo")
    );
    assert_eq!(
        package.campaign,
        Some(CampaignRef {
            id: "demo-lead".into(),
            variant: None
        })
    );
    assert_eq!(
        package.fields,
        [
            ("Name".to_string(), "Ada Lovelace".to_string()),
            ("Email".to_string(), "ada@example.com".to_string()),
            ("Company".to_string(), "Analytical Engines".to_string()),
        ]
    );
    assert_eq!(package.visitor_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(package.visitor_email.as_deref(), Some("ada@example.com"));
    assert_eq!(
        package.page_url.as_deref(),
        Some("http://localhost:3000/office")
    );
    assert!(package.queued, "nobody answers on Sunday");
    let transcript: Vec<String> = view
        .messages
        .iter()
        .map(|message| format!("{:?}: {}", message.author, message.text))
        .collect();
    expect_test::expect![[r#"
        Visitor: Sent the form “Office coffee demo”:
        Name: Ada Lovelace
        Email: ada@example.com
        Company: Analytical Engines
        System: Our Sales team is offline right now and back on Monday 09:00 (your time). They will reply here then. They'll see this whole conversation, so you won't need to repeat anything."#]]
    .assert_eq(&transcript.join("\n"));
    // The worker counted the lead and its handoff (the browser sends neither).
    expect_test::expect![[r#"
        demo-lead/-: shown 0 clicked 0 dismissed 0 leads 1 conversations 0 handoffs 1 goals 0"#]]
    .assert_eq(&results_of(day).join("\n"));
}

#[test]
fn a_lead_without_a_team_is_kept_and_sent_to_the_sites_webhooks() {
    let received = webhook_receiver();
    let (day, at_ms) = WEBHOOK_LEAD_DAY;
    let fields = [("email", "grace@example.com")];
    // The variant's action overrides the campaign's: "chat" opens the chat, so it takes no lead.
    assert_eq!(
        post_lead(&lead("newsletter", Some("chat"), &fields, false), at_ms).error_line(),
        "400 invalid_field: campaign: campaign \"newsletter\" has no lead form"
    );
    let answer = post_lead(&lead("newsletter", Some("plain"), &fields, false), at_ms);
    assert_eq!(answer.status, 201, "{}", answer.body);
    let created: LeadCreated = answer.json();
    assert_eq!(created.conversation_id, None);
    assert_eq!(created.thanks, "You're on the list.");
    // Kept in KV for the site's retention.
    let stored = kv_get(&format!("lead:{SITE}:{}", created.lead_id)).expect("the lead is kept");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("JSON");
    assert_eq!(stored["campaign"]["variant"], "plain");
    assert_eq!(
        stored["fields"][0],
        serde_json::json!(["Email", "grace@example.com"])
    );
    // Sent to each endpoint: Baton's JSON and Slack.
    let deadline = Instant::now() + Duration::from_secs(8);
    let for_lead = |path: &str| -> Vec<String> {
        received
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|(p, _, body)| p == path && body.contains(&created.lead_id))
            .map(|(_, _, body)| body.clone())
            .collect()
    };
    while Instant::now() < deadline && for_lead("/hook/campaigns-json").is_empty() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let json = for_lead("/hook/campaigns-json");
    assert_eq!(json.len(), 1, "one JSON delivery");
    let json: serde_json::Value = serde_json::from_str(&json[0]).expect("JSON");
    assert_eq!(json["type"], "lead");
    assert_eq!(json["campaign_name"], "Newsletter sign-up");
    assert_eq!(
        json["fields"],
        serde_json::json!([{"label": "Email", "value": "grace@example.com"}])
    );
    // Slack's body has the campaign id in no field, so it is found by the lead's email.
    let slack: Vec<String> = received
        .lock()
        .expect("not poisoned")
        .iter()
        .filter(|(p, _, body)| p == "/hook/campaigns-slack" && body.contains("grace@example.com"))
        .map(|(_, _, body)| body.clone())
        .collect();
    let slack: serde_json::Value = serde_json::from_str(&slack[0]).expect("JSON");
    assert!(
        slack["text"]
            .as_str()
            .is_some_and(|text| text.starts_with("New lead on Campaign Test Roasters")),
        "{slack}"
    );
    expect_test::expect![[r#"
        newsletter/plain: shown 0 clicked 0 dismissed 0 leads 1 conversations 0 handoffs 0 goals 0"#]]
    .assert_eq(&results_of(day).join("\n"));
    // Erasure by the visitor's email takes the lead and its webhook deliveries too.
    let erased: Erased = post_json(
        &paths::erasure(SITE),
        &[("Authorization", &bearer(&admin_token(SITE)))],
        &Erase {
            email: Some("grace@example.com".into()),
            conversation_id: None,
        },
    )
    .json();
    assert!(
        erased.conversations.contains(&created.lead_id),
        "{erased:?}"
    );
    assert_eq!(
        (erased.leads, erased.webhook_deliveries),
        (1, 2),
        "{erased:?}"
    );
    assert_eq!(kv_get(&format!("lead:{SITE}:{}", created.lead_id)), None);
}

#[test]
fn a_handoff_campaign_hands_the_new_conversation_over_at_once() {
    let (day, at_ms) = HANDOFF_DAY;
    let now = now_header(at_ms);
    let start = |campaign: Option<CampaignRef>| -> Answer {
        post_json(
            &paths::conversations(SITE),
            &[ORIGIN, ("X-Baton-Now", &now)],
            &CreateConversation {
                page_url: Some("http://localhost:3000/office".into()),
                timezone: Some("Europe/Paris".into()),
                campaign,
                ..Default::default()
            },
        )
    };
    let unknown = start(Some(CampaignRef {
        id: "nope".into(),
        variant: None,
    }));
    assert_eq!(
        unknown.error_line(),
        "400 invalid_field: campaign: site \"campaigns\" has no campaign \"nope\""
    );
    let answer = start(Some(CampaignRef {
        id: "talk-to-sales".into(),
        variant: None,
    }));
    assert_eq!(answer.status, 201, "{}", answer.body);
    let created: ConversationCreated = answer.json();
    // The greeting, then the handoff (queued: closed on Sunday).
    let notice = created
        .messages
        .last()
        .and_then(|message| message.handoff.clone())
        .expect("handed over at once");
    assert_eq!(notice.reason, HandoffReason::Campaign);
    assert_eq!(notice.team.as_deref(), Some("Sales"));
    assert!(notice.queued);
    let agent = create_agent(SITE, &unique("Sid"), &["sales"], AgentRole::Agent);
    let view: AgentConversation = get_as(
        &agent.token,
        &paths::agent_conversation(SITE, &created.conversation_id, None),
    )
    .json();
    let package = view.package.expect("a package");
    assert_eq!(package.topic.as_deref(), Some("Talk to Sales about volume"));
    assert_eq!(package.reason, HandoffReason::Campaign);
    assert_eq!(
        package.campaign.map(|campaign| campaign.id).as_deref(),
        Some("talk-to-sales")
    );
    // A campaign that only opens the chat starts a plain conversation, the campaign kept with it.
    let plain: ConversationCreated = start(Some(CampaignRef {
        id: "pricing-help".into(),
        variant: Some("short".into()),
    }))
    .json();
    assert_eq!(plain.messages.len(), 1, "only the greeting");
    expect_test::expect![[r#"
        pricing-help/short: shown 0 clicked 0 dismissed 0 leads 0 conversations 1 handoffs 0 goals 0
        talk-to-sales/-: shown 0 clicked 0 dismissed 0 leads 0 conversations 1 handoffs 1 goals 0"#]]
    .assert_eq(&results_of(day).join("\n"));
}

#[test]
fn identify_attributes_reach_the_agents_package() {
    let answer = post_json(
        &paths::conversations(SITE),
        &[ORIGIN],
        &CreateConversation {
            campaign: Some(CampaignRef {
                id: "pricing-help".into(),
                variant: Some("long".into()),
            }),
            ..Default::default()
        },
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let chat = Chat {
        site: SITE,
        created: answer.json(),
    };
    let identify = |attributes: &[(&str, &str)]| {
        let body = Identify {
            attributes: attributes
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            ..Identify::default()
        };
        let answer = post_as_visitor(
            &chat,
            &paths::identify(SITE, &chat.conversation_id),
            &body,
            &[],
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
    };
    identify(&[("plan", "pro")]);
    let handed = say(&chat, "m1", "I'd like to talk to a person please");
    assert_eq!(handed.status, 200, "{}", handed.body);
    let agent = create_agent(
        SITE,
        &unique("Ivy"),
        &["sales", "support"],
        AgentRole::Agent,
    );
    let package = || {
        let view: AgentConversation = get_as(
            &agent.token,
            &paths::agent_conversation(SITE, &chat.conversation_id, None),
        )
        .json();
        view.package.expect("a package")
    };
    let first = package();
    assert_eq!(first.attributes, [("plan".to_string(), "pro".to_string())]);
    assert_eq!(
        first.campaign,
        Some(CampaignRef {
            id: "pricing-help".into(),
            variant: Some("long".into())
        })
    );
    // Given again, the latest value wins, and the package follows.
    identify(&[("plan", "team"), ("seats", "12")]);
    assert_eq!(
        package().attributes,
        [
            ("plan".to_string(), "team".to_string()),
            ("seats".to_string(), "12".to_string())
        ]
    );
}
