//! The summary a language model writes for the agent, beside Baton's extractive one: the prompt (the conversation
//! and the form fields, nothing else) and the check of what comes back (one JSON object, a short summary, and no
//! fact the conversation does not hold: see `facts.rs`). Pure; the worker asks the model in the background.

use serde::Deserialize;

use super::facts::Facts;
use crate::config::SiteConfig;
use crate::grounding::{Prompt, strip_code_fence};
use crate::protocol::{Author, Message};
use crate::text::Language;

/// The longest summary kept, in characters.
pub const MAX_MODEL_SUMMARY_CHARS: usize = 400;
/// The latest messages a model is shown at most.
const MESSAGES_SHOWN: usize = 30;
/// A longer message is cut to this many characters for the model.
const MESSAGE_CHARS_SHOWN: usize = 500;

/// What a model is asked for a conversation's summary, and what its answer is checked against.
#[derive(Debug, Clone)]
pub struct SummaryPrompt {
    pub prompt: Prompt,
    facts: Facts,
}

/// Why a model's summary was not kept.
#[derive(Debug, Clone, PartialEq)]
pub enum SummaryProblem {
    /// Not the JSON object asked for; serde's message says where.
    NotJson(String),
    Empty,
    TooLong(usize),
    /// A number, email, link, id or name that the conversation does not hold.
    Invented(String),
}

impl std::fmt::Display for SummaryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SummaryProblem::NotJson(error) => write!(f, "not the JSON object asked for: {error}"),
            SummaryProblem::Empty => write!(f, "the summary is empty"),
            SummaryProblem::TooLong(chars) => write!(
                f,
                "the summary has {chars} characters, more than {MAX_MODEL_SUMMARY_CHARS}"
            ),
            SummaryProblem::Invented(fact) => write!(
                f,
                "the summary says \"{fact}\", which the conversation does not"
            ),
        }
    }
}

#[derive(Deserialize)]
struct ModelSummary {
    #[serde(default)]
    summary: String,
}

impl SummaryPrompt {
    /// The prompt for `transcript` (oldest first; only the latest messages are shown) and the form `fields`
    /// (label, value).
    pub fn new(
        config: &SiteConfig,
        transcript: &[Message],
        fields: &[(String, String)],
    ) -> SummaryPrompt {
        let language = match Language::for_locale(&config.locale) {
            Language::French => "French",
            Language::English => "English",
        };
        let system = format!(
            "Site: {name}\nYou write the note an agent reads when they take over this website chat, so the visitor \
             never repeats themself. Use only the conversation and the form fields in the user message: never add a \
             name, number, date, order id, email address, link or any other fact that is not written there, and \
             never guess. Say what the visitor wants, what they gave or were already told, and what is still open. \
             Write in {language}, in at most three short sentences and {MAX_MODEL_SUMMARY_CHARS} characters, as \
             plain text.\nReply with one JSON object and nothing else: {{\"summary\": string}}.",
            name = config.name,
        );
        let mut user = String::new();
        if !fields.is_empty() {
            user.push_str("Form fields:\n");
            for (label, value) in fields {
                user.push_str(&format!("{label}: {value}\n"));
            }
            user.push('\n');
        }
        user.push_str("Conversation:");
        let shown = transcript.len().saturating_sub(MESSAGES_SHOWN);
        for message in &transcript[shown..] {
            let author = match message.author {
                Author::Visitor => "Visitor",
                Author::Ai => "Baton",
                Author::Agent => "Agent",
                Author::System => "Notice",
            };
            let text: String = message.text.chars().take(MESSAGE_CHARS_SHOWN).collect();
            // One line per message: a visitor's line breaks cannot pass for another speaker.
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            user.push_str(&format!("\n{author}: {text}"));
        }
        let facts = Facts::of(&user, &config.name);
        SummaryPrompt {
            prompt: Prompt { system, user },
            facts,
        }
    }

    /// The model's summary when it is usable.
    pub fn read_output(&self, raw: &str) -> Result<String, SummaryProblem> {
        let output: ModelSummary = serde_json::from_str(strip_code_fence(raw.trim()))
            .map_err(|error| SummaryProblem::NotJson(error.to_string()))?;
        let summary = output
            .summary
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if summary.is_empty() {
            return Err(SummaryProblem::Empty);
        }
        let chars = summary.chars().count();
        if chars > MAX_MODEL_SUMMARY_CHARS {
            return Err(SummaryProblem::TooLong(chars));
        }
        if let Some(fact) = self.facts.first_invented(&summary) {
            return Err(SummaryProblem::Invented(fact));
        }
        Ok(summary)
    }
}
