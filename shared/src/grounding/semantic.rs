//! Semantic matching, when a site configures `ai.embeddings`: the similarity of the visitor's message to each FAQ
//! entry (its best phrasing) and to each passage, from their embeddings, blended with the lexical score to re-rank
//! the FAQ candidates and the passages for grounding. Pure: the worker fetches the vectors (and caches the site's
//! per content version), this module lists what to embed, reads the vectors back, and does the arithmetic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Knowledge, Passage, Retrieved, faq_passage};
use crate::config::{EmbeddingsSettings, SiteConfig};
use crate::faq::Hit;

/// The embeddings of a site's content, in the order of [`content_texts`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteEmbeddings {
    /// Per FAQ entry (its position in `faq`): one vector per phrasing, the question first, then the alternates.
    pub faq: Vec<Vec<Vec<f32>>>,
    /// Per passage id (`faq:{id}`, `kb:{snippet}.{chunk}`).
    pub passages: BTreeMap<String, Vec<f32>>,
}

/// Everything of a site that is embedded, in a fixed order: each FAQ entry's phrasings (question, alternates),
/// then each passage (FAQ answers under their question, knowledge chunks under their title).
pub fn content_texts(config: &SiteConfig, knowledge: &Knowledge) -> Vec<String> {
    let phrasings = config.faq.iter().flat_map(|entry| {
        std::iter::once(entry.question.clone()).chain(entry.alternates.iter().cloned())
    });
    let passages = all_passages(config, knowledge).map(|passage| passage_text(&passage));
    phrasings.chain(passages).collect()
}

impl SiteEmbeddings {
    /// The vectors of [`content_texts`], in its order, read back; `None` when they do not fit it.
    pub fn from_vectors(
        config: &SiteConfig,
        knowledge: &Knowledge,
        vectors: Vec<Vec<f32>>,
    ) -> Option<SiteEmbeddings> {
        let phrasings: usize = config
            .faq
            .iter()
            .map(|entry| 1 + entry.alternates.len())
            .sum();
        let passages: Vec<Passage> = all_passages(config, knowledge).collect();
        if vectors.len() != phrasings + passages.len() {
            return None;
        }
        let mut vectors = vectors.into_iter();
        let faq = config
            .faq
            .iter()
            .map(|entry| vectors.by_ref().take(1 + entry.alternates.len()).collect())
            .collect();
        let passages = passages
            .into_iter()
            .map(|passage| passage.id)
            .zip(vectors)
            .collect();
        Some(SiteEmbeddings { faq, passages })
    }
}

/// How close the visitor's message is to each piece of the site's content, in [0, 1] (0 for unrelated), and how
/// much that counts against the lexical score.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Similarity {
    /// From 0 (the lexical score alone) to 1 (the similarity alone).
    pub weight: f32,
    /// Per FAQ entry (its position in `faq`): the best over its phrasings.
    pub faq: Vec<f32>,
    /// Per passage id.
    pub passages: BTreeMap<String, f32>,
}

impl Similarity {
    /// The similarities of `query` (the message's vector) to the site's content: cosine similarity rescaled so
    /// that `min_similarity` and below are 0 and identical texts 1.
    pub fn new(settings: &EmbeddingsSettings, site: &SiteEmbeddings, query: &[f32]) -> Similarity {
        let min = settings.min_similarity();
        let similarity =
            |vector: &Vec<f32>| ((cosine(query, vector) - min) / (1.0 - min)).clamp(0.0, 1.0);
        Similarity {
            weight: settings.weight,
            faq: site
                .faq
                .iter()
                .map(|phrasings| phrasings.iter().map(similarity).fold(0.0, f32::max))
                .collect(),
            passages: site
                .passages
                .iter()
                .map(|(id, vector)| (id.clone(), similarity(vector)))
                .collect(),
        }
    }

    /// The lexical score and the similarity blended by `weight`.
    pub fn blend(&self, lexical: f32, similarity: f32) -> f32 {
        (1.0 - self.weight) * lexical + self.weight * similarity
    }

    /// The FAQ matches re-ranked: `lexical` holds the lexical hits of every entry the matcher found (the others
    /// count 0), and every entry is a candidate. The best `limit` with a score above 0, best first (the earlier
    /// entry wins a tie).
    pub fn rerank_faq(&self, lexical: Vec<Hit>, limit: usize) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::with_capacity(self.faq.len());
        for (entry, similarity) in self.faq.iter().enumerate() {
            let found = lexical.iter().find(|hit| hit.entry == entry);
            let score = self.blend(found.map_or(0.0, |hit| hit.score), *similarity);
            hits.push(Hit {
                entry,
                score,
                matched_terms: found
                    .map(|hit| hit.matched_terms.clone())
                    .unwrap_or_default(),
            });
        }
        hits.retain(|hit| hit.score > 0.0);
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        hits.truncate(limit);
        hits
    }

    /// Every passage of the site scored by the blend of its lexical score (in `lexical`, else 0) and its similarity.
    pub(super) fn rerank_passages(
        &self,
        config: &SiteConfig,
        knowledge: &Knowledge,
        lexical: &[Retrieved],
    ) -> Vec<Retrieved> {
        all_passages(config, knowledge)
            .map(|passage| {
                let lexical_score = lexical
                    .iter()
                    .find(|retrieved| retrieved.passage.id == passage.id)
                    .map_or(0.0, |retrieved| retrieved.score);
                let similarity = self.passages.get(&passage.id).copied().unwrap_or(0.0);
                Retrieved {
                    score: self.blend(lexical_score, similarity),
                    passage,
                }
            })
            .collect()
    }
}

/// The cosine similarity of two vectors; 0 when they differ in length or one is all zeros.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norms =
        a.iter().map(|x| x * x).sum::<f32>().sqrt() * b.iter().map(|y| y * y).sum::<f32>().sqrt();
    if norms == 0.0 { 0.0 } else { dot / norms }
}

/// Every passage of the site: the FAQ answers, then the knowledge chunks.
fn all_passages<'a>(
    config: &'a SiteConfig,
    knowledge: &'a Knowledge,
) -> impl Iterator<Item = Passage> + 'a {
    config
        .faq
        .iter()
        .map(faq_passage)
        .chain(knowledge.chunks.iter().cloned())
}

/// What is embedded of a passage: its title, then its text.
fn passage_text(passage: &Passage) -> String {
    format!("{}\n{}", passage.title, passage.text)
}
