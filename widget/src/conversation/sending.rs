//! Sending the visitor's messages: shown at once (with the instant answer when the FAQ is confident or a tapped
//! choice was offered), then queued in the [`Outbox`] and sent one at a time; what failed is sent again with the
//! same client ids.

use baton_shared::protocol::{Author, Choice, Message, PostMessage};

use super::Conversation;
use crate::api::Session;
use crate::commands;
use crate::outbox::Outbox;
use crate::state::ChatState;
use crate::tasks::spawn_local;

impl Conversation {
    /// Queues a visitor message for the worker (see [`Outbox`]).
    fn deliver(self, current: Session, body: PostMessage) {
        if !self.outbox.update_value(|outbox| outbox.push(body)) {
            return;
        }
        spawn_local(async move {
            while let Some(body) = self.outbox.update_value(Outbox::next) {
                match self.api().post_message(&current, &body).await {
                    Ok(appended) => self.merge(appended.messages),
                    Err(failure) => {
                        let reason = failure.to_string();
                        let failed = self.outbox.update_value(|outbox| outbox.fail(body));
                        self.chat.update(|chat| {
                            for failed in &failed {
                                chat.mark_failed(&failed.client_message_id, reason.clone());
                            }
                        });
                    }
                }
            }
        });
    }

    /// A visitor message, typed or `tapped` (a choice, or "Talk to a person"): shown at once (with the instant
    /// answer when the FAQ is confident or the tapped entry was offered), then sent.
    pub fn send_message(self, text: String, tapped: Option<Choice>) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
        let chose_person = matches!(tapped, Some(Choice::Person { .. }));
        let choice = match tapped {
            Some(Choice::FaqEntry { faq_entry_id, .. }) => Some(faq_entry_id),
            _ => None,
        };
        // A confident FAQ answer is shown now; the worker only records it.
        let reply = (!chose_person)
            .then(|| {
                self.site.with_untracked(|site| {
                    self.faq.with_untracked(|faq| {
                        self.instant.update_value(|instant| {
                            let instant = instant.get(site.as_ref()?, faq.as_ref()?)?;
                            self.chat.with_untracked(|chat| {
                                instant.answer(&chat.messages, &text, choice.as_deref())
                            })
                        })
                    })
                })
            })
            .flatten();
        let body = PostMessage {
            client_message_id: new_client_message_id(),
            text,
            instant_answer: reply.as_ref().map(|reply| reply.source.clone()),
            chose_person,
            choice,
        };
        self.chat.update(|chat| {
            chat.add_pending(body.clone(), reply.as_ref().map(|reply| reply.text.clone()))
        });
        if let Some(reply) = &reply {
            // Listeners hear it now, as the visitor sees it; not stored yet, it has no sequence number (0). The stored
            // copy is not announced again (`ChatState::merge`).
            commands::emit_message(&Message {
                seq: 0,
                author: Author::Ai,
                author_name: None,
                text: reply.text.clone(),
                sent_at_ms: js_sys::Date::now() as u64,
                client_message_id: None,
                answer: Some(reply.source.clone()),
                handoff: None,
                event: None,
                choices: Vec::new(),
                choice: None,
            });
        }
        // The studio's preview: the draft's answer is the point, and the worker only knows the published one.
        if reply.is_some() && super::site::in_preview(&self.api()) {
            return;
        }
        if is_offline() {
            let offline = self.strings().offline.to_string();
            self.chat
                .update(|chat| chat.mark_failed(&body.client_message_id, offline));
            return;
        }
        self.deliver(current, body);
    }

    /// What failed is sent again, with the same client message ids, so nothing is stored twice.
    pub fn retry(self) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
        for body in self.chat.update(ChatState::retry_failed) {
            self.deliver(current.clone(), body);
        }
    }
}

fn is_offline() -> bool {
    web_sys::window().is_some_and(|window| !window.navigator().on_line())
}

/// A fresh id for a visitor message, so a retry is recognised by the worker.
fn new_client_message_id() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        // Whole milliseconds: formatting an f64 would link float printing for this one fallback.
        .unwrap_or_else(|| format!("m{}", js_sys::Date::now() as u64))
}
