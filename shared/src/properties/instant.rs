//! The widget's instant answers against the worker's decision, case by case: every FAQ question and alternate of
//! the demo site, perturbed the ways visitors write (typos, lower case, greetings, extra words, a dropped word), after
//! transcripts of different histories (nothing yet, an answer, two fallbacks, an agent's reply), at several times,
//! staffed or not. Wherever the widget would answer on its own, the worker must give the same answer; and the count
//! of answered cases shows the widget still answers most of them itself.

use expect_test::expect;

use crate::config::SiteConfig;
use crate::faq::FaqIndex;
use crate::handoff::{Decision, Situation, decide, instant_answer};
use crate::protocol::Message;

/// The ways a visitor rewrites an FAQ question.
fn perturbations(question: &str) -> Vec<String> {
    let words: Vec<&str> = question.split_whitespace().collect();
    let mut typo = words
        .iter()
        .map(|word| word.to_string())
        .collect::<Vec<_>>();
    if let Some(longest) = typo.iter_mut().max_by_key(|word| word.len()) {
        let mut chars: Vec<char> = longest.chars().collect();
        if chars.len() > 3 {
            chars.swap(1, 2);
            *longest = chars.into_iter().collect();
        }
    }
    let bare: String = question
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    vec![
        question.to_string(),
        bare,
        typo.join(" "),
        format!("hi! {question}"),
        format!("{question} thanks"),
        format!("quick question: {}", question.to_lowercase()),
        words.iter().skip(1).copied().collect::<Vec<_>>().join(" "),
        format!("{question}??"),
    ]
}

/// Histories before the visitor's message, as stored.
pub(super) fn transcripts() -> Vec<Vec<Message>> {
    let message = |seq: u64, json: serde_json::Value| -> Message {
        let mut json = json;
        json["seq"] = seq.into();
        json["sent_at_ms"] = (1_790_000_000_000u64 + seq * 1_000).into();
        serde_json::from_value(json).expect("a transcript message")
    };
    let fallback = serde_json::json!({"author": "ai", "text": "Sorry, I don't know.",
        "answer": {"faq_entry_id": null, "confidence": 0.1, "sources": []}});
    let answered = serde_json::json!({"author": "ai", "text": "Here you go.",
        "answer": {"faq_entry_id": "shipping-times", "confidence": 0.9, "sources": []}});
    let visitor = |text: &str| serde_json::json!({"author": "visitor", "text": text});
    vec![
        Vec::new(),
        vec![
            message(1, visitor("how long is delivery")),
            message(2, answered),
        ],
        vec![
            message(1, visitor("blorp")),
            message(2, fallback.clone()),
            message(3, visitor("zzz qqq")),
            message(4, fallback),
        ],
        vec![
            message(1, visitor("hello")),
            message(
                2,
                serde_json::json!({"author": "agent", "author_name": "Ana", "text": "Hi, Ana here."}),
            ),
        ],
    ]
}

#[test]
fn instant_answers_agree_with_the_worker_on_perturbed_questions() {
    let config = SiteConfig::from_json(include_str!("../../../sites/demo.json"))
        .expect("the demo site is valid");
    let index = FaqIndex::for_site(&config);
    let transcripts = transcripts();
    let (mut cases, mut answered) = (0, 0);
    for entry in &config.faq {
        let questions = std::iter::once(&entry.question).chain(&entry.alternates);
        for text in questions.flat_map(|question| perturbations(question)) {
            for transcript in &transcripts {
                cases += 1;
                let Some((faq_entry, confidence)) =
                    instant_answer(&config, &index, transcript, &text)
                else {
                    continue;
                };
                answered += 1;
                // Monday 10:00 and Sunday 03:00 in London, staffed and not.
                for now_ms in [1_795_518_000_000u64, 1_795_402_800_000] {
                    for teams_online in [&["sales", "support", "tech"][..], &[]] {
                        let outcome = decide(&Situation {
                            config: &config,
                            index: &index,
                            transcript,
                            visitor_text: &text,
                            now_ms,
                            teams_online,
                            fields_known: &[],
                            visitor_chose_person: false,
                            faq_similarity: None,
                            team: None,
                        });
                        assert_eq!(
                            outcome.decision,
                            Decision::Answer {
                                faq_entry,
                                confidence
                            },
                            "the widget answers {text:?} (after {} messages) but the worker decides otherwise",
                            transcript.len()
                        );
                    }
                }
            }
        }
    }
    expect!["2624 of 2688 cases answered in the browser"].assert_eq(&format!(
        "{answered} of {cases} cases answered in the browser"
    ));
}
