//! What the visitor answers besides messages: the pre-chat form, its questions asked one at a time in the chat
//! (with what a lead form already gave, see `FormPlan::with_known`), and the rating of a closed conversation.

use baton_shared::config::FormField;
use baton_shared::protocol::agent::Rate;
use baton_shared::protocol::{FieldValue, SubmitForm, value_problem};
use wasm_bindgen::JsValue;

use super::Conversation;
use crate::commands::{self, Event};
use crate::form::FormPlan;
use crate::tasks::spawn_local;

impl Conversation {
    /// The field the conversational form asks for now.
    fn asking_field(self) -> Option<FormField> {
        self.form_plan().as_ref().and_then(FormPlan::asking)
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
                let problem = self.strings().field_problem(problem);
                self.chat
                    .update(|chat| chat.notice = Some(format!("{}: {problem}", field.label)));
            }
            None => {
                let answer = SubmitForm {
                    fields: vec![FieldValue {
                        id: field.id.clone(),
                        value: text.trim().to_string(),
                    }],
                    consent: false,
                };
                // With what a lead form gave, which the chat does not ask again.
                let answers = match self.form_plan() {
                    Some(plan) => plan.with_known(answer),
                    None => answer,
                };
                self.submit_form(answers);
            }
        }
    }

    pub fn submit_form(self, form: SubmitForm) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
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
