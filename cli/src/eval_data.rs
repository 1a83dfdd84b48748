//! Reading the evaluation sets of `../shared/eval` (formats in its README): FAQ files, query files, handoff files.

use std::path::Path;

use baton_shared::config::FaqEntry;
use serde::Deserialize;

/// Answers are null in the eval FAQ files; entries get this placeholder so they form a valid FAQ.
const PLACEHOLDER_ANSWER: &str = "(answer)";

#[derive(Debug, Deserialize)]
struct FaqFile {
    entries: Vec<FaqFileEntry>,
}

#[derive(Debug, Deserialize)]
struct FaqFileEntry {
    id: String,
    question: String,
    #[serde(default)]
    examples: Vec<String>,
    answer: Option<String>,
}

/// One query of `queries_dev.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct Query {
    pub qid: String,
    pub text: String,
    pub gold: Option<String>,
    #[serde(default)]
    pub is_oos: bool,
}

/// One row of a handoff set.
#[derive(Debug, Clone, Deserialize)]
pub struct Labelled {
    pub text: String,
    pub label: u8,
    #[serde(default)]
    pub hard_negative: bool,
    /// `owner/repo@commit:path` in `realworld/`; empty elsewhere.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub lang: String,
}

pub fn read_faq(path: &Path) -> Result<Vec<FaqEntry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let file: FaqFile =
        serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(file
        .entries
        .into_iter()
        .map(|entry| FaqEntry {
            id: entry.id,
            question: entry.question,
            alternates: entry.examples,
            answer: entry
                .answer
                .unwrap_or_else(|| PLACEHOLDER_ANSWER.to_string()),
            tags: Vec::new(),
            links: Vec::new(),
        })
        .collect())
}

/// Reads a JSON-lines file; an error names the file and the line.
pub fn read_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line)
                .map_err(|error| format!("{}:{}: {error}", path.display(), index + 1))
        })
        .collect()
}
