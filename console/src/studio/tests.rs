//! Tests of the studio's plain parts: field paths in a working copy, the FAQ's CSV, the colour contrast, the words
//! of a diff, the test bench's verdicts and the regression questions' replay, the simulator's visitor.

use baton_shared::config::SiteConfig;
use expect_test::{Expect, expect};
use serde_json::{Value, json};

use super::changes::describe;
use super::contrast;
use super::csv;
use super::document;
use super::outcome::{self, Compiled};
use super::simulator::{PastCampaign, Visitor};
use super::{Part, check};

fn site() -> Value {
    json!({
        "id": "shop",
        "name": "Shop",
        "allowed_origins": ["https://shop.example"],
        "teams": [{"id": "sales", "name": "Sales", "intents": ["sales"]}],
        "faq": [
            {"id": "delivery", "question": "How long does delivery take?", "answer": "Two to three days."},
            {"id": "returns", "question": "Can I return my order?", "answer": "Within 30 days."}
        ],
        "regression_questions": [
            {"question": "How long does delivery take?", "expect": "answer", "target": "delivery"},
            {"question": "Can I return my order?", "expect": "answer", "target": "returns"}
        ]
    })
}

#[track_caller]
fn check_edit(change: impl FnOnce(&mut Value), expect: Expect) {
    let mut doc = site();
    change(&mut doc);
    let problems: Vec<String> = check(&doc)
        .into_iter()
        .map(|problem| format!("{}: {}", problem.path, problem.problem))
        .collect();
    expect.assert_eq(&format!("faq: {}\nproblems: {problems:#?}", doc["faq"]));
}

#[test]
fn fields_are_written_at_their_paths_and_problems_come_back_there() {
    check_edit(
        |doc| {
            document::set(doc, "faq[1].answer", json!(""));
            document::set(doc, "faq[0].links", json!([]));
            document::push(
                doc,
                "faq[0].links",
                json!({"title": "Rates", "url": "ftp://x"}),
            );
            document::set(doc, "faq[0].tags", Value::Null);
        },
        expect![[r#"
            faq: [{"answer":"Two to three days.","id":"delivery","links":[{"title":"Rates","url":"ftp://x"}],"question":"How long does delivery take?"},{"answer":"","id":"returns","question":"Can I return my order?"}]
            problems: [
                "faq[0].links[0].url: \"ftp://x\" must be an http(s) URL or a path starting with /",
                "faq[1].answer: must not be empty",
            ]"#]],
    );
    check_edit(
        |doc| {
            document::shift(doc, "faq", 1, true);
            document::remove(doc, "faq", 1);
            document::shift(doc, "faq", 0, true);
        },
        expect![[r#"
            faq: [{"answer":"Within 30 days.","id":"returns","question":"Can I return my order?"}]
            problems: [
                "regression_questions[0].target: \"delivery\" is not an FAQ entry's id",
            ]"#]],
    );
    check_edit(
        |doc| document::set(doc, "faq[0].answer", json!(3)),
        expect![[r#"
            faq: [{"answer":3,"id":"delivery","question":"How long does delivery take?"},{"answer":"Within 30 days.","id":"returns","question":"Can I return my order?"}]
            problems: [
                "configuration: invalid type: integer `3`, expected a string",
            ]"#]],
    );
}

#[test]
fn paths_read_as_validation_writes_them() {
    let doc = json!({"synonyms": [["a", "b"]], "business_hours": {"mon": [{"opens": "09:00"}]}});
    assert_eq!(document::text(&doc, "synonyms[0][1]"), "b");
    assert_eq!(document::text(&doc, "business_hours.mon[0].opens"), "09:00");
    assert_eq!(document::text(&doc, "business_hours.tue[0].opens"), "");
    assert_eq!(document::steps("faq[x]"), None);
    assert_eq!(
        document::field_id("faq[2].links[0].url"),
        "field-faq-2-links-0-url"
    );
    assert!(Part::Faq.holds("faq[2].answer"));
    assert!(Part::Campaigns.holds("campaign_limits.per_day"));
    assert!(!Part::Faq.holds("faq_other"));
    assert_eq!(super::part_of("studio&part=bench"), Part::Bench);
    assert_eq!(super::part_of("studio&part=nothing"), Part::Faq);
    assert_eq!(super::part_of("studio"), Part::Faq);
}

#[test]
fn the_faq_goes_to_csv_and_back() {
    let config: SiteConfig = serde_json::from_value(json!({
        "id": "shop", "name": "Shop", "allowed_origins": ["https://shop.example"],
        "faq": [{"id": "delivery", "question": "How long, \"really\"?", "alternates": ["When will it come?", "Shipping time"],
                 "answer": "Two days,\nthree at most.", "tags": ["support"], "links": [{"title": "Rates", "url": "/rates"}]}]
    }))
    .expect("a valid site");
    let text = csv::export(&config.faq);
    expect![[r#"
        id,question,answer,alternates,tags,links
        delivery,"How long, ""really""?","Two days,
        three at most.",When will it come? | Shipping time,support,Rates </rates>
    "#]]
    .assert_eq(&text.replace("\r\n", "\n"));
    assert_eq!(csv::import(&text), Ok(config.faq));
    assert_eq!(
        csv::import("question,answer\nA,B\n"),
        Err("the first line must name the columns id, question and answer".to_string())
    );
    assert_eq!(
        csv::import("id,question,answer,links\na,Q,A,Rates /rates\n"),
        Err("row 2: the link \"Rates /rates\" must be written title <url>".to_string())
    );
}

#[test]
fn contrast_follows_wcag() {
    let ratio = |colour| contrast::ratio(colour, "#ffffff").map(|ratio| format!("{ratio:.2}"));
    assert_eq!(ratio("#000000"), Some("21.00".into()));
    assert_eq!(ratio("#1f6f50"), Some("6.09".into()));
    assert_eq!(ratio("#ffcc00"), Some("1.51".into()));
    assert_eq!(ratio("green"), None);
}

#[test]
fn diff_paths_are_said_in_words() {
    expect![[r#"
        FAQ entry 3 › answer
        FAQ entry 1 › link 2 › url
        Business hours › Monday › range 1 › opens
        Appearance › colour
        Campaign 2 › trigger › seconds
        Retention days
    "#]]
    .assert_eq(
        &[
            "faq[2].answer",
            "faq[0].links[1].url",
            "business_hours.mon[0].opens",
            "appearance.colour",
            "campaigns[1].trigger.seconds",
            "retention_days",
        ]
        .map(|path| describe(path) + "\n")
        .concat(),
    );
}

#[test]
fn the_bench_says_what_the_draft_does_and_regressions_flag_changed_answers() {
    let published: SiteConfig = serde_json::from_value(site()).expect("a valid site");
    let mut draft = published.clone();
    draft.faq[0].answer = "Next day, always.".into();
    draft.faq.remove(1);
    draft.regression_questions.pop();
    let (draft, published) = (Compiled::new(draft), Compiled::new(published));
    let verdict = outcome::decide(&draft, "how long does delivery take", 0, &["sales", "*"]);
    expect![[r#"
        Answer Some("delivery") Answers with the FAQ entry “How long does delivery take?”
        Next day, always.
        matches: ["delivery"]"#]]
    .assert_eq(&format!(
        "{:?} {:?} {}\n{}\nmatches: {:?}",
        verdict.outcome,
        verdict.target,
        verdict.summary,
        verdict.reply,
        verdict
            .matches
            .iter()
            .map(|found| found.faq_entry.as_str())
            .collect::<Vec<_>>()
    ));
    let sales = outcome::decide(&draft, "Can I talk to a person please?", 0, &["sales", "*"]);
    assert_eq!(
        (sales.outcome.name(), sales.target.as_deref()),
        ("handoff", Some("sales")),
        "{sales:?}"
    );
    let replays = outcome::replay(&draft, &published, 0);
    let flags: Vec<(bool, bool)> = replays
        .iter()
        .map(|replay| (replay.passes(), replay.changed()))
        .collect();
    assert_eq!(
        flags,
        [(true, true)],
        "the answer's words changed, its outcome did not"
    );
}

#[test]
fn the_simulated_visitor_becomes_a_visit() {
    let visitor = Visitor {
        url: "https://shop.example/pricing".into(),
        utm_source: " newsletter ".into(),
        country: "fr".into(),
        returning: true,
        seconds_on_page: 10,
        seconds_on_site: 5,
        moment: "exit".into(),
        ..Visitor::default()
    };
    let visit = visitor.visit(100_000);
    assert_eq!(
        (
            visit.utm_source.as_deref(),
            visit.country.as_deref(),
            visit.visits,
            visit.page_started_ms,
            visit.visit_started_ms
        ),
        (Some("newsletter"), Some("FR"), 2, 90_000, 90_000)
    );
    assert_eq!(visitor.moment(), baton_shared::campaign::Moment::ExitIntent);
}

#[test]
fn the_simulated_visitors_past_campaigns_become_their_history() {
    use baton_shared::campaign::CampaignState;
    let past = |id: &str, was, days_ago| PastCampaign {
        id: id.into(),
        was,
        days_ago,
    };
    let visitor = Visitor {
        past: vec![
            past("banner", CampaignState::Seen, 3),
            past("banner", CampaignState::Dismissed, 1),
            past("popup", CampaignState::Converted, 10),
        ],
        ..Visitor::default()
    };
    let day = 24 * 60 * 60 * 1000;
    let now = 100 * day;
    let history = visitor.history(now);
    let lines: Vec<String> = history
        .campaigns
        .iter()
        .map(|(id, clocks)| {
            let days = |at: Option<u64>| at.map(|at| (now - at) / day);
            format!(
                "{id}: views {}, last view {:?} days ago, dismissed {:?}, converted {:?}",
                clocks.views,
                days(clocks.last_view_ms),
                days(clocks.dismissed_ms),
                days(clocks.converted_ms)
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "banner: views 1, last view Some(1) days ago, dismissed Some(1), converted None",
            "popup: views 1, last view Some(10) days ago, dismissed None, converted Some(10)",
        ]
    );
    assert_eq!(history.shown_ms, [90 * day, 97 * day]);
}

#[test]
fn a_webhook_tests_result_reads_plainly() {
    use baton_shared::protocol::site_config::WebhookTestResult;
    let result = |status: Option<u16>, error: Option<&str>, signed| WebhookTestResult {
        endpoint: "https://hooks.example/…".into(),
        status,
        delivered: error.is_none(),
        error: error.map(str::to_string),
        elapsed_ms: 42,
        signed,
        conversation_id: "webhook-test-1".into(),
    };
    let lines = [
        result(Some(200), None, true),
        result(Some(500), Some("the endpoint answered 500"), true),
        result(None, Some("connection refused"), false),
    ]
    .iter()
    .map(super::webhook_test::described)
    .collect::<Vec<_>>()
    .join("\n");
    expect![[r#"
        Delivered: https://hooks.example/… answered 200 in 42 ms (signed).
        Not delivered: the endpoint answered 500, after 42 ms (signed).
        Not delivered: https://hooks.example/… could not be reached after 42 ms: connection refused"#]]
    .assert_eq(&lines);
}

#[test]
fn an_audience_nodes_kind_is_its_one_key_and_each_kind_starts_valid() {
    use super::audience::{KINDS, kind_of};
    let doc = json!({"audience": {"all": [{"country": "FR"}, {"not": {"visitor": "new"}}]}});
    assert_eq!(kind_of(&doc, "audience"), "all");
    assert_eq!(kind_of(&doc, "audience.all[1]"), "not");
    assert_eq!(kind_of(&doc, "audience.all[1].not"), "visitor");
    assert_eq!(kind_of(&doc, "audience.any"), "");
    // Every kind's starting value is an audience the campaign model reads, under its own key.
    for (key, _, fresh) in &KINDS {
        let value = fresh();
        assert_eq!(kind_of(&json!({"a": value.clone()}), "a"), *key);
        serde_json::from_value::<baton_shared::campaign::Audience>(value)
            .unwrap_or_else(|error| panic!("{key}: {error}"));
    }
}
