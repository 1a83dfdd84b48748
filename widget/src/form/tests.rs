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
        let plan = FormPlan::for_chat(&form, &chat, &Remembered::default());
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

/// What a visitor who gave `remembered` in a lead form is asked, and what is filled in or sent for them: before the
/// chat, and when a handoff waits for both fields.
#[track_caller]
fn check_remembered(form_json: &str, remembered: &Remembered, expect: expect_test::Expect) {
    let form = form(form_json);
    let handed_off = ChatState {
        messages: vec![
            message(2, Author::Visitor, None),
            message(3, Author::System, Some(&["name", "email"])),
        ],
        ..ChatState::default()
    };
    let shown: Vec<String> = [
        ("before the chat", ChatState::default()),
        ("handed off", handed_off),
    ]
    .into_iter()
    .filter_map(|(situation, chat)| {
        let plan = FormPlan::for_chat(&form, &chat, remembered)?;
        let sent = |answers: &SubmitForm| {
            let fields: Vec<String> = answers
                .fields
                .iter()
                .map(|field| format!("{}={}", field.id, field.value))
                .collect();
            format!("{} consent {}", fields.join(" "), answers.consent)
        };
        let what = match (plan.complete(), plan.request(), plan.asking()) {
            (Some(answers), ..) => format!("sent at once: {}", sent(&answers)),
            (None, Some(request), _) => format!(
                "form shows {:?} filled in with {:?}, requires {:?}, consent box {}",
                request.show,
                request
                    .known
                    .iter()
                    .map(|known| format!("{}={}", known.id, known.value))
                    .collect::<Vec<String>>(),
                request.required,
                request.form.consent.is_some() && !request.consented,
            ),
            (None, None, Some(field)) => format!(
                "chat asks for {}; with the answer: {}",
                field.id,
                sent(&plan.with_known(SubmitForm {
                    fields: vec![FieldValue {
                        id: field.id.clone(),
                        value: "x".into(),
                    }],
                    consent: false,
                }))
            ),
            (None, None, None) => "nothing asked".into(),
        };
        Some(format!("{situation}: {what}"))
    })
    .collect();
    expect.assert_debug_eq(&shown);
}

fn remembered(fields: &[(&str, &str)], consents: &[&str]) -> Remembered {
    Remembered {
        fields: fields
            .iter()
            .map(|(id, value)| FieldValue {
                id: (*id).into(),
                value: (*value).into(),
            })
            .collect(),
        consents: consents.iter().map(|text| text.to_string()).collect(),
    }
}

#[test]
fn fields_given_in_a_lead_form_are_sent_without_asking_when_they_cover_the_form() {
    check_remembered(
        &format!(r#"{{"before_chat": true, "fields": {FIELDS}}}"#),
        &remembered(&[("name", "Ada"), ("email", "ada@example.com")], &[]),
        expect![[r#"
            [
                "before the chat: sent at once: name=Ada email=ada@example.com consent false",
                "handed off: sent at once: name=Ada email=ada@example.com consent false",
            ]
        "#]],
    );
}

#[test]
fn a_form_still_needed_is_filled_in_with_what_is_known() {
    check_remembered(
        &format!(r#"{{"before_chat": true, "fields": {FIELDS}}}"#),
        &remembered(&[("email", "ada@example.com"), ("order", "A-1")], &[]),
        expect![[r#"
            [
                "before the chat: form shows [\"name\", \"email\"] filled in with [\"email=ada@example.com\"], requires [\"name\"], consent box false",
                "handed off: form shows [\"name\", \"email\"] filled in with [\"email=ada@example.com\"], requires [\"name\", \"email\"], consent box false",
            ]
        "#]],
    );
}

#[test]
fn a_remembered_value_the_field_refuses_is_asked_again() {
    check_remembered(
        &format!(r#"{{"before_chat": true, "fields": {FIELDS}}}"#),
        &remembered(&[("name", "Ada"), ("email", "not an address")], &[]),
        expect![[r#"
            [
                "before the chat: sent at once: name=Ada consent false",
                "handed off: form shows [\"name\", \"email\"] filled in with [\"name=Ada\"], requires [\"name\", \"email\"], consent box false",
            ]
        "#]],
    );
}

#[test]
fn a_consent_box_is_asked_unless_its_very_text_was_ticked() {
    let form = format!(r#"{{"before_chat": true, "consent": "I agree.", "fields": {FIELDS}}}"#);
    let known = [("name", "Ada"), ("email", "ada@example.com")];
    check_remembered(
        &form,
        &remembered(&known, &["I agree to emails."]),
        expect![[r#"
            [
                "before the chat: form shows [\"name\", \"email\"] filled in with [\"name=Ada\", \"email=ada@example.com\"], requires [\"name\"], consent box true",
                "handed off: form shows [\"name\", \"email\"] filled in with [\"name=Ada\", \"email=ada@example.com\"], requires [\"name\", \"email\"], consent box true",
            ]
        "#]],
    );
    check_remembered(
        &form,
        &remembered(&known, &["I agree."]),
        expect![[r#"
        [
            "before the chat: sent at once: name=Ada email=ada@example.com consent true",
            "handed off: sent at once: name=Ada email=ada@example.com consent true",
        ]
    "#]],
    );
}

#[test]
fn a_conversational_form_asks_only_the_missing_field_in_the_chat() {
    check_remembered(
        &format!(r#"{{"style": "conversational", "fields": {FIELDS}}}"#),
        &remembered(&[("name", "Ada")], &[]),
        expect![[r#"
            [
                "handed off: chat asks for email; with the answer: name=Ada email=x consent false",
            ]
        "#]],
    );
}
