//! The site configuration: who the site is, which origins may embed it, what it says, and its FAQ entries.
//!
//! Parsing reports JSON syntax errors with line and column; validation reports every broken rule at once, each with
//! its field path (`faq[3].question: must not be empty`), so a site owner fixes a file in one pass.

use serde::{Deserialize, Serialize};

use crate::origin::OriginPattern;

/// One site's configuration, stored in KV under the site id and seeded from `sites/*.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Short id used in URLs and in the script tag's `data-site`: lowercase letters, digits and `-`.
    pub id: String,
    /// The business name shown to visitors.
    pub name: String,
    /// Origins allowed to embed the widget: `https://shop.example`, or `http://localhost:*` for any port.
    pub allowed_origins: Vec<String>,
    #[serde(default)]
    pub messages: SiteMessages,
    pub faq: Vec<FaqEntry>,
}

/// Fixed texts the site shows to visitors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteMessages {
    /// First message of every conversation.
    pub greeting: String,
    /// Reply when no FAQ entry is a confident match.
    pub fallback: String,
}

impl Default for SiteMessages {
    fn default() -> Self {
        SiteMessages {
            greeting: "Hi! Ask me anything about our shop, delivery, returns or pricing.".into(),
            fallback:
                "Sorry, I don't have an answer for that yet. Could you rephrase it, or ask about \
                       delivery, returns, pricing, booking or opening hours?"
                    .into(),
        }
    }
}

/// A question the site answers the same way every time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    /// Stable id, unique within the site: lowercase letters, digits and `-`.
    pub id: String,
    /// The question as the site owner would title it.
    pub question: String,
    /// Other ways visitors ask the same thing.
    #[serde(default)]
    pub alternates: Vec<String>,
    /// The answer shown to the visitor.
    pub answer: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A problem found in a configuration: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// `faq[3].question`, or `line 4, column 7` for syntax errors.
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

/// The longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 4_000;

impl SiteConfig {
    /// Parses and validates a configuration, returning every problem found.
    pub fn from_json(json: &str) -> Result<SiteConfig, Vec<ConfigError>> {
        let config: SiteConfig = serde_json::from_str(json).map_err(|error| {
            vec![ConfigError {
                path: format!("line {}, column {}", error.line(), error.column()),
                problem: strip_position(&error.to_string()),
            }]
        })?;
        let errors = config.validate();
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// Every rule the configuration breaks, in field order.
    pub fn validate(&self) -> Vec<ConfigError> {
        let mut errors = Errors::default();
        errors.check_slug("id", &self.id);
        errors.check_text("name", &self.name, 200);
        if self.allowed_origins.is_empty() {
            errors.push("allowed_origins", "must list at least one origin");
        }
        for (index, origin) in self.allowed_origins.iter().enumerate() {
            if let Err(problem) = OriginPattern::parse(origin) {
                errors.push(format!("allowed_origins[{index}]"), problem);
            }
        }
        errors.check_text(
            "messages.greeting",
            &self.messages.greeting,
            MAX_ANSWER_CHARS,
        );
        errors.check_text(
            "messages.fallback",
            &self.messages.fallback,
            MAX_ANSWER_CHARS,
        );
        for (index, entry) in self.faq.iter().enumerate() {
            let path = |field: &str| format!("faq[{index}].{field}");
            errors.check_slug(&path("id"), &entry.id);
            if let Some(first) = self.faq[..index].iter().position(|e| e.id == entry.id) {
                errors.push(
                    path("id"),
                    format!("duplicates faq[{first}].id \"{}\"", entry.id),
                );
            }
            errors.check_text(&path("question"), &entry.question, 300);
            for (alt, alternate) in entry.alternates.iter().enumerate() {
                errors.check_text(&path(&format!("alternates[{alt}]")), alternate, 300);
            }
            errors.check_text(&path("answer"), &entry.answer, MAX_ANSWER_CHARS);
        }
        errors.0
    }
}

#[derive(Default)]
struct Errors(Vec<ConfigError>);

impl Errors {
    fn push(&mut self, path: impl Into<String>, problem: impl Into<String>) {
        self.0.push(ConfigError {
            path: path.into(),
            problem: problem.into(),
        });
    }

    fn check_text(&mut self, path: &str, value: &str, max_chars: usize) {
        let chars = value.chars().count();
        if value.trim().is_empty() {
            self.push(path, "must not be empty");
        } else if chars > max_chars {
            self.push(
                path,
                format!("must be at most {max_chars} characters (got {chars})"),
            );
        }
    }

    fn check_slug(&mut self, path: &str, value: &str) {
        let valid = !value.is_empty()
            && value.len() <= 64
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            self.push(
                path,
                format!("\"{value}\" must be 1-64 lowercase letters, digits or '-'"),
            );
        }
    }
}

/// serde_json appends " at line L column C"; the path already says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests;
