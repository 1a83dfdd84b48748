//! What the panel's components share, made once by `App`: [`ChatView`], what they read (watched values, which the
//! chat's views track as signals, and signals), and [`ChatActions`],
//! what the visitor can do. Each is one `Copy` prop instead of the thirteen the panel used to take and hand down.
//!
//! They are props, not Leptos contexts (`provide_context`), because the context map alone adds 1.4 KB (Brotli) to
//! the widget's download, which every visitor pays for.

use baton_shared::protocol::{Choice, SubmitForm, WidgetFaq, WidgetSite};
use leptos::prelude::*;

use crate::form::FormRequest;
use crate::i18n::Strings;
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

/// What the visitor can do in the panel.
#[derive(Debug, Clone, Copy)]
pub struct ChatActions {
    /// The composer's text: a message, or the answer to the field the conversational form asks for.
    pub send: Callback<String>,
    pub quick_reply: Callback<QuickReply>,
    pub submit_form: Callback<SubmitForm>,
    /// Sends the failed messages again.
    pub retry: Callback<()>,
    pub close: Callback<()>,
    /// Every keystroke in the composer (the live socket throttles what it relays).
    pub typing: Callback<()>,
    /// A rating of a closed conversation, 1 to 5.
    pub rate: Callback<u8>,
}

/// What the panel shows.
#[derive(Debug, Clone, Copy)]
pub struct ChatView {
    pub chat: Watched<ChatState>,
    pub site: Watched<Option<WidgetSite>>,
    /// The site's FAQ, once the chat has it (its first questions are the quick replies before the visitor writes).
    pub faq: Watched<Option<WidgetFaq>>,
    pub strings: Signal<&'static Strings>,
    /// Whether the conversation has started, so messages can be sent.
    pub ready: Signal<bool>,
    /// The form to show instead of quick replies, when fields are asked for.
    pub form: Signal<Option<FormRequest>>,
    /// The conversational form's current question.
    pub asking: Signal<Option<String>>,
    /// What the composer holds (a campaign may have put a message there).
    pub draft: Watched<String>,
}
