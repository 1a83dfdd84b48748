//! What a language model is told: a system prompt that forbids answering beyond the passages, and the passages
//! with the visitor's question. Nothing else from the site or the conversation reaches the model.

use super::Retrieved;
use crate::config::SiteConfig;
use crate::text::Language;

/// The two messages of a chat completion.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub system: String,
    pub user: String,
}

pub fn prompt(config: &SiteConfig, question: &str, passages: &[Retrieved]) -> Prompt {
    let language = match Language::for_locale(&config.locale) {
        Language::French => "French",
        Language::English => "English",
    };
    let system = format!(
        "Site: {name}\nYou answer website visitors' questions for this site. Use only the passages in the user message: never \
         facts from anywhere else, never guesses. If the passages do not answer the question, or it needs someone \
         who can see the visitor's account, make an exception, quote a custom price or interpret a policy, set \
         needs_human to true. Write the answer in {language}, in at most three short sentences, as plain text.\n\
         Reply with one JSON object and nothing else: {{\"answer\": string, \"confidence\": number from 0 to 1 \
         (how sure you are that the answer is right and fully supported by the passages), \"sources\": [ids of \
         the passages used], \"needs_human\": boolean, \"reason\": string (why, in a few words)}}.",
        name = config.name,
    );
    let mut user = String::from("Passages:\n");
    for retrieved in passages {
        let passage = &retrieved.passage;
        user.push_str(&format!(
            "[{}] {}\n{}\n\n",
            passage.id, passage.title, passage.text
        ));
    }
    user.push_str(&format!("Question: {question}"));
    Prompt { system, user }
}
