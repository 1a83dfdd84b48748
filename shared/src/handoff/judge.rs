//! The first half of the policy, before the clock: the FAQ matches, the intent, the reason to hand off (if any),
//! and with no reason, the answer (an FAQ entry, a clarifying question or a fallback). `route.rs` turns a reason
//! into a decision once the time and who is online are known.

use std::sync::LazyLock;

use super::{Decision, Outcome, Situation};
use crate::faq::{CALIBRATION, Hit};
use crate::intent::{self, Exemplars, FaqHint};
use crate::protocol::{Author, Choice, Message};
use crate::signals::{self, Reading};
use crate::text::words;
use crate::vocab::HandoffReason;

/// Above this confidence a sales question is answered from the FAQ rather than handed to Sales.
const SALES_ANSWER_CONFIDENCE: f32 = 0.8;
/// From this confidence a sales moment goes to Sales unless the FAQ answers it; below it, only its intent is Sales.
const SURE_SALES_MOMENT: f32 = 0.9;
/// From this confidence frustration hands off even when the message also asks whether Baton is a bot.
const SURE_FRUSTRATION: f32 = 0.9;
/// Below this confidence a clear winner is not assumed: close runners-up make it a clarifying question.
const CLARIFY_BELOW: f32 = 0.6;
/// A runner-up within this share of the top score is a close call.
const CLOSE_CALL_SHARE: f32 = 0.8;
/// With some evidence at least this strong, a weak match is offered as options rather than a plain fallback.
const OPTIONS_ABOVE: f32 = 0.15;

/// Phrases of account-specific or private help and of policy interpretation, handed to a person.
const SENSITIVE_PHRASES: &[&str] = &[
    "my account",
    "my personal",
    "my data",
    "my details",
    "my card details",
    "delete my",
    "gdpr",
    "data protection",
    "privacy request",
    "legal",
    "lawyer",
    "solicitor",
    "court",
    "fraud",
    "stolen",
    "hacked",
    "unauthorised",
    "unauthorized",
    "am i entitled",
    "exception to",
    "make an exception",
    "does the policy",
    "does your policy",
    "policy cover",
    "under the policy",
    "medical",
    "allergy",
    "allergic",
    "chargeback",
];

/// Everything [`super::decide`] works out before looking at the clock: the matches, the intent, the reason to hand off
/// (if any) and, with no reason, the answer. `route` turns a reason into a decision.
pub(super) fn judge(situation: &Situation<'_>) -> (Outcome, Option<HandoffReason>) {
    let config = situation.config;
    let hits = match situation.faq_similarity {
        None => situation.index.search(situation.visitor_text, 3),
        // Semantic matching: every entry is a candidate, re-ranked by the blend (`grounding::Similarity`).
        Some(similarity) => similarity.rerank_faq(
            situation
                .index
                .search(situation.visitor_text, config.faq.len()),
            3,
        ),
    };
    let confidence = CALIBRATION.confidence(&hits);
    let hint = hits.first().map(|top| {
        let entry = &config.faq[top.entry];
        // The raw score, not the calibrated confidence: with few entries a lone weak match has no runner-up and
        // would look far surer than it is.
        FaqHint {
            entry_id: &entry.id,
            tags: &entry.tags,
            confidence: top.score,
        }
    });
    let reading = signals::read(situation.visitor_text);
    // A sales moment is Sales whatever else the handoff is for ("I'd like to talk to someone about your pricing").
    let intent = intent::classify(
        situation.visitor_text,
        &Exemplars {
            faq: hint,
            teams: &config.teams,
        },
    );
    // With a reason the answer is unused; computing it anyway keeps this function simple and costs a few compares.
    let reason = handoff_reason(situation, &reading, &hits, confidence);
    let mut decision = answer(&hits, confidence, config.handoff.confidence_threshold);
    // "Are you a bot?" gets the honest answer and the offer of a person, unless the site's FAQ answers it.
    if reading.bot_question.flag && !matches!(decision, Decision::Answer { .. }) {
        decision = Decision::Disclose;
    }
    let outcome = Outcome {
        decision,
        intent,
        hits,
        confidence,
    };
    (outcome, reason)
}

/// `text`'s words, folded, each between spaces (" my account "), so that a phrase is found as whole words; `None`
/// when it has no word.
fn spaced(text: &str) -> Option<String> {
    let words = words(text);
    (!words.is_empty()).then(|| format!(" {} ", words.join(" ")))
}

/// [`SENSITIVE_PHRASES`] spaced once, not at every message.
static SENSITIVE_SPACED: LazyLock<Vec<String>> = LazyLock::new(|| {
    SENSITIVE_PHRASES
        .iter()
        .filter_map(|phrase| spaced(phrase))
        .collect()
});

fn handoff_reason(
    situation: &Situation<'_>,
    reading: &Reading,
    hits: &[Hit],
    confidence: f32,
) -> Option<HandoffReason> {
    let config = situation.config;
    let text = situation.visitor_text;
    let folded = spaced(text).unwrap_or_default();
    let has_phrase = |phrase: &str| spaced(phrase).is_some_and(|phrase| folded.contains(&phrase));
    if situation.visitor_chose_person || declines_the_options(situation.transcript, text) {
        return Some(HandoffReason::VisitorChose);
    }
    if reading.wants_human.flag {
        return Some(HandoffReason::AskedForPerson);
    }
    // "Is this a bot?" can read as annoyed; unless the frustration is sure, it gets the honest answer instead.
    if reading.frustrated.flag
        && !(reading.bot_question.flag && reading.frustrated.confidence < SURE_FRUSTRATION)
    {
        return Some(HandoffReason::Frustration);
    }
    if SENSITIVE_SPACED
        .iter()
        .any(|phrase| folded.contains(phrase.as_str()))
        || config
            .handoff
            .sensitive_topics
            .iter()
            .any(|topic| has_phrase(topic))
    {
        return Some(HandoffReason::Sensitive);
    }
    if config
        .handoff
        .always_topics
        .iter()
        .any(|topic| has_phrase(topic))
    {
        return Some(HandoffReason::AlwaysTopic);
    }
    // A sure sales moment the FAQ does not answer goes to Sales ("a quote for 200 seats"). A possible one is Sales
    // in intent but answered where the site can: "how much is it" clarifies between prices, "does the app work
    // with Square?" is grounded on the site's content, and a handoff for want of an answer goes to Sales.
    if reading.sales.flag
        && reading.sales.confidence >= SURE_SALES_MOMENT
        && confidence < SALES_ANSWER_CONFIDENCE
    {
        return Some(HandoffReason::SalesMoment);
    }
    if confidence >= config.handoff.confidence_threshold {
        return None;
    }
    // Not answered this turn: count the unanswered turns before it.
    let unanswered = 1 + unanswered_turns(situation.transcript);
    if unanswered >= config.handoff.unanswered_turns as usize {
        return Some(if hits.is_empty() {
            HandoffReason::UnansweredTurns
        } else {
            HandoffReason::LowConfidence
        });
    }
    None
}

/// Answers that turn down all of a clarifying question's options, typed rather than tapped ("None of these").
const DECLINES: &[&str] = &[
    "no",
    "nope",
    "none",
    "neither",
    "none of these",
    "none of them",
    "none of those",
    "not those",
    "no none of these",
    "non",
    "aucune",
    "aucun",
    "aucune de ces questions",
    "ni lune ni lautre",
];

/// Whether `text` turns down the options of a clarifying question that is the latest automatic answer: the
/// question promised "If not, say so and I'll bring in a person", and this keeps the promise without the buttons.
fn declines_the_options(transcript: &[Message], text: &str) -> bool {
    let offered_options = transcript
        .iter()
        .rev()
        .find(|message| message.author == Author::Ai)
        .is_some_and(|latest| {
            latest
                .choices
                .iter()
                .any(|choice| matches!(choice, Choice::FaqEntry { .. }))
        });
    offered_options && DECLINES.contains(&words(text).join(" ").as_str())
}

/// Visitor messages at the end of the transcript whose reply was not an FAQ answer.
fn unanswered_turns(transcript: &[Message]) -> usize {
    let mut count = 0;
    let mut replies = transcript.iter().rev().peekable();
    while let Some(message) = replies.next() {
        match message.author {
            Author::Ai
                if message
                    .answer
                    .as_ref()
                    .is_some_and(|a| a.faq_entry_id.is_none() && a.sources.is_empty()) =>
            {
                if replies
                    .peek()
                    .is_some_and(|previous| previous.author == Author::Visitor)
                {
                    count += 1;
                    replies.next();
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    count
}

fn answer(hits: &[Hit], confidence: f32, threshold: f32) -> Decision {
    let Some(top) = hits.first() else {
        return Decision::Fallback;
    };
    let close: Vec<usize> = hits
        .iter()
        .filter(|hit| hit.score >= CLOSE_CALL_SHARE * top.score)
        .map(|hit| hit.entry)
        .collect();
    if confidence >= CLARIFY_BELOW || (close.len() < 2 && confidence >= threshold) {
        return Decision::Answer {
            faq_entry: top.entry,
            confidence,
        };
    }
    if close.len() >= 2 || confidence >= OPTIONS_ABOVE {
        return Decision::Clarify {
            options: hits.iter().map(|hit| hit.entry).collect(),
        };
    }
    Decision::Fallback
}
