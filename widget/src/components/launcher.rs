//! The round button in the corner that opens and closes the panel.

use leptos::prelude::*;

/// Toggles the panel.
#[component]
pub fn Launcher(
    /// Whether the panel is open; the launcher flips it.
    open: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="baton-launcher"
            data-testid="baton-launcher"
            aria-label=move || if open.get() { "Close chat" } else { "Open chat" }
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|open| *open = !*open)
        >
            <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
                <path
                    fill="currentColor"
                    d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
                />
            </svg>
        </button>
    }
}
