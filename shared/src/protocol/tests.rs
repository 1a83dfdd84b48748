use expect_test::{Expect, expect};

use super::*;

#[track_caller]
fn check_wire<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
    value: T,
    expect: Expect,
) {
    let json = serde_json::to_string(&value).expect("protocol types serialise");
    expect.assert_eq(&json);
    let back: T = serde_json::from_str(&json).expect("protocol types read back what they write");
    assert_eq!(back, value);
}

#[test]
fn messages_on_the_wire() {
    check_wire(
        Message {
            seq: 2,
            author: Author::Ai,
            author_name: None,
            text: "We ship in 2 days.".into(),
            sent_at_ms: 1_700_000_000_000,
            client_message_id: None,
            handoff: None,
            event: None,
            choices: Vec::new(),
            choice: None,
            answer: Some(AnswerSource {
                faq_entry_id: Some("delivery-times".into()),
                confidence: 0.75,
                sources: Vec::new(),
            }),
        },
        expect![[
            r#"{"seq":2,"author":"ai","text":"We ship in 2 days.","sent_at_ms":1700000000000,"answer":{"faq_entry_id":"delivery-times","confidence":0.75}}"#
        ]],
    );
    check_wire(
        vec![
            Choice::FaqEntry {
                faq_entry_id: "gift-cards".into(),
                label: "Do you sell gift cards?".into(),
            },
            Choice::Person {
                label: "None of these".into(),
            },
        ],
        expect![[
            r#"[{"faq_entry":{"faq_entry_id":"gift-cards","label":"Do you sell gift cards?"}},{"person":{"label":"None of these"}}]"#
        ]],
    );
    check_wire(
        ErrorBody {
            error: ErrorDetail {
                code: ErrorCode::PayloadTooLarge,
                message: "too big".into(),
            },
        },
        expect![[r#"{"error":{"code":"payload_too_large","message":"too big"}}"#]],
    );
}

#[track_caller]
fn check_post(text: &str, client_message_id: &str, expect: Expect) {
    let post = PostMessage {
        client_message_id: client_message_id.into(),
        text: text.into(),
        instant_answer: None,
        chose_person: false,
        choice: None,
    };
    let errors: Vec<String> = post.validate().iter().map(ToString::to_string).collect();
    expect.assert_debug_eq(&errors);
}

#[test]
fn post_message_limits() {
    check_post(
        "Hello",
        "c1",
        expect![[r#"
        []
    "#]],
    );
    check_post(
        "   ",
        "",
        expect![[r#"
            [
                "client_message_id: must not be empty",
                "text: must not be empty",
            ]
        "#]],
    );
    check_post(
        &"é".repeat(MAX_MESSAGE_CHARS + 1),
        &"x".repeat(65),
        expect![[r#"
            [
                "client_message_id: must be at most 64 characters",
                "text: must be at most 2000 characters (got 2001)",
            ]
        "#]],
    );
}

#[test]
fn paths_are_shared() {
    expect![[r#"/v1/sites/demo/conversations/c-1/messages"#]]
        .assert_eq(&paths::messages("demo", "c-1"));
}

#[test]
fn unknown_fields_are_refused_by_name() {
    let error =
        serde_json::from_str::<PostMessage>(r#"{"client_message_id":"a","text":"b","txt":1}"#)
            .expect_err("unknown field");
    expect!["unknown field `txt`, expected one of `client_message_id`, `text`, `instant_answer`, `chose_person`, `choice` at line 1 column 41"]
        .assert_eq(&error.to_string());
}

#[test]
fn instant_answers_must_name_an_entry_and_a_confidence() {
    let post = |faq_entry_id: Option<&str>, confidence: f32| PostMessage {
        client_message_id: "c1".into(),
        text: "hello".into(),
        instant_answer: Some(AnswerSource {
            faq_entry_id: faq_entry_id.map(str::to_string),
            confidence,
            sources: Vec::new(),
        }),
        chose_person: false,
        choice: None,
    };
    let errors = |post: PostMessage| -> Vec<String> {
        post.validate().iter().map(ToString::to_string).collect()
    };
    expect![[r#"
        []
    "#]]
    .assert_debug_eq(&errors(post(Some("delivery-times"), 0.9)));
    expect![[r#"
        [
            "instant_answer.faq_entry_id: must name the FAQ entry that answered",
            "instant_answer.confidence: must be between 0 and 1",
        ]
    "#]]
    .assert_debug_eq(&errors(post(None, f32::NAN)));
    expect![[r#"
        [
            "instant_answer.confidence: must be between 0 and 1",
        ]
    "#]]
    .assert_debug_eq(&errors(post(Some("x"), 1.5)));
}

#[test]
fn the_widget_config_and_faq_carry_a_working_index_and_no_private_parts() {
    let json = include_str!("../../../sites/demo.json");
    let config = SiteConfig::from_json(json).expect("the demo site is valid");
    let widget = WidgetConfig::for_site(&config, json);
    let faq = WidgetFaq::for_site(&config, json);
    // What the widget needs and no more: no origins, hours, knowledge, or alternates (they are in the index).
    assert!(faq.faq.iter().all(|entry| entry.alternates.is_empty()));
    assert_eq!(faq.version, widget.version);
    let policy_view = widget.site.to_site_config(&faq);
    assert_eq!(policy_view.faq.len(), config.faq.len());
    assert_eq!(policy_view.handoff, config.handoff);
    let index = faq.index().expect("the index decodes");
    let hits = index.search("how long does delivery take", 1);
    expect![[r#"Some("delivery-times")"#]].assert_eq(&format!(
        "{:?}",
        hits.first().map(|hit| &config.faq[hit.entry].id)
    ));
    // The version follows the stored text, so any edit is a new version.
    let edited = WidgetConfig::for_site(&config, &json.replace("Fernleaf", "Fernleaf "));
    assert_ne!(widget.version, edited.version);
    assert_eq!(
        widget.version,
        WidgetConfig::for_site(&config, json).version
    );
    // The two answers of one version have distinct tags.
    let tags = [
        WidgetConfig::etag(&widget.version, false),
        WidgetConfig::etag(&widget.version, true),
        WidgetFaq::etag(&widget.version, false),
        WidgetFaq::etag(&widget.version, true),
    ];
    assert!(
        tags.iter()
            .enumerate()
            .all(|(i, tag)| !tags[i + 1..].contains(tag))
    );
    // A damaged index is an error, not a panic; in JSON, text that is not base64 is refused with where it is.
    let mut json = serde_json::to_value(&faq).expect("json");
    json["faq_index"] = "%%%".into();
    let broken = WidgetFaq {
        faq_index: vec![1, 2, 3],
        ..faq.clone()
    };
    expect!["index: truncated at byte 0"].assert_eq(&broken.index().expect_err("not an index"));
    let error = serde_json::from_value::<WidgetFaq>(json).expect_err("not base64");
    expect!["not base64 (a length of 3, not a multiple of 4)"].assert_eq(&error.to_string());
    // In the wire encoding, as bytes and as the widget's text copy.
    assert_eq!(WidgetFaq::from_wire(&faq.to_wire()).as_ref(), Ok(&faq));
    let text = wire::to_text(&faq.to_wire());
    assert_eq!(WidgetFaq::from_wire_text(&text).as_ref(), Ok(&faq));
    expect!["widget FAQ: not Baton's wire encoding: the data ends too early (in 1 bytes)"]
        .assert_eq(&WidgetFaq::from_wire(&faq.to_wire()[..1]).expect_err("cut short"));
}

#[test]
fn pre_chat_answers_are_checked_against_the_site_form() {
    let config = SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("valid");
    let answer = |id: &str, value: &str| FieldValue {
        id: id.into(),
        value: value.into(),
    };
    let cases = [
        (
            "all good",
            SubmitForm {
                fields: vec![answer("name", "Ada"), answer("email", "ada@example.com")],
                consent: true,
            },
        ),
        (
            "bad values",
            SubmitForm {
                fields: vec![
                    answer("email", "ada at example"),
                    answer("website", "not a site"),
                    answer("order", "<script>"),
                    answer("name", "  "),
                    answer("colour", "blue"),
                    answer("email", "ada@example.com"),
                ],
                consent: true,
            },
        ),
        (
            "missing email",
            SubmitForm {
                fields: vec![answer("name", "Ada")],
                consent: true,
            },
        ),
    ];
    let shown: Vec<String> = cases
        .iter()
        .map(|(case, form)| {
            format!(
                "{case}: {}",
                listed(&form.check(&config.pre_chat, &["email"]))
            )
        })
        .collect();
    expect![[r#"
        all good: ok
        bad values: fields[0].value: must be an email address like name@example.com; fields[1].value: must be a website address like example.com; fields[2].value: must be letters, digits and - # / only; fields[3].value: must not be empty; fields[4].id: the form has no field "colour"; fields[5].id: "email" is given twice
        missing email: fields: Email is needed"#]].assert_eq(&shown.join("\n"));
}

#[test]
fn a_requested_team_must_be_one_of_the_sites() {
    let config = SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("valid");
    let mut no_teams = config.clone();
    no_teams.teams.clear();
    let asking = |team: Option<&str>| CreateConversation {
        team: team.map(str::to_string),
        ..CreateConversation::default()
    };
    let shown = [
        listed(&asking(None).check(&config)),
        listed(&asking(Some("sales")).check(&config)),
        listed(&asking(Some("marketing")).check(&config)),
        listed(&asking(Some("sales")).check(&no_teams)),
    ];
    expect![[r#"
        ok
        ok
        team: site "demo" has no team "marketing" (its teams are sales, support, tech)
        team: site "demo" has no team "sales" (it has none)"#]]
    .assert_eq(&shown.join("\n"));
    check_wire(asking(Some("sales")), expect![[r#"{"team":"sales"}"#]]);
}

#[test]
fn identify_needs_a_token_for_a_user_id() {
    let cases = [
        Identify {
            name: Some("Ada".into()),
            email: Some("ada@example.com".into()),
            ..Identify::default()
        },
        Identify {
            user_id: Some("42".into()),
            ..Identify::default()
        },
        Identify {
            email: Some("nope".into()),
            token: Some("1.abc".into()),
            ..Identify::default()
        },
    ];
    let shown: Vec<String> = cases
        .iter()
        .map(|identify| listed(&identify.validate()))
        .collect();
    expect![[r#"
        ok
        token: user_id and token go together: a user id is only accepted when the site signed it
        email: must be an email address like name@example.com; user_id: user_id and token go together: a user id is only accepted when the site signed it"#]].assert_eq(&shown.join("\n"));
}

/// `ok`, or every problem on one line.
fn listed(errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return "ok".into();
    }
    let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    errors.join("; ")
}

#[test]
fn an_email_typed_in_the_chat_is_found_only_when_there_is_one() {
    let cases = [
        "ana@example.com",
        "sure, it's ana@example.com.",
        "<ana@example.com>",
        "ana@example.com or ANA@example.com",
        "ana@example.com or bo@example.org",
        "my email? ana at example dot com",
        "email me: x@y",
        "What is your returns policy?",
    ];
    let found: Vec<String> = cases
        .iter()
        .map(|text| format!("{text:?} -> {:?}", email_in_text(text)))
        .collect();
    expect![[r#"
        "ana@example.com" -> Some("ana@example.com")
        "sure, it's ana@example.com." -> Some("ana@example.com")
        "<ana@example.com>" -> Some("ana@example.com")
        "ana@example.com or ANA@example.com" -> Some("ana@example.com")
        "ana@example.com or bo@example.org" -> None
        "my email? ana at example dot com" -> None
        "email me: x@y" -> None
        "What is your returns policy?" -> None"#]]
    .assert_eq(&found.join("\n"));
}

#[test]
fn every_email_in_a_text_is_found_for_erasure() {
    let found: Vec<Vec<String>> = [
        "write to ana@example.com or (bo@example.org), or mailto:ANA@example.com.",
        "my email? ana at example dot com",
    ]
    .iter()
    .map(|text| super::emails_in_text(text))
    .collect();
    expect![[r#"
        [
            [
                "ana@example.com",
                "bo@example.org",
            ],
            [],
        ]
    "#]]
    .assert_debug_eq(&found);
}

/// Tuesday 14 January 2031, 11:00 UTC.
const EVENTS_AT: u64 = 1_926_154_800_000;

fn campaigns() -> Vec<crate::campaign::Campaign> {
    crate::config::SiteConfig::from_json(include_str!("../../../tests/sites/campaigns.json"))
        .expect("the campaigns test site is valid")
        .campaigns
}

fn event(
    campaign: &str,
    variant: Option<&str>,
    held_out: bool,
    what: CampaignWhat,
    at_ms: u64,
) -> CampaignEvent {
    CampaignEvent {
        campaign: campaign.into(),
        variant: variant.map(str::to_string),
        held_out,
        what,
        at_ms,
    }
}

#[test]
fn campaign_events_are_checked_whole_then_tallied_per_day_and_summed() {
    let day = 24 * 60 * 60 * 1_000;
    let batch = CampaignEvents {
        visitor: "v_1234567890".into(),
        events: vec![
            event(
                "pricing-help",
                Some("short"),
                false,
                CampaignWhat::Shown,
                EVENTS_AT,
            ),
            event(
                "pricing-help",
                Some("short"),
                false,
                CampaignWhat::Shown,
                EVENTS_AT - 1,
            ),
            event(
                "pricing-help",
                Some("short"),
                false,
                CampaignWhat::Clicked,
                EVENTS_AT,
            ),
            // The previous day (UTC) is another row.
            event(
                "pricing-help",
                Some("short"),
                false,
                CampaignWhat::Shown,
                EVENTS_AT - 12 * 60 * 60 * 1_000,
            ),
            event("pricing-help", None, true, CampaignWhat::Goal, EVENTS_AT),
            // Counted by the worker only.
            event("demo-lead", None, false, CampaignWhat::Lead, EVENTS_AT),
            event("demo-lead", None, false, CampaignWhat::Handoff, EVENTS_AT),
        ],
    };
    assert_eq!(batch.check(&campaigns(), EVENTS_AT), Vec::new());
    let tally: Vec<String> = batch
        .tally()
        .iter()
        .map(|count| {
            format!(
                "{} {} {:?} {} {:?} ×{}",
                count.day, count.campaign, count.variant, count.held_out, count.what, count.n
            )
        })
        .collect();
    expect![[r#"
        2031-01-14 pricing-help Some("short") false Shown ×2
        2031-01-14 pricing-help Some("short") false Clicked ×1
        2031-01-13 pricing-help Some("short") false Shown ×1
        2031-01-14 pricing-help None true Goal ×1"#]]
    .assert_eq(&tally.join("\n"));
    let mut counts = batch.tally();
    counts.push(CampaignCount::one(
        &CampaignRef {
            id: "gone".into(),
            variant: None,
        },
        CampaignWhat::Conversation,
        EVENTS_AT,
    ));
    let results = CampaignResults::sum("2031-01-14", "2031-01-14", &campaigns(), &counts);
    let rows: Vec<String> = results
        .rows
        .iter()
        .map(|row| {
            format!(
                "{} {:?} {:?} held_out={} shown={} clicked={} goals={} conversations={}",
                row.campaign,
                row.name,
                row.variant,
                row.held_out,
                row.shown,
                row.clicked,
                row.goals,
                row.conversations
            )
        })
        .collect();
    expect![[r#"
        pricing-help Some("Help on the pricing page") Some("short") held_out=false shown=2 clicked=1 goals=0 conversations=0
        pricing-help Some("Help on the pricing page") None held_out=true shown=0 clicked=0 goals=1 conversations=0
        gone None None held_out=false shown=0 clicked=0 goals=0 conversations=1"#]]
    .assert_eq(&rows.join("\n"));
    // A day too far from now, in either direction, names the event.
    let late = batch.check(&campaigns(), EVENTS_AT + 2 * day);
    assert_eq!(late[0].path, "events[0].at_ms");
    assert_eq!(days_between("2031-01-14", "2031-01-13"), Some(-1));
    assert_eq!(parse_day("2031-1-14"), None);
    assert_eq!(parse_day("2031-01-14").as_deref(), Some("2031-01-14"));
}

#[test]
fn a_draft_lists_every_problem_by_path_and_an_id_of_another_site() {
    use super::site_config::draft_problems;
    let draft = serde_json::json!({
        "id": "other",
        "name": "",
        "allowed_origins": ["ftp://x"],
        "faq": [{"id": "a", "question": " ", "answer": "Here."}]
    });
    let lines: Vec<String> = draft_problems("shop", &draft)
        .iter()
        .map(ToString::to_string)
        .collect();
    expect![[r#"
        [
            "name: must not be empty",
            "allowed_origins[0]: \"ftp://x\" must start with http:// or https://",
            "faq[0].question: must not be empty",
            "id: must be this site's id \"shop\", got \"other\"",
        ]
    "#]]
    .assert_debug_eq(&lines);
    let unknown_field = serde_json::json!({"id": "shop", "name": "Shop", "colour": 1});
    let lines: Vec<String> = draft_problems("shop", &unknown_field)
        .iter()
        .map(ToString::to_string)
        .collect();
    expect![[r#"
        [
            "line 2, column 10: unknown field `colour`, expected one of `$schema`, `id`, `name`, `allowed_origins`, `locale`, `timezone`, `business_hours`, `teams`, `messages`, `appearance`, `faq`, `synonyms`, `knowledge`, `handoff`, `pre_chat`, `ai`, `retention_days`, `metrics_retention_days`, `campaigns`, `campaign_limits`, `goals`, `conversion_window_days`, `canned_replies`, `webhooks`, `turnstile`, `regression_questions`",
        ]
    "#]].assert_debug_eq(&lines);
}

#[test]
fn a_diff_side_is_draft_or_a_version_from_one() {
    use super::site_config::ConfigRef;
    let parsed: Vec<String> = ["draft", "1", "12", "0", "-1", "two", "Draft", ""]
        .iter()
        .map(|text| format!("{text:?} -> {:?}", ConfigRef::parse(text)))
        .collect();
    expect![[r#"
        [
            "\"draft\" -> Some(Draft)",
            "\"1\" -> Some(Version(1))",
            "\"12\" -> Some(Version(12))",
            "\"0\" -> None",
            "\"-1\" -> None",
            "\"two\" -> None",
            "\"Draft\" -> None",
            "\"\" -> None",
        ]
    "#]]
    .assert_debug_eq(&parsed);
}
