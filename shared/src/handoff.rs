//! The handoff policy: given the site, the conversation so far, the visitor's latest message, the time and who is
//! available, decide what happens next. A pure function; the worker performs what it returns.
//!
//! Rules, first match wins: the visitor chose or asked for a person; frustration; sensitive or private topics and
//! policy interpretation; topics the site always hands off; a sales moment without a confident answer; a confident
//! FAQ answer; a close call between entries (clarify); and after too many unanswered turns, a person. Every handoff
//! first collects the fields its intent needs, and outside business hours (or with nobody available) it becomes
//! an after-hours handoff that says when the team is back.
//!
//! `judge.rs` finds the reason to hand off and the answer, before the clock; `route.rs` turns a reason into a
//! decision with the time and who is online; `messages.rs` words decisions for the visitor; `package.rs` builds what
//! the agent reads.

mod campaign;
mod hours;
mod judge;
mod messages;
mod package;
mod route;

use self::judge::judge;
use self::route::{Fields, route, route_to};
use crate::config::SiteConfig;
use crate::faq::{FaqIndex, Hit};
use crate::grounding::{GroundedAnswer, Similarity};
use crate::inbox::Online;
use crate::intent::IntentGuess;
use crate::protocol::{Author, Choice, HandoffNotice, Message, StaffingNow};
use crate::vocab::Intent;

pub use self::campaign::{CampaignHandoff, ValidatedLead, action_of, check_lead, opening_campaign};
pub use self::hours::{is_open, next_opening, open_ms_between};
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
    /// The visitor asked whether they are talking to a machine: say honestly that this is an automated assistant,
    /// and offer a person.
    Disclose,
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
    /// Semantic matching (`ai.embeddings`), when the shell has it: the message's similarity to each FAQ entry,
    /// blended into the FAQ matches by `judge`.
    pub faq_similarity: Option<&'a Similarity>,
    /// The team the visitor asked for when the conversation started (position in `config.teams`): a handoff goes
    /// to it, whatever the message's intent.
    pub team: Option<usize>,
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
        Decision::Disclose => false,
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
        faq_similarity: None,
        team: None,
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

/// The FAQ entry (position) a tapped choice answers: `faq_entry_id`, when the latest automatic answer in
/// `transcript` offered it and the site still has the entry. The turn answers it with full confidence; the widget
/// asks the same to show that answer at once, so the two never differ. `None`: the message is decided on its text.
pub fn chosen_entry(
    config: &SiteConfig,
    transcript: &[Message],
    faq_entry_id: &str,
) -> Option<usize> {
    let latest = transcript
        .iter()
        .rev()
        .find(|message| message.author == Author::Ai)?;
    let offered = latest.choices.iter().any(|choice| {
        matches!(choice, Choice::FaqEntry { faq_entry_id: offered, .. } if offered == faq_entry_id)
    });
    if !offered {
        return None;
    }
    config.faq.iter().position(|entry| entry.id == faq_entry_id)
}

/// The decision for a handoff already decided, now that more is known (fields given, time passed, someone
/// online): a handoff, more fields to collect, or still after hours.
pub fn reroute(situation: &Situation<'_>, handoff: &Handoff) -> Decision {
    match handoff.reason {
        // A campaign named its team: it stays with it.
        HandoffReason::Campaign | HandoffReason::LeadForm => {
            let mut kept = handoff.clone();
            kept.team = kept
                .team
                .filter(|team| *team < situation.config.teams.len());
            route_to(situation, kept, Fields::ReplyAddress)
        }
        _ => route(situation, handoff.reason, handoff.intent),
    }
}

/// Who can answer now, as the widget's campaigns ask (`GET …/staffing`): the teams with an agent online (`"*"` for
/// a site without teams when any agent is), and whether business hours are open (a site without hours always is).
pub fn staffing_now(config: &SiteConfig, online: &Online, now_ms: u64) -> StaffingNow {
    let teams_online = if config.teams.is_empty() {
        if online.anyone {
            vec!["*".to_string()]
        } else {
            Vec::new()
        }
    } else {
        online
            .teams
            .iter()
            .filter(|team| config.teams.iter().any(|known| &known.id == *team))
            .cloned()
            .collect()
    };
    StaffingNow {
        teams_online,
        open: config.business_hours.is_empty() || is_open(config, now_ms),
    }
}

/// The decision for a campaign's handoff (a `handoff` campaign's click, or a lead form with a team): to the team
/// it names, at once when someone can reply, else queued (asking for an email the conversation lacks).
pub fn route_campaign(situation: &Situation<'_>, handoff: &Handoff) -> Decision {
    route_to(situation, handoff.clone(), Fields::ReplyAddress)
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
        | Decision::Fallback
        | Decision::Disclose => return None,
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

#[cfg(test)]
mod tests;
