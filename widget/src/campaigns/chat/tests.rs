use baton_shared::protocol::{AnswerSource, Author, Choice, Message};
use expect_test::expect;

use super::campaign_chat;
use crate::state::ChatState;

fn message(seq: u64, author: Author, answer: Option<(Option<&str>, bool)>) -> Message {
    Message {
        seq,
        author,
        author_name: None,
        text: String::new(),
        sent_at_ms: seq * 1_000,
        client_message_id: None,
        answer: answer.map(|(faq_entry_id, _)| AnswerSource {
            faq_entry_id: faq_entry_id.map(str::to_string),
            confidence: 0.5,
            sources: Vec::new(),
        }),
        handoff: None,
        event: None,
        choices: match answer {
            Some((_, true)) => vec![Choice::Person {
                label: "Talk to a person".into(),
            }],
            _ => Vec::new(),
        },
        choice: None,
    }
}

#[test]
fn struggling_counts_fallbacks_and_clarifying_questions_in_a_row_since_the_last_confident_answer() {
    let greeting = message(1, Author::Ai, None);
    let asked = |seq| message(seq, Author::Visitor, None);
    let confident = |seq| message(seq, Author::Ai, Some((Some("delivery"), false)));
    let fallback = |seq| message(seq, Author::Ai, Some((None, false)));
    let clarify = |seq| message(seq, Author::Ai, Some((None, true)));
    let read = |messages: Vec<Message>| {
        let chat = ChatState {
            messages,
            ..ChatState::default()
        };
        let state = campaign_chat(false, &chat, 99_000);
        (state.struggling_answers, state.last_message_ms)
    };
    expect![[r#"
        [
            (
                0,
                None,
            ),
            (
                1,
                Some(
                    2000,
                ),
            ),
            (
                2,
                Some(
                    4000,
                ),
            ),
            (
                0,
                Some(
                    6000,
                ),
            ),
        ]
    "#]]
    .assert_debug_eq(&[
        read(vec![greeting.clone()]),
        read(vec![greeting.clone(), asked(2), fallback(3)]),
        read(vec![
            greeting.clone(),
            asked(2),
            fallback(3),
            asked(4),
            clarify(5),
        ]),
        read(vec![
            greeting,
            asked(2),
            fallback(3),
            asked(4),
            clarify(5),
            asked(6),
            confident(7),
        ]),
    ]);
}
