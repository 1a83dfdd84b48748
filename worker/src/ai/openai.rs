//! `openai`: any OpenAI-compatible `POST {BATON_AI_BASE_URL}/chat/completions`, asked for one JSON object.
//! Base URL and model come from vars (`BATON_AI_BASE_URL`, `BATON_AI_MODEL`, or the site's `ai.model`), the key
//! from the secret `BATON_AI_API_KEY` (`wrangler secret put BATON_AI_API_KEY`; optional for local servers).

use baton_shared::config::SiteConfig;
use baton_shared::grounding::{GroundedAnswer, Prompt, read_model_output};
use serde::Deserialize;
use serde_json::{Value, json};
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use super::{Model, Provider, ProviderError, Question};
use crate::vars;

pub struct OpenAi {
    base_url: String,
    model: String,
    api_key: Option<String>,
}

impl OpenAi {
    pub fn from_env(env: &Env, site: &SiteConfig) -> Result<OpenAi, ProviderError> {
        let base_url = vars::text(env, "BATON_AI_BASE_URL")
            .ok_or_else(|| ProviderError::NotConfigured("the var BATON_AI_BASE_URL".into()))?;
        let model = site
            .ai
            .model
            .clone()
            .or_else(|| vars::text(env, "BATON_AI_MODEL"))
            .ok_or_else(|| {
                ProviderError::NotConfigured(
                    "the var BATON_AI_MODEL (or the site's ai.model)".into(),
                )
            })?;
        Ok(OpenAi {
            base_url: base_url.trim_end_matches('/').to_string(),
            model,
            api_key: vars::text(env, "BATON_AI_API_KEY"),
        })
    }
}

impl OpenAi {
    /// The same endpoint and key, for the embeddings `model`.
    pub fn for_embeddings(env: &Env, model: &str) -> Result<OpenAi, ProviderError> {
        let base_url = vars::text(env, "BATON_AI_BASE_URL")
            .ok_or_else(|| ProviderError::NotConfigured("the var BATON_AI_BASE_URL".into()))?;
        Ok(OpenAi {
            base_url: base_url.trim_end_matches('/').to_string(),
            model: model.to_string(),
            api_key: vars::text(env, "BATON_AI_API_KEY"),
        })
    }
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    #[serde(default)]
    content: Option<String>,
}

impl Provider for OpenAi {
    async fn answer(&self, question: &Question<'_>) -> Result<GroundedAnswer, ProviderError> {
        let content = self.complete(&question.prompt()).await?;
        read_model_output(&content, &question.passage_ids())
            .map_err(|problem| ProviderError::Invalid(problem.to_string()))
    }
}

impl Model for OpenAi {
    fn name(&self) -> &str {
        &self.model
    }

    async fn complete(&self, prompt: &Prompt) -> Result<String, ProviderError> {
        let body = json!({
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": prompt.system},
                {"role": "user", "content": prompt.user},
            ],
        });
        let text = self.post("chat/completions", &body).await?;
        let completion: Completion = serde_json::from_str(&text)
            .map_err(|error| ProviderError::Invalid(format!("not a chat completion: {error}")))?;
        completion
            .choices
            .into_iter()
            .next()
            .and_then(|choice| choice.message.content)
            .ok_or_else(|| ProviderError::Invalid("the completion has no message content".into()))
    }
}

impl OpenAi {
    /// `POST {base}/{path}` with a JSON body; the answer's text when its status is 2xx.
    pub(super) async fn post(&self, path: &str, body: &Value) -> Result<String, ProviderError> {
        let failed = |error: worker::Error| ProviderError::Failed(error.to_string());
        let headers = Headers::new();
        headers
            .set("Content-Type", "application/json")
            .map_err(failed)?;
        if let Some(key) = &self.api_key {
            headers
                .set("Authorization", &format!("Bearer {key}"))
                .map_err(failed)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(body.to_string().into()));
        let url = format!("{}/{path}", self.base_url);
        let request = Request::new_with_init(&url, &init).map_err(failed)?;
        let mut response = Fetch::Request(request).send().await.map_err(failed)?;
        let status = response.status_code();
        let text = response.text().await.map_err(failed)?;
        if !(200..300).contains(&status) {
            return Err(ProviderError::Failed(format!(
                "{url} answered {status}: {}",
                text.chars().take(200).collect::<String>()
            )));
        }
        Ok(text)
    }
}
