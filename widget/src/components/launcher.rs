//! The button in the corner that opens and closes the panel, with the site's launcher text and a badge counting
//! messages that arrived while the panel was closed.

use leptos::html;
use leptos::prelude::*;

use crate::i18n::Strings;

/// Toggles the panel.
#[component]
pub fn Launcher(
    open: RwSignal<bool>,
    /// The site's `appearance.launcher_text`, once the configuration is known.
    #[prop(into)]
    text: Signal<Option<String>>,
    #[prop(into)] unread: Signal<u32>,
    #[prop(into)] strings: Signal<&'static Strings>,
    /// Focus comes back here when the panel closes.
    node_ref: NodeRef<html::Button>,
    /// A pointer over the launcher or focus on it: the chat is likely next (its module is fetched now).
    on_intent: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="baton-launcher"
            class:baton-launcher--open=move || open.get()
            data-testid="baton-launcher"
            node_ref=node_ref
            aria-label=move || {
                let strings = strings.get();
                let action = if open.get() { strings.close_chat } else { strings.open_chat };
                match unread.get() {
                    0 => action.to_string(),
                    count => format!("{action} ({count} {})", strings.unread),
                }
            }
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|open| *open = !*open)
            on:pointerenter=move |_| on_intent.run(())
            on:focus=move |_| on_intent.run(())
        >
            <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
                <path
                    fill="currentColor"
                    d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
                />
            </svg>
            <Show when=move || !open.get() && text.with(Option::is_some)>
                <span class="baton-launcher-text" aria-hidden="true">{move || text.get()}</span>
            </Show>
            <Show when=move || { unread.get() > 0 && !open.get() }>
                <span class="baton-badge" data-testid="baton-unread" aria-hidden="true">{move || unread.get()}</span>
            </Show>
        </button>
    }
}
