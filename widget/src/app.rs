//! The top-level component, in the module every page view downloads: makes the [`Conversation`], the campaigns and
//! the slot the chat keeps its live socket in, shows the launcher, tells the page's listeners of opens and closes,
//! and wires the `Baton(…)` commands. The panel, the live socket and the campaign card come from `chat.rs`, fetched
//! when first needed.

use baton_shared::config::Position;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::api::ApiClient;
use crate::campaigns::Campaigns;
use crate::commands::{self, Event, Hooks};
use crate::components::launcher::Launcher;
use crate::conversation::Conversation;
use crate::{arrival, chat};

/// The whole widget.
#[component]
pub fn App(
    /// The client of the worker's API for this site.
    api: ApiClient,
) -> impl IntoView {
    let conversation = Conversation::new(api);
    let Conversation {
        open,
        chat,
        site,
        shut_down,
        strings,
        ..
    } = conversation;
    // The live socket is the chat's: made the first time the panel opens (a conversation starts only there), then
    // kept for the page's life under this component, so agents' replies count as unread while the panel is closed.
    let live = chat::LiveSlot::new();
    let campaigns = Campaigns::new(conversation);
    arrival::follow(move || open.set(true));
    let launcher = NodeRef::<html::Button>::new();

    // Listeners hear every change from the state they last heard about (closed at first), including an open
    // replayed from the loader's queue before this effect first ran.
    let announced_open = StoredValue::new(false);
    Effect::new(move |_| {
        let is_open = open.get();
        if is_open {
            chat.update(|chat| chat.unread = 0);
        }
        if announced_open.get_value() != is_open {
            announced_open.set_value(is_open);
            let event = if is_open { Event::Open } else { Event::Close };
            commands::emit(event, &JsValue::UNDEFINED);
            if !is_open && let Some(launcher) = launcher.get_untracked() {
                let _ = launcher.focus();
            }
        }
    });

    commands::register(Hooks {
        open,
        open_with: Callback::new(move |message| conversation.open_with(message, false, None)),
        open_for_team: Callback::new(move |team| conversation.for_team(team)),
        identify: Callback::new(move |identify| {
            campaigns.identify(&identify);
            conversation.identify(identify);
        }),
        track: Callback::new(move |(event, value)| campaigns.track(event, value)),
        show: Callback::new(move |(id, force)| campaigns.show(id, force)),
        shutdown: Callback::new(move |()| conversation.shut_down()),
    });
    // After the loader has replayed the calls queued before load (listeners included).
    spawn_local(async { commands::emit(Event::Ready, &JsValue::UNDEFINED) });

    let style = move || {
        site.with(|site| match site {
            Some(site) => format!(
                "--baton-accent: {}; --baton-visitor-bg: {}; z-index: {};",
                site.appearance.colour, site.appearance.colour, site.appearance.z_index
            ),
            None => String::new(),
        })
    };
    let left = move || {
        site.with(|site| {
            site.as_ref()
                .is_some_and(|site| site.appearance.position == Position::Left)
        })
    };
    view! {
        <Show when=move || !shut_down.get()>
            <div
                class="baton"
                class:baton--left=left
                data-testid="baton-root"
                style=style
                on:keydown=move |event| {
                    if event.key() == "Escape" && open.get_untracked() {
                        open.set(false);
                    }
                }
            >
                <Show when=move || open.get()>
                    {move || Suspend::new(chat::panel(conversation, live))}
                </Show>
                {move || campaigns.shown.get().map(|shown| {
                    // A visitor who sees a campaign may well chat next.
                    chat::prefetch();
                    Suspend::new(chat::card(campaigns, shown, strings.into()))
                })}
                <Launcher
                    open=open
                    text=Signal::derive(move || site.with(|site| site.as_ref().map(|site| site.appearance.launcher_text.clone())))
                    unread=Signal::derive(move || chat.with(|chat| chat.unread))
                    strings=strings
                    node_ref=launcher
                    on_intent=Callback::new(|()| chat::prefetch())
                />
            </div>
        </Show>
    }
}
