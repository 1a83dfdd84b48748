//! The top-level component: makes the [`Conversation`] and its [`Live`] socket, gives the panel what it reads
//! ([`ChatView`]) and what the visitor can do there ([`ChatActions`]), starts the conversation the first time the panel
//! opens, tells the page's listeners of opens and closes, and wires the `Baton(…)` commands.

use baton_shared::config::Position;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::actions::{ChatActions, ChatView, QuickReply};
use crate::api::ApiClient;
use crate::arrival;
use crate::campaigns::Campaigns;
use crate::commands::{self, Event, Hooks};
use crate::components::campaign_card::CampaignCard;
use crate::components::launcher::Launcher;
use crate::components::panel::Panel;
use crate::conversation::Conversation;
use crate::form::FormPlan;
use crate::live::Live;

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
        session,
        site,
        shut_down,
        strings,
        form_plan,
        draft,
        ..
    } = conversation;
    let live = Live::keep(conversation);
    let campaigns = Campaigns::new(conversation);
    arrival::follow(move || open.set(true));
    remembered_fields(conversation);
    let launcher = NodeRef::<html::Button>::new();

    // Listeners hear every change from the state they last heard about (closed at first), including an open
    // replayed from the loader's queue before this effect first ran.
    let announced_open = StoredValue::new(false);
    Effect::new(move |_| {
        let is_open = open.get();
        let site_known = conversation.site_known();
        if is_open {
            if site_known {
                conversation.start();
            }
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

    let retry = Callback::new(move |()| conversation.retry());
    // Back online: what failed is sent again, with the same client message ids, so nothing is stored twice.
    window_event_listener_untyped("online", move |_| retry.run(()));

    let view = ChatView {
        chat,
        site: site.into(),
        strings: strings.into(),
        ready: Signal::derive(move || session.with(Option::is_some)),
        form: Signal::derive(move || form_plan.with(|plan| plan.as_ref()?.request())),
        asking: Signal::derive(move || {
            form_plan
                .with(|plan| plan.as_ref().and_then(FormPlan::asking))
                .map(|field| format!("{} {}", strings.get().ask_field, field.label.to_lowercase()))
        }),
        draft,
    };
    let actions = ChatActions {
        send: Callback::new(move |text| conversation.send_text(text)),
        quick_reply: Callback::new(move |reply| match reply {
            QuickReply::Ask(question) => conversation.send_message(question, None),
            QuickReply::Choose(choice) => {
                conversation.send_message(choice.label().to_string(), Some(choice))
            }
        }),
        submit_form: Callback::new(move |form| conversation.submit_form(form)),
        retry,
        close: Callback::new(move |()| open.set(false)),
        typing: Callback::new(move |()| live.typing()),
        rate: Callback::new(move |rating| conversation.rate(rating)),
    };

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
                    <Panel view=view actions=actions />
                </Show>
                {move || campaigns.shown.get().map(|shown| view! {
                    <CampaignCard campaigns=campaigns shown=shown strings=strings.into() />
                })}
                <Launcher
                    open=open
                    text=Signal::derive(move || site.with(|site| site.as_ref().map(|site| site.appearance.launcher_text.clone())))
                    unread=Signal::derive(move || chat.with(|chat| chat.unread))
                    strings=strings
                    node_ref=launcher
                />
            </div>
        </Show>
    }
}

/// Fields the visitor already gave in a campaign's lead form are sent when they answer everything the pre-chat form
/// would ask (once per conversation); otherwise the form asks only for what is missing (`FormPlan`).
fn remembered_fields(conversation: Conversation) {
    let sent = StoredValue::new(false);
    Effect::new(move |_| {
        if sent.get_value() || conversation.session.with(Option::is_none) {
            return;
        }
        let answers = conversation
            .form_plan
            .with(|plan| plan.as_ref().and_then(FormPlan::complete));
        if let Some(answers) = answers {
            sent.set_value(true);
            conversation.submit_form(answers);
        }
    });
}
