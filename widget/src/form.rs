//! Which pre-chat fields to ask for, and when, as plain data tested natively: before the visitor's first message
//! when the site wants the form first, or the fields the latest handoff waits for. Those are asked for in a small form,
//! or, on sites that chose the conversational style (and need no consent box, which only the form can tick), one
//! question at a time in the chat. What the visitor already gave in a campaign's lead form (`remembered.rs`) fills
//! the form in beforehand and is not asked in the chat again; the form is not shown at all when that covers it, and
//! a consent box whose very text they ticked there is not shown again.

use baton_shared::config::{FormField, FormStyle, PreChatForm};
use baton_shared::protocol::{Author, FieldValue, SubmitForm, value_problem};

use crate::remembered::Remembered;
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
    /// Answers the visitor already gave elsewhere (a campaign's lead form) to fields wanted now, in the form's
    /// order: the form shows them filled in, the chat does not ask for them again.
    pub known: Vec<FieldValue>,
    /// The visitor already ticked this very consent text elsewhere: the box is not shown again.
    pub consented: bool,
}

/// The pre-chat form to show: which fields, and which of them are required.
#[derive(Debug, Clone, PartialEq)]
pub struct FormRequest {
    pub form: PreChatForm,
    pub show: Vec<String>,
    pub required: Vec<String>,
    /// Values to fill in beforehand.
    pub known: Vec<FieldValue>,
    /// The consent box is left out: its text was already ticked.
    pub consented: bool,
}

impl FormPlan {
    /// What to ask for in this conversation now, if anything: the fields a handoff asks for that are not given
    /// yet, else the whole form when the site wants it before the chat and the visitor has neither written nor
    /// given anything. `remembered` answers (with a value the field accepts) are known.
    pub fn for_chat(
        form: &PreChatForm,
        chat: &ChatState,
        remembered: &Remembered,
    ) -> Option<FormPlan> {
        let asked = chat.fields_asked();
        let from_handoff = !asked.is_empty();
        let show = if from_handoff {
            asked
        } else {
            let before_chat = form.before_chat
                && chat.given_fields.is_empty()
                && !chat.messages.iter().any(|m| m.author == Author::Visitor)
                && chat.pending.is_empty();
            if !before_chat {
                return None;
            }
            form.fields.iter().map(|field| field.id.clone()).collect()
        };
        let known = form
            .fields
            .iter()
            .filter(|field| show.contains(&field.id))
            .filter_map(|field| {
                remembered
                    .fields
                    .iter()
                    .find(|known| known.id == field.id)
                    .filter(|known| value_problem(field.kind, &known.value).is_none())
                    .cloned()
            })
            .collect();
        let consented = form
            .consent
            .as_ref()
            .is_some_and(|text| remembered.consents.contains(text));
        Some(FormPlan {
            form: form.clone(),
            show,
            asked: from_handoff,
            known,
            consented,
        })
    }

    /// Fields a handoff waits for are asked in the chat, one at a time.
    fn in_chat(&self) -> bool {
        self.asked && self.form.style == FormStyle::Conversational && self.form.consent.is_none()
    }

    /// The fields that must be filled in: before the chat the site's required ones; after a handoff, every field it
    /// asks for.
    fn required(&self) -> Vec<String> {
        self.form
            .fields
            .iter()
            .filter(|field| self.show.contains(&field.id) && (self.asked || field.required))
            .map(|field| field.id.clone())
            .collect()
    }

    fn is_known(&self, id: &str) -> bool {
        self.known.iter().any(|known| known.id == id)
    }

    /// The form to show, unless the fields are asked in the chat.
    pub fn request(&self) -> Option<FormRequest> {
        if self.in_chat() {
            return None;
        }
        Some(FormRequest {
            form: self.form.clone(),
            show: self.show.clone(),
            required: self.required(),
            known: self.known.clone(),
            consented: self.consented,
        })
    }

    /// The answers to send without asking anything: what is known covers every field this plan must have, and no
    /// consent box needs ticking.
    pub fn complete(&self) -> Option<SubmitForm> {
        let consent_missing = self.form.consent.is_some() && !self.consented;
        let required_missing = self.required().iter().any(|id| !self.is_known(id));
        if self.known.is_empty() || consent_missing || required_missing {
            return None;
        }
        Some(self.with_known(SubmitForm::default()))
    }

    /// The visitor's answers with what is already known added (their own answer wins), in the form's order, and
    /// the consent already given.
    pub fn with_known(&self, answers: SubmitForm) -> SubmitForm {
        let of = |id: &str| {
            let answered = answers.fields.iter().find(|answer| answer.id == id);
            answered.or_else(|| self.known.iter().find(|known| known.id == id))
        };
        SubmitForm {
            fields: self
                .form
                .fields
                .iter()
                .filter_map(|field| of(&field.id).cloned())
                .collect(),
            consent: answers.consent || self.consented,
        }
    }

    /// The field the chat asks for now, when fields are asked in the chat: the first not already known.
    pub fn asking(&self) -> Option<FormField> {
        if !self.in_chat() {
            return None;
        }
        let id = self.show.iter().find(|id| !self.is_known(id))?;
        self.form
            .fields
            .iter()
            .find(|field| &field.id == id)
            .cloned()
    }
}

#[cfg(test)]
mod tests;
