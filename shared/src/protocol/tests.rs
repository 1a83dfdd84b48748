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
            text: "We ship in 2 days.".into(),
            sent_at_ms: 1_700_000_000_000,
            client_message_id: None,
            answer: Some(AnswerSource {
                faq_entry_id: Some("delivery-times".into()),
                confidence: 0.75,
            }),
        },
        expect![[
            r#"{"seq":2,"author":"ai","text":"We ship in 2 days.","sent_at_ms":1700000000000,"answer":{"faq_entry_id":"delivery-times","confidence":0.75}}"#
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
    expect!["unknown field `txt`, expected `client_message_id` or `text` at line 1 column 41"]
        .assert_eq(&error.to_string());
}
