//! `workers-ai`: Cloudflare Workers AI through the worker's `AI` binding (`[ai]` in `wrangler.toml`), model from
//! the site's `ai.model` or the var `BATON_WORKERS_AI_MODEL`. Locally the binding exists but every call fails
//! ("needs to be run remotely"), which degrades to the extractive answer like any other failure.

use baton_shared::config::SiteConfig;
use baton_shared::grounding::{GroundedAnswer, Prompt, read_model_output};
use serde_json::{Value, json};
use worker::{Ai, Env};

use super::{Model, Provider, ProviderError, Question};
use crate::vars;

/// The binding's name in `wrangler.toml`.
pub(super) const AI_BINDING: &str = "AI";
const DEFAULT_MODEL: &str = "@cf/meta/llama-3.1-8b-instruct";

pub struct WorkersAi {
    ai: Ai,
    model: String,
}

impl WorkersAi {
    pub fn from_env(env: &Env, site: &SiteConfig) -> Result<WorkersAi, ProviderError> {
        let ai = env.ai(AI_BINDING).map_err(|error| {
            ProviderError::NotConfigured(format!("the {AI_BINDING} binding ({error})"))
        })?;
        let model = site
            .ai
            .model
            .clone()
            .or_else(|| vars::text(env, "BATON_WORKERS_AI_MODEL"))
            .unwrap_or_else(|| DEFAULT_MODEL.to_string());
        Ok(WorkersAi { ai, model })
    }
}

impl Provider for WorkersAi {
    async fn answer(&self, question: &Question<'_>) -> Result<GroundedAnswer, ProviderError> {
        let content = self.complete(&question.prompt()).await?;
        read_model_output(&content, &question.passage_ids())
            .map_err(|problem| ProviderError::Invalid(problem.to_string()))
    }
}

impl Model for WorkersAi {
    fn name(&self) -> &str {
        &self.model
    }

    async fn complete(&self, prompt: &Prompt) -> Result<String, ProviderError> {
        let input = json!({
            "messages": [
                {"role": "system", "content": prompt.system},
                {"role": "user", "content": prompt.user},
            ],
        });
        let output: Value = self
            .ai
            .run(&self.model, input)
            .await
            .map_err(|error| ProviderError::Failed(error.to_string()))?;
        // Text models answer `{"response": "…"}`; in JSON mode some give the object itself.
        match output.get("response") {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(object @ Value::Object(_)) => Ok(object.to_string()),
            _ => Err(ProviderError::Invalid(format!(
                "unexpected output {output}"
            ))),
        }
    }
}
