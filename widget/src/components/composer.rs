//! Where the visitor types: Enter sends, Shift+Enter starts a new line, the length limit is enforced and the
//! characters left are shown.

use baton_shared::protocol::MAX_MESSAGE_CHARS;
use leptos::prelude::*;

use crate::actions::{ChatActions, ChatView};
use crate::components::text;

/// The message input and send button. It is usable once the conversation has started (`ready`); the
/// conversational form's question (`asking`) replaces the placeholder; the trimmed text goes to `send`, and every
/// keystroke to `typing`.
#[component]
pub fn Composer(
    /// Its `ready`, `strings` and `asking` are read.
    view: ChatView,
    /// Its `send` and `typing` are called.
    actions: ChatActions,
) -> impl IntoView {
    let ChatView { strings, draft, .. } = view;
    let send = move || {
        let text = draft.get_untracked().trim().to_string();
        if text.is_empty() || !untrack(|| view.ready()) {
            return;
        }
        actions.send(text);
        draft.set(String::new());
        crate::frame::focus(".baton-input");
    };
    let left = move || MAX_MESSAGE_CHARS.saturating_sub(draft.with(|draft| draft.chars().count()));
    view! {
        <form
            class="baton-composer"
            on:submit=move |event| {
                event.prevent_default();
                send();
            }
        >
            <textarea
                class="baton-input"
                data-testid="baton-input"
                rows="1"
                maxlength=MAX_MESSAGE_CHARS.to_string()
                aria-label=move || view.asking().unwrap_or_else(|| strings.get().type_message.to_string())
                aria-describedby="baton-chars-left"
                placeholder=move || {
                    if !view.ready() {
                        strings.get().connecting.to_string()
                    } else {
                        view.asking().unwrap_or_else(|| strings.get().type_message.to_string())
                    }
                }
                prop:value=move || draft.get()
                on:input=move |event| {
                    draft.set(event_target_value(&event));
                    actions.typing();
                }
                on:keydown=move |event| {
                    if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                        event.prevent_default();
                        send();
                    }
                }
            ></textarea>
            <button
                type="submit"
                class="baton-send"
                data-testid="baton-send"
                disabled=move || !view.ready()
            >
                {text(strings, |strings| strings.send)}
            </button>
            <span class="baton-chars-left" id="baton-chars-left" data-testid="baton-chars-left">
                {move || format!("{} {}", left(), strings.get().characters_left)}
            </span>
        </form>
    }
}
