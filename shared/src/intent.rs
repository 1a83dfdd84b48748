//! What kind of help a visitor wants: sales, support, billing, technical or general, with a confidence.
//!
//! A sales moment is the learned model's call (`signals::sales_moment`). Other evidence comes from a built-in lexicon (`lexicon.rs`, written from general customer-service knowledge) and from
//! the site itself: when the question matches an FAQ entry tagged with an intent name, that entry's tag counts,
//! weighted by the match's confidence; a team's topics named in the message count for the team's intents. Scores
//! are kept per intent in a fixed order, so the same message always gets the same confidence.

mod lexicon;

use std::sync::LazyLock;

use self::lexicon::LEXICON;
use crate::config::Team;
use crate::signals;
use crate::text::terms;
pub use crate::vocab::Intent;

/// A term's weight for each intent it points to.
type Weights = Vec<(Intent, f32)>;

/// Lexicon terms (stemmed and mapped to synonym groups, like questions) with their intent weights, sorted by term
/// for binary search.
static TERMS: LazyLock<Vec<(String, Weights)>> = LazyLock::new(|| {
    let mut table: Vec<(String, Weights)> = Vec::new();
    for (intent, weight, words) in LEXICON {
        for word in *words {
            for term in terms(word) {
                let at = match table.binary_search_by(|(known, _)| known.cmp(&term)) {
                    Ok(at) => at,
                    Err(at) => {
                        table.insert(at, (term, Vec::new()));
                        at
                    }
                };
                let weights = &mut table[at].1;
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
/// The weight of the sales-moment model's verdict, as evidence beside the lexicon's.
const SALES_MOMENT_WEIGHT: f32 = 2.0;

pub fn classify(text: &str, exemplars: &Exemplars<'_>) -> IntentGuess {
    // The learned sales-moment model decides Sales: its lexicon words ("price", "plan") are as often an existing
    // customer's billing question, so they count only when the model agrees.
    let sales = signals::sales_moment(text);
    // One slot per intent in `Intent::ALL` order, so the total below adds the same floats in the same order on every
    // run.
    let mut scores: Scores = Scores::default();
    let text_terms = terms(text);
    for term in &text_terms {
        if let Ok(at) = TERMS.binary_search_by(|(known, _)| known.cmp(term)) {
            for (intent, weight) in &TERMS[at].1 {
                if *intent == Intent::Sales && !sales.flag {
                    continue;
                }
                let (score, evidence) = scores.entry(*intent);
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
                let (score, evidence) = scores.entry(*intent);
                *score += TEAM_TOPIC_WEIGHT;
                evidence.push(format!("team:{}", team.id));
            }
        }
    }
    if let Some(hint) = exemplars.faq {
        for intent in hint.tags.iter().filter_map(|tag| Intent::from_name(tag)) {
            let (score, evidence) = scores.entry(intent);
            *score += 2.0 * hint.confidence;
            evidence.push(format!("faq:{}", hint.entry_id));
        }
    }
    if sales.flag {
        let (score, evidence) = scores.entry(Intent::Sales);
        *score += SALES_MOMENT_WEIGHT;
        evidence.push("sales-moment".into());
    }
    let total: f32 = scores.0.iter().map(|(score, _)| score).sum();
    let best = Intent::ALL
        .into_iter()
        .zip(scores.0.iter().map(|(score, _)| *score))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match best {
        // A sales moment is a sales conversation whatever else it is about ("a quote for fixing my order").
        _ if sales.flag => IntentGuess {
            intent: Intent::Sales,
            confidence: sales.confidence,
            evidence: std::mem::take(scores.entry(Intent::Sales).1),
        },
        Some((intent, score)) if score > 0.0 => {
            // Share of the evidence, shrunk toward uncertainty when there is little of it.
            let share = score / total;
            let amount = 1.0 - (-total).exp();
            IntentGuess {
                intent,
                confidence: (share * amount).clamp(0.0, 1.0),
                evidence: std::mem::take(scores.entry(intent).1),
            }
        }
        _ => IntentGuess {
            intent: Intent::General,
            confidence: NO_EVIDENCE_CONFIDENCE,
            evidence: Vec::new(),
        },
    }
}

/// The evidence for each intent, one slot per `Intent::ALL` position.
#[derive(Default)]
struct Scores([(f32, Vec<String>); Intent::ALL.len()]);

impl Scores {
    fn entry(&mut self, intent: Intent) -> (&mut f32, &mut Vec<String>) {
        let at = Intent::ALL
            .iter()
            .position(|known| *known == intent)
            .unwrap_or_default();
        let (score, evidence) = &mut self.0[at];
        (score, evidence)
    }
}

#[cfg(test)]
mod tests;
