//! The list of messages, newest at the bottom, scrolled into view as they arrive. Text is rendered as text: no
//! markup from anyone reaches the DOM.

use baton_shared::protocol::{Author, Message};
use leptos::html;
use leptos::prelude::*;

use crate::state::{ChatState, PendingMessage};

/// Stored messages followed by the visitor's messages still being sent.
#[component]
pub fn MessageList(
    /// The messages to show.
    chat: RwSignal<ChatState>,
) -> impl IntoView {
    let list = NodeRef::<html::Ol>::new();
    // Scroll once the new items are in the DOM: the next animation frame comes after this update's rendering.
    Effect::new(move |_| {
        chat.track();
        request_animation_frame(move || {
            if let Some(list) = list.get_untracked() {
                list.set_scroll_top(list.scroll_height());
            }
        });
    });
    view! {
        <ol class="baton-messages" data-testid="baton-messages" node_ref=list aria-live="polite">
            <For
                each=move || chat.with(|chat| chat.messages.clone())
                key=|message| message.seq
                children=move |message| view! { <StoredMessage message=message /> }
            />
            <For
                each=move || chat.with(|chat| chat.pending.clone())
                key=|pending| (pending.client_message_id.clone(), pending.failure.is_some())
                children=move |pending| view! { <PendingItem pending=pending /> }
            />
        </ol>
    }
}

/// A message stored by the worker.
#[component]
fn StoredMessage(
    /// The message to show.
    message: Message,
) -> impl IntoView {
    let author = match message.author {
        Author::Visitor => "visitor",
        Author::Ai => "ai",
        Author::Agent => "agent",
        Author::System => "system",
    };
    view! {
        <li class=format!("baton-message baton-message--{author}") data-testid="baton-message" data-author=author>
            {message.text}
        </li>
    }
}

/// A visitor message on its way, or one that failed to send, and the instant answer the widget gave it.
#[component]
fn PendingItem(
    /// The message and its sending state.
    pending: PendingMessage,
) -> impl IntoView {
    let failed = pending.failure.is_some();
    view! {
        <li
            class="baton-message baton-message--visitor baton-message--pending"
            class:baton-message--failed=failed
            data-testid="baton-message"
            data-author="visitor"
            data-state=if failed { "failed" } else { "sending" }
        >
            {pending.text}
            {pending.failure.map(|failure| view! { <span class="baton-failure">{failure}</span> })}
        </li>
        {pending.instant_reply.map(|reply| view! {
            <li class="baton-message baton-message--ai" data-testid="baton-message" data-author="ai" data-source="instant">
                {reply}
            </li>
        })}
    }
}
