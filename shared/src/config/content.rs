//! What a site shows visitors: the widget's appearance, its fixed messages, the FAQ entries, the knowledge
//! snippets answers are grounded on, and the AI provider that grounds them.

use serde::{Deserialize, Serialize};

/// How the widget looks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appearance {
    /// Theme colour, `#rrggbb`.
    pub colour: String,
    pub position: Position,
    pub launcher_text: String,
    /// First message of every conversation.
    pub greeting: String,
    /// Stacking order of the widget on the host page.
    #[serde(default = "default_z_index")]
    pub z_index: u32,
}

fn default_z_index() -> u32 {
    2_147_483_000
}

impl Default for Appearance {
    fn default() -> Self {
        Appearance {
            colour: "#1f6f50".into(),
            position: Position::Right,
            launcher_text: "Chat with us".into(),
            greeting: "Hi! How can we help?".into(),
            z_index: default_z_index(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Left,
    Right,
}

/// A passage of the site's own content for grounding AI answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeSnippet {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    pub text: String,
}

/// The AI provider of a site. Base URL, model and key of `openai` come from the worker's vars and secrets
/// (`BATON_AI_BASE_URL`, `BATON_AI_MODEL`, `BATON_AI_API_KEY`); `model` here overrides the var for this site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AiSettings {
    #[serde(default)]
    pub provider: AiProvider,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Optional semantic matching: the FAQ candidates and the passages for grounding are re-ranked by the
    /// similarity of their embeddings to the visitor's message, blended with the lexical score. Any failure of the
    /// embeddings provider falls back to lexical matching alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeddings: Option<EmbeddingsSettings>,
}

/// Where embeddings come from, and how much they count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingsSettings {
    pub provider: EmbeddingsProvider,
    /// The embeddings model; by default the var `BATON_EMBEDDINGS_MODEL` (`openai`) or `@cf/baai/bge-small-en-v1.5`
    /// (`workers-ai`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// How much the similarity counts against the lexical score, from 0 (not at all) to 1 (alone).
    #[serde(default = "default_embeddings_weight")]
    pub weight: f32,
    /// The cosine similarity at or below which a text counts as unrelated (it adds nothing); by default 0.3 for
    /// `openai` and 0.5 for `workers-ai`, whose model rates unrelated texts higher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_similarity: Option<f32>,
}

fn default_embeddings_weight() -> f32 {
    0.5
}

impl EmbeddingsSettings {
    /// `min_similarity`, or the provider's default.
    pub fn min_similarity(&self) -> f32 {
        self.min_similarity.unwrap_or(match self.provider {
            EmbeddingsProvider::Openai => 0.3,
            EmbeddingsProvider::WorkersAi => 0.5,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EmbeddingsProvider {
    /// Any OpenAI-compatible `POST {BATON_AI_BASE_URL}/embeddings`.
    Openai,
    /// Cloudflare Workers AI through the worker's `AI` binding.
    WorkersAi,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AiProvider {
    /// No language model: an extractive answer from the site's knowledge passages, with its confidence.
    #[default]
    None,
    /// Any OpenAI-compatible `/chat/completions` endpoint.
    Openai,
    /// Cloudflare Workers AI through the worker's `AI` binding.
    WorkersAi,
}

/// A link shown under an FAQ answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Fixed texts the site shows to visitors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteMessages {
    /// Reply when no FAQ entry is a confident match.
    pub fallback: String,
}

impl Default for SiteMessages {
    fn default() -> Self {
        SiteMessages {
            fallback:
                "Sorry, I don't have an answer for that yet. Could you rephrase it, or ask about \
                       delivery, returns, pricing, booking or opening hours?"
                    .into(),
        }
    }
}

/// A question the site answers the same way every time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    /// Stable id, unique within the site: lowercase letters, digits and `-`.
    pub id: String,
    /// The question as the site owner would title it.
    pub question: String,
    /// Other ways visitors ask the same thing.
    #[serde(default)]
    pub alternates: Vec<String>,
    /// The answer shown to the visitor, in the safe markdown subset (bold, italics, links, lists).
    pub answer: String,
    /// Free labels; an intent name (`sales`, `billing`, …) also tells intent detection what the entry is about.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub links: Vec<Link>,
}
