//! Which pre-chat fields to ask for, and when, as plain data tested natively: before the visitor's first message
//! when the site wants the form first, or the fields the latest handoff waits for. Those are asked for in a small form,
//! or, on sites that chose the conversational style (and need no consent box, which only the form can tick), one
//! question at a time in the chat.

use baton_shared::config::{FormField, FormStyle, PreChatForm};
use baton_shared::protocol::{Author, FieldValue, SubmitForm};

use crate::state::ChatState;

/// The fields to collect now.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPlan {
    /// The site's whole form (its fields, rules and consent text).
    pub form: PreChatForm,
    /// Ids of the fields to ask for, in order.
    pub show: Vec<String>,
    /// A handoff waits for these fields (rather than the form coming before the chat).
    pub asked: bool,
}

/// The pre-chat form to show: which fields, and which of them are required.
#[derive(Debug, Clone, PartialEq)]
pub struct FormRequest {
    pub form: PreChatForm,
    pub show: Vec<String>,
    pub required: Vec<String>,
}

impl FormPlan {
    /// What to ask for in this conversation now, if anything: the fields a handoff asks for that are not given
    /// yet, else the whole form when the site wants it before the chat and the visitor has neither written nor
    /// given anything.
    pub fn for_chat(form: &PreChatForm, chat: &ChatState) -> Option<FormPlan> {
        let asked = chat.fields_asked();
        if !asked.is_empty() {
            return Some(FormPlan {
                form: form.clone(),
                show: asked,
                asked: true,
            });
        }
        let before_chat = form.before_chat
            && chat.given_fields.is_empty()
            && !chat.messages.iter().any(|m| m.author == Author::Visitor)
            && chat.pending.is_empty();
        before_chat.then(|| FormPlan {
            form: form.clone(),
            show: form.fields.iter().map(|field| field.id.clone()).collect(),
            asked: false,
        })
    }

    /// Fields a handoff waits for are asked in the chat, one at a time.
    fn in_chat(&self) -> bool {
        self.asked && self.form.style == FormStyle::Conversational && self.form.consent.is_none()
    }

    /// The form to show, unless the fields are asked in the chat. Before the chat the site's required fields must be
    /// filled in; after a handoff, every field it asks for.
    pub fn request(&self) -> Option<FormRequest> {
        if self.in_chat() {
            return None;
        }
        let required = if self.asked {
            self.show.clone()
        } else {
            self.form
                .fields
                .iter()
                .filter(|field| field.required)
                .map(|field| field.id.clone())
                .collect()
        };
        Some(FormRequest {
            form: self.form.clone(),
            show: self.show.clone(),
            required,
        })
    }

    /// The answers the visitor already gave elsewhere (a campaign's lead form), when they cover every field this
    /// plan must have and no consent box needs ticking: then they are sent instead of asked for again.
    pub fn answered_by(&self, known: &[FieldValue]) -> Option<SubmitForm> {
        if self.form.consent.is_some() {
            return None;
        }
        let value = |id: &String| known.iter().find(|field| &field.id == id);
        let required = self
            .form
            .fields
            .iter()
            .filter(|field| self.show.contains(&field.id) && (self.asked || field.required));
        if !required.into_iter().all(|field| value(&field.id).is_some()) {
            return None;
        }
        let fields: Vec<FieldValue> = self.show.iter().filter_map(value).cloned().collect();
        (!fields.is_empty()).then_some(SubmitForm {
            fields,
            consent: false,
        })
    }

    /// The field the chat asks for now, when fields are asked in the chat.
    pub fn asking(&self) -> Option<FormField> {
        if !self.in_chat() {
            return None;
        }
        let id = self.show.first()?;
        self.form
            .fields
            .iter()
            .find(|field| &field.id == id)
            .cloned()
    }
}

#[cfg(test)]
mod tests;
