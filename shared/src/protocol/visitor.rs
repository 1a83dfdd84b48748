//! What the visitor tells about themself: who they are (`identify`) and the pre-chat form's answers. The form is
//! checked against the site's `pre_chat` by [`SubmitForm::check`], in the widget (inline) and in the worker alike.

use serde::{Deserialize, Serialize};

use super::{FieldError, field_error};
use crate::config::{FieldKind, PreChatForm};
use crate::vocab::TextMap;

/// The longest name, email, user id or form value accepted.
pub const MAX_FIELD_CHARS: usize = 200;
/// The longest identity token accepted (`{expires}.{64 hex}` is 75).
const MAX_TOKEN_CHARS: usize = 128;

/// Body of `POST …/conversations/{id}/identify`, from `Baton('identify', {…})` on the host page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identify {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The site's own id for the visitor; only accepted with a valid `token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `{expires}.{hex HMAC-SHA256 of "{user_id}:{expires}"}` signed with the site's identity secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The page's own facts about the visitor (`{"plan": "pro"}`), for campaigns' `attribute` audience and the
    /// agent's package: at most [`MAX_ATTRIBUTES`], names up to 40 characters, values up to [`MAX_FIELD_CHARS`].
    #[serde(default, skip_serializing_if = "TextMap::is_empty")]
    pub attributes: TextMap<String>,
}

/// The most attributes `identify` accepts.
pub const MAX_ATTRIBUTES: usize = 20;

/// Response of `identify`: what the conversation now knows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Identified {
    pub name: Option<String>,
    pub email: Option<String>,
    pub user_id: Option<String>,
    /// The identity was signed by the site (a verified `user_id`).
    pub verified: bool,
}

impl Identify {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_text(&mut errors, "name", self.name.as_deref(), MAX_FIELD_CHARS);
        check_text(
            &mut errors,
            "user_id",
            self.user_id.as_deref(),
            MAX_FIELD_CHARS,
        );
        check_text(&mut errors, "token", self.token.as_deref(), MAX_TOKEN_CHARS);
        if let Some(email) = &self.email {
            check_value(&mut errors, "email", FieldKind::Email, email);
        }
        if self.attributes.len() > MAX_ATTRIBUTES {
            errors.push(field_error(
                "attributes",
                format!("must hold at most {MAX_ATTRIBUTES} attributes"),
            ));
        }
        for (name, value) in self.attributes.iter() {
            let valid_name = !name.is_empty()
                && name.len() <= 40
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !valid_name {
                errors.push(field_error(
                    format!("attributes.{name}"),
                    "names are 1 to 40 letters, digits, `_` or `-`",
                ));
            }
            check_text(
                &mut errors,
                &format!("attributes.{name}"),
                Some(value),
                MAX_FIELD_CHARS,
            );
        }
        if self.user_id.is_some() != self.token.is_some() {
            errors.push(field_error(
                if self.user_id.is_some() {
                    "token"
                } else {
                    "user_id"
                },
                "user_id and token go together: a user id is only accepted when the site signed it",
            ));
        }
        errors
    }
}

/// One answer of the pre-chat form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldValue {
    /// A field id of the site's `pre_chat.fields`.
    pub id: String,
    pub value: String,
}

/// Body of `POST …/conversations/{id}/form`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitForm {
    pub fields: Vec<FieldValue>,
    /// The consent checkbox, when the site has one.
    #[serde(default)]
    pub consent: bool,
}

impl SubmitForm {
    /// Every problem of the answers against the site's form: unknown or repeated fields, empty or malformed
    /// values, `required` fields missing, consent not given. Paths are `fields[N].value`, or `fields` and
    /// `consent`.
    pub fn check(&self, form: &PreChatForm, required: &[&str]) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (at, answer) in self.fields.iter().enumerate() {
            let Some(field) = form.fields.iter().find(|field| field.id == answer.id) else {
                errors.push(field_error(
                    format!("fields[{at}].id"),
                    format!("the form has no field \"{}\"", answer.id),
                ));
                continue;
            };
            if self.fields[..at]
                .iter()
                .any(|earlier| earlier.id == answer.id)
            {
                errors.push(field_error(
                    format!("fields[{at}].id"),
                    format!("\"{}\" is given twice", answer.id),
                ));
            }
            check_value(
                &mut errors,
                &format!("fields[{at}].value"),
                field.kind,
                &answer.value,
            );
        }
        for id in required {
            if !self.fields.iter().any(|answer| answer.id == *id) {
                let label = form
                    .fields
                    .iter()
                    .find(|field| field.id == *id)
                    .map_or(*id, |field| field.label.as_str());
                errors.push(field_error("fields", format!("{label} is needed")));
            }
        }
        if let Some(consent) = &form.consent
            && !self.consent
        {
            errors.push(field_error(
                "consent",
                format!("must be ticked: \"{consent}\""),
            ));
        }
        errors
    }
}

fn check_text(errors: &mut Vec<FieldError>, path: &str, value: Option<&str>, max_chars: usize) {
    let Some(value) = value else { return };
    let chars = value.chars().count();
    if value.trim().is_empty() {
        errors.push(field_error(path, "must not be empty"));
    } else if chars > max_chars {
        errors.push(field_error(
            path,
            format!("must be at most {max_chars} characters (got {chars})"),
        ));
    }
}

/// What is wrong with a form value, so each side can say it in its own words (the API in English, the widget in the
/// visitor's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueProblem {
    Empty,
    TooLong { chars: usize },
    NotEmail,
    NotWebsite,
    NotOrderNumber,
}

impl std::fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueProblem::Empty => write!(f, "must not be empty"),
            ValueProblem::TooLong { chars } => write!(
                f,
                "must be at most {MAX_FIELD_CHARS} characters (got {chars})"
            ),
            ValueProblem::NotEmail => write!(f, "must be an email address like name@example.com"),
            ValueProblem::NotWebsite => write!(f, "must be a website address like example.com"),
            ValueProblem::NotOrderNumber => write!(f, "must be letters, digits and - # / only"),
        }
    }
}

/// The rules of one kind of field: `None` when the value is acceptable.
pub fn value_problem(kind: FieldKind, value: &str) -> Option<ValueProblem> {
    let chars = value.chars().count();
    let value = value.trim();
    if value.is_empty() {
        return Some(ValueProblem::Empty);
    }
    if chars > MAX_FIELD_CHARS {
        return Some(ValueProblem::TooLong { chars });
    }
    match kind {
        FieldKind::Email if !looks_like_email(value) => Some(ValueProblem::NotEmail),
        FieldKind::Website if !looks_like_website(value) => Some(ValueProblem::NotWebsite),
        FieldKind::OrderNumber
            if !value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '#' | '/' | ' ')) =>
        {
            Some(ValueProblem::NotOrderNumber)
        }
        _ => None,
    }
}

/// The email address a chat message gives, when it gives exactly one: what a visitor types after Baton asked for
/// their email in the conversation ("sure, it's ana@example.com."). Punctuation around it is not part of it.
pub fn email_in_text(text: &str) -> Option<String> {
    let found = emails_in_text(text);
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Every email address in a text, each once (compared without case), in order: what erasure by email must find.
pub fn emails_in_text(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let word = word
            .trim_matches(|c: char| {
                matches!(
                    c,
                    ',' | ';' | ':' | '(' | ')' | '<' | '>' | '[' | ']' | '"' | '\'' | '!' | '?'
                )
            })
            .trim_end_matches('.');
        let word = word.strip_prefix("mailto:").unwrap_or(word);
        if value_problem(FieldKind::Email, word).is_some() {
            continue;
        }
        if !found.iter().any(|known| known.eq_ignore_ascii_case(word)) {
            found.push(word.to_string());
        }
    }
    found
}

fn check_value(errors: &mut Vec<FieldError>, path: &str, kind: FieldKind, value: &str) {
    if let Some(problem) = value_problem(kind, value) {
        errors.push(field_error(path, problem.to_string()));
    }
}

fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>')
}

fn looks_like_website(value: &str) -> bool {
    let host = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .unwrap_or(value);
    let host = host.split('/').next().unwrap_or_default();
    host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
}
