//! The compact package an agent reads when a conversation is handed over, so the visitor never repeats themself:
//! at most three sentences taken from what the visitor wrote, plus the facts (intent, what was asked, what was
//! answered, form fields, handoff reason). A site with a language model also gets the model's summary
//! (`model.rs`: its prompt and the check of its facts, `facts.rs`), always beside this one.

mod facts;
mod model;

pub use self::model::{MAX_MODEL_SUMMARY_CHARS, SummaryProblem, SummaryPrompt};

use crate::intent::IntentGuess;
use crate::protocol::{Author, Message};
use crate::text::terms;
use crate::vocab::HandoffReason;

/// The summary of one conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentSummary {
    /// At most three of the visitor's own sentences, in the order they were written.
    pub sentences: Vec<String>,
    pub intent: IntentGuess,
    /// Every visitor message, oldest first.
    pub asked: Vec<String>,
    /// The FAQ entries and passages (`faq:…`, `kb:…`) Baton answered with, oldest first.
    pub answered: Vec<String>,
    /// Form fields given: label and value.
    pub fields: Vec<(String, String)>,
    pub handoff_reason: Option<HandoffReason>,
}

/// The most sentences a summary holds.
const MAX_SENTENCES: usize = 3;

pub fn summarize(
    transcript: &[Message],
    intent: IntentGuess,
    fields: Vec<(String, String)>,
    handoff_reason: Option<HandoffReason>,
) -> AgentSummary {
    let asked: Vec<String> = transcript
        .iter()
        .filter(|message| message.author == Author::Visitor)
        .map(|message| message.text.trim().to_string())
        .collect();
    let answered = transcript
        .iter()
        .filter_map(|message| message.answer.as_ref())
        .flat_map(|answer| answer.faq_entry_id.iter().chain(&answer.sources).cloned())
        .collect();
    AgentSummary {
        sentences: key_sentences(&asked),
        intent,
        asked,
        answered,
        fields,
        handoff_reason,
    }
}

/// Picks the visitor sentences that carry the most new information: each scores the terms it adds to those already
/// picked, the latest message winning ties (it is usually why the visitor is still here).
fn key_sentences(asked: &[String]) -> Vec<String> {
    let sentences: Vec<(usize, &str)> = asked
        .iter()
        .flat_map(|message| message.split_inclusive(['.', '?', '!', '\n']))
        .map(str::trim)
        .filter(|sentence| !sentence.is_empty())
        .enumerate()
        .collect();
    let mut picked: Vec<usize> = Vec::new();
    let mut covered: Vec<String> = Vec::new();
    while picked.len() < MAX_SENTENCES {
        let best = sentences
            .iter()
            .filter(|(position, _)| !picked.contains(position))
            .map(|(position, sentence)| {
                let new_terms = terms(sentence)
                    .into_iter()
                    .filter(|term| !covered.contains(term))
                    .count();
                (*position, new_terms)
            })
            .filter(|(_, new_terms)| *new_terms > 0)
            .max_by_key(|(position, new_terms)| (*new_terms, *position));
        let Some((position, _)) = best else {
            break;
        };
        covered.extend(terms(sentences[position].1));
        picked.push(position);
    }
    picked.sort_unstable();
    picked
        .into_iter()
        .map(|position| sentences[position].1.to_string())
        .collect()
}

impl AgentSummary {
    /// The summary as the agent reads it.
    pub fn render(&self) -> String {
        let mut lines = vec![self.sentences.join(" ")];
        lines.push(format!(
            "Intent: {} ({:.0} %)",
            self.intent.intent.name(),
            self.intent.confidence * 100.0
        ));
        if let Some(reason) = self.handoff_reason {
            lines.push(format!("Handoff reason: {}", reason.label()));
        }
        lines.push(format!("Asked: {}", self.asked.join(" | ")));
        if !self.answered.is_empty() {
            lines.push(format!("Answered with: {}", self.answered.join(", ")));
        }
        for (label, value) in &self.fields {
            lines.push(format!("{label}: {value}"));
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests;
