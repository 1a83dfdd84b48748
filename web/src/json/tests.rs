//! The text writer against serde_json, on the protocol's types: the same text where no float is involved (field
//! order, skipped fields, variants, escapes), the same JSON value where one is.

use baton_shared::protocol::live::LiveCommand;
use baton_shared::protocol::{CampaignEvents, Identify, Message, PostMessage};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::text::to_string;

/// `json` read as a `T` by serde_json, written by both.
fn both<T: Serialize + DeserializeOwned>(json: &str) -> (String, String) {
    let value: T = serde_json::from_str(json).expect("a fixture of the type");
    (
        to_string(&value).expect("written"),
        serde_json::to_string(&value).expect("written"),
    )
}

#[test]
fn the_text_is_serde_jsons_without_floats() {
    let cases = [
        both::<Message>(
            r#"{"seq": 4, "author": "ai", "text": "Line one\nand \"two\"\t\\ é 🚀 \u0001",
                "sent_at_ms": 1700000000000, "client_message_id": "m1",
                "choices": [{"faq_entry": {"faq_entry_id": "ship", "label": "Shipping?"}},
                            {"person": {"label": "Talk to a person"}}]}"#,
        ),
        both::<Identify>(
            r#"{"name": "Ada", "email": "ada@example.com", "attributes": {"seats": "5", "plan": "pro"}}"#,
        ),
        both::<Identify>("{}"),
        both::<CampaignEvents>(
            r#"{"visitor": "v1", "events": [{"campaign": "welcome", "variant": null, "held_out": true,
                "what": "shown", "at_ms": 5}]}"#,
        ),
        both::<LiveCommand>(r#""typing""#),
        both::<LiveCommand>(r#"{"read": {"seq": 9}}"#),
        both::<LiveCommand>(r#"{"send": {"client_message_id": "c", "text": "hi"}}"#),
    ];
    for (ours, serde_jsons) in cases {
        assert_eq!(ours, serde_jsons);
    }
}

#[test]
fn floats_keep_their_value() {
    let post: PostMessage = serde_json::from_str(
        r#"{"text": "Shipping?", "client_message_id": "m2",
            "instant_answer": {"faq_entry_id": "ship", "confidence": 0.82}}"#,
    )
    .expect("a post");
    let ours: serde_json::Value =
        serde_json::from_str(&to_string(&post).expect("written")).expect("JSON");
    assert_eq!(ours, serde_json::to_value(&post).expect("a value"));
    let back: PostMessage = serde_json::from_value(ours).expect("read back");
    assert_eq!(back, post);
    assert_eq!(to_string(&f64::NAN).expect("written"), "null");
    assert_eq!(to_string(&2.5_f64).expect("written"), "2.5");
}

#[test]
fn map_keys_are_text() {
    let numbered = std::collections::BTreeMap::from([(3_u32, "three"), (10, "ten")]);
    assert_eq!(
        to_string(&numbered).expect("written"),
        r#"{"3":"three","10":"ten"}"#
    );
    let pairs = std::collections::BTreeMap::from([((1, 2), "pair")]);
    assert_eq!(
        to_string(&pairs).expect_err("refused").to_string(),
        "a map key must be text, not [1,2]"
    );
}
