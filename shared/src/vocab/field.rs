//! A form field as a site's configuration writes it, in the pre-chat form (`pre_chat.fields`) and in a campaign's
//! lead form alike: vocabulary, so `config` and `campaign` share it without importing each other.

use serde::{Deserialize, Serialize};

use super::Intent;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    pub id: String,
    pub kind: FieldKind,
    pub label: String,
    /// Always asked for when the form is shown before the chat (`pre_chat.before_chat`).
    #[serde(default)]
    pub required: bool,
    /// The intents for which this field is needed before a person joins; empty means never required.
    #[serde(default)]
    pub required_for: Vec<Intent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Name,
    Email,
    OrderNumber,
    Website,
    Custom,
}
