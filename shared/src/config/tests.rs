use expect_test::{Expect, expect, expect_file};

use super::*;

#[track_caller]
fn check(json: &str, expect: Expect) {
    let outcome = match SiteConfig::from_json(json) {
        Ok(config) => format!("ok: {} with {} FAQ entries", config.id, config.faq.len()),
        Err(errors) => errors.iter().map(|e| format!("{e}\n")).collect(),
    };
    expect.assert_eq(&outcome);
}

#[test]
fn the_demo_site_is_valid() {
    check(
        include_str!("../../../sites/demo.json"),
        expect!["ok: demo with 20 FAQ entries"],
    );
}

#[test]
fn every_problem_is_reported_with_its_path() {
    check(
        r#"{
            "id": "Demo Site",
            "name": "",
            "allowed_origins": ["ftp://x", "http://localhost:*"],
            "faq": [
                {"id": "a", "question": "Where?", "answer": "Here."},
                {"id": "a", "question": " ", "alternates": [""], "answer": "There."}
            ]
        }"#,
        expect![[r#"
            id: "Demo Site" must be 1-64 lowercase letters, digits or '-'
            name: must not be empty
            allowed_origins[0]: "ftp://x" must start with http:// or https://
            faq[1].id: duplicates faq[0].id "a"
            faq[1].question: must not be empty
            faq[1].alternates[0]: must not be empty
        "#]],
    );
}

#[test]
fn syntax_errors_say_line_and_column() {
    check(
        "{\n  \"id\": \"demo\",\n  \"name\": \"Shop\"\n  \"faq\": []\n}",
        expect![[r#"
            line 4, column 3: expected `,` or `}`
        "#]],
    );
    check(
        r#"{"id": "demo", "name": "Shop", "allowed_origins": [], "faq": [], "colour": 1}"#,
        expect![[r#"
            line 1, column 73: unknown field `colour`, expected one of `$schema`, `id`, `name`, `allowed_origins`, `locale`, `timezone`, `business_hours`, `teams`, `messages`, `appearance`, `faq`, `synonyms`, `knowledge`, `handoff`, `pre_chat`, `ai`, `retention_days`, `metrics_retention_days`, `campaigns`, `campaign_limits`, `goals`, `conversion_window_days`, `canned_replies`, `webhooks`, `turnstile`, `regression_questions`
        "#]],
    );
}

#[test]
fn every_section_is_validated() {
    check(
        include_str!("every_section_invalid.json"),
        expect![[r#"
            locale: "de" is not supported; use one of en, fr
            timezone: "Mars/Olympus" is not an IANA timezone such as Europe/London
            business_hours.mon[0]: closes before it opens
            business_hours.tue[0].opens: "9am" must be a time HH:MM between 00:00 and 24:00
            business_hours.holidays[0].date: "2026-02-30" must be a date YYYY-MM-DD
            business_hours.overrides[0].intervals[0]: closes before it opens
            business_hours.overrides[1].date: duplicates business_hours.overrides[0].date "2026-12-24"
            teams[0].intents: must list at least one intent
            appearance.colour: "green" must be a colour #rrggbb
            faq[0].links[0].url: "javascript:alert(1)" must be an http(s) URL or a path starting with /
            handoff.confidence_threshold: must be between 0 and 1
            handoff.unanswered_turns: must be at least 1
        "#]],
    );
}

#[test]
fn the_shipped_schema_is_generated_from_the_types() {
    expect_file!["../../../schema/site.schema.json"].assert_eq(&SiteConfig::json_schema());
}

/// A minimal site whose `ai` section is `ai`.
fn with_ai(ai: &str) -> String {
    format!(
        r#"{{"id": "shop", "name": "Shop", "allowed_origins": ["https://shop.example"], "faq": [], "ai": {ai}}}"#
    )
}

#[test]
fn the_embeddings_settings_are_validated() {
    check(
        &with_ai(
            r#"{"provider": "openai", "embeddings": {"provider": "openai", "model": "text-embedding-3-small"}}"#,
        ),
        expect!["ok: shop with 0 FAQ entries"],
    );
    check(
        &with_ai(
            r#"{"embeddings": {"provider": "workers-ai", "model": "bge-small", "weight": 1.5, "min_similarity": 1}}"#,
        ),
        expect![[r#"
            ai.embeddings.model: "bge-small" is not a Workers AI model id (they start with @cf/)
            ai.embeddings.weight: must be between 0 and 1
            ai.embeddings.min_similarity: must be at least 0 and less than 1
        "#]],
    );
    check(
        &with_ai(r#"{"embeddings": {"provider": "openai", "model": " "}}"#),
        expect![[r#"
            ai.embeddings.model: must not be empty
        "#]],
    );
    check(
        &with_ai(r#"{"embeddings": {"provider": "cohere"}}"#),
        expect![[r#"
            line 1, column 129: unknown variant `cohere`, expected `openai` or `workers-ai`
        "#]],
    );
}

#[test]
fn the_metrics_retention_defaults_to_395_days_and_is_validated() {
    let site = |extra: &str| {
        format!(
            r#"{{"id": "shop", "name": "Shop", "allowed_origins": ["https://shop.example"], "faq": []{extra}}}"#
        )
    };
    let kept = SiteConfig::from_json(&site("")).map(|config| config.metrics_retention_days);
    assert_eq!(kept, Ok(395));
    check(
        &site(r#", "metrics_retention_days": 0"#),
        expect![[r#"
            metrics_retention_days: must be between 1 and 3650 days
        "#]],
    );
    check(
        &site(r#", "metrics_retention_days": 3651, "retention_days": 0"#),
        expect![[r#"
            retention_days: must be between 1 and 3650 days
            metrics_retention_days: must be between 1 and 3650 days
        "#]],
    );
}

#[test]
fn regression_questions_name_entries_and_teams_that_exist() {
    check(
        r#"{"id": "shop", "name": "Shop", "allowed_origins": ["https://shop.example"],
            "teams": [{"id": "sales", "name": "Sales", "intents": ["sales"]}],
            "faq": [{"id": "delivery", "question": "How long is delivery?", "answer": "Three days."}],
            "regression_questions": [
                {"question": "When will my parcel come?", "expect": "answer", "target": "delivery"},
                {"question": "Can I get a quote?", "expect": "handoff", "target": "sales"},
                {"question": " ", "expect": "answer"},
                {"question": "Refunds?", "expect": "answer", "target": "refunds"},
                {"question": "Talk to someone", "expect": "handoff", "target": "billing"},
                {"question": "Hm", "expect": "fallback", "target": "delivery"}
            ]}"#,
        expect![[r#"
            regression_questions[2].question: must not be empty
            regression_questions[2].target: must name the FAQ entry that answers
            regression_questions[3].target: "refunds" is not an FAQ entry's id
            regression_questions[4].target: "billing" is not a team's id
            regression_questions[5].target: is only for an answer (an FAQ entry) or a handoff (a team)
        "#]],
    );
}
