//! The inbox column: queues by team, each item with the visitor (marked when the site verified who they are),
//! intent, handoff reason, waiting time, unread count and a missed marker; the clock ticks every 10 s so waiting
//! times stay true.

use std::time::Duration;

use baton_shared::protocol::agent::{AgentProfile, InboxItem};
use leptos::prelude::*;

use crate::state;

#[component]
pub fn InboxList(
    items: RwSignal<Vec<InboxItem>>,
    profile: AgentProfile,
    teams: Vec<(String, String)>,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let now = RwSignal::new(js_sys::Date::now() as u64);
    if let Ok(interval) = set_interval_with_handle(
        move || now.set(js_sys::Date::now() as u64),
        Duration::from_secs(10),
    ) {
        on_cleanup(move || interval.clear());
    }
    let queues = move || items.with(|items| state::queues(items, &profile, &teams));
    view! {
        <nav class="inbox" aria-label="Inbox" data-testid="console-inbox">
            <For
                each=queues
                key=|queue| (queue.title.clone(), queue.items.clone().into_iter().map(|item| format!("{item:?}")).collect::<Vec<_>>())
                children=move |queue| {
                    let count = queue.items.len();
                    view! {
                        <section class="queue">
                            <h2>{queue.title.clone()}" "<span class="count">{count}</span></h2>
                            <ul>
                                {queue.items.into_iter().map(|item| view! { <Item item=item selected=selected now=now /> }).collect_view()}
                            </ul>
                        </section>
                    }
                }
            />
        </nav>
    }
}

#[component]
fn Item(item: InboxItem, selected: RwSignal<Option<String>>, now: RwSignal<u64>) -> impl IntoView {
    let id = item.conversation_id.clone();
    let is_selected = {
        let id = id.clone();
        move || selected.get().as_deref() == Some(id.as_str())
    };
    let unread = state::unread(&item);
    let who = item
        .visitor_name
        .clone()
        .unwrap_or_else(|| "Visitor".into());
    let waiting_item = item.clone();
    let click_id = id.clone();
    view! {
        <li>
            <button
                type="button"
                class="item"
                class:selected=is_selected
                class:missed=item.missed
                data-testid="console-inbox-item"
                data-conversation=id.clone()
                on:click=move |_| selected.set(Some(click_id.clone()))
            >
                <span class="who">
                    {who}
                    {item.verified.then(|| view! {
                        " " <span class="verified-tag" data-testid="console-verified"
                            title="The site verified this visitor's user id">"✓ verified"</span>
                    })}
                </span>
                <span class="tags">
                    <span class="intent">{state::intent_label(item.intent)}</span>
                    " · "
                    <span class="reason">{item.reason.label()}</span>
                    {item.campaign_name.clone().map(|name| view! {
                        " · " <span class="campaign" data-testid="console-inbox-campaign">{name}</span>
                    })}
                    {item.missed.then(|| view! { " · " <span class="missed-tag">"missed"</span> })}
                </span>
                <span class="summary">{item.summary.clone()}</span>
                <span class="waiting">{move || state::waiting(&waiting_item, now.get())}</span>
                {(unread > 0).then(|| view! { <span class="unread" aria-label="unread messages">{unread}</span> })}
            </button>
        </li>
    }
}
