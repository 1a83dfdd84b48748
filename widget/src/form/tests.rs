use baton_shared::config::PreChatForm;
use baton_shared::protocol::{Author, HandoffNotice, Message};
use expect_test::expect;

use super::*;

fn form(json: &str) -> PreChatForm {
    serde_json::from_str(json).expect("a pre-chat form")
}

const FIELDS: &str = r#"[
    {"id": "name", "kind": "name", "label": "Name", "required": true},
    {"id": "email", "kind": "email", "label": "Email"}
]"#;

fn message(seq: u64, author: Author, asks_for: Option<&[&str]>) -> Message {
    let handoff = asks_for.map(|asks_for| {
        let mut notice: HandoffNotice = serde_json::from_str(
            r#"{"reason": "asked_for_person", "team": "Support", "queued": false}"#,
        )
        .expect("a handoff notice with defaults");
        notice.asks_for = asks_for.iter().map(|id| id.to_string()).collect();
        notice
    });
    Message {
        seq,
        author,
        author_name: None,
        text: String::new(),
        sent_at_ms: 0,
        client_message_id: None,
        answer: None,
        handoff,
        event: None,
        choices: Vec::new(),
        choice: None,
    }
}

/// What the visitor is asked, in each situation, for a site's form.
#[track_caller]
fn check(form_json: &str, expect: expect_test::Expect) {
    let form = form(form_json);
    let greeted = ChatState {
        messages: vec![message(1, Author::Ai, None)],
        ..ChatState::default()
    };
    let wrote = ChatState {
        messages: vec![
            message(1, Author::Ai, None),
            message(2, Author::Visitor, None),
        ],
        ..ChatState::default()
    };
    let handed_off = ChatState {
        messages: vec![
            message(2, Author::Visitor, None),
            message(3, Author::System, Some(&["email", "name"])),
        ],
        given_fields: vec!["name".into()],
        ..ChatState::default()
    };
    let shown: Vec<String> = [
        ("greeted", greeted),
        ("wrote", wrote),
        ("handed off, name given", handed_off),
    ]
    .into_iter()
    .map(|(situation, chat)| {
        let plan = FormPlan::for_chat(&form, &chat);
        let request = plan.as_ref().and_then(FormPlan::request).map(|request| {
            format!(
                "form shows {:?}, requires {:?}",
                request.show, request.required
            )
        });
        let asking = plan
            .as_ref()
            .and_then(FormPlan::asking)
            .map(|field| format!("chat asks for {}", field.id));
        format!(
            "{situation}: {}",
            request.or(asking).unwrap_or_else(|| "nothing asked".into())
        )
    })
    .collect();
    expect.assert_debug_eq(&shown);
}

#[test]
fn a_form_before_the_chat_asks_until_the_visitor_writes() {
    check(
        &format!(r#"{{"before_chat": true, "fields": {FIELDS}}}"#),
        expect![[r#"
            [
                "greeted: form shows [\"name\", \"email\"], requires [\"name\"]",
                "wrote: nothing asked",
                "handed off, name given: form shows [\"email\"], requires [\"email\"]",
            ]
        "#]],
    );
}

#[test]
fn a_conversational_form_asks_one_field_at_a_time_in_the_chat() {
    check(
        &format!(r#"{{"style": "conversational", "fields": {FIELDS}}}"#),
        expect![[r#"
            [
                "greeted: nothing asked",
                "wrote: nothing asked",
                "handed off, name given: chat asks for email",
            ]
        "#]],
    );
}

#[test]
fn a_consent_box_needs_the_form_even_on_conversational_sites() {
    check(
        &format!(r#"{{"style": "conversational", "consent": "I agree.", "fields": {FIELDS}}}"#),
        expect![[r#"
            [
                "greeted: nothing asked",
                "wrote: nothing asked",
                "handed off, name given: form shows [\"email\"], requires [\"email\"]",
            ]
        "#]],
    );
}

#[test]
fn fields_given_in_a_lead_form_answer_the_pre_chat_form_unless_a_consent_box_needs_ticking() {
    let known = vec![
        FieldValue {
            id: "name".into(),
            value: "Ada".into(),
        },
        FieldValue {
            id: "email".into(),
            value: "ada@example.com".into(),
        },
    ];
    let before_chat = |json: &str| {
        let form = form(json);
        let plan = FormPlan::for_chat(&form, &ChatState::default()).expect("the form comes first");
        let name_only = [known[0].clone()];
        (
            plan.answered_by(&known).map(|form| form.fields.len()),
            plan.answered_by(&name_only).map(|form| form.fields.len()),
            plan.answered_by(&[]).is_some(),
        )
    };
    expect![[r#"
        (
            (
                Some(
                    2,
                ),
                Some(
                    1,
                ),
                false,
            ),
            (
                None,
                None,
                false,
            ),
        )
    "#]]
    .assert_debug_eq(&(
        before_chat(&format!(r#"{{"before_chat": true, "fields": {FIELDS}}}"#)),
        before_chat(&format!(
            r#"{{"before_chat": true, "consent": "I agree.", "fields": {FIELDS}}}"#
        )),
    ));
}
