//! The extractive summary, and the model summary's prompt and check.

use expect_test::{Expect, expect};

use super::{SummaryPrompt, summarize};
use crate::config::SiteConfig;
use crate::conversation::Transcript;
use crate::intent::{Exemplars, classify};
use crate::protocol::{AnswerSource, Message};
use crate::vocab::HandoffReason;

#[test]
fn a_handed_off_conversation() {
    let mut transcript = Transcript::default();
    transcript.push_ai("Hi! How can we help?".into(), None, 0);
    transcript.push_visitor(
        "c1".into(),
        "Hi there. How long does delivery take to Bristol?".into(),
        1,
    );
    let answer = AnswerSource {
        faq_entry_id: Some("delivery-times".into()),
        confidence: 0.9,
        sources: Vec::new(),
    };
    transcript.push_ai("1-2 working days.".into(), Some(answer), 2);
    transcript.push_visitor(
        "c2".into(),
        "OK thanks. My order 4411 arrived with a cracked grinder! I need a replacement before Friday.".into(),
        3,
    );
    transcript.push_visitor("c3".into(), "Can I talk to someone please?".into(), 4);
    let intent = classify(
        "My order 4411 arrived with a cracked grinder",
        &Exemplars::default(),
    );
    let fields = vec![("Email".to_string(), "sam@example.com".to_string())];
    let summary = summarize(
        &transcript.messages,
        intent,
        fields,
        Some(HandoffReason::AskedForPerson),
    );
    assert!(summary.sentences.len() <= 3);
    expect![[r#"
        How long does delivery take to Bristol? My order 4411 arrived with a cracked grinder! I need a replacement before Friday.
        Intent: support (74 %)
        Handoff reason: asked for a person
        Asked: Hi there. How long does delivery take to Bristol? | OK thanks. My order 4411 arrived with a cracked grinder! I need a replacement before Friday. | Can I talk to someone please?
        Answered with: delivery-times
        Email: sam@example.com"#]].assert_eq(&summary.render());
}

fn site() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("the demo site is valid")
}

/// A handed-off conversation: a delivery question answered, then a broken grinder and a request for a person.
fn conversation() -> Vec<Message> {
    let mut transcript = Transcript::default();
    transcript.push_ai("Hi! How can we help?".into(), None, 0);
    transcript.push_visitor(
        "c1".into(),
        "Hi, I'm Sam. My order 4411 from the Bristol shop arrived at 10 am with a cracked grinder!"
            .into(),
        1,
    );
    transcript.push_ai(
        "Sorry to hear that. Returns are free within 30 days: https://fernleaf.example/returns"
            .into(),
        None,
        2,
    );
    transcript.push_visitor(
        "c2".into(),
        "I need a replacement\nbefore Friday, can someone help?".into(),
        3,
    );
    transcript.messages
}

fn summary_prompt() -> SummaryPrompt {
    let fields = vec![("Email".to_string(), "sam@example.com".to_string())];
    SummaryPrompt::new(&site(), &conversation(), &fields)
}

#[test]
fn the_model_is_shown_the_conversation_and_the_fields_one_line_per_message() {
    let prompt = summary_prompt().prompt;
    expect![[r#"
        Form fields:
        Email: sam@example.com

        Conversation:
        Baton: Hi! How can we help?
        Visitor: Hi, I'm Sam. My order 4411 from the Bristol shop arrived at 10 am with a cracked grinder!
        Baton: Sorry to hear that. Returns are free within 30 days: https://fernleaf.example/returns
        Visitor: I need a replacement before Friday, can someone help?"#]]
    .assert_eq(&prompt.user);
    assert!(prompt.system.starts_with("Site: Fernleaf Coffee Co.\n"));
    assert!(
        prompt
            .system
            .contains("never add a name, number, date, order id, email address, link")
    );
    assert!(prompt.system.contains("{\"summary\": string}"));
}

#[track_caller]
fn check(raw: &str, expect: Expect) {
    let read = match summary_prompt().read_output(raw) {
        Ok(summary) => format!("kept: {summary}"),
        Err(problem) => format!("refused: {problem}"),
    };
    expect.assert_eq(&read);
}

#[test]
fn a_summary_restating_the_conversation_is_kept() {
    check(
        r#"{"summary": "Sam's order 4411 from the Bristol shop came with a cracked grinder at 10am. Baton pointed to free returns within 30 days (https://fernleaf.example/returns/). Sam (sam@example.com) wants a replacement before Friday."}"#,
        expect![[
            r#"kept: Sam's order 4411 from the Bristol shop came with a cracked grinder at 10am. Baton pointed to free returns within 30 days (https://fernleaf.example/returns/). Sam (sam@example.com) wants a replacement before Friday."#
        ]],
    );
    check(
        "```json\n{\"summary\": \"The visitor wants a replacement\\n grinder.\"}\n```",
        expect!["kept: The visitor wants a replacement grinder."],
    );
}

#[test]
fn a_summary_with_a_fact_the_conversation_does_not_hold_is_refused() {
    check(
        r#"{"summary": "Sam from Dublin wants a replacement grinder."}"#,
        expect![[r#"refused: the summary says "Dublin", which the conversation does not"#]],
    );
    check(
        r#"{"summary": "Order 4412 arrived with a cracked grinder."}"#,
        expect![[r#"refused: the summary says "4412", which the conversation does not"#]],
    );
    check(
        r#"{"summary": "Order A-4411 arrived with a cracked grinder."}"#,
        expect![[r#"refused: the summary says "A-4411", which the conversation does not"#]],
    );
    check(
        r#"{"summary": "Reach Sam at sam@fernleaf.example about the grinder."}"#,
        expect![[
            r#"refused: the summary says "sam@fernleaf.example", which the conversation does not"#
        ]],
    );
    check(
        r#"{"summary": "Sam read https://fernleaf.example/refunds and wants a replacement."}"#,
        expect![[
            r#"refused: the summary says "https://fernleaf.example/refunds", which the conversation does not"#
        ]],
    );
    check(
        r#"{"summary": "Sam wants a replacement within 14 days."}"#,
        expect![[r#"refused: the summary says "14", which the conversation does not"#]],
    );
    check(
        r#"{"summary": "Sam wants a replacement before Saturday."}"#,
        expect![[r#"refused: the summary says "Saturday", which the conversation does not"#]],
    );
}

#[test]
fn a_summary_too_long_empty_or_not_json_is_refused() {
    let long = format!(
        r#"{{"summary": "{}"}}"#,
        "The grinder is cracked. ".repeat(20)
    );
    check(
        &long,
        expect!["refused: the summary has 479 characters, more than 400"],
    );
    check(
        r#"{"summary": "   "}"#,
        expect!["refused: the summary is empty"],
    );
    check(
        "Sam wants a new grinder.",
        expect!["refused: not the JSON object asked for: expected value at line 1 column 1"],
    );
}
