//! AI answering behind one trait, [`Provider`], with three implementations chosen by the site's `ai.provider`:
//! [`Extractive`] (`none`, the default: Baton's own extract from the site's knowledge, no model), [`OpenAi`] (any
//! OpenAI-compatible `/chat/completions`) and [`WorkersAi`] (the `AI` binding).
//!
//! A model sees only the retrieved passages and the system prompt of `baton_shared::grounding`; its output is
//! checked there (JSON, confidence, sources among the passages). Whatever goes wrong with a model (not configured,
//! an error, a timeout, output that fails the check) is logged and the extractive answer is used instead, so a
//! visitor never sees an error for it.
//!
//! With `ai.embeddings` the passages are re-ranked by semantic similarity too (`embeddings.rs`), and so are the FAQ
//! candidates of the turn's decision.
//!
//! The same models write the agent's summary of a handed-over conversation (`summary.rs`), in the background.

mod embeddings;
mod openai;
mod summary;
mod workers_ai;

use std::pin::pin;
use std::time::Duration;

use baton_shared::config::{AiProvider, SiteConfig};
use baton_shared::faq::FaqIndex;
use baton_shared::grounding::{
    self, GroundedAnswer, Knowledge, PASSAGES_FOR_MODEL, Prompt, Retrieved,
};
use futures_util::future::{Either, select};
use worker::{Delay, Env, console_warn};

use crate::vars;

pub use self::embeddings::similarity;
pub use self::openai::OpenAi;
pub use self::summary::summarize;
pub use self::workers_ai::WorkersAi;

/// How long a model may take before the extractive answer is used, unless `BATON_AI_TIMEOUT_MS` says otherwise.
const DEFAULT_TIMEOUT_MS: u64 = 8_000;

/// What an answerer is asked.
pub struct Question<'a> {
    pub site: &'a SiteConfig,
    pub text: &'a str,
    /// The passages retrieved for `text`, best first: all a model may see.
    pub passages: &'a [Retrieved],
    pub knowledge: &'a Knowledge,
}

impl Question<'_> {
    fn passage_ids(&self) -> Vec<&str> {
        self.passages
            .iter()
            .map(|retrieved| retrieved.passage.id.as_str())
            .collect()
    }

    fn prompt(&self) -> Prompt {
        grounding::prompt(self.site, self.text, self.passages)
    }
}

/// Why an answerer gave nothing usable.
#[derive(Debug)]
pub enum ProviderError {
    /// A var, secret or binding the provider needs is missing.
    NotConfigured(String),
    /// The call failed: network, HTTP status, binding error.
    Failed(String),
    /// The output failed `grounding::read_model_output`.
    Invalid(String),
    /// Nothing in the site's content matches the question.
    NothingToGroundOn,
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProviderError::NotConfigured(what) => write!(f, "not configured: {what}"),
            ProviderError::Failed(why) => write!(f, "call failed: {why}"),
            ProviderError::Invalid(why) => write!(f, "unusable output: {why}"),
            ProviderError::NothingToGroundOn => write!(f, "no passage matches the question"),
        }
    }
}

/// Something that answers a question from the site's passages.
pub trait Provider {
    async fn answer(&self, question: &Question<'_>) -> Result<GroundedAnswer, ProviderError>;
}

/// A language model: a prompt in, its raw reply out (checked by the caller).
pub trait Model {
    /// The model's name, as the agent is told.
    fn name(&self) -> &str;
    async fn complete(&self, prompt: &Prompt) -> Result<String, ProviderError>;
}

/// `none`: Baton's extract from the knowledge chunks (`grounding::extractive`), with the matcher's confidence.
pub struct Extractive;

impl Provider for Extractive {
    async fn answer(&self, question: &Question<'_>) -> Result<GroundedAnswer, ProviderError> {
        grounding::extractive(question.knowledge, question.text)
            .ok_or(ProviderError::NothingToGroundOn)
    }
}

/// The grounded answer for a question the FAQ did not answer: from the site's provider, else extractive.
pub async fn ground(
    env: &Env,
    site: &SiteConfig,
    faq: &FaqIndex,
    knowledge: &Knowledge,
    text: &str,
) -> Option<GroundedAnswer> {
    let passages = match embeddings::similarity(env, site, knowledge, text).await {
        Some(similarity) => {
            grounding::retrieve_blended(site, faq, knowledge, text, PASSAGES_FOR_MODEL, &similarity)
        }
        None => grounding::retrieve(site, faq, knowledge, text, PASSAGES_FOR_MODEL),
    };
    let question = Question {
        site,
        text,
        passages: &passages,
        knowledge,
    };
    let from_model = match site.ai.provider {
        AiProvider::None => None,
        // A model with nothing to read could only guess.
        _ if passages.is_empty() => None,
        AiProvider::Openai => {
            Some(answer_in_time(env, OpenAi::from_env(env, site), &question).await)
        }
        AiProvider::WorkersAi => {
            Some(answer_in_time(env, WorkersAi::from_env(env, site), &question).await)
        }
    };
    match from_model {
        Some(Ok(answer)) => return Some(answer),
        Some(Err(error)) => console_warn!(
            "site {}: the {:?} provider gave no answer ({error}); using the extractive answer",
            site.id,
            site.ai.provider
        ),
        None => {}
    }
    Extractive.answer(&question).await.ok()
}

/// The provider's answer, or an error when it is not configured or takes longer than the timeout.
async fn answer_in_time<P: Provider>(
    env: &Env,
    provider: Result<P, ProviderError>,
    question: &Question<'_>,
) -> Result<GroundedAnswer, ProviderError> {
    let provider = provider?;
    within_timeout(env, provider.answer(question)).await
}

/// What `work` gives, or an error once `BATON_AI_TIMEOUT_MS` (default [`DEFAULT_TIMEOUT_MS`]) has passed.
async fn within_timeout<T>(
    env: &Env,
    work: impl Future<Output = Result<T, ProviderError>>,
) -> Result<T, ProviderError> {
    let timeout_ms = vars::text(env, "BATON_AI_TIMEOUT_MS")
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_TIMEOUT_MS);
    let work = pin!(work);
    let timeout = pin!(Delay::from(Duration::from_millis(timeout_ms)));
    match select(work, timeout).await {
        Either::Left((done, _)) => done,
        Either::Right(_) => Err(ProviderError::Failed(format!(
            "no answer within {timeout_ms} ms"
        ))),
    }
}
