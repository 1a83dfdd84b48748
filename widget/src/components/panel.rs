//! The chat panel: header, message list and composer.

use leptos::prelude::*;

use crate::components::composer::Composer;
use crate::components::message_list::MessageList;
use crate::state::ChatState;

/// The open chat window.
#[component]
pub fn Panel(
    /// Everything the conversation shows.
    chat: RwSignal<ChatState>,
    /// Whether the conversation has started, so messages can be sent.
    #[prop(into)]
    ready: Signal<bool>,
    /// Called with the text of each visitor message.
    on_send: Callback<String>,
    /// Called when the visitor closes the panel.
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <section class="baton-panel" data-testid="baton-panel" role="dialog" aria-label="Chat">
            <header class="baton-header">
                <span class="baton-title">"Chat with us"</span>
                <button
                    type="button"
                    class="baton-close"
                    data-testid="baton-close"
                    aria-label="Close chat"
                    on:click=move |_| on_close.run(())
                >
                    "×"
                </button>
            </header>
            <MessageList chat=chat />
            <Show when=move || chat.with(|chat| chat.notice.is_some())>
                <p class="baton-notice" data-testid="baton-notice" role="alert">
                    {move || chat.with(|chat| chat.notice.clone().unwrap_or_default())}
                </p>
            </Show>
            <Composer ready=ready on_send=on_send />
        </section>
    }
}
