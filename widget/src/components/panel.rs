//! The chat panel: a header with the site and who answers (the team and when it replies, after a handoff), the
//! messages, quick replies, the pre-chat form when fields are asked for, and the composer.

use baton_shared::protocol::{HandoffNotice, WidgetSite};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::actions::{ChatActions, ChatView};
use crate::components::composer::Composer;
use crate::components::context_form::ContextForm;
use crate::components::message_list::MessageList;
use crate::components::quick_replies::QuickReplies;
use crate::components::text;
use crate::i18n::Strings;
use crate::state::ChatState;

/// The open chat window.
#[component]
pub fn Panel(
    /// What it shows.
    view: ChatView,
    /// What the visitor can do in it.
    actions: ChatActions,
) -> impl IntoView {
    let ChatView {
        chat,
        site,
        strings,
        ..
    } = view;
    let title = move || {
        site.with(|site| site.as_ref().map(|site| site.name.clone()))
            .unwrap_or_else(|| strings.get().chat.to_string())
    };
    let status = move || {
        let strings = strings.get();
        if let Some(agent) = chat.with(|chat| chat.agent_name().map(str::to_string)) {
            return format!("{agent} {}", strings.with_you);
        }
        let notice = chat.with(|chat| chat.latest_handoff().cloned());
        match notice {
            None => strings.instant_answers.to_string(),
            Some(notice) => availability(&notice, strings, site.get().as_ref()),
        }
    };
    // A memo, so the form below is rebuilt only when the close comes, not at every message (which would clear
    // what the visitor is typing into it).
    let closed = Memo::new(move |_| chat.with(ChatState::closed));
    // Once a person has joined, the visitor chats with them: the form steps aside behind a small link (it would
    // take half the panel), until the visitor asks for it.
    let with_person = Memo::new(move |_| chat.with(|chat| chat.agent_name().is_some()));
    let details_wanted = RwSignal::new(false);
    let stepped_aside = move || with_person.get() && !details_wanted.get();
    view! {
        <section
            class="baton-panel"
            data-testid="baton-panel"
            role="dialog"
            aria-modal="false"
            aria-labelledby="baton-title"
        >
            <header class="baton-header">
                <div>
                    <h2 class="baton-title" id="baton-title">{title}</h2>
                    <p class="baton-status" data-testid="baton-status">{status}</p>
                </div>
                <button
                    type="button"
                    class="baton-close"
                    data-testid="baton-close"
                    aria-label=text(strings, |strings| strings.close_chat)
                    on:click=move |_| actions.close()
                >
                    "×"
                </button>
            </header>
            <MessageList view=view actions=actions />
            {move || match view.form() {
                _ if closed.get() => view! { <Rating view=view actions=actions /> }.into_any(),
                // Kept while hidden, so what the visitor typed in it is still there when they come back to it.
                Some(request) => view! {
                    <div class="baton-form-slot" hidden=stepped_aside>
                        <ContextForm form=request.form show=request.show required=request.required strings=strings on_submit=Callback::new(move |form| actions.submit_form(form)) known=request.known consented=request.consented />
                    </div>
                    {move || stepped_aside().then(|| view! {
                        <button
                            type="button"
                            class="baton-details-link"
                            data-testid="baton-details-link"
                            on:click=move |_| details_wanted.set(true)
                        >
                            {text(strings, |strings| strings.add_details)}
                        </button>
                    }.into_any())}
                }
                .into_any(),
                None => view! {
                    <QuickReplies view=view actions=actions />
                }
                .into_any(),
            }}
            {move || chat.with(|chat| chat.notice.clone()).map(|notice| view! {
                <p class="baton-notice" data-testid="baton-notice" role="alert">{notice}</p>
            }.into_any())}
            <Composer view=view actions=actions />
        </section>
    }
}

/// After an agent closes the conversation: "How did we do?" with five buttons, then thanks.
#[component]
fn Rating(
    /// Its `chat` (the rating given) and `strings` are read.
    view: ChatView,
    /// Its `rate` takes the rating.
    actions: ChatActions,
) -> impl IntoView {
    let ChatView { chat, strings, .. } = view;
    view! {
        <div class="baton-rating" data-testid="baton-rating" role="group" aria-label=text(strings, |strings| strings.rate_prompt)>
            {move || match chat.with(|chat| chat.rating) {
                Some(_) => view! { <p class="baton-rated" role="status">{strings.get().rated}</p> }.into_any(),
                None => view! {
                    <p class="baton-rate-prompt">{strings.get().rate_prompt}</p>
                    <div class="baton-stars">
                        {(1..=5u8)
                            .map(|rating| view! {
                                <button
                                    type="button"
                                    class="baton-star"
                                    data-testid="baton-star"
                                    aria-label=move || format!("{rating} {}", strings.get().rate_star)
                                    on:click=move |_| actions.rate(rating)
                                >
                                    {"★".repeat(rating as usize)}
                                </button>
                            }
                            .into_any())
                            .collect_view()}
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}

/// "Sales · usually replies within 3 min", or when it waits in the queue, when the team is back.
fn availability(notice: &HandoffNotice, strings: &Strings, site: Option<&WidgetSite>) -> String {
    let team = notice.team.clone().unwrap_or_default();
    if notice.queued {
        return match notice.next_opening_ms {
            Some(at) => format!("{team} · {} {}", strings.queued_back, local_day_time(at)),
            None => format!("{team} · {}", strings.queued),
        };
    }
    let minutes = site
        .and_then(|site| site.teams.iter().find(|candidate| candidate.name == team))
        .map_or(3, |team| team.reply_minutes);
    format!(
        "{team} · {} {minutes} {}",
        strings.replies_within, strings.minutes
    )
}

/// "Mon 10:00" in the visitor's time and language.
fn local_day_time(ms: u64) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [
        ("weekday", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
        .to_locale_string("default", &options)
        .as_string()
        .unwrap_or_default()
}
