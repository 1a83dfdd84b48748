//! Buttons under the messages: the choices the latest answer offers (a clarifying question's entries and "None of
//! these"), or suggested FAQ questions before the visitor has asked anything; and always a way to a person (the
//! offered one when the choices include a person).

use baton_shared::protocol::{Choice, WidgetFaq};
use leptos::prelude::*;

use crate::actions::{ChatActions, ChatView, QuickReply};
use crate::components::text;
use crate::state::ChatState;
use crate::watched::Watched;

#[component]
pub fn QuickReplies(
    /// Its `chat`, `faq`, `strings` and `ready` are read.
    view: ChatView,
    /// Its `quick_reply` takes the choice.
    actions: ChatActions,
) -> impl IntoView {
    let ChatView {
        chat, faq, strings, ..
    } = view;
    let replies = move || replies_now(chat, faq);
    // Choices answer the question above them; suggestions start a conversation.
    let offered = move || matches!(replies().first(), Some(QuickReply::Choose(_)));
    // A person offered among the choices ("None of these", "Talk to a person") stands in for the usual button.
    let offers_person = move || {
        replies()
            .iter()
            .any(|reply| matches!(reply, QuickReply::Choose(Choice::Person { .. })))
    };
    view! {
        <div
            class="baton-quick"
            role="group"
            aria-label=move || if offered() { strings.get().choices } else { strings.get().suggestions }
            data-testid="baton-quick-replies"
        >
            {move || replies().into_iter().map(|reply| {
                let label = reply.label().to_string();
                let testid = match reply {
                    QuickReply::Ask(_) => "baton-suggestion",
                    QuickReply::Choose(_) => "baton-choice",
                };
                view! {
                    <button
                        type="button"
                        class="baton-chip"
                        data-testid=testid
                        disabled=move || !view.ready()
                        on:click=move |_| actions.quick_reply(reply.clone())
                    >
                        {label}
                    </button>
                }
                .into_any()
            }).collect_view()}
            <button
                type="button"
                class="baton-chip baton-chip--person"
                data-testid="baton-talk-to-person"
                hidden=offers_person
                disabled=move || !view.ready()
                on:click=move |_| {
                    let label = strings.get_untracked().talk_to_person.to_string();
                    actions.quick_reply(QuickReply::Choose(Choice::Person { label }))
                }
            >
                {text(strings, |strings| strings.talk_to_person)}
            </button>
        </div>
    }
}

/// The latest answer's choices while they are open; before the visitor has written, the first FAQ questions.
fn replies_now(chat: Watched<ChatState>, faq: Watched<Option<WidgetFaq>>) -> Vec<QuickReply> {
    let choices: Vec<QuickReply> = chat.with(|chat| {
        chat.open_choices()
            .iter()
            .cloned()
            .map(QuickReply::Choose)
            .collect()
    });
    if !choices.is_empty() {
        return choices;
    }
    let asked = chat.with(|chat| {
        chat.messages
            .iter()
            .any(|message| message.client_message_id.is_some())
            || !chat.pending.is_empty()
    });
    if asked {
        return Vec::new();
    }
    faq.with(|faq| {
        faq.as_ref()
            .map(|faq| {
                faq.faq
                    .iter()
                    .take(3)
                    .map(|entry| QuickReply::Ask(entry.question.clone()))
                    .collect()
            })
            .unwrap_or_default()
    })
}
