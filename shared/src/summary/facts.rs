//! The facts a model's summary may state: every number, email address, link, order id and name in it must be
//! written in what the model was shown (the conversation and the form fields). A crude reading, on purpose: a
//! summary that merely rephrases passes, and one that adds a detail (a town, a date, an order number) is refused.

use std::collections::BTreeSet;

/// Capitalised words a summary may use though the conversation does not: Baton's own names for things.
const ALWAYS_ALLOWED: &[&str] = &["i", "ai", "faq", "ok", "baton"];

/// What the model was shown, read for the facts it holds.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Every word, lower-cased, without surrounding punctuation (and without a possessive `'s`).
    words: BTreeSet<String>,
    /// Every run of digits (thousands separators dropped).
    digit_runs: BTreeSet<String>,
    /// The text lower-cased, for emails and links.
    lowered: String,
    /// The text's letters and digits only, lower-cased, for ids mixing both (`A-4411`, `10am`).
    squashed: String,
}

impl Facts {
    /// The facts of `shown`; `names` are also allowed as words (the site's name).
    pub fn of(shown: &str, names: &str) -> Facts {
        let mut words: BTreeSet<String> = ALWAYS_ALLOWED.iter().map(|w| w.to_string()).collect();
        for text in [shown, names] {
            for line in text.lines() {
                for token in line.split_whitespace() {
                    let word = name_form(trim(token));
                    if !word.is_empty() {
                        words.insert(word);
                    }
                }
            }
        }
        Facts {
            words,
            digit_runs: digit_runs(shown).into_iter().collect(),
            lowered: shown.to_lowercase(),
            squashed: squash(shown),
        }
    }

    /// The first fact of `summary` that is not in what the model was shown, as written there.
    pub fn first_invented(&self, summary: &str) -> Option<String> {
        for line in summary.lines() {
            let mut sentence_start = true;
            for raw in line.split_whitespace() {
                let token = trim(raw);
                let starts_sentence = std::mem::replace(
                    &mut sentence_start,
                    raw.ends_with(['.', '!', '?', ':', ';']) || matches!(raw, "-" | "*" | "•"),
                );
                if token.is_empty() || self.holds(token, starts_sentence) {
                    continue;
                }
                return Some(token.to_string());
            }
        }
        None
    }

    fn holds(&self, token: &str, starts_sentence: bool) -> bool {
        let lowered = token.to_lowercase();
        if token.contains("://") || lowered.starts_with("www.") {
            return self.lowered.contains(lowered.trim_end_matches('/'));
        }
        if token.contains('@') {
            return self.lowered.contains(&lowered);
        }
        if token.chars().any(|c| c.is_ascii_digit()) {
            let runs_known = digit_runs(token)
                .iter()
                .all(|run| self.digit_runs.contains(run));
            let has_letters = token.chars().any(char::is_alphabetic);
            return runs_known && (!has_letters || self.squashed.contains(&squash(token)));
        }
        // A capitalised word inside a sentence is taken for a name; a sentence's first word cannot be told apart.
        let capitalised = token.chars().next().is_some_and(char::is_uppercase);
        !capitalised || starts_sentence || self.words.contains(&name_form(token))
    }
}

/// A token without the punctuation around it (quotes, brackets, a full stop), keeping `#`, `/` and `@` inside.
fn trim(token: &str) -> &str {
    token
        .trim_matches(|c: char| !(c.is_alphanumeric() || c == '/' || c == '#'))
        .trim_start_matches(['#', '/'])
}

/// A word as names are compared: lower-cased, without a possessive `'s`.
fn name_form(word: &str) -> String {
    let lowered = word.to_lowercase();
    for suffix in ["'s", "’s"] {
        if let Some(stem) = lowered.strip_suffix(suffix) {
            return stem.to_string();
        }
    }
    lowered
}

/// The runs of digits in `text`, a `,` or `.` between three digits and the next digit run being a thousands
/// separator (`1,000` is `1000`), any other character ending the run.
fn digit_runs(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs = Vec::new();
    let mut run = String::new();
    for (at, c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            run.push(*c);
            continue;
        }
        let thousands = *c == ','
            && !run.is_empty()
            && chars
                .get(at + 1..at + 4)
                .is_some_and(|next| next.iter().all(char::is_ascii_digit))
            && chars
                .get(at + 4)
                .is_none_or(|after| !after.is_ascii_digit());
        if !thousands && !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Letters and digits only, lower-cased.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
