//! The handoff policy: given the site, the conversation so far, the visitor's latest message, the time and who is
//! available, decide what happens next. A pure function; the worker performs what it returns.
//!
//! Rules, first match wins: the visitor chose or asked for a person; frustration; sensitive or private topics and
//! policy interpretation; topics the site always hands off; a sales moment without a confident answer; a confident
//! FAQ answer; a close call between entries (clarify); and after too many unanswered turns, a person. Every handoff
//! first collects the fields its intent needs, and outside business hours (or with nobody available) it becomes
//! an after-hours handoff that says when the team is back.

mod hours;
mod messages;
mod package;

use crate::config::{FieldKind, SiteConfig, Team};
use crate::faq::{CALIBRATION, FaqIndex, Hit};
use crate::grounding::GroundedAnswer;
use crate::intent::{self, Exemplars, FaqHint, IntentGuess};
use crate::protocol::{Author, HandoffNotice, Message};
use crate::signals;
use crate::text::words;
use crate::vocab::Intent;

pub use self::hours::{is_open, next_opening};
pub use self::messages::Texts;
pub use self::package::VisitorContext;
pub use crate::protocol::HandoffPackage;
pub use crate::vocab::HandoffReason;

/// What the visitor's message leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Answer from an FAQ entry.
    Answer { faq_entry: usize, confidence: f32 },
    /// Answer grounded on the site's content (by a model or extracted from knowledge), citing its passages.
    Grounded {
        text: String,
        confidence: f32,
        sources: Vec<String>,
    },
    /// Two or more entries are close: ask which one (FAQ entry positions, best first).
    Clarify { options: Vec<usize> },
    /// Nothing matched: ask to rephrase, and say a person is an option.
    Fallback,
    /// Before the handoff, ask for these fields (positions in `pre_chat.fields`).
    CollectContext {
        fields: Vec<usize>,
        handoff: Handoff,
    },
    /// A person takes over now.
    HandOff(Handoff),
    /// Nobody can take over now: collect these fields and say when the team is back.
    AfterHours {
        next_opening_ms: Option<u64>,
        fields: Vec<usize>,
        handoff: Handoff,
    },
}

/// Who takes a handed-off conversation, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Handoff {
    pub reason: HandoffReason,
    /// Position in `teams`, when the site has teams.
    pub team: Option<usize>,
    pub intent: Intent,
}

/// Everything the policy looks at.
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    pub config: &'a SiteConfig,
    /// Built from `config.faq`.
    pub index: &'a FaqIndex,
    /// The conversation before the latest message.
    pub transcript: &'a [Message],
    pub visitor_text: &'a str,
    pub now_ms: u64,
    /// Ids of the teams with an agent online now.
    pub teams_online: &'a [&'a str],
    /// Ids of the pre-chat fields the visitor has already given.
    pub fields_known: &'a [&'a str],
    /// The visitor pressed "Talk to a person".
    pub visitor_chose_person: bool,
}

/// The decision and what it was based on.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub decision: Decision,
    pub intent: IntentGuess,
    /// The FAQ matches considered, best first.
    pub hits: Vec<Hit>,
    pub confidence: f32,
}

/// Above this confidence a sales question is answered from the FAQ rather than handed to Sales.
const SALES_ANSWER_CONFIDENCE: f32 = 0.8;
/// Below this confidence a clear winner is not assumed: close runners-up make it a clarifying question.
const CLARIFY_BELOW: f32 = 0.6;
/// A runner-up within this share of the top score is a close call.
const CLOSE_CALL_SHARE: f32 = 0.8;
/// With some evidence at least this strong, a weak match is offered as options rather than a plain fallback.
const OPTIONS_ABOVE: f32 = 0.15;

/// Words that make a message a sales moment, beyond what a public FAQ answers.
const SALES_MOMENT_WORDS: &[&str] = &[
    "demo",
    "enterprise",
    "quote",
    "quotation",
    "migrate",
    "migration",
    "migrating",
    "implementation",
    "implement",
    "integration",
    "integrations",
    "integrate",
    "onboarding",
    "volume",
    "contract",
    "procurement",
    "custom",
    "tailored",
    "trial",
    "pilot",
    "seats",
    "licence",
    "license",
];

/// Sales-moment words that mean a sales conversation whatever else the message is about ("a quote for the app"):
/// the handoff goes to Sales even when the intent leans elsewhere.
const UNMISTAKABLE_SALES_WORDS: &[&str] = &[
    "quote",
    "quotation",
    "demo",
    "enterprise",
    "procurement",
    "pilot",
];

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

pub fn decide(situation: &Situation<'_>) -> Outcome {
    let (outcome, reason) = judge(situation);
    let decision = match reason {
        Some(reason) => route(situation, reason, outcome.intent.intent),
        None => outcome.decision,
    };
    Outcome {
        decision,
        ..outcome
    }
}

/// Whether an answer grounded on the site's content may improve on the decision: the FAQ gave no confident
/// answer, and the only reason to hand off, if there is one, is that nothing was answered.
pub fn may_ground(outcome: &Outcome) -> bool {
    match &outcome.decision {
        Decision::Fallback | Decision::Clarify { .. } => true,
        Decision::CollectContext { handoff, .. }
        | Decision::HandOff(handoff)
        | Decision::AfterHours { handoff, .. } => matches!(
            handoff.reason,
            HandoffReason::LowConfidence | HandoffReason::UnansweredTurns
        ),
        Decision::Answer { .. } | Decision::Grounded { .. } => false,
    }
}

/// The decision once a grounded answerer (a model, or Baton's extract from the site's knowledge) has had its say:
/// a confident answer replaces a fallback, a clarifying question or a handoff for want of an answer; an answerer
/// asking for a person makes it a handoff for low confidence; anything else leaves the decision as it was.
pub fn with_grounded(
    situation: &Situation<'_>,
    outcome: Outcome,
    answer: &GroundedAnswer,
) -> Outcome {
    if !may_ground(&outcome) {
        return outcome;
    }
    let already_handed_off = !matches!(
        outcome.decision,
        Decision::Fallback | Decision::Clarify { .. }
    );
    if answer.needs_human {
        if already_handed_off {
            return outcome;
        }
        let decision = route(
            situation,
            HandoffReason::LowConfidence,
            outcome.intent.intent,
        );
        return Outcome {
            decision,
            ..outcome
        };
    }
    let threshold = situation.config.handoff.confidence_threshold;
    if answer.confidence >= threshold && answer.confidence > outcome.confidence {
        return Outcome {
            decision: Decision::Grounded {
                text: answer.text.clone(),
                confidence: answer.confidence,
                sources: answer.sources.clone(),
            },
            confidence: answer.confidence,
            ..outcome
        };
    }
    outcome
}

/// The answer the widget may give on its own, with no round trip to the worker: an FAQ entry (position) and its
/// confidence, only when [`decide`] would answer it whatever the time and whoever is online. Everything else
/// (handoffs, clarifying questions, fallbacks) is left to the worker, which holds the clock and agent presence.
pub fn instant_answer(
    config: &SiteConfig,
    index: &FaqIndex,
    transcript: &[Message],
    visitor_text: &str,
) -> Option<(usize, f32)> {
    let (outcome, reason) = judge(&Situation {
        config,
        index,
        transcript,
        visitor_text,
        now_ms: 0,
        teams_online: &[],
        fields_known: &[],
        visitor_chose_person: false,
    });
    match (reason, outcome.decision) {
        (
            None,
            Decision::Answer {
                faq_entry,
                confidence,
            },
        ) => Some((faq_entry, confidence)),
        _ => None,
    }
}

/// Everything [`decide`] works out before looking at the clock: the matches, the intent, the reason to hand off
/// (if any) and, with no reason, the answer. `route` turns a reason into a decision.
fn judge(situation: &Situation<'_>) -> (Outcome, Option<HandoffReason>) {
    let config = situation.config;
    let hits = situation.index.search(situation.visitor_text, 3);
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
    let intent = intent::classify(
        situation.visitor_text,
        &Exemplars {
            faq: hint,
            teams: &config.teams,
        },
    );
    let mut intent = intent;
    let reason = handoff_reason(situation, &hits, confidence, &intent);
    // A sales moment goes to Sales: the intent follows, with the moment as its evidence.
    if reason == Some(HandoffReason::SalesMoment) && intent.intent != Intent::Sales {
        intent.intent = Intent::Sales;
        intent.evidence.push("sales-moment".into());
    }
    // With a reason the answer is unused; computing it anyway keeps this function simple and costs a few compares.
    let decision = answer(&hits, confidence, config.handoff.confidence_threshold);
    let outcome = Outcome {
        decision,
        intent,
        hits,
        confidence,
    };
    (outcome, reason)
}

fn handoff_reason(
    situation: &Situation<'_>,
    hits: &[Hit],
    confidence: f32,
    intent: &IntentGuess,
) -> Option<HandoffReason> {
    let config = situation.config;
    let text = situation.visitor_text;
    let folded = format!(" {} ", words(text).join(" "));
    let has_phrase = |phrase: &str| {
        let phrase = words(phrase).join(" ");
        !phrase.is_empty() && folded.contains(&format!(" {phrase} "))
    };
    if situation.visitor_chose_person {
        return Some(HandoffReason::VisitorChose);
    }
    if signals::wants_human(text).flag {
        return Some(HandoffReason::AskedForPerson);
    }
    if signals::frustration(text).flag {
        return Some(HandoffReason::Frustration);
    }
    if SENSITIVE_PHRASES.iter().any(|phrase| has_phrase(phrase))
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
    let text_words = words(text);
    let sales_words = text_words
        .iter()
        .any(|word| SALES_MOMENT_WORDS.contains(&word.as_str()));
    let unmistakable = text_words
        .iter()
        .any(|word| UNMISTAKABLE_SALES_WORDS.contains(&word.as_str()));
    if (unmistakable || (sales_words && intent.intent == Intent::Sales))
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

/// The decision for a handoff already decided, now that more is known (fields given, time passed, someone
/// online): a handoff, more fields to collect, or still after hours.
pub fn reroute(situation: &Situation<'_>, handoff: &Handoff) -> Decision {
    route(situation, handoff.reason, handoff.intent)
}

/// What the widget is told about a handoff decision besides its text; `None` for answers.
pub fn notice(config: &SiteConfig, decision: &Decision) -> Option<HandoffNotice> {
    let (handoff, fields, queued, next_opening_ms) = match decision {
        Decision::HandOff(handoff) => (handoff, &[][..], false, None),
        Decision::CollectContext { fields, handoff } => (handoff, &fields[..], false, None),
        Decision::AfterHours {
            next_opening_ms,
            fields,
            handoff,
        } => (handoff, &fields[..], true, *next_opening_ms),
        Decision::Answer { .. }
        | Decision::Grounded { .. }
        | Decision::Clarify { .. }
        | Decision::Fallback => return None,
    };
    Some(HandoffNotice {
        reason: handoff.reason,
        team: handoff
            .team
            .and_then(|team| config.teams.get(team))
            .map(|team| team.name.clone()),
        asks_for: fields
            .iter()
            .filter_map(|field| config.pre_chat.fields.get(*field))
            .map(|field| field.id.clone())
            .collect(),
        queued,
        next_opening_ms,
        queue_position: None,
        expected_wait_ms: None,
    })
}

/// Picks the team, then checks what must be collected and whether anyone can take the conversation now.
fn route(situation: &Situation<'_>, reason: HandoffReason, intent: Intent) -> Decision {
    let config = situation.config;
    let team = team_for(&config.teams, intent);
    let handoff = Handoff {
        reason,
        team,
        intent,
    };
    let missing: Vec<usize> = config
        .pre_chat
        .fields
        .iter()
        .enumerate()
        .filter(|(_, field)| {
            field.required_for.contains(&intent)
                && !situation.fields_known.contains(&field.id.as_str())
        })
        .map(|(position, _)| position)
        .collect();
    let open = config.business_hours.is_empty() || is_open(config, situation.now_ms);
    let staffed = team.is_some_and(|team| {
        situation
            .teams_online
            .contains(&config.teams[team].id.as_str())
    });
    if !(open && staffed) {
        // Nobody can reply now: an email is needed to reply later, whatever the intent requires.
        let mut fields = missing;
        let email = config
            .pre_chat
            .fields
            .iter()
            .position(|field| field.kind == FieldKind::Email);
        if let Some(email) = email
            && !fields.contains(&email)
            && !situation
                .fields_known
                .contains(&config.pre_chat.fields[email].id.as_str())
        {
            fields.insert(0, email);
        }
        let next_opening_ms = if open {
            None
        } else {
            next_opening(config, situation.now_ms)
        };
        return Decision::AfterHours {
            next_opening_ms,
            fields,
            handoff,
        };
    }
    if missing.is_empty() {
        Decision::HandOff(handoff)
    } else {
        Decision::CollectContext {
            fields: missing,
            handoff,
        }
    }
}

/// The first team serving the intent, else the first team.
fn team_for(teams: &[Team], intent: Intent) -> Option<usize> {
    teams
        .iter()
        .position(|team| team.intents.contains(&intent))
        .or(if teams.is_empty() { None } else { Some(0) })
}

#[cfg(test)]
mod tests;
