//! Semantic matching's shell (`ai.embeddings`, optional): the vectors of the site's content and of the visitor's
//! message, from an OpenAI-compatible `POST {BATON_AI_BASE_URL}/embeddings` or Workers AI
//! (`@cf/baai/bge-small-en-v1.5` by default) through the `AI` binding. The arithmetic is
//! `baton_shared::grounding::Similarity`'s.
//!
//! The site's vectors are computed at most once per content version (a fingerprint of the model and every text
//! embedded) and kept in KV and in this isolate; the message is embedded once per turn (the FAQ re-rank and the
//! passages for grounding share it) within [`QUERY_TIMEOUT_MS`]. Any failure means lexical matching alone, logged,
//! never an error: semantic matching is never required, and never on the widget's path.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use baton_shared::config::{EmbeddingsProvider, EmbeddingsSettings, SiteConfig};
use baton_shared::grounding::{Knowledge, Similarity, SiteEmbeddings, content_texts};
use baton_shared::signing::token_digest;
use serde::Deserialize;
use serde_json::{Value, json};
use worker::{Ai, Env, console_warn};

use super::{OpenAi, ProviderError, within_timeout};
use crate::store::Kv;
use crate::vars;

/// How long the visitor's message may take to embed, unless `BATON_EMBEDDINGS_TIMEOUT_MS` says otherwise.
const QUERY_TIMEOUT_MS: u64 = 800;
const DEFAULT_WORKERS_AI_MODEL: &str = "@cf/baai/bge-small-en-v1.5";
const DEFAULT_OPENAI_MODEL: &str = "text-embedding-3-small";
/// Texts per embeddings request (Workers AI takes at most 100).
const BATCH: usize = 96;
/// Messages whose similarities this isolate remembers, for the rest of their turn.
const REMEMBERED_MESSAGES: usize = 16;

thread_local! {
    /// The site's vectors by site id, with the content version they are for.
    static SITES: RefCell<Vec<(String, String, Rc<SiteEmbeddings>)>> = const { RefCell::new(Vec::new()) };
    /// The latest messages' similarities, by site, content version and text.
    static MESSAGES: RefCell<VecDeque<(String, Rc<Similarity>)>> = const { RefCell::new(VecDeque::new()) };
}

/// How close `text` is to each piece of the site's content, when the site has semantic matching and it works.
pub async fn similarity(
    env: &Env,
    site: &SiteConfig,
    knowledge: &Knowledge,
    text: &str,
) -> Option<Rc<Similarity>> {
    let settings = site.ai.embeddings.as_ref()?;
    match similarity_or_error(env, site, settings, knowledge, text).await {
        Ok(similarity) => Some(similarity),
        Err(error) => {
            console_warn!(
                "site {}: semantic matching skipped ({error}); lexical only",
                site.id
            );
            None
        }
    }
}

async fn similarity_or_error(
    env: &Env,
    site: &SiteConfig,
    settings: &EmbeddingsSettings,
    knowledge: &Knowledge,
    text: &str,
) -> Result<Rc<Similarity>, ProviderError> {
    let embedder = Embedder::from_env(env, settings)?;
    let texts = content_texts(site, knowledge);
    let version = token_digest(&format!("{}\u{0}{}", embedder.model, texts.join("\u{0}")));
    let message_key = format!("{}\u{0}{version}\u{0}{text}", site.id);
    let remembered = MESSAGES.with_borrow(|messages| {
        messages
            .iter()
            .find(|(key, _)| *key == message_key)
            .map(|(_, similarity)| Rc::clone(similarity))
    });
    if let Some(similarity) = remembered {
        return Ok(similarity);
    }
    let site_vectors = site_embeddings(env, site, knowledge, &embedder, &version, texts).await?;
    let timeout_ms = vars::text(env, "BATON_EMBEDDINGS_TIMEOUT_MS")
        .and_then(|value| value.parse().ok())
        .unwrap_or(QUERY_TIMEOUT_MS);
    let query = Box::pin(embedder.embed(vec![text.to_string()]));
    let query = match futures_util::future::select(
        query,
        Box::pin(worker::Delay::from(Duration::from_millis(timeout_ms))),
    )
    .await
    {
        futures_util::future::Either::Left((vectors, _)) => vectors?,
        futures_util::future::Either::Right(_) => {
            return Err(ProviderError::Failed(format!(
                "the message was not embedded within {timeout_ms} ms"
            )));
        }
    };
    let query = query
        .into_iter()
        .next()
        .ok_or_else(|| ProviderError::Invalid("no vector for the message".into()))?;
    let similarity = Rc::new(Similarity::new(settings, &site_vectors, &query));
    MESSAGES.with_borrow_mut(|messages| {
        if messages.len() == REMEMBERED_MESSAGES {
            messages.pop_front();
        }
        messages.push_back((message_key, Rc::clone(&similarity)));
    });
    Ok(similarity)
}

/// The site's vectors for this content version: from this isolate, else KV, else computed (within the AI
/// timeout) and stored in both.
async fn site_embeddings(
    env: &Env,
    site: &SiteConfig,
    knowledge: &Knowledge,
    embedder: &Embedder,
    version: &str,
    texts: Vec<String>,
) -> Result<Rc<SiteEmbeddings>, ProviderError> {
    let kept = SITES.with_borrow(|sites| {
        sites
            .iter()
            .find(|(id, kept_version, _)| *id == site.id && kept_version == version)
            .map(|(_, _, vectors)| Rc::clone(vectors))
    });
    if let Some(vectors) = kept {
        return Ok(vectors);
    }
    let kv = Kv::from_env(env).map_err(|error| ProviderError::NotConfigured(error.to_string()))?;
    // A copy that does not read (an older format) is computed again.
    let stored = kv.site_embeddings(&site.id, version).await.ok().flatten();
    let vectors = match stored {
        Some(vectors) => vectors,
        None => {
            let vectors = within_timeout(env, embedder.embed_all(texts)).await?;
            let vectors =
                SiteEmbeddings::from_vectors(site, knowledge, vectors).ok_or_else(|| {
                    ProviderError::Invalid("not one vector per text of the site".into())
                })?;
            if let Err(error) = kv.put_site_embeddings(&site.id, version, &vectors).await {
                console_warn!(
                    "site {}: the content's vectors were not stored: {error:?}",
                    site.id
                );
            }
            vectors
        }
    };
    let vectors = Rc::new(vectors);
    SITES.with_borrow_mut(|sites| {
        sites.retain(|(id, _, _)| *id != site.id);
        sites.push((site.id.clone(), version.to_string(), Rc::clone(&vectors)));
    });
    Ok(vectors)
}

/// Where vectors come from.
struct Embedder {
    model: String,
    via: Via,
}

enum Via {
    OpenAi(OpenAi),
    WorkersAi(Ai),
}

#[derive(Deserialize)]
struct OpenAiEmbeddings {
    data: Vec<OpenAiEmbedding>,
}

#[derive(Deserialize)]
struct OpenAiEmbedding {
    #[serde(default)]
    index: usize,
    embedding: Vec<f32>,
}

#[derive(Deserialize)]
struct WorkersAiEmbeddings {
    data: Vec<Vec<f32>>,
}

impl Embedder {
    fn from_env(env: &Env, settings: &EmbeddingsSettings) -> Result<Embedder, ProviderError> {
        match settings.provider {
            EmbeddingsProvider::Openai => {
                let model = settings
                    .model
                    .clone()
                    .or_else(|| vars::text(env, "BATON_EMBEDDINGS_MODEL"))
                    .unwrap_or_else(|| DEFAULT_OPENAI_MODEL.to_string());
                Ok(Embedder {
                    via: Via::OpenAi(OpenAi::for_embeddings(env, &model)?),
                    model,
                })
            }
            EmbeddingsProvider::WorkersAi => {
                let ai = env.ai(super::workers_ai::AI_BINDING).map_err(|error| {
                    ProviderError::NotConfigured(format!("the AI binding ({error})"))
                })?;
                Ok(Embedder {
                    model: settings
                        .model
                        .clone()
                        .unwrap_or_else(|| DEFAULT_WORKERS_AI_MODEL.to_string()),
                    via: Via::WorkersAi(ai),
                })
            }
        }
    }

    /// The vectors of every text, in order, a batch at a time.
    async fn embed_all(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>, ProviderError> {
        let mut vectors = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            vectors.extend(self.embed(batch.to_vec()).await?);
        }
        Ok(vectors)
    }

    /// The vectors of one batch, in order.
    async fn embed(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>, ProviderError> {
        let count = texts.len();
        let vectors = match &self.via {
            Via::OpenAi(openai) => {
                let body = json!({"model": self.model, "input": texts});
                let text = openai.post("embeddings", &body).await?;
                let mut answer: OpenAiEmbeddings =
                    serde_json::from_str(&text).map_err(|error| {
                        ProviderError::Invalid(format!("not an embeddings answer: {error}"))
                    })?;
                answer.data.sort_by_key(|embedding| embedding.index);
                answer
                    .data
                    .into_iter()
                    .map(|embedding| embedding.embedding)
                    .collect::<Vec<_>>()
            }
            Via::WorkersAi(ai) => {
                let output: Value = ai
                    .run(&self.model, json!({"text": texts}))
                    .await
                    .map_err(|error| ProviderError::Failed(error.to_string()))?;
                let answer: WorkersAiEmbeddings =
                    serde_json::from_value(output).map_err(|error| {
                        ProviderError::Invalid(format!("not an embeddings answer: {error}"))
                    })?;
                answer.data
            }
        };
        if vectors.len() != count {
            return Err(ProviderError::Invalid(format!(
                "{} vectors for {count} texts",
                vectors.len()
            )));
        }
        Ok(vectors)
    }
}
