//! Buttons under the messages: suggested FAQ questions before the visitor has asked anything, and always a way to
//! a person.

use leptos::prelude::*;

use crate::actions::{ChatActions, ChatView, QuickReply};

#[component]
pub fn QuickReplies(
    /// Suggested questions (empty once the visitor has written).
    #[prop(into)]
    suggestions: Signal<Vec<String>>,
    /// Its `strings` and `ready` are read.
    view: ChatView,
    /// Its `quick_reply` takes the choice.
    actions: ChatActions,
) -> impl IntoView {
    let ChatView { strings, ready, .. } = view;
    let on_pick = actions.quick_reply;
    view! {
        <div class="baton-quick" role="group" aria-label=move || strings.get().suggestions data-testid="baton-quick-replies">
            <For
                each=move || suggestions.get()
                key=|question| question.clone()
                children=move |question| {
                    let asked = question.clone();
                    view! {
                        <button
                            type="button"
                            class="baton-chip"
                            data-testid="baton-suggestion"
                            disabled=move || !ready.get()
                            on:click=move |_| on_pick.run(QuickReply::Ask(asked.clone()))
                        >
                            {question}
                        </button>
                    }
                }
            />
            <button
                type="button"
                class="baton-chip baton-chip--person"
                data-testid="baton-talk-to-person"
                disabled=move || !ready.get()
                on:click=move |_| on_pick.run(QuickReply::TalkToPerson)
            >
                {move || strings.get().talk_to_person}
            </button>
        </div>
    }
}
