//! Signing in, and the signed-in console: the inbox socket (snapshot, changes, presence heartbeats), the tab
//! title's unread count, the new-chat sound, keyboard shortcuts, and the layout (inbox, conversation, team).

use std::rc::Rc;
use std::time::Duration;

use baton_shared::protocol::agent::{
    AgentPresence, AgentSession, HEARTBEAT_MS, InboxCommand, InboxEvent, InboxItem, ItemState,
    PresenceStatus,
};
use baton_shared::protocol::paths;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::AgentClient;
use crate::conversation::ConversationView;
use crate::inbox::InboxList;
use crate::socket::Socket;
use crate::state;
use crate::team::TeamPanel;

/// The signed-in agent: their client and session.
#[derive(Clone)]
pub struct SignedIn {
    pub client: AgentClient,
    pub session: AgentSession,
}

const STORAGE_KEY: &str = "baton-console";

#[component]
pub fn App(api_base: String) -> impl IntoView {
    let signed_in: RwSignal<Option<SignedIn>> = RwSignal::new(None);
    let error = RwSignal::new(None::<String>);
    let site = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    // `#site=demo&token=…` (what `cargo xtask dev` prints) or the last sign-in on this browser.
    let hash = location_hash();
    let from_hash = |name: &str| {
        hash.split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_string))
    };
    let saved: Option<(String, String)> = local_storage()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok());
    if let (Some(s), Some(t)) = (from_hash("site"), from_hash("token")) {
        site.set(s);
        token.set(t);
    } else if let Some((s, t)) = saved {
        site.set(s);
        token.set(t);
    }
    let api_base = StoredValue::new(api_base);
    let sign_in = move || {
        let client = AgentClient {
            base: api_base.get_value(),
            site_id: site.get_untracked().trim().to_string(),
            token: token.get_untracked().trim().to_string(),
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
                    signed_in.set(Some(SignedIn { client, session }));
                }
                Err(message) => error.set(Some(format!("Sign-in refused: {message}"))),
            }
        });
    };
    if !site.get_untracked().is_empty() && !token.get_untracked().is_empty() {
        sign_in();
    }
    let sign_out = Callback::new(move |()| {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        token.set(String::new());
        signed_in.set(None);
    });
    view! {
        {move || match signed_in.get() {
            Some(agent) => view! { <Console agent=agent on_sign_out=sign_out /> }.into_any(),
            None => view! {
                <main class="signin">
                    <h1>"Baton agent console"</h1>
                    <form on:submit=move |event| { event.prevent_default(); sign_in(); }>
                        <label>"Site" <input data-testid="console-site" required prop:value=move || site.get()
                            on:input=move |event| site.set(event_target_value(&event)) /></label>
                        <label>"Agent token" <input data-testid="console-token" type="password" required
                            autocomplete="off" prop:value=move || token.get()
                            on:input=move |event| token.set(event_target_value(&event)) /></label>
                        <button type="submit" data-testid="console-sign-in">"Sign in"</button>
                    </form>
                    <Show when=move || error.get().is_some()>
                        <p class="error" role="alert" data-testid="console-error">{move || error.get()}</p>
                    </Show>
                    <p class="hint">"An admin creates your account and gives you a token once. Running locally, "
                        <code>"cargo xtask dev"</code>" prints a sign-in link."</p>
                </main>
            }.into_any(),
        }}
    }
}

/// The signed-in console.
#[component]
fn Console(agent: SignedIn, on_sign_out: Callback<()>) -> impl IntoView {
    let items: RwSignal<Vec<InboxItem>> = RwSignal::new(Vec::new());
    let presence: RwSignal<Vec<AgentPresence>> = RwSignal::new(Vec::new());
    let connected = RwSignal::new(false);
    let status = RwSignal::new(PresenceStatus::Online);
    let sound = RwSignal::new(false);
    let selected: RwSignal<Option<String>> = RwSignal::new(
        location_hash()
            .split('&')
            .find_map(|pair| pair.strip_prefix("conversation=").map(str::to_string)),
    );
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
                beep();
            }
            items.update(|known| state::upsert(known, item));
        }
        InboxEvent::Presence { agents } => presence.set(agents),
    };
    let url_client = client.clone();
    let inbox_socket: Rc<Socket<InboxEvent>> = Socket::start(
        move || url_client.socket_url(&paths::agent_inbox(&url_client.site_id)),
        on_event,
        move |up| connected.set(up),
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
    window_event_listener(leptos::ev::keydown, move |event| {
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

    let name = profile.name.clone();
    let site_name = agent.session.site_name.clone();
    let show_team = RwSignal::new(false);
    let team_agent = agent.clone();
    view! {
        <div class="console">
            <header class="bar">
                <strong>{site_name}</strong>
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
                    {move || if connected.get() { "live" } else { "reconnecting…" }}
                </span>
                <label class="sound"><input type="checkbox" on:change=move |event| sound.set(event_target_checked(&event)) />" Sound"</label>
                <button type="button" on:click=move |_| show_team.update(|shown| *shown = !*shown)>"Team & notifications"</button>
                <button type="button" data-testid="console-sign-out" on:click=move |_| on_sign_out.run(())>"Sign out"</button>
            </header>
            <p class="shortcuts">"Shortcuts: j / k next and previous conversation · / reply box · Enter sends · Shift+Enter new line · Esc leaves the box"</p>
            <Show when=move || show_team.get()>
                <TeamPanel agent=team_agent.clone() presence=presence />
            </Show>
            <div class="columns">
                <InboxList items=items profile=profile.clone() teams=teams.clone() selected=selected />
                {move || selected.get().map(|id| view! {
                    <ConversationView agent=agent.clone() conversation_id=id items=items />
                })}
            </div>
        </div>
    }
}

pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A short tone for a new conversation in the queue (when the agent turned sound on).
fn beep() {
    let Ok(context) = web_sys::AudioContext::new() else {
        return;
    };
    let (Ok(oscillator), Ok(gain)) = (context.create_oscillator(), context.create_gain()) else {
        return;
    };
    oscillator.frequency().set_value(880.0);
    gain.gain().set_value(0.1);
    let _ = oscillator.connect_with_audio_node(&gain);
    let _ = gain.connect_with_audio_node(&context.destination());
    let _ = oscillator.start();
    let _ = oscillator.stop_with_when(context.current_time() + 0.15);
}
