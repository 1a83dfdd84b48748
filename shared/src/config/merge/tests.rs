use expect_test::{Expect, expect};
use serde_json::json;

use super::*;

/// The merged configuration as JSON, then one line per conflict: `path: base | ours (kept) | theirs`.
#[track_caller]
fn check(base: Value, ours: Value, theirs: Value, expect: Expect) {
    let merged = merge(&base, &ours, &theirs);
    let show = |value: &Option<Value>| value.as_ref().map_or("-".to_string(), Value::to_string);
    let mut text = format!("{}\n", merged.config);
    for conflict in &merged.conflicts {
        text.push_str(&format!(
            "conflict {}: {} | {} | {}\n",
            conflict.path,
            show(&conflict.base),
            show(&conflict.ours),
            show(&conflict.theirs)
        ));
    }
    expect.assert_eq(&text);
}

#[test]
fn changes_to_different_fields_are_both_kept() {
    check(
        json!({"name": "Shop", "locale": "en", "appearance": {"color": "#111111", "greeting": "Hi"}}),
        json!({"name": "Coffee shop", "locale": "en", "appearance": {"color": "#111111", "greeting": "Hello!"}}),
        json!({"name": "Shop", "locale": "fr", "appearance": {"color": "#222222", "greeting": "Hi"}}),
        expect![[r##"
            {"appearance":{"color":"#222222","greeting":"Hello!"},"locale":"fr","name":"Coffee shop"}
        "##]],
    );
}

#[test]
fn the_same_field_changed_on_both_sides_keeps_the_drafts_value_and_is_listed() {
    check(
        json!({"name": "Shop", "retention_days": 30}),
        json!({"name": "Our shop", "retention_days": 30}),
        json!({"name": "The shop", "retention_days": 60}),
        expect![[r#"
            {"name":"Our shop","retention_days":60}
            conflict name: "Shop" | "Our shop" | "The shop"
        "#]],
    );
    // The same change on both sides is no conflict.
    check(
        json!({"name": "Shop"}),
        json!({"name": "New"}),
        json!({"name": "New"}),
        expect![[r#"
            {"name":"New"}
        "#]],
    );
}

#[test]
fn faq_entries_are_merged_by_id_whatever_their_order() {
    check(
        json!({"faq": [
            {"id": "a", "question": "A?", "answer": "1"},
            {"id": "b", "question": "B?", "answer": "2"},
            {"id": "c", "question": "C?", "answer": "3"}
        ]}),
        // The draft edits b's answer, removes c and adds d.
        json!({"faq": [
            {"id": "a", "question": "A?", "answer": "1"},
            {"id": "b", "question": "B?", "answer": "two"},
            {"id": "d", "question": "D?", "answer": "4"}
        ]}),
        // They moved b first, edited a's question and added e.
        json!({"faq": [
            {"id": "b", "question": "B?", "answer": "2"},
            {"id": "a", "question": "A, really?", "answer": "1"},
            {"id": "c", "question": "C?", "answer": "3"},
            {"id": "e", "question": "E?", "answer": "5"}
        ]}),
        expect![[r#"
            {"faq":[{"answer":"two","id":"b","question":"B?"},{"answer":"1","id":"a","question":"A, really?"},{"answer":"5","id":"e","question":"E?"},{"answer":"4","id":"d","question":"D?"}]}
        "#]],
    );
}

#[test]
fn an_entry_removed_on_one_side_and_changed_on_the_other_is_a_conflict() {
    check(
        json!({"faq": [{"id": "a", "answer": "1"}, {"id": "b", "answer": "2"}]}),
        // The draft removes a and changes b.
        json!({"faq": [{"id": "b", "answer": "two"}]}),
        // They change a and remove b.
        json!({"faq": [{"id": "a", "answer": "one"}]}),
        expect![[r#"
            {"faq":[{"answer":"two","id":"b"}]}
            conflict faq[0]: {"answer":"1","id":"a"} | - | {"answer":"one","id":"a"}
            conflict faq[0]: {"answer":"2","id":"b"} | {"answer":"two","id":"b"} | -
        "#]],
    );
}

#[test]
fn lists_of_words_and_lists_without_ids_are_one_value() {
    check(
        json!({"allowed_origins": ["https://a.example"], "business_hours": {"mon": [{"opens": "09:00", "closes": "17:00"}]}}),
        json!({"allowed_origins": ["https://a.example", "https://b.example"], "business_hours": {"mon": [{"opens": "08:00", "closes": "17:00"}]}}),
        json!({"allowed_origins": ["https://c.example"], "business_hours": {"mon": []}}),
        expect![[r#"
            {"allowed_origins":["https://a.example","https://b.example"],"business_hours":{"mon":[{"closes":"17:00","opens":"08:00"}]}}
            conflict allowed_origins: ["https://a.example"] | ["https://a.example","https://b.example"] | ["https://c.example"]
            conflict business_hours.mon: [{"closes":"17:00","opens":"09:00"}] | [{"closes":"17:00","opens":"08:00"}] | []
        "#]],
    );
}

#[test]
fn a_field_added_or_removed_on_one_side_is_taken() {
    check(
        json!({"name": "Shop", "timezone": "UTC"}),
        json!({"name": "Shop", "timezone": "UTC", "locale": "fr"}),
        json!({"name": "Shop"}),
        expect![[r#"
            {"locale":"fr","name":"Shop"}
        "#]],
    );
}
