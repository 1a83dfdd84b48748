//! Matching a visitor's question to the site's FAQ entries.
//!
//! [`FaqIndex::build`] runs once per configuration: every phrasing (the question and its alternates) becomes a set of
//! terms weighted by inverse entry frequency, and each entry also gets a centroid of its phrasings. A question scores
//! each entry by blending its best phrasing's cosine with the centroid's cosine; terms the index has never seen count
//! against the match, which is what lets the matcher say it does not know.

use serde::{Deserialize, Serialize};

use crate::config::{FaqEntry, SiteConfig};
use crate::text::{Language, terms_in, within_one_edit};

/// The default lowest calibrated confidence at which an FAQ entry answers, defined with the configuration it is the
/// default of (`handoff.confidence_threshold`).
pub use crate::config::ANSWER_THRESHOLD;

/// How much of an entry's score comes from its single best phrasing; the rest comes from its centroid.
const BEST_PHRASING_WEIGHT: f32 = 0.5;

/// The searchable form of a site's FAQ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqIndex {
    /// Vocabulary, sorted; a term's id is its position.
    terms: Vec<String>,
    /// Inverse entry frequency per term id.
    idf: Vec<f32>,
    entries: Vec<IndexedEntry>,
    /// The weight a term unknown to the index gets in a question: that of a term found in one entry.
    unknown_idf: f32,
    /// The site's own synonyms: term → the term of its group's first word, sorted by term.
    synonyms: Vec<(String, String)>,
    /// The rules that turn text into terms, from the site's locale.
    language: Language,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct IndexedEntry {
    id: String,
    /// Each phrasing's term ids, sorted, and its vector norm.
    phrasings: Vec<(Vec<u32>, f32)>,
    /// Term id and weight (share of phrasings containing it × idf), sorted by id, and the norm.
    centroid: (Vec<(u32, f32)>, f32),
}

/// An entry's position in the configuration and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub score: f32,
    pub matched_terms: Vec<String>,
}

impl FaqIndex {
    /// The index of a site: its FAQ, with its own synonyms.
    pub fn for_site(config: &SiteConfig) -> FaqIndex {
        FaqIndex::build_with_synonyms(
            &config.faq,
            &config.synonyms,
            Language::for_locale(&config.locale),
        )
    }

    /// An index of FAQ entries with the built-in lexicon only.
    pub fn build(faq: &[FaqEntry]) -> FaqIndex {
        FaqIndex::build_with_synonyms(faq, &[], Language::English)
    }

    /// An index of FAQ entries where each group of `synonyms` (single words) meets at its first word.
    pub fn build_with_synonyms(
        faq: &[FaqEntry],
        synonyms: &[Vec<String>],
        language: Language,
    ) -> FaqIndex {
        let mut synonym_map: Vec<(String, String)> = Vec::new();
        for group in synonyms {
            let group_terms: Vec<String> = group
                .iter()
                .filter_map(|word| match terms_in(word, language).as_slice() {
                    [term] => Some(term.clone()),
                    _ => None,
                })
                .collect();
            if let Some(canonical) = group_terms.first() {
                for term in &group_terms[1..] {
                    synonym_map.push((term.clone(), canonical.clone()));
                }
            }
        }
        synonym_map.sort();
        synonym_map.dedup_by(|a, b| a.0 == b.0);
        let site_terms = |text: &str| site_synonyms(&synonym_map, terms_in(text, language));
        let entry_terms: Vec<Vec<Vec<String>>> = faq
            .iter()
            .map(|entry| {
                std::iter::once(&entry.question)
                    .chain(&entry.alternates)
                    .map(|phrasing| site_terms(phrasing))
                    .collect()
            })
            .collect();
        let mut vocabulary: Vec<String> = entry_terms.iter().flatten().flatten().cloned().collect();
        vocabulary.sort();
        vocabulary.dedup();
        let id_of = |term: &String| vocabulary.binary_search(term).map_or(0, |id| id as u32);
        let phrasings: Vec<Vec<Vec<u32>>> = entry_terms
            .iter()
            .map(|phrasings| {
                phrasings
                    .iter()
                    .map(|terms| {
                        let mut ids: Vec<u32> = terms.iter().map(id_of).collect();
                        ids.sort_unstable();
                        ids.dedup();
                        ids
                    })
                    .collect()
            })
            .collect();
        let ids = faq.iter().map(|entry| entry.id.clone()).collect();
        FaqIndex::from_parts(vocabulary, ids, phrasings, synonym_map, language)
    }

    /// Everything else follows from the vocabulary and each phrasing's term ids: weights, norms, centroids. This is
    /// the cheap half of [`FaqIndex::build`], shared with [`FaqIndex::from_bytes`].
    fn from_parts(
        vocabulary: Vec<String>,
        ids: Vec<String>,
        phrasings: Vec<Vec<Vec<u32>>>,
        synonyms: Vec<(String, String)>,
        language: Language,
    ) -> FaqIndex {
        let mut entry_frequency = vec![0u32; vocabulary.len()];
        for entry in &phrasings {
            let mut seen: Vec<u32> = entry.iter().flatten().copied().collect();
            seen.sort_unstable();
            seen.dedup();
            for id in seen {
                entry_frequency[id as usize] += 1;
            }
        }
        let entries_count = ids.len().max(1) as f32;
        let idf_of = |frequency: f32| (1.0 + entries_count / frequency).ln();
        let idf: Vec<f32> = entry_frequency
            .iter()
            .map(|df| idf_of(*df as f32))
            .collect();
        let entries = ids
            .into_iter()
            .zip(phrasings)
            .map(|(id, phrasings)| {
                let phrasings: Vec<(Vec<u32>, f32)> = phrasings
                    .into_iter()
                    .map(|ids| {
                        let norm = norm(ids.iter().map(|id| idf[*id as usize]));
                        (ids, norm)
                    })
                    .collect();
                let mut weights: Vec<(u32, f32)> = Vec::new();
                for (ids, _) in &phrasings {
                    for id in ids {
                        match weights.binary_search_by_key(id, |(term, _)| *term) {
                            Ok(at) => weights[at].1 += 1.0,
                            Err(at) => weights.insert(at, (*id, 1.0)),
                        }
                    }
                }
                let share = phrasings.len().max(1) as f32;
                for (id, weight) in &mut weights {
                    *weight = *weight / share * idf[*id as usize];
                }
                let centroid_norm = norm(weights.iter().map(|(_, weight)| *weight));
                IndexedEntry {
                    id,
                    phrasings,
                    centroid: (weights, centroid_norm),
                }
            })
            .collect();
        FaqIndex {
            terms: vocabulary,
            idf,
            entries,
            unknown_idf: idf_of(1.0),
            synonyms,
            language,
        }
    }

    /// Every entry sharing a term with the question, best first (ties keep configuration order), at most `limit`.
    pub fn search(&self, question: &str, limit: usize) -> Vec<Hit> {
        let question_terms = site_synonyms(&self.synonyms, terms_in(question, self.language));
        // Known terms, and unknown ones that are one typo away from a known term ("delivry" → "deliveri").
        let known: Vec<(u32, &String)> = question_terms
            .iter()
            .filter_map(|term| {
                self.terms
                    .binary_search(term)
                    .ok()
                    .or_else(|| self.correct_typo(term))
                    .map(|id| (id as u32, term))
            })
            .collect();
        if known.is_empty() {
            return Vec::new();
        }
        let question_norm =
            norm(
                question_terms
                    .iter()
                    .map(|term| match self.terms.binary_search(term) {
                        Ok(id) => self.idf[id],
                        Err(_) => self.unknown_idf,
                    }),
            );
        let mut hits: Vec<Hit> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(position, entry)| {
                let best = entry
                    .phrasings
                    .iter()
                    .map(|(ids, phrasing_norm)| {
                        let dot: f32 = known
                            .iter()
                            .filter(|(id, _)| ids.binary_search(id).is_ok())
                            .map(|(id, _)| self.idf[*id as usize].powi(2))
                            .sum();
                        dot / (question_norm * phrasing_norm).max(f32::EPSILON)
                    })
                    .fold(0.0f32, f32::max);
                let (weights, centroid_norm) = &entry.centroid;
                let mut matched_terms = Vec::new();
                let mut dot = 0.0;
                for (id, term) in &known {
                    if let Ok(at) = weights.binary_search_by_key(id, |(term, _)| *term) {
                        dot += weights[at].1 * self.idf[*id as usize];
                        matched_terms.push((*term).clone());
                    }
                }
                if matched_terms.is_empty() {
                    return None;
                }
                let centroid = dot / (question_norm * centroid_norm).max(f32::EPSILON);
                let score = BEST_PHRASING_WEIGHT * best + (1.0 - BEST_PHRASING_WEIGHT) * centroid;
                Some(Hit {
                    entry: position,
                    score: score.clamp(0.0, 1.0),
                    matched_terms,
                })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        hits
    }
}

/// Calibration of [`confidence`]: a logistic map of the top score and its margin over the runner-up, fitted by
/// `baton calibrate` on every evaluation set at K = 0, 3 and 10 (15,832 runs with a match; expected calibration
/// error 0.035).
pub const CALIBRATION: Calibration = Calibration {
    bias: -1.902,
    top_score: 3.677,
    margin: 11.579,
};

/// Weights of the logistic map from raw scores to a probability that the top hit is right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    pub bias: f32,
    pub top_score: f32,
    pub margin: f32,
}

impl Calibration {
    /// The probability that the best of `hits` (sorted, best first) answers the question; 0 without hits.
    pub fn confidence(&self, hits: &[Hit]) -> f32 {
        let Some(top) = hits.first() else {
            return 0.0;
        };
        let runner_up = hits.get(1).map_or(0.0, |hit| hit.score);
        let z = self.bias
            + self.top_score * top.score
            + self.margin * margin_feature(top.score, runner_up);
        1.0 / (1.0 + (-z).exp())
    }
}

/// The margin over the runner-up, scaled by the top score: a wide margin means little when the top match itself is
/// weak (with few entries, a lone weak match has no runner-up at all).
pub fn margin_feature(top: f32, runner_up: f32) -> f32 {
    top * (top - runner_up)
}

impl FaqIndex {
    /// The id of the vocabulary term one edit away from `term`, for terms of five letters or more; the rarest
    /// (highest idf) wins when several are.
    fn correct_typo(&self, term: &str) -> Option<usize> {
        if term.len() < 5 || term.contains('_') {
            return None;
        }
        self.terms
            .iter()
            .enumerate()
            .filter(|(_, known)| {
                known.len().abs_diff(term.len()) <= 1 && within_one_edit(known, term)
            })
            .max_by(|a, b| self.idf[a.0].total_cmp(&self.idf[b.0]))
            .map(|(id, _)| id)
    }
}

/// Replaces each term found in a site's synonym map by its group's term, keeping terms distinct.
fn site_synonyms(synonyms: &[(String, String)], terms: Vec<String>) -> Vec<String> {
    if synonyms.is_empty() {
        return terms;
    }
    let mut mapped: Vec<String> = Vec::with_capacity(terms.len());
    for term in terms {
        let term = match synonyms.binary_search_by(|(from, _)| from.as_str().cmp(&term)) {
            Ok(at) => synonyms[at].1.clone(),
            Err(_) => term,
        };
        if !mapped.contains(&term) {
            mapped.push(term);
        }
    }
    mapped
}

fn norm(weights: impl Iterator<Item = f32>) -> f32 {
    weights.map(|weight| weight * weight).sum::<f32>().sqrt()
}

mod bytes;

#[cfg(test)]
mod tests;
