//! Matching a visitor's question to the site's FAQ entries.
//!
//! This first matcher compares term sets: each entry scores the best cosine overlap between the question's terms and
//! the terms of its question or one of its alternates. The score doubles as the confidence in [0, 1].

use crate::config::FaqEntry;
use crate::text::terms;

/// One FAQ entry scored against a visitor question.
#[derive(Debug, Clone, PartialEq)]
pub struct FaqMatch<'a> {
    pub entry: &'a FaqEntry,
    /// Confidence in [0, 1] that this entry answers the question.
    pub score: f32,
    /// The question's terms that the entry's best phrasing shares: the evidence for the score.
    pub matched_terms: Vec<String>,
}

/// Every entry with a score above zero, best first; ties keep configuration order.
pub fn ranked<'a>(faq: &'a [FaqEntry], question: &str) -> Vec<FaqMatch<'a>> {
    let question_terms = terms(question);
    if question_terms.is_empty() {
        return Vec::new();
    }
    let mut matches: Vec<FaqMatch<'a>> = faq
        .iter()
        .filter_map(|entry| score_entry(entry, &question_terms))
        .collect();
    matches.sort_by(|a, b| b.score.total_cmp(&a.score));
    matches
}

/// The best-scoring entry, if any shares a term with the question.
pub fn best_match<'a>(faq: &'a [FaqEntry], question: &str) -> Option<FaqMatch<'a>> {
    ranked(faq, question).into_iter().next()
}

fn score_entry<'a>(entry: &'a FaqEntry, question_terms: &[String]) -> Option<FaqMatch<'a>> {
    std::iter::once(&entry.question)
        .chain(&entry.alternates)
        .filter_map(|phrasing| {
            let phrasing_terms = terms(phrasing);
            let matched_terms: Vec<String> = question_terms
                .iter()
                .filter(|term| phrasing_terms.contains(term))
                .cloned()
                .collect();
            if matched_terms.is_empty() {
                return None;
            }
            let score = matched_terms.len() as f32
                / ((question_terms.len() * phrasing_terms.len()) as f32).sqrt();
            Some(FaqMatch {
                entry,
                score: score.min(1.0),
                matched_terms,
            })
        })
        .max_by(|a, b| a.score.total_cmp(&b.score))
}

#[cfg(test)]
mod tests;
