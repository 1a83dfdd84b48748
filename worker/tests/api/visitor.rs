//! The visitor's details and the paths to a person: identify (signed user ids), the pre-chat form, handoffs for
//! each reason, after hours with the time set through `X-Baton-Now`, and a clarifying question's choices tapped.

use baton_shared::handoff::{HandoffPackage, HandoffReason};
use baton_shared::identity;
use baton_shared::protocol::{
    Choice, FieldValue, Identified, Identify, Message, MessagesAppended, PostMessage, SubmitForm,
    paths,
};

use super::{
    Chat, kv_get, post_as_visitor, post_message, post_message_with, request, say,
    start_conversation, start_conversation_on,
};

/// Saturday 28 November 2026, 15:00 in London: the demo site closed at 14:00 and opens Monday 09:00.
const SATURDAY_15: u64 = 1_795_878_000_000;
/// Monday 30 November 2026, 09:00 in London.
const MONDAY_09: u64 = 1_796_029_200_000;

fn secret() -> Vec<u8> {
    std::env::var("BATON_IDENTITY_SECRET_DEMO")
        .expect("BATON_IDENTITY_SECRET_DEMO is set by `cargo xtask test`")
        .into_bytes()
}

fn now_s() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

fn identify(chat: &Chat, body: &Identify) -> super::Answer {
    let path = paths::identify(chat.site, &chat.conversation_id);
    post_as_visitor(chat, &path, body, &[])
}

fn submit(chat: &Chat, body: &SubmitForm, headers: &[(&str, &str)]) -> super::Answer {
    post_as_visitor(
        chat,
        &paths::form(chat.site, &chat.conversation_id),
        body,
        headers,
    )
}

fn package(chat: &Chat) -> HandoffPackage {
    let json = kv_get(&format!("handoff:{}:{}", chat.site, chat.conversation_id))
        .expect("the handoff package is stored");
    serde_json::from_str(&json).expect("the package is a HandoffPackage")
}

fn reply(answer: super::Answer) -> Message {
    assert_eq!(answer.status, 200, "{}", answer.body);
    let appended: MessagesAppended = answer.json();
    appended.messages.last().expect("a reply").clone()
}

#[test]
fn identify_applies_a_signed_user_id_and_refuses_a_bad_or_expired_token() {
    let chat = start_conversation();
    let ada = Identify {
        name: Some("Ada Lovelace".into()),
        email: Some("ada@example.com".into()),
        user_id: Some("user-42".into()),
        token: Some(identity::sign(&secret(), "demo", "user-42", now_s() + 600)),
        ..Default::default()
    };
    let answer = identify(&chat, &ada);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let identified: Identified = answer.json();
    assert_eq!(
        (identified.user_id.as_deref(), identified.verified),
        (Some("user-42"), true)
    );

    let forged = [
        (
            "expired",
            identity::sign(&secret(), "demo", "user-7", now_s() - 1),
        ),
        (
            "another secret",
            identity::sign(b"guess", "demo", "user-7", now_s() + 600),
        ),
        ("garbage", "not-a-token".to_string()),
    ];
    for (case, token) in forged {
        let mallory = Identify {
            name: Some("Mallory".into()),
            user_id: Some("user-7".into()),
            token: Some(token),
            ..Identify::default()
        };
        let refused = identify(&chat, &mallory);
        assert_eq!(refused.status, 401, "{case}: {}", refused.body);
        assert!(
            refused.body.contains("identify refused"),
            "{case}: {}",
            refused.body
        );
    }
    // Nothing of the refused calls was applied.
    let unchanged: Identified = identify(&chat, &Identify::default()).json();
    assert_eq!(unchanged, identified);

    // A site with no identity secret cannot accept a signed user id at all.
    let elsewhere = start_conversation_on("grounded", &[]);
    let refused = identify(&elsewhere, &ada);
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert!(
        refused.body.contains("BATON_IDENTITY_SECRET_GROUNDED"),
        "{}",
        refused.body
    );
}

#[test]
fn after_hours_the_next_opening_is_shown_and_the_email_collected() {
    let saturday = SATURDAY_15.to_string();
    let at_saturday = [("X-Baton-Now", saturday.as_str())];
    let chat = start_conversation_on("demo", &at_saturday);
    let body = PostMessage {
        client_message_id: "ah-1".into(),
        text: "Can I speak to someone about my order?".into(),
        instant_answer: None,
        chose_person: false,
        choice: None,
    };
    let notice_message = reply(post_message_with(&chat, &body, &at_saturday));
    let notice = notice_message.handoff.clone().expect("a handoff notice");
    assert!(notice.queued);
    assert_eq!(notice.next_opening_ms, Some(MONDAY_09));
    assert!(notice.asks_for.contains(&"email".to_string()), "{notice:?}");
    // Monday 09:00 in London is 10:00 for the visitor in Paris.
    assert!(
        notice_message
            .text
            .contains("back on Monday 10:00 (your time)"),
        "{}",
        notice_message.text
    );

    // A malformed email is refused by field path, and nothing is stored.
    let bad = SubmitForm {
        fields: vec![FieldValue {
            id: "email".into(),
            value: "ada at example".into(),
        }],
        consent: false,
    };
    let refused = submit(&chat, &bad, &at_saturday);
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("fields[0].value"), "{}", refused.body);
    assert_eq!(package(&chat).visitor_email, None);

    let mut fields = vec![FieldValue {
        id: "email".into(),
        value: "ada@example.com".into(),
    }];
    fields.extend(
        notice
            .asks_for
            .iter()
            .filter(|id| *id != "email")
            .map(|id| FieldValue {
                id: id.clone(),
                value: "A-1042".into(),
            }),
    );
    let thanks = reply(submit(
        &chat,
        &SubmitForm {
            fields,
            consent: false,
        },
        &at_saturday,
    ));
    assert!(
        thanks.text.starts_with("Thanks, we have your details."),
        "{}",
        thanks.text
    );
    assert!(
        thanks.text.contains("back on Monday 10:00"),
        "{}",
        thanks.text
    );
    let queued = thanks.handoff.expect("the notice of the queued handoff");
    assert!(queued.queued && queued.asks_for.is_empty(), "{queued:?}");

    let package = package(&chat);
    assert_eq!(package.visitor_email.as_deref(), Some("ada@example.com"));
    assert!(package.queued);
    assert_eq!(package.next_opening_ms, Some(MONDAY_09));
    assert!(
        package
            .fields
            .contains(&("Email".to_string(), "ada@example.com".to_string()))
    );
}

/// The reason and team of the handoff a message leads to (in business hours).
fn handoff_for(text: &str, chose_person: bool) -> (HandoffReason, Option<String>, String) {
    let monday = (MONDAY_09 + 3_600_000).to_string();
    let at = [("X-Baton-Now", monday.as_str())];
    let chat = start_conversation_on("demo", &at);
    let body = PostMessage {
        client_message_id: "r-1".into(),
        text: text.into(),
        instant_answer: None,
        chose_person,
        choice: None,
    };
    let message = reply(post_message_with(&chat, &body, &at));
    let notice = message
        .handoff
        .unwrap_or_else(|| panic!("no handoff for {text:?}: {}", message.text));
    assert_eq!(package(&chat).reason, notice.reason);
    (notice.reason, notice.team, message.text)
}

#[test]
fn each_path_to_a_person_says_why_and_who() {
    let (reason, team, _) = handoff_for("Talk to a person", true);
    assert_eq!(
        (reason, team.as_deref()),
        (HandoffReason::VisitorChose, Some("Customer Care"))
    );
    let (reason, _, text) = handoff_for(
        "This is ridiculous, my order is late AGAIN and nobody answers!!",
        false,
    );
    assert_eq!(reason, HandoffReason::Frustration, "{text}");
    assert!(text.contains("sorry"), "{text}");
    let (reason, team, text) = handoff_for(
        "Can we get a quote for the café app across our 40 locations?",
        false,
    );
    assert_eq!(
        (reason, team.as_deref()),
        (HandoffReason::SalesMoment, Some("Sales")),
        "{text}"
    );
    assert!(text.contains("Sales"), "{text}");
}

#[test]
fn fields_given_before_a_handoff_are_not_asked_again() {
    let chat = start_conversation();
    say(&chat, "f-0", "Hello");
    let given = SubmitForm {
        fields: vec![FieldValue {
            id: "email".into(),
            value: "grace@example.com".into(),
        }],
        consent: false,
    };
    let answer = submit(&chat, &given, &[]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let appended: MessagesAppended = answer.json();
    assert!(appended.messages.is_empty(), "no handoff was waiting");
    let notice = reply(say(&chat, "f-1", "I want to talk to a human"))
        .handoff
        .expect("a handoff");
    assert!(
        !notice.asks_for.contains(&"email".to_string()),
        "{notice:?}"
    );
    assert_eq!(
        package(&chat).visitor_email.as_deref(),
        Some("grace@example.com")
    );
}

#[test]
fn an_email_typed_in_the_chat_answers_the_handoff_that_asked_for_it() {
    let monday = (MONDAY_09 + 3_600_000).to_string();
    let at = [("X-Baton-Now", monday.as_str())];
    let chat = start_conversation_on("demo", &at);
    let send = |id: &str, text: &str| {
        let body = PostMessage {
            client_message_id: id.into(),
            text: text.into(),
            instant_answer: None,
            chose_person: false,
            choice: None,
        };
        post_message_with(&chat, &body, &at)
    };
    let asked = reply(send("e-1", "I want to talk to a human"))
        .handoff
        .expect("a handoff");
    assert_eq!(asked.asks_for, vec!["email".to_string()], "{asked:?}");

    // Text without an address is a message like any other, and the handoff still waits.
    let other = reply(send("e-2", "hello?"));
    assert!(
        other
            .handoff
            .is_none_or(|notice| notice.asks_for.contains(&"email".to_string())),
        "{}",
        other.text
    );
    assert_eq!(package(&chat).visitor_email, None);

    let answer = send("e-3", "sure, it's ada@example.com.");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let appended: MessagesAppended = answer.json();
    let texts: Vec<&str> = appended.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts[0], "sure, it's ada@example.com.", "{texts:?}");
    let thanks = appended.messages.last().expect("a reply");
    assert!(
        thanks.text.starts_with("Thanks, we have your details."),
        "{}",
        thanks.text
    );
    let notice = thanks.handoff.clone().expect("the handoff goes on");
    assert!(notice.asks_for.is_empty(), "{notice:?}");
    assert_eq!(
        package(&chat).visitor_email.as_deref(),
        Some("ada@example.com")
    );

    // The address is known now: another one later is just a message.
    let later = reply(send("e-4", "or write to ada@example.org"));
    assert!(
        !later.text.starts_with("Thanks, we have your details."),
        "{}",
        later.text
    );
    assert_eq!(
        package(&chat).visitor_email.as_deref(),
        Some("ada@example.com")
    );
}

/// The labels of a message's choices, each with what it does.
fn choices(message: &Message) -> Vec<String> {
    message
        .choices
        .iter()
        .map(|choice| match choice {
            Choice::FaqEntry { faq_entry_id, .. } => format!("{faq_entry_id}: {}", choice.label()),
            Choice::Person { label } => format!("person: {label}"),
        })
        .collect()
}

#[test]
fn a_clarifying_question_offers_choices_and_a_tapped_one_is_answered() {
    let chat = start_conversation();
    let question = reply(say(&chat, "c-1", "how much is it"));
    assert!(question.text.contains("Did you mean"), "{}", question.text);
    expect_test::expect![[r#"
        [
            "subscription-pricing: How much is a coffee subscription?",
            "cafes-pricing: How much does Fernleaf for Cafés cost?",
            "delivery-cost: How much does delivery cost?",
            "person: None of these",
        ]
    "#]]
    .assert_debug_eq(&choices(&question));

    // Tapped: the label is the text, the entry's id the choice; that entry answers, with full confidence.
    let tap = PostMessage {
        client_message_id: "c-2".into(),
        text: "How much does delivery cost?".into(),
        choice: Some("delivery-cost".into()),
        ..PostMessage::default()
    };
    let answer = post_message(&chat, &tap);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let appended: MessagesAppended = answer.json();
    let delivery_cost = super::demo_site()
        .faq
        .into_iter()
        .find(|entry| entry.id == "delivery-cost")
        .expect("the demo has the entry");
    assert_eq!(
        appended.messages[0].choice.as_deref(),
        Some("delivery-cost")
    );
    assert_eq!(appended.messages[1].text, delivery_cost.answer);
    let source = appended.messages[1].answer.clone().expect("an answer");
    assert_eq!(
        (source.faq_entry_id.as_deref(), source.confidence),
        (Some("delivery-cost"), 1.0)
    );

    // The history replays the choices offered and the one tapped.
    let bearer = format!("Bearer {}", chat.visitor_token);
    let history = request(
        "GET",
        &paths::history("demo", &chat.conversation_id, 0),
        &[("Authorization", &bearer)],
        None,
    );
    assert_eq!(history.status, 200, "{}", history.body);
    let messages = history.json::<MessagesAppended>().messages;
    assert_eq!(choices(&messages[2]), choices(&question));
    assert_eq!(messages[3].choice.as_deref(), Some("delivery-cost"));

    // Those choices are no longer the latest answer's: a tap on one now is decided on its text, and is no error.
    let stale = PostMessage {
        client_message_id: "c-3".into(),
        text: "zxqv blorp".into(),
        choice: Some("subscription-pricing".into()),
        ..PostMessage::default()
    };
    let answered = reply(post_message(&chat, &stale));
    assert_eq!(answered.answer.and_then(|answer| answer.faq_entry_id), None);

    // A malformed choice is refused by field.
    let malformed = PostMessage {
        client_message_id: "c-4".into(),
        text: "None of these".into(),
        chose_person: true,
        choice: Some("delivery-cost".into()),
        ..PostMessage::default()
    };
    expect_test::expect!["400 invalid_field: choice: must not be given with chose_person (a person is a choice of its own)"]
        .assert_eq(&post_message(&chat, &malformed).error_line());
}

#[test]
fn the_person_choice_of_a_clarifying_question_hands_off() {
    let monday = (MONDAY_09 + 3_600_000).to_string();
    let at = [("X-Baton-Now", monday.as_str())];
    let chat = start_conversation_on("demo", &at);
    let question = PostMessage {
        client_message_id: "p-1".into(),
        text: "how much is it".into(),
        ..PostMessage::default()
    };
    let offered = reply(post_message_with(&chat, &question, &at));
    let Some(Choice::Person { label }) = offered.choices.last() else {
        panic!("no person choice: {:?}", offered.choices)
    };
    let none_of_these = PostMessage {
        client_message_id: "p-2".into(),
        text: label.clone(),
        chose_person: true,
        ..PostMessage::default()
    };
    let notice = reply(post_message_with(&chat, &none_of_these, &at))
        .handoff
        .expect("a handoff");
    assert_eq!(notice.reason, HandoffReason::VisitorChose);
}
