//! The model's summary of a handed-over conversation for the agent: the site's model is asked with
//! `baton_shared::summary::SummaryPrompt` and its answer checked there (length, no fact the conversation does not
//! hold), within the same timeout as answers. The room asks in the background, after the visitor has their reply.

use baton_shared::config::{AiProvider, SiteConfig};
use baton_shared::protocol::AiSummary;
use baton_shared::summary::SummaryPrompt;
use worker::{Env, console_warn};

use super::{Model, OpenAi, ProviderError, WorkersAi, within_timeout};

/// The model's summary, or why there is none; `None` when the site has no model (`ai.provider` `none`).
pub async fn summarize(env: &Env, site: &SiteConfig, prompt: &SummaryPrompt) -> Option<AiSummary> {
    let summary = match site.ai.provider {
        AiProvider::None => return None,
        AiProvider::Openai => ask(env, site, OpenAi::from_env(env, site), prompt).await,
        AiProvider::WorkersAi => ask(env, site, WorkersAi::from_env(env, site), prompt).await,
    };
    if let AiSummary::NotUsed { model, why } = &summary {
        console_warn!(
            "site {}: no summary from {model} ({why}); the agent reads the extractive one",
            site.id
        );
    }
    Some(summary)
}

async fn ask<M: Model>(
    env: &Env,
    site: &SiteConfig,
    model: Result<M, ProviderError>,
    prompt: &SummaryPrompt,
) -> AiSummary {
    let model = match model {
        Ok(model) => model,
        Err(error) => {
            return AiSummary::NotUsed {
                model: site
                    .ai
                    .model
                    .clone()
                    .unwrap_or_else(|| "unknown model".into()),
                why: error.to_string(),
            };
        }
    };
    let name = model.name().to_string();
    let checked = within_timeout(env, model.complete(&prompt.prompt))
        .await
        .and_then(|raw| {
            prompt
                .read_output(&raw)
                .map_err(|problem| ProviderError::Invalid(problem.to_string()))
        });
    match checked {
        Ok(text) => AiSummary::Written { model: name, text },
        Err(error) => AiSummary::NotUsed {
            model: name,
            why: error.to_string(),
        },
    }
}
