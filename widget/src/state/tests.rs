use baton_shared::protocol::{Author, Message, PostMessage};
use expect_test::expect;

use super::*;

fn message(seq: u64, author: Author, text: &str, client_message_id: Option<&str>) -> Message {
    Message {
        seq,
        author,
        author_name: None,
        text: text.into(),
        sent_at_ms: seq * 1000,
        client_message_id: client_message_id.map(String::from),
        handoff: None,
        answer: None,
        event: None,
        choices: Vec::new(),
        choice: None,
    }
}

fn body(client_message_id: &str, text: &str) -> PostMessage {
    PostMessage {
        client_message_id: client_message_id.into(),
        text: text.into(),
        instant_answer: None,
        chose_person: false,
        choice: None,
    }
}

fn shown(state: &ChatState) -> String {
    let stored = state
        .messages
        .iter()
        .map(|m| format!("{} {:?}: {}", m.seq, m.author, m.text));
    let pending = state.pending.iter().map(|p| {
        let line = match &p.failure {
            None => format!("… {}", p.body.text),
            Some(failure) => format!("! {} ({failure})", p.body.text),
        };
        match &p.instant_reply {
            Some(reply) => format!("{line}\n… Ai (instant): {reply}"),
            None => line,
        }
    });
    stored.chain(pending).collect::<Vec<_>>().join("\n")
}

#[test]
fn pending_messages_settle_when_the_worker_confirms_them() {
    let mut state = ChatState::default();
    state.merge(vec![message(1, Author::Ai, "Hi!", None)]);
    state.add_pending(body("c1", "Open?"), None);
    state.add_pending(body("c2", "And Sunday?"), None);
    state.mark_failed("c2", "offline".into());
    expect![[r#"
        1 Ai: Hi!
        … Open?
        ! And Sunday? (offline)"#]]
    .assert_eq(&shown(&state));

    let added = state.merge(vec![
        message(2, Author::Visitor, "Open?", Some("c1")),
        message(3, Author::Ai, "9 to 5.", None),
    ]);
    assert_eq!(added.iter().filter(|m| is_for_visitor(m)).count(), 1);
    expect![[r#"
        1 Ai: Hi!
        2 Visitor: Open?
        3 Ai: 9 to 5.
        ! And Sunday? (offline)"#]]
    .assert_eq(&shown(&state));
}

#[test]
fn merging_twice_shows_each_message_once_in_order() {
    let mut state = ChatState::default();
    let batch = vec![
        message(3, Author::Ai, "c", None),
        message(1, Author::Ai, "a", None),
    ];
    assert_eq!(state.merge(batch.clone()).len(), 2);
    assert_eq!(state.merge(batch).len(), 0);
    state.merge(vec![message(2, Author::Visitor, "b", Some("x"))]);
    expect![[r#"
        1 Ai: a
        2 Visitor: b
        3 Ai: c"#]]
    .assert_eq(&shown(&state));
}

#[test]
fn an_instant_answer_is_shown_at_once_and_announced_once() {
    let mut state = ChatState::default();
    state.merge(vec![message(1, Author::Ai, "Hi!", None)]);
    state.add_pending(body("c1", "Delivery?"), Some("Two working days.".into()));
    expect![[r#"
        1 Ai: Hi!
        … Delivery?
        … Ai (instant): Two working days."#]]
    .assert_eq(&shown(&state));
    // The worker's stored copy replaces it in place; the visitor already saw the answer, so nobody is told again.
    let added = state.merge(vec![
        message(2, Author::Visitor, "Delivery?", Some("c1")),
        message(3, Author::Ai, "Two working days.", None),
    ]);
    assert_eq!(added.iter().filter(|m| is_for_visitor(m)).count(), 0);
    expect![[r#"
        1 Ai: Hi!
        2 Visitor: Delivery?
        3 Ai: Two working days."#]]
    .assert_eq(&shown(&state));
}

#[test]
fn failed_messages_are_sent_again_with_the_same_client_id() {
    let mut state = ChatState::default();
    state.add_pending(body("c1", "Open?"), None);
    assert!(state.awaiting_reply());
    state.mark_failed("c1", "offline".into());
    assert!(!state.awaiting_reply());
    let again = state.retry_failed();
    assert_eq!(again, vec![body("c1", "Open?")]);
    assert!(
        state.retry_failed().is_empty(),
        "a message being sent is not sent twice"
    );
    expect!["… Open?"].assert_eq(&shown(&state));
    // Confirmed once, whatever the number of attempts.
    state.merge(vec![
        message(1, Author::Visitor, "Open?", Some("c1")),
        message(2, Author::Ai, "9 to 5.", None),
    ]);
    assert!(state.pending.is_empty() && !state.awaiting_reply());
}

#[test]
fn joins_and_closes_say_who_is_there_and_when_to_rate() {
    use baton_shared::protocol::ConversationEvent;
    use baton_shared::protocol::live::CloseOutcome;
    let event = |seq: u64, event: ConversationEvent| Message {
        event: Some(event),
        ..message(seq, Author::System, "event", None)
    };
    let mut state = ChatState::default();
    state.merge(vec![message(1, Author::Ai, "Hi!", None)]);
    assert!(!state.wants_live());
    assert_eq!((state.agent_name(), state.closed()), (None, false));
    state.merge(vec![event(
        2,
        ConversationEvent::AgentJoined {
            agent_name: "Ana".into(),
        },
    )]);
    assert!(state.wants_live());
    assert_eq!((state.agent_name(), state.closed()), (Some("Ana"), false));
    state.agent_typing = true;
    state.merge(vec![Message {
        author_name: Some("Ana".into()),
        ..message(3, Author::Agent, "Hello", None)
    }]);
    assert!(!state.agent_typing, "a message ends the typing indicator");
    assert_eq!((state.last_seq(), state.last_agent_seq()), (3, 3));
    state.merge(vec![event(
        4,
        ConversationEvent::Closed {
            outcome: CloseOutcome::Resolved,
        },
    )]);
    assert_eq!((state.agent_name(), state.closed()), (None, true));
    // Handed over again, someone new joins: no longer closed.
    state.merge(vec![event(
        5,
        ConversationEvent::AgentJoined {
            agent_name: "Bob".into(),
        },
    )]);
    assert_eq!((state.agent_name(), state.closed()), (Some("Bob"), false));
}

#[test]
fn only_the_latest_answer_offers_its_choices_until_the_visitor_writes() {
    use baton_shared::protocol::Choice;
    let offering = |seq: u64, ids: &[&str]| Message {
        choices: ids
            .iter()
            .map(|id| Choice::FaqEntry {
                faq_entry_id: id.to_string(),
                label: format!("About {id}?"),
            })
            .chain([Choice::Person {
                label: "None of these".into(),
            }])
            .collect(),
        ..message(seq, Author::Ai, "Did you mean one of these?", None)
    };
    let labels = |state: &ChatState| -> Vec<String> {
        state
            .open_choices()
            .iter()
            .map(|choice| choice.label().to_string())
            .collect()
    };
    let mut state = ChatState::default();
    state.merge(vec![
        message(1, Author::Ai, "Hi!", None),
        message(2, Author::Visitor, "price", Some("c1")),
        offering(3, &["delivery-cost"]),
    ]);
    expect![[r#"["About delivery-cost?", "None of these"]"#]]
        .assert_eq(&format!("{:?}", labels(&state)));
    // Tapped: put away at once, while the message is on its way, and after.
    state.add_pending(body("c2", "About delivery-cost?"), Some("£3.95".into()));
    assert!(labels(&state).is_empty());
    state.merge(vec![
        message(4, Author::Visitor, "About delivery-cost?", Some("c2")),
        message(5, Author::Ai, "£3.95", None),
    ]);
    assert!(labels(&state).is_empty());
    // A newer answer's choices replace an older one's; a handoff notice after them puts them away.
    state.merge(vec![
        message(6, Author::Visitor, "how much", Some("c3")),
        offering(7, &["cafes-pricing"]),
    ]);
    expect![[r#"["About cafes-pricing?", "None of these"]"#]]
        .assert_eq(&format!("{:?}", labels(&state)));
    state.merge(vec![
        message(8, Author::Visitor, "None of these", Some("c4")),
        message(9, Author::System, "Someone from our team will join.", None),
    ]);
    assert!(labels(&state).is_empty());
}
