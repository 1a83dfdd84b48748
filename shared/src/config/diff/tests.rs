use expect_test::{Expect, expect};
use serde_json::json;

use super::*;

/// One line per change: `kind path: before -> after`.
#[track_caller]
fn check(before: Value, after: Value, expect: Expect) {
    let lines: String = diff(&before, &after)
        .iter()
        .map(|change| {
            let show = |value: &Option<Value>| match value {
                Some(value) => value.to_string(),
                None => "-".to_string(),
            };
            format!(
                "{:?} {}: {} -> {}\n",
                change.kind,
                change.path,
                show(&change.before),
                show(&change.after)
            )
        })
        .collect();
    expect.assert_eq(&lines);
}

#[test]
fn the_same_configuration_has_no_changes() {
    let config = json!({"id": "shop", "faq": [{"id": "a", "answer": "Yes."}]});
    check(config.clone(), config, expect![""]);
}

#[test]
fn scalars_are_changed_added_and_removed_by_field_path() {
    check(
        json!({"id": "shop", "name": "Shop", "locale": "en", "appearance": {"color": "#fff"}}),
        json!({"id": "shop", "name": "Coffee shop", "timezone": "Europe/Paris", "appearance": {"color": "#000"}}),
        expect![[r##"
            Changed appearance.color: "#fff" -> "#000"
            Removed locale: "en" -> -
            Changed name: "Shop" -> "Coffee shop"
            Added timezone: - -> "Europe/Paris"
        "##]],
    );
}

#[test]
fn a_list_of_scalars_is_one_change() {
    check(
        json!({"allowed_origins": ["https://a.example", "https://b.example"], "teams": [{"id": "sales", "intents": ["sales"]}]}),
        json!({"allowed_origins": ["https://b.example"], "teams": [{"id": "sales", "intents": ["sales", "billing"]}]}),
        expect![[r#"
            Changed allowed_origins: ["https://a.example","https://b.example"] -> ["https://b.example"]
            Changed teams[0].intents: ["sales"] -> ["sales","billing"]
        "#]],
    );
}

#[test]
fn items_with_an_id_are_matched_by_it_at_their_newer_index() {
    // Entry "b" moved to the front and its answer changed; "a" is unchanged though its index moved; "c" is removed
    // (at its older index) and "d" added: each once, whole.
    check(
        json!({"faq": [
            {"id": "a", "question": "Where?", "answer": "Here."},
            {"id": "b", "question": "When?", "answer": "Now."},
            {"id": "c", "question": "Who?", "answer": "Us."}
        ]}),
        json!({"faq": [
            {"id": "b", "question": "When?", "answer": "Tomorrow."},
            {"id": "a", "question": "Where?", "answer": "Here."},
            {"id": "d", "question": "Why?", "answer": "Because."}
        ]}),
        expect![[r#"
            Changed faq[0].answer: "Now." -> "Tomorrow."
            Added faq[2]: - -> {"answer":"Because.","id":"d","question":"Why?"}
            Removed faq[2]: {"answer":"Us.","id":"c","question":"Who?"} -> -
        "#]],
    );
}

#[test]
fn an_item_added_to_an_empty_list_is_one_change() {
    check(
        json!({"faq": []}),
        json!({"faq": [{"id": "a", "question": "Where?", "answer": "Here."}]}),
        expect![[r#"
            Added faq[0]: - -> {"answer":"Here.","id":"a","question":"Where?"}
        "#]],
    );
}

#[test]
fn items_without_ids_are_compared_by_position() {
    check(
        json!({"business_hours": {"weekly": {"mon": [{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}]}}}),
        json!({"business_hours": {"weekly": {"mon": [{"start": "09:30", "end": "12:00"}]}}}),
        expect![[r#"
            Changed business_hours.weekly.mon[0].start: "09:00" -> "09:30"
            Removed business_hours.weekly.mon[1]: {"end":"18:00","start":"14:00"} -> -
        "#]],
    );
}

#[test]
fn duplicate_ids_fall_back_to_positions() {
    check(
        json!({"faq": [{"id": "a", "answer": "1"}, {"id": "a", "answer": "2"}]}),
        json!({"faq": [{"id": "a", "answer": "2"}, {"id": "a", "answer": "2"}]}),
        expect![[r#"
            Changed faq[0].answer: "1" -> "2"
        "#]],
    );
}

#[test]
fn a_value_that_changes_type_is_one_change() {
    check(
        json!({"teams": [{"id": "sales", "reply_minutes": 5}], "faq": "none"}),
        json!({"teams": [{"id": "sales", "reply_minutes": "five"}], "faq": []}),
        expect![[r#"
            Changed faq: "none" -> []
            Changed teams[0].reply_minutes: 5 -> "five"
        "#]],
    );
}
