//! What the panel's components share, made once by the chat (`chat.rs`): [`ChatView`], what they read (watched
//! values, which the chat's views track as signals, and what is derived from them), and [`ChatActions`], what the
//! visitor can do. Each is one `Copy` prop instead of the thirteen the panel used to take and hand down.
//!
//! They are props, not Leptos contexts (`provide_context`), because the context map alone adds 1.4 KB (Brotli) to
//! the widget's download, which every visitor pays for.

use baton_shared::protocol::{Choice, SubmitForm, WidgetFaq, WidgetSite};
use leptos::prelude::*;

use crate::api::Session;
use crate::conversation::Conversation;
use crate::form::{FormPlan, FormRequest};
use crate::i18n::SiteStrings;
use crate::live::Live;
use crate::state::ChatState;
use crate::watched::Watched;

/// What a quick reply sends.
#[derive(Debug, Clone, PartialEq)]
pub enum QuickReply {
    /// Ask this FAQ question.
    Ask(String),
    /// A choice an answer offered, or "Talk to a person" (a [`Choice::Person`]): its label is sent.
    Choose(Choice),
}

impl QuickReply {
    /// What its button says, and the visitor's message once tapped.
    pub fn label(&self) -> &str {
        match self {
            QuickReply::Ask(question) => question,
            QuickReply::Choose(choice) => choice.label(),
        }
    }
}

/// What the visitor can do in the panel: each is a call on the conversation (or its live socket), so a handle is
/// two `Copy` handles, not a Leptos callback per action (each of those is code of its own in the chat's download).
#[derive(Clone, Copy)]
pub struct ChatActions {
    conversation: Conversation,
    live: Live,
}

impl ChatActions {
    pub fn new(conversation: Conversation, live: Live) -> ChatActions {
        ChatActions { conversation, live }
    }

    /// The composer's text: a message, or the answer to the field the conversational form asks for.
    pub fn send(self, text: String) {
        self.conversation.send_text(text);
    }

    pub fn quick_reply(self, reply: QuickReply) {
        match reply {
            QuickReply::Ask(question) => self.conversation.send_message(question, None),
            QuickReply::Choose(choice) => {
                let label = choice.label().to_string();
                self.conversation.send_message(label, Some(choice));
            }
        }
    }

    pub fn submit_form(self, form: SubmitForm) {
        self.conversation.submit_form(form);
    }

    /// Sends the failed messages again.
    pub fn retry(self) {
        self.conversation.retry();
    }

    pub fn close(self) {
        self.conversation.open.set(false);
    }

    /// Every keystroke in the composer (the live socket throttles what it relays).
    pub fn typing(self) {
        self.live.typing();
    }

    /// A rating of a closed conversation, 1 to 5.
    pub fn rate(self, rating: u8) {
        self.conversation.rate(rating);
    }
}

/// What the panel shows: watched values, which the chat's views track as signals, and what is derived from them.
#[derive(Clone, Copy)]
pub struct ChatView {
    pub chat: Watched<ChatState>,
    pub site: Watched<Option<WidgetSite>>,
    /// The site's FAQ, once the chat has it (its first questions are the quick replies before the visitor writes).
    pub faq: Watched<Option<WidgetFaq>>,
    pub strings: SiteStrings,
    session: Watched<Option<Session>>,
    /// The pre-chat fields to collect now: a memo, so what reads it changes only when the plan does.
    form_plan: Memo<Option<FormPlan>>,
    /// What the composer holds (a campaign may have put a message there).
    pub draft: Watched<String>,
}

impl ChatView {
    pub fn new(conversation: Conversation, form_plan: Memo<Option<FormPlan>>) -> ChatView {
        ChatView {
            chat: conversation.chat,
            site: conversation.site,
            faq: conversation.faq,
            strings: SiteStrings(conversation.site),
            session: conversation.session,
            form_plan,
            draft: conversation.draft,
        }
    }

    /// Whether the conversation has started, so messages can be sent.
    pub fn ready(self) -> bool {
        self.session.with(Option::is_some)
    }

    /// The form to show instead of quick replies, when fields are asked for.
    pub fn form(self) -> Option<FormRequest> {
        self.form_plan.with(|plan| plan.as_ref()?.request())
    }

    /// The conversational form's current question.
    pub fn asking(self) -> Option<String> {
        self.form_plan
            .with(|plan| plan.as_ref().and_then(FormPlan::asking))
            .map(|field| {
                format!(
                    "{} {}",
                    self.strings.get().ask_field,
                    field.label.to_lowercase()
                )
            })
    }
}
