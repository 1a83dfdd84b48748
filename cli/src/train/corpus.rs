//! The training corpora of `train/` (see its README): the real assistants' data of `realworld/` (one label per file)
//! and the rows of `written.jsonl` and `faq_examples.jsonl` (several labels per row, a missing one unknown).

use std::path::Path;

use baton_shared::signals::Kind;
use serde::Deserialize;

use crate::eval_data::read_lines;

/// One training message.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    /// Per `Kind::ALL` position: the label, if known.
    pub labels: [Option<bool>; 4],
    /// Per `Kind::ALL` position: a hard negative for that signal.
    pub hard: [bool; 4],
    /// The repository or file it came from.
    pub source: String,
}

impl Example {
    pub fn label(&self, kind: Kind) -> Option<bool> {
        self.labels[position(kind)]
    }

    pub fn is_hard(&self, kind: Kind) -> bool {
        self.hard[position(kind)]
    }
}

pub fn position(kind: Kind) -> usize {
    Kind::ALL
        .iter()
        .position(|known| *known == kind)
        .unwrap_or_default()
}

/// A row of a `realworld/` file.
#[derive(Debug, Deserialize)]
struct RealworldRow {
    text: String,
    label: u8,
    #[serde(default)]
    hard_negative: bool,
    source: String,
    #[serde(default)]
    orig_label: String,
}

/// Source intents of `realworld/wants_human.jsonl` that ask whether the assistant is a machine: the positives of
/// the bot question (every other row of that file is a negative).
const BOT_QUESTION_INTENTS: &[&str] = &["bot_real", "General_Human_or_Bot"];

/// A row of `written.jsonl` or `faq_examples.jsonl`.
#[derive(Debug, Deserialize)]
struct LabelledRow {
    text: String,
    source: String,
    labels: RowLabels,
    #[serde(default)]
    hard: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RowLabels {
    wants_human: Option<u8>,
    frustrated: Option<u8>,
    sales: Option<u8>,
    bot_question: Option<u8>,
}

/// Every example of the corpus in `dir`.
pub fn read(dir: &Path) -> Result<Vec<Example>, String> {
    let mut examples = Vec::new();
    for kind in [Kind::WantsHuman, Kind::Frustrated, Kind::Sales] {
        let path = dir.join("realworld").join(format!("{}.jsonl", kind.name()));
        let rows: Vec<RealworldRow> = read_lines(&path)?;
        for row in rows {
            let mut labels = [None; 4];
            let mut hard = [false; 4];
            labels[position(kind)] = Some(row.label == 1);
            hard[position(kind)] = row.hard_negative;
            if kind == Kind::WantsHuman {
                labels[position(Kind::BotQuestion)] =
                    Some(BOT_QUESTION_INTENTS.contains(&row.orig_label.as_str()));
            }
            examples.push(Example {
                text: row.text,
                labels,
                hard,
                source: row.source.split('@').next().unwrap_or_default().to_string(),
            });
        }
    }
    for file in ["written.jsonl", "faq_examples.jsonl"] {
        let path = dir.join(file);
        let rows: Vec<LabelledRow> = read_lines(&path)?;
        for (line, row) in rows.into_iter().enumerate() {
            let RowLabels {
                wants_human,
                frustrated,
                sales,
                bot_question,
            } = row.labels;
            let mut labels = [None; 4];
            for (at, label) in [wants_human, frustrated, sales, bot_question]
                .into_iter()
                .enumerate()
            {
                labels[at] = match label {
                    None => None,
                    Some(0) => Some(false),
                    Some(1) => Some(true),
                    Some(other) => {
                        return Err(format!(
                            "{}:{}: labels.{}: {other} is not 0 or 1",
                            path.display(),
                            line + 1,
                            Kind::ALL[at].name()
                        ));
                    }
                };
            }
            let mut hard = [false; 4];
            for name in &row.hard {
                let Some(at) = Kind::ALL.iter().position(|kind| kind.name() == name) else {
                    return Err(format!(
                        "{}:{}: hard: \"{name}\" is not one of wants_human, frustrated, sales, bot_question",
                        path.display(),
                        line + 1
                    ));
                };
                hard[at] = true;
            }
            examples.push(Example {
                text: row.text,
                labels,
                hard,
                source: row.source,
            });
        }
    }
    Ok(examples)
}
