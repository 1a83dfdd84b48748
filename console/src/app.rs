//! Signing in (with the token alone, from a `#token=…` link, the form or the last sign-in; a link's token is then
//! taken out of the address bar and history), following `#…` links without a reload, and the signed-in console: the
//! inbox socket (snapshot, changes, presence heartbeats), the tab title's unread count, the new-chat sound,
//! keyboard shortcuts, and the layout (inbox, conversation, team; or the reports at `#reports`). The sign-in screen
//! also creates a site (`create_site.rs`) and signs in as its first admin.

use std::rc::Rc;
use std::time::Duration;

use baton_shared::protocol::agent::{
    AgentPresence, AgentRole, HEARTBEAT_MS, InboxCommand, InboxEvent, InboxItem, ItemState,
    PresenceStatus,
};
use baton_shared::protocol::paths;
use baton_shared::protocol::ticket::RequestTicket;
use leptos::prelude::*;
use leptos::task::spawn_local;

use baton_web::{ApiBase, Ended, Frames, Handlers, Socket};

use crate::address::{forget_token, local_storage, location_hash};
use crate::api::{AgentClient, SignedIn};
use crate::conversation::ConversationView;
use crate::create_site::SignInScreen;
use crate::dashboard::{self, Dashboard};
use crate::inbox::InboxList;
use crate::sound;
use crate::state;
use crate::studio::{self, StudioPage};
use crate::team::TeamPanel;

const STORAGE_KEY: &str = "baton-console";

#[component]
pub fn App(api_base: String) -> impl IntoView {
    let signed_in: RwSignal<Option<SignedIn>> = RwSignal::new(None);
    let error = RwSignal::new(None::<String>);
    // Why the console signed out by itself (the account was disabled or deleted).
    let signed_out = RwSignal::new(None::<String>);
    let site = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let selected: RwSignal<Option<String>> = RwSignal::new(None);
    // The address's `#…` without a token: which page shows (`#reports&…`) and what it shows.
    let hash = RwSignal::new(String::new());
    let api_base = StoredValue::new(api_base);
    let sign_in = move || {
        let token = token.get_untracked().trim().to_string();
        let given = site.get_untracked();
        let site_id = match state::sign_in_site(&token, Some(&given)) {
            Ok(site_id) => site_id,
            Err(message) => {
                error.set(Some(message.into()));
                return;
            }
        };
        let client = AgentClient {
            base: ApiBase::new(&api_base.get_value()),
            site_id,
            token,
        };
        spawn_local(async move {
            match client.me().await {
                Ok(session) => {
                    if let Some(storage) = local_storage() {
                        let saved = (client.site_id.clone(), client.token.clone());
                        if let Ok(json) = serde_json::to_string(&saved) {
                            let _ = storage.set_item(STORAGE_KEY, &json);
                        }
                    }
                    error.set(None);
                    signed_out.set(None);
                    signed_in.set(Some(SignedIn { client, session }));
                }
                Err(message) => error.set(Some(format!("Sign-in refused: {message}"))),
            }
        });
    };
    // A link: `#token=…` signs in as that token (`#site=…&token=…`, what older links say, too) and is then taken
    // out of the address bar and history; `#conversation=ID` opens that conversation (webhooks link there).
    let follow = move |link: state::Link| {
        if let Some(conversation) = link.conversation.clone() {
            selected.set(Some(conversation));
        }
        let Some(link_token) = link.token else {
            return false;
        };
        forget_token(&link.clean_hash);
        let current = signed_in
            .with_untracked(|agent| agent.as_ref().map(|agent| agent.client.token == link_token));
        if current == Some(true) {
            return false;
        }
        if current.is_some() {
            signed_in.set(None);
        }
        site.set(link.site.unwrap_or_default());
        token.set(link_token);
        true
    };
    let link = state::read_link(&location_hash());
    hash.set(link.clean_hash.clone());
    let from_link = follow(link);
    if !from_link
        && let Some((saved_site, saved_token)) = local_storage()
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<(String, String)>(&json).ok())
    {
        site.set(saved_site);
        token.set(saved_token);
    }
    if !token.get_untracked().is_empty() {
        sign_in();
    }
    let hashchange = window_event_listener(leptos::ev::hashchange, move |_| {
        let link = state::read_link(&location_hash());
        hash.set(link.clean_hash.clone());
        if follow(link) {
            sign_in();
        }
    });
    on_cleanup(move || hashchange.remove());
    // A site just created from the sign-in screen: sign in as its first admin, in its studio.
    let open_studio = Callback::new(move |(new_site, admin_token): (String, String)| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash("studio");
        }
        hash.set("studio".into());
        site.set(new_site);
        token.set(admin_token);
        sign_in();
    });
    let sign_out = Callback::new(move |reason: Option<String>| {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        token.set(String::new());
        selected.set(None);
        signed_out.set(reason);
        signed_in.set(None);
    });
    view! {
        {move || match signed_in.get() {
            Some(agent) => view! { <Console agent=agent selected=selected hash=hash.into() on_sign_out=sign_out /> }.into_any(),
            None => view! {
                <SignInScreen token=token site=site error=error.into() signed_out=signed_out.into()
                    on_sign_in=Callback::new(move |()| sign_in()) api_base=api_base on_open_studio=open_studio />
            }.into_any(),
        }}
    }
}

/// The signed-in console.
#[component]
fn Console(
    agent: SignedIn,
    /// The open conversation (a `#conversation=…` link sets it too).
    selected: RwSignal<Option<String>>,
    /// The address's `#…` (without a token): `#reports&…` shows the reports instead of the inbox.
    hash: Signal<String>,
    /// Signs out, with the reason when the worker ended the session.
    on_sign_out: Callback<Option<String>>,
) -> impl IntoView {
    let items: RwSignal<Vec<InboxItem>> = RwSignal::new(Vec::new());
    let presence: RwSignal<Vec<AgentPresence>> = RwSignal::new(Vec::new());
    let connected = RwSignal::new(false);
    // Why the inbox socket stopped for good, when it did for another reason than the account's end.
    let ended = RwSignal::new(None::<String>);
    let status = RwSignal::new(PresenceStatus::Online);
    let sound = RwSignal::new(false);
    let client = agent.client.clone();
    let profile = agent.session.agent.clone();
    let teams = agent.session.teams.clone();

    let on_event = move |event: InboxEvent| match event {
        InboxEvent::Snapshot { items: all, agents } => {
            items.set(all);
            presence.set(agents);
        }
        InboxEvent::Item { item } => {
            let is_new = item.state == ItemState::Waiting
                && items.with_untracked(|known| {
                    !known.iter().any(|k| {
                        k.conversation_id == item.conversation_id && k.state == ItemState::Waiting
                    })
                });
            if is_new && sound.get_untracked() {
                sound::beep();
            }
            items.update(|known| state::upsert(known, *item));
        }
        InboxEvent::Presence { agents } => presence.set(agents),
    };
    let request = RequestTicket {
        inbox: true,
        ..RequestTicket::default()
    };
    let inbox_socket: Rc<Socket<InboxEvent>> = Socket::start(
        client.socket(request, paths::agent_inbox(&client.site_id)),
        Handlers {
            frames: Frames::json(),
            on_event: Box::new(on_event),
            on_state: Box::new(move |up| connected.set(up)),
            on_end: Box::new(move |end: Ended| match end {
                Ended::Revoked(reason) => on_sign_out.run(Some(reason)),
                other => ended.set(Some(other.reason().to_string())),
            }),
        },
    );
    let heartbeat_socket = Rc::clone(&inbox_socket);
    let beat = move || {
        heartbeat_socket.send(&InboxCommand::Presence {
            status: status.get_untracked(),
        });
    };
    let beat = Rc::new(beat);
    let beat_now = Rc::clone(&beat);
    let interval =
        set_interval_with_handle(move || beat(), Duration::from_millis(HEARTBEAT_MS)).ok();
    Effect::new(move |_| {
        status.track();
        beat_now();
    });
    let stop_socket = StoredValue::new_local(Some(Rc::clone(&inbox_socket)));
    on_cleanup(move || {
        if let Some(socket) = stop_socket.try_update_value(Option::take).flatten() {
            socket.stop();
        }
        if let Some(interval) = interval {
            interval.clear();
        }
    });

    // The tab title counts unread messages in conversations the agent has or can take.
    let title_profile = profile.clone();
    Effect::new(move |_| {
        let unread = items.with(|items| state::unread_total(items, &title_profile));
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&if unread > 0 {
                format!("({unread}) Baton console")
            } else {
                "Baton console".into()
            });
        }
    });

    // Shortcuts: j/k next and previous conversation, / the reply box, Esc leaves it.
    let order_profile = profile.clone();
    let order_teams = teams.clone();
    let ordered = move || -> Vec<String> {
        items.with(|items| {
            state::queues(items, &order_profile, &order_teams)
                .into_iter()
                .flat_map(|queue| queue.items.into_iter().map(|item| item.conversation_id))
                .collect()
        })
    };
    let keydown = window_event_listener(leptos::ev::keydown, move |event| {
        let typing = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
            .is_some_and(|element| {
                matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            });
        if typing || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let step: i64 = match event.key().as_str() {
            "j" => 1,
            "k" => -1,
            "/" => {
                event.prevent_default();
                if let Some(input) = web_sys::window()
                    .and_then(|window| window.document())
                    .and_then(|document| {
                        document
                            .query_selector("[data-testid=console-composer]")
                            .ok()
                            .flatten()
                    })
                    .and_then(|element| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok()
                    })
                {
                    let _ = input.focus();
                }
                return;
            }
            _ => return,
        };
        let order = ordered();
        if order.is_empty() {
            return;
        }
        let current = selected
            .get_untracked()
            .and_then(|id| order.iter().position(|known| *known == id));
        let next = match current {
            None => 0,
            Some(position) => (position as i64 + step).clamp(0, order.len() as i64 - 1) as usize,
        };
        selected.set(Some(order[next].clone()));
    });
    on_cleanup(move || keydown.remove());

    let name = profile.name.clone();
    let site_name = agent.session.site_name.clone();
    let show_team = RwSignal::new(false);
    let team_agent = agent.clone();
    let reports = Memo::new(move |_| dashboard::is_reports(&hash.get()));
    let in_studio = Memo::new(move |_| studio::is_studio(&hash.get()));
    let inbox = move || !reports.get() && !in_studio.get();
    let reports_agent = agent.clone();
    let studio_agent = agent.clone();
    let admin = profile.role == AgentRole::Admin;
    // Set by the studio while its last edits are not saved: leaving the page asks first.
    let unsaved = RwSignal::new(false);
    let guard = move |event: leptos::ev::MouseEvent| {
        if unsaved.get_untracked() {
            let leave = web_sys::window()
                .and_then(|window| {
                    window
                        .confirm_with_message(
                            "Your last changes in the studio are still being saved. Leave anyway?",
                        )
                        .ok()
                })
                .unwrap_or(true);
            if !leave {
                event.prevent_default();
            }
        }
    };
    view! {
        <div class="console">
            <header class="bar">
                <strong>{site_name}</strong>
                <nav class="pages" aria-label="Console">
                    <a href="#inbox" data-testid="console-nav-inbox" on:click=guard aria-current=move || inbox().then_some("page")>"Inbox"</a>
                    <a href="#reports" data-testid="console-nav-reports" on:click=guard aria-current=move || reports.get().then_some("page")>"Reports"</a>
                    {admin.then(|| view! {
                        <a href="#studio" data-testid="console-nav-studio" aria-current=move || in_studio.get().then_some("page")>"Studio"</a>
                    })}
                </nav>
                <span class="who" data-testid="console-agent">{name}</span>
                <select data-testid="console-status" aria-label="Your status"
                    on:change=move |event| status.set(match event_target_value(&event).as_str() {
                        "away" => PresenceStatus::Away,
                        _ => PresenceStatus::Online,
                    })>
                    <option value="online">"Online"</option>
                    <option value="away">"Away"</option>
                </select>
                <span class="connection" data-testid="console-connection" data-connected=move || connected.get().to_string()>
                    {move || match (connected.get(), ended.get()) {
                        (true, _) => "live",
                        (false, Some(_)) => "stopped",
                        (false, None) => "reconnecting…",
                    }}
                </span>
                <label class="sound"><input type="checkbox" on:change=move |event| sound.set(event_target_checked(&event)) />" Sound"</label>
                <button type="button" on:click=move |_| show_team.update(|shown| *shown = !*shown)>"Team & notifications"</button>
                <button type="button" data-testid="console-sign-out" on:click=move |event| {
                    guard(event.clone());
                    if !event.default_prevented() { on_sign_out.run(None) }
                }>"Sign out"</button>
            </header>
            <Show when=move || ended.get().is_some()>
                <p class="error" role="alert" data-testid="console-ended">{move || ended.get()}</p>
            </Show>
            <p class="shortcuts">"Shortcuts: j / k next and previous conversation · / reply box · Enter sends · Shift+Enter new line · Esc leaves the box"</p>
            <Show when=move || show_team.get()>
                <TeamPanel agent=team_agent.clone() presence=presence />
            </Show>
            {move || if reports.get() {
                view! { <Dashboard agent=reports_agent.clone() hash=hash /> }.into_any()
            } else if in_studio.get() {
                view! { <StudioPage agent=studio_agent.clone() hash=hash unsaved=unsaved /> }.into_any()
            } else {
                let agent = agent.clone();
                view! {
                    <div class="columns">
                        <InboxList items=items profile=profile.clone() teams=teams.clone() selected=selected />
                        {move || selected.get().map(|id| view! {
                            <ConversationView agent=agent.clone() conversation_id=id items=items
                                on_revoked=Callback::new(move |reason| on_sign_out.run(Some(reason))) />
                        })}
                    </div>
                }.into_any()
            }}
        </div>
    }
}
