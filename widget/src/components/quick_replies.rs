//! Buttons under the messages: the choices the latest answer offers (a clarifying question's entries and "None of
//! these"), or suggested FAQ questions before the visitor has asked anything; and always a way to a person (the
//! offered one when the choices include a person).

use baton_shared::protocol::Choice;
use leptos::prelude::*;

use crate::actions::{ChatActions, ChatView, QuickReply};
use crate::components::text;

#[component]
pub fn QuickReplies(
    /// The latest answer's choices, or suggested questions (empty once the visitor has written).
    #[prop(into)]
    replies: Signal<Vec<QuickReply>>,
    /// Its `strings` and `ready` are read.
    view: ChatView,
    /// Its `quick_reply` takes the choice.
    actions: ChatActions,
) -> impl IntoView {
    let ChatView { strings, ready, .. } = view;
    let on_pick = actions.quick_reply;
    // Choices answer the question above them; suggestions start a conversation.
    let offered =
        move || replies.with(|replies| matches!(replies.first(), Some(QuickReply::Choose(_))));
    // A person offered among the choices ("None of these", "Talk to a person") stands in for the usual button.
    let offers_person = move || {
        replies.with(|replies| {
            replies
                .iter()
                .any(|reply| matches!(reply, QuickReply::Choose(Choice::Person { .. })))
        })
    };
    view! {
        <div
            class="baton-quick"
            role="group"
            aria-label=move || if offered() { strings.get().choices } else { strings.get().suggestions }
            data-testid="baton-quick-replies"
        >
            {move || replies.get().into_iter().map(|reply| {
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
                        disabled=move || !ready.get()
                        on:click=move |_| on_pick.run(reply.clone())
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
                disabled=move || !ready.get()
                on:click=move |_| {
                    let label = strings.get_untracked().talk_to_person.to_string();
                    on_pick.run(QuickReply::Choose(Choice::Person { label }))
                }
            >
                {text(strings, |strings| strings.talk_to_person)}
            </button>
        </div>
    }
}
