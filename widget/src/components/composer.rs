//! Where the visitor types: Enter sends, Shift+Enter starts a new line, the length limit is enforced.

use baton_shared::protocol::MAX_MESSAGE_CHARS;
use leptos::html;
use leptos::prelude::*;

/// The message input and send button.
#[component]
pub fn Composer(
    /// Whether messages can be sent yet (the conversation has started).
    #[prop(into)]
    ready: Signal<bool>,
    /// Called with the trimmed text when the visitor sends.
    on_send: Callback<String>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let input = NodeRef::<html::Textarea>::new();
    let send = move || {
        let text = draft.get_untracked().trim().to_string();
        if text.is_empty() || !ready.get_untracked() {
            return;
        }
        on_send.run(text);
        draft.set(String::new());
        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    };
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
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
                node_ref=input
                rows="1"
                maxlength=MAX_MESSAGE_CHARS.to_string()
                aria-label="Type your message"
                placeholder=move || if ready.get() { "Type your message…" } else { "Connecting…" }
                prop:value=move || draft.get()
                on:input=move |event| draft.set(event_target_value(&event))
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
                disabled=move || !ready.get()
            >
                "Send"
            </button>
        </form>
    }
}
