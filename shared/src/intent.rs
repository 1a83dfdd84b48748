//! What kind of help a visitor wants: sales, support, billing, technical or general, with a confidence.
//!
//! Evidence comes from a built-in lexicon (`lexicon.rs`, written from general customer-service knowledge) and from
//! the site itself: when the question matches an FAQ entry tagged with an intent name, that entry's tag counts,
//! weighted by the match's confidence; a team's topics named in the message count for the team's intents. Scores
//! are kept per intent in a fixed order, so the same message always gets the same confidence.

mod lexicon;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use self::lexicon::LEXICON;
use crate::config::Team;
use crate::text::terms;
pub use crate::vocab::Intent;

/// Lexicon terms (stemmed and mapped to synonym groups, like questions) with their intent weights.
static TERMS: LazyLock<BTreeMap<String, Vec<(Intent, f32)>>> = LazyLock::new(|| {
    let mut table: BTreeMap<String, Vec<(Intent, f32)>> = BTreeMap::new();
    for (intent, weight, words) in LEXICON {
        for word in *words {
            for term in terms(word) {
                let weights = table.entry(term).or_default();
                match weights.iter_mut().find(|(existing, _)| existing == intent) {
                    Some((_, existing)) => *existing = existing.max(*weight),
                    None => weights.push((*intent, *weight)),
                }
            }
        }
    }
    table
});

/// The intent of one message.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentGuess {
    pub intent: Intent,
    /// Confidence in [0, 1].
    pub confidence: f32,
    /// The terms (or `faq:<id>`) that pointed to it.
    pub evidence: Vec<String>,
}

/// A matched FAQ entry's tags and the confidence of the match: the site's own exemplars.
#[derive(Debug, Clone, Copy)]
pub struct FaqHint<'a> {
    pub entry_id: &'a str,
    pub tags: &'a [String],
    pub confidence: f32,
}

/// The site's own evidence for intent: the matched FAQ entry's tags and the topics of its teams.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exemplars<'a> {
    pub faq: Option<FaqHint<'a>>,
    pub teams: &'a [Team],
}

/// Without any evidence a message is general, with this confidence.
const NO_EVIDENCE_CONFIDENCE: f32 = 0.4;
/// The weight of one of a team's topics found in the message: stronger than one lexicon word, as the site owner
/// named it for this team.
const TEAM_TOPIC_WEIGHT: f32 = 1.5;

pub fn classify(text: &str, exemplars: &Exemplars<'_>) -> IntentGuess {
    // Ordered by intent, so the total below adds the same floats in the same order on every run.
    let mut scores: BTreeMap<Intent, (f32, Vec<String>)> = BTreeMap::new();
    let text_terms = terms(text);
    for term in &text_terms {
        if let Some(weights) = TERMS.get(term) {
            for (intent, weight) in weights {
                let (score, evidence) = scores.entry(*intent).or_default();
                *score += weight;
                evidence.push(term.clone());
            }
        }
    }
    for team in exemplars.teams {
        let named = team.topics.iter().any(|topic| {
            let topic_terms = terms(topic);
            !topic_terms.is_empty() && topic_terms.iter().all(|term| text_terms.contains(term))
        });
        if named {
            for intent in &team.intents {
                let (score, evidence) = scores.entry(*intent).or_default();
                *score += TEAM_TOPIC_WEIGHT;
                evidence.push(format!("team:{}", team.id));
            }
        }
    }
    if let Some(hint) = exemplars.faq {
        for intent in hint.tags.iter().filter_map(|tag| Intent::from_name(tag)) {
            let (score, evidence) = scores.entry(intent).or_default();
            *score += 2.0 * hint.confidence;
            evidence.push(format!("faq:{}", hint.entry_id));
        }
    }
    let total: f32 = scores.values().map(|(score, _)| score).sum();
    let best = Intent::ALL
        .into_iter()
        .filter_map(|intent| scores.get(&intent).map(|(score, _)| (intent, *score)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match best {
        Some((intent, score)) if score > 0.0 => {
            // Share of the evidence, shrunk toward uncertainty when there is little of it.
            let share = score / total;
            let amount = 1.0 - (-total).exp();
            IntentGuess {
                intent,
                confidence: (share * amount).clamp(0.0, 1.0),
                evidence: scores
                    .remove(&intent)
                    .map(|(_, evidence)| evidence)
                    .unwrap_or_default(),
            }
        }
        _ => IntentGuess {
            intent: Intent::General,
            confidence: NO_EVIDENCE_CONFIDENCE,
            evidence: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests;
