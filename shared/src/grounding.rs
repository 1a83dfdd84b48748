//! Grounded answers: the passages of a site's own content an AI may answer from, how they are retrieved for a
//! question, the extractive answer Baton gives with no language model, the prompt a model gets, and the check of
//! what a model says back. Pure; the worker calls the model and falls back on [`extractive`] when its output fails
//! [`read_model_output`].
//!
//! Passages are the FAQ answers (`faq:{id}`) and the knowledge snippets cut into chunks of whole sentences
//! (`kb:{snippet}.{chunk}`). Both are searched with the FAQ matcher: a chunk's phrasings are its snippet's title
//! and each of its sentences.

mod output;
mod prompt;
mod semantic;

use crate::config::{FaqEntry, SiteConfig};
use crate::faq::{CALIBRATION, FaqIndex};
use crate::text::{Language, terms_in};

pub(crate) use self::output::strip_code_fence;
pub use self::output::{ModelOutputProblem, read_model_output};
pub use self::prompt::{Prompt, prompt};
pub use self::semantic::{Similarity, SiteEmbeddings, content_texts, cosine};

/// The longest chunk of a knowledge snippet, in characters (a longer single sentence stays whole).
const CHUNK_CHARS: usize = 600;
/// Passages scoring below this share nothing meaningful with the question and are not retrieved.
const MIN_PASSAGE_SCORE: f32 = 0.12;
/// How many passages a model sees at most.
pub const PASSAGES_FOR_MODEL: usize = 4;
/// Sentences an extractive answer quotes at most.
const EXTRACT_SENTENCES: usize = 2;

/// A piece of the site's content an answer may be grounded on.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// `faq:{entry id}` or `kb:{snippet}.{chunk}`: what a model cites in `sources`.
    pub id: String,
    pub title: String,
    pub text: String,
    pub url: Option<String>,
}

/// A passage retrieved for a question, with its match score in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Retrieved {
    pub passage: Passage,
    pub score: f32,
}

/// An answer grounded on passages, from a model or extracted by Baton.
#[derive(Debug, Clone, PartialEq)]
pub struct GroundedAnswer {
    pub text: String,
    /// In [0, 1]: how sure the answerer is that `text` answers the question from the passages.
    pub confidence: f32,
    /// Ids of the passages the answer comes from; never empty unless `needs_human`.
    pub sources: Vec<String>,
    /// The answerer says a person should take this question.
    pub needs_human: bool,
    /// Why, in the answerer's words (shown to the agent, never to the visitor).
    pub reason: Option<String>,
}

/// The searchable knowledge of a site: its snippets cut into chunks.
#[derive(Debug, Clone)]
pub struct Knowledge {
    chunks: Vec<Passage>,
    index: FaqIndex,
    language: Language,
}

impl Knowledge {
    pub fn for_site(config: &SiteConfig) -> Knowledge {
        let language = Language::for_locale(&config.locale);
        let mut chunks = Vec::new();
        let mut phrasings = Vec::new();
        for (snippet_at, snippet) in config.knowledge.iter().enumerate() {
            for (chunk_at, sentences) in chunk_sentences(&snippet.text).into_iter().enumerate() {
                let id = format!("kb:{snippet_at}.{chunk_at}");
                phrasings.push(FaqEntry {
                    id: id.clone(),
                    question: snippet.title.clone(),
                    alternates: sentences.iter().map(|s| s.to_string()).collect(),
                    answer: String::new(),
                    tags: Vec::new(),
                    links: Vec::new(),
                });
                chunks.push(Passage {
                    id,
                    title: snippet.title.clone(),
                    text: sentences.join(" "),
                    url: snippet.url.clone(),
                });
            }
        }
        let index = FaqIndex::build_with_synonyms(&phrasings, &config.synonyms, language);
        Knowledge {
            chunks,
            index,
            language,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }
}

/// The passages most related to the question, FAQ answers and knowledge chunks together, best first, at most `limit`.
pub fn retrieve(
    config: &SiteConfig,
    faq: &FaqIndex,
    knowledge: &Knowledge,
    question: &str,
    limit: usize,
) -> Vec<Retrieved> {
    best(lexical(config, faq, knowledge, question, limit), limit)
}

/// [`retrieve`] with semantic matching: every passage is a candidate, scored by the blend of its lexical score
/// and its similarity to the question.
pub fn retrieve_blended(
    config: &SiteConfig,
    faq: &FaqIndex,
    knowledge: &Knowledge,
    question: &str,
    limit: usize,
    similarity: &Similarity,
) -> Vec<Retrieved> {
    let candidates = config.faq.len() + knowledge.chunks.len();
    let lexical = lexical(config, faq, knowledge, question, candidates);
    best(
        similarity.rerank_passages(config, knowledge, &lexical),
        limit,
    )
}

/// The passages the matcher finds for the question, at most `limit` of each kind, unsorted.
fn lexical(
    config: &SiteConfig,
    faq: &FaqIndex,
    knowledge: &Knowledge,
    question: &str,
    limit: usize,
) -> Vec<Retrieved> {
    let faq_passages = faq
        .search(question, limit)
        .into_iter()
        .map(|hit| Retrieved {
            passage: faq_passage(&config.faq[hit.entry]),
            score: hit.score,
        });
    let knowledge_passages = knowledge
        .index
        .search(question, limit)
        .into_iter()
        .map(|hit| Retrieved {
            passage: knowledge.chunks[hit.entry].clone(),
            score: hit.score,
        });
    faq_passages.chain(knowledge_passages).collect()
}

/// The passages scoring at least [`MIN_PASSAGE_SCORE`], best first (the earlier wins a tie), at most `limit`.
fn best(mut retrieved: Vec<Retrieved>, limit: usize) -> Vec<Retrieved> {
    retrieved.retain(|retrieved| retrieved.score >= MIN_PASSAGE_SCORE);
    retrieved.sort_by(|a, b| b.score.total_cmp(&a.score));
    retrieved.truncate(limit);
    retrieved
}

/// An FAQ entry's answer as a passage, under its question.
fn faq_passage(entry: &FaqEntry) -> Passage {
    Passage {
        id: format!("faq:{}", entry.id),
        title: entry.question.clone(),
        text: entry.answer.clone(),
        url: entry.links.first().map(|link| link.url.clone()),
    }
}

/// Baton's own answer from the knowledge chunks, with no language model: the sentences of the best chunk that share
/// the most with the question, in their order, and the matcher's calibrated confidence. `None` when no chunk
/// matches. FAQ entries are not quoted here: the handoff policy has already answered from them when it could.
pub fn extractive(knowledge: &Knowledge, question: &str) -> Option<GroundedAnswer> {
    let hits = knowledge.index.search(question, 3);
    let top = hits.first().filter(|hit| hit.score >= MIN_PASSAGE_SCORE)?;
    let chunk = &knowledge.chunks[top.entry];
    let question_terms = terms_in(question, knowledge.language);
    let sentences = split_sentences(&chunk.text);
    let mut ranked: Vec<(usize, usize)> = sentences
        .iter()
        .enumerate()
        .map(|(at, sentence)| {
            let shared = terms_in(sentence, knowledge.language)
                .iter()
                .filter(|term| question_terms.contains(term))
                .count();
            (at, shared)
        })
        .filter(|(_, shared)| *shared > 0)
        .collect();
    // Most shared terms first; the earlier sentence wins a tie.
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(EXTRACT_SENTENCES);
    if ranked.is_empty() {
        // Only the title matched: the chunk's opening sentence introduces it.
        ranked.push((0, 0));
    }
    ranked.sort_by_key(|(at, _)| *at);
    let text = ranked
        .iter()
        .map(|(at, _)| sentences[*at])
        .collect::<Vec<_>>()
        .join(" ");
    Some(GroundedAnswer {
        text,
        confidence: CALIBRATION.confidence(&hits),
        sources: vec![chunk.id.clone()],
        needs_human: false,
        reason: None,
    })
}

/// The sentences of a text: split after `.`, `!` or `?` followed by white space and a word that does not start in
/// lower case (so "Fernleaf Coffee Co. is" stays one sentence).
fn split_sentences(text: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next_word = text[at + c.len_utf8()..].trim_start().chars().next();
        if matches!(c, '.' | '!' | '?')
            && chars.peek().is_some_and(|(_, next)| next.is_whitespace())
            && next_word.is_some_and(|first| !first.is_lowercase())
        {
            let end = at + c.len_utf8();
            let sentence = text[start..end].trim();
            if !sentence.is_empty() {
                sentences.push(sentence);
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        sentences.push(rest);
    }
    sentences
}

/// Whole sentences packed into chunks of at most [`CHUNK_CHARS`] characters.
fn chunk_sentences(text: &str) -> Vec<Vec<&str>> {
    let mut chunks: Vec<Vec<&str>> = Vec::new();
    let mut length = 0;
    for sentence in split_sentences(text) {
        let chars = sentence.chars().count();
        match chunks.last_mut() {
            Some(chunk) if length + 1 + chars <= CHUNK_CHARS => {
                chunk.push(sentence);
                length += 1 + chars;
            }
            _ => {
                chunks.push(vec![sentence]);
                length = chars;
            }
        }
    }
    chunks
}

#[cfg(test)]
mod tests;
