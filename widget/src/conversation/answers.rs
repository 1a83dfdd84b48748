//! What the visitor answers besides messages: the pre-chat form (with what they already gave in a lead form added,
//! see `FormPlan::with_known`), its questions asked one at a time in the chat, and the rating of a closed
//! conversation.

use baton_shared::config::FormField;
use baton_shared::protocol::agent::Rate;
use baton_shared::protocol::{FieldValue, SubmitForm, value_problem};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::Conversation;
use crate::commands::{self, Event};
use crate::form::FormPlan;

impl Conversation {
    /// The field the conversational form asks for now.
    fn asking_field(self) -> Option<FormField> {
        self.form_plan
            .with_untracked(|plan| plan.as_ref().and_then(FormPlan::asking))
    }

    /// The composer's text: the answer to the field the conversational form asks for (checked first), else a
    /// message.
    pub fn send_text(self, text: String) {
        let Some(field) = self.asking_field() else {
            self.send_message(text, None);
            return;
        };
        match value_problem(field.kind, &text) {
            Some(problem) => {
                let problem = self.strings.get_untracked().field_problem(problem);
                self.chat
                    .update(|chat| chat.notice = Some(format!("{}: {problem}", field.label)));
            }
            None => self.submit_form(SubmitForm {
                fields: vec![FieldValue {
                    id: field.id.clone(),
                    value: text.trim().to_string(),
                }],
                consent: false,
            }),
        }
    }

    /// Sends the pre-chat form's answers, with what the visitor already gave elsewhere and was not asked again.
    pub fn submit_form(self, form: SubmitForm) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
        let form = self.form_plan.with_untracked(|plan| match plan {
            Some(plan) => plan.with_known(form),
            None => form,
        });
        let given: Vec<String> = form.fields.iter().map(|field| field.id.clone()).collect();
        spawn_local(async move {
            match self.api().submit_form(&current, &form).await {
                Ok(appended) => {
                    self.chat.update(|chat| {
                        chat.given_fields.extend(given);
                        chat.notice = None;
                    });
                    self.merge(appended.messages);
                }
                Err(failure) => self
                    .chat
                    .update(|chat| chat.notice = Some(failure.to_string())),
            }
        });
    }

    /// The visitor's rating of a closed conversation; listeners hear it once the worker has it.
    pub fn rate(self, rating: u8) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
        self.chat.update(|chat| chat.rating = Some(rating));
        spawn_local(async move {
            match self.api().rate(&current, &Rate { rating }).await {
                Ok(_) => {
                    let detail = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&detail, &"rating".into(), &JsValue::from(rating));
                    commands::emit(Event::Csat, &detail);
                }
                Err(failure) => self.chat.update(|chat| {
                    chat.rating = None;
                    chat.notice = Some(failure.to_string());
                }),
            }
        });
    }
}
