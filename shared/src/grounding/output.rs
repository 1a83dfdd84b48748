//! Checking what a language model answered before a visitor sees it: one JSON object (a Markdown code fence
//! around it is tolerated), a confidence in [0, 1], and unless it asks for a person, a non-empty answer citing only
//! passages it was given.

use serde::Deserialize;

use super::GroundedAnswer;
use crate::config::MAX_ANSWER_CHARS;

/// Why a model's output was not used.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelOutputProblem {
    /// Not the JSON object asked for; serde's message says where.
    NotJson(String),
    EmptyAnswer,
    AnswerTooLong(usize),
    ConfidenceOutOfRange(f32),
    NoSources,
    /// A cited id that was not among the passages.
    UnknownSource(String),
}

impl std::fmt::Display for ModelOutputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelOutputProblem::NotJson(error) => {
                write!(f, "not the JSON object asked for: {error}")
            }
            ModelOutputProblem::EmptyAnswer => write!(f, "the answer is empty"),
            ModelOutputProblem::AnswerTooLong(chars) => write!(
                f,
                "the answer has {chars} characters, more than {MAX_ANSWER_CHARS}"
            ),
            ModelOutputProblem::ConfidenceOutOfRange(confidence) => {
                write!(f, "confidence {confidence} is not between 0 and 1")
            }
            ModelOutputProblem::NoSources => write!(f, "the answer cites no passage"),
            ModelOutputProblem::UnknownSource(id) => {
                write!(
                    f,
                    "the answer cites \"{id}\", which was not among the passages"
                )
            }
        }
    }
}

#[derive(Deserialize)]
struct ModelAnswer {
    #[serde(default)]
    answer: String,
    confidence: f32,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    needs_human: bool,
    #[serde(default)]
    reason: Option<String>,
}

/// The model's answer when it is usable; `passage_ids` are the ids the prompt carried.
pub fn read_model_output(
    raw: &str,
    passage_ids: &[&str],
) -> Result<GroundedAnswer, ModelOutputProblem> {
    let json = strip_code_fence(raw.trim());
    let answer: ModelAnswer = serde_json::from_str(json)
        .map_err(|error| ModelOutputProblem::NotJson(error.to_string()))?;
    if !(0.0..=1.0).contains(&answer.confidence) {
        return Err(ModelOutputProblem::ConfidenceOutOfRange(answer.confidence));
    }
    if let Some(unknown) = answer
        .sources
        .iter()
        .find(|id| !passage_ids.contains(&id.as_str()))
    {
        return Err(ModelOutputProblem::UnknownSource(unknown.clone()));
    }
    let text = answer.answer.trim().to_string();
    if !answer.needs_human {
        if text.is_empty() {
            return Err(ModelOutputProblem::EmptyAnswer);
        }
        if answer.sources.is_empty() {
            return Err(ModelOutputProblem::NoSources);
        }
    }
    let chars = text.chars().count();
    if chars > MAX_ANSWER_CHARS {
        return Err(ModelOutputProblem::AnswerTooLong(chars));
    }
    Ok(GroundedAnswer {
        text,
        confidence: answer.confidence,
        sources: answer.sources,
        needs_human: answer.needs_human,
        reason: answer.reason.filter(|reason| !reason.trim().is_empty()),
    })
}

/// The inside of a ```` ```json … ``` ```` fence, or the text as it is.
pub(crate) fn strip_code_fence(text: &str) -> &str {
    let Some(inner) = text.strip_prefix("```") else {
        return text;
    };
    let inner = inner.strip_prefix("json").unwrap_or(inner);
    inner.strip_suffix("```").unwrap_or(inner).trim()
}
