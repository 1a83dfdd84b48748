//! The top-level component: owns the open state, the conversation session and the chat state, and wires the
//! launcher and the panel to the API client.

use baton_shared::protocol::{Author, CreateConversation, Message, PostMessage, WidgetConfig};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::api::{ApiClient, ApiFailure, Session};
use crate::commands::{self, Event};
use crate::components::launcher::Launcher;
use crate::components::panel::Panel;
use crate::instant::InstantAnswers;
use crate::state::{ChatState, is_for_visitor};
use crate::storage::{Entry, SiteStorage};

/// The whole widget.
#[component]
pub fn App(
    /// The client of the worker's API for this site.
    api: ApiClient,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let chat = RwSignal::new(ChatState::default());
    let session: RwSignal<Option<Session>> = RwSignal::new(None);
    let starting = RwSignal::new(false);
    let instant = load_instant_answers(&api);
    let api = StoredValue::new(api);
    commands::register(open);

    let merge = move |messages| {
        let added = chat
            .try_update(|chat| chat.merge(messages))
            .unwrap_or_default();
        for message in added.iter().filter(|message| is_for_visitor(message)) {
            commands::emit_message(message);
        }
    };

    // The first time the panel opens, the visitor's conversation on this site is resumed (its history fetched),
    // or a new one starts with the site's greeting.
    let start_conversation = move || {
        if session.get_untracked().is_some() || starting.get_untracked() {
            return;
        }
        starting.set(true);
        chat.update(|chat| chat.notice = None);
        let page_url = web_sys::window().and_then(|window| window.location().href().ok());
        spawn_local(async move {
            let client = api.get_value();
            let storage = SiteStorage::for_site(client.site_id());
            let saved: Option<Session> = storage
                .read(Entry::Session)
                .and_then(|json| serde_json::from_str(&json).ok());
            let started = match saved {
                Some(saved) => match client.history(&saved, 0).await {
                    Ok(history) => Ok(Some((saved, history.messages))),
                    // Expired or from another deployment: start afresh.
                    Err(ApiFailure::Refused {
                        status: 401 | 404, ..
                    }) => {
                        storage.remove(Entry::Session);
                        Ok(None)
                    }
                    Err(failure) => Err(failure),
                },
                None => Ok(None),
            };
            let started = match started {
                Ok(Some(resumed)) => Ok(resumed),
                Ok(None) => client
                    .create_conversation(&CreateConversation {
                        page_url,
                        referrer: referrer(),
                        timezone: browser_timezone(),
                    })
                    .await
                    .map(|created| {
                        let session = Session {
                            conversation_id: created.conversation_id,
                            visitor_token: created.visitor_token,
                        };
                        if let Ok(json) = serde_json::to_string(&session) {
                            storage.write(Entry::Session, &json);
                        }
                        (session, created.messages)
                    }),
                Err(failure) => Err(failure),
            };
            match started {
                Ok((current, messages)) => {
                    session.set(Some(current));
                    merge(messages);
                }
                Err(failure) => chat.update(|chat| chat.notice = Some(failure.to_string())),
            }
            starting.set(false);
        });
    };

    // Listeners hear every change from the state they last heard about (closed at first), including an open
    // replayed from the loader's queue before this effect first ran.
    let announced_open = StoredValue::new(false);
    Effect::new(move |_| {
        let is_open = open.get();
        if is_open {
            start_conversation();
        }
        if announced_open.get_value() != is_open {
            announced_open.set_value(is_open);
            let event = if is_open { Event::Open } else { Event::Close };
            commands::emit(event, &JsValue::UNDEFINED);
        }
    });

    let send = Callback::new(move |text: String| {
        let Some(current) = session.get_untracked() else {
            return;
        };
        let client_message_id = new_client_message_id();
        // A confident FAQ answer is shown now; the worker only records it.
        let reply = instant.with_value(|instant| {
            let instant = instant.as_ref()?;
            chat.with_untracked(|chat| instant.answer(&chat.messages, &text))
        });
        chat.update(|chat| {
            chat.add_pending(
                client_message_id.clone(),
                text.clone(),
                reply.as_ref().map(|reply| reply.text.clone()),
            )
        });
        if let Some(reply) = &reply {
            // Listeners hear it now, as the visitor sees it; not stored yet, it has no sequence number (0). The stored
            // copy is not announced again (`ChatState::merge`).
            commands::emit_message(&Message {
                seq: 0,
                author: Author::Ai,
                text: reply.text.clone(),
                sent_at_ms: js_sys::Date::now() as u64,
                client_message_id: None,
                handoff: None,
                answer: Some(reply.source.clone()),
            });
        }
        spawn_local(async move {
            let body = PostMessage {
                client_message_id: client_message_id.clone(),
                text,
                instant_answer: reply.map(|reply| reply.source),
                chose_person: false,
            };
            match api.get_value().post_message(&current, &body).await {
                Ok(appended) => merge(appended.messages),
                Err(failure) => {
                    chat.update(|chat| chat.mark_failed(&client_message_id, failure.to_string()))
                }
            }
        });
    });

    view! {
        <div class="baton" data-testid="baton-root">
            <Show when=move || open.get()>
                <Panel
                    chat=chat
                    ready=Signal::derive(move || session.with(Option::is_some))
                    on_send=send
                    on_close=Callback::new(move |()| open.set(false))
                />
            </Show>
            <Launcher open=open />
        </div>
    }
}

/// The site's instant answers: from the localStorage copy at once when there is one, then from the worker if it has
/// a newer version. Until either arrives (or if both fail) every message goes to the worker, which answers the same.
fn load_instant_answers(api: &ApiClient) -> StoredValue<Option<InstantAnswers>, LocalStorage> {
    let storage = SiteStorage::for_site(api.site_id());
    let cached: Option<WidgetConfig> = storage
        .read(Entry::WidgetConfig)
        .and_then(|json| serde_json::from_str(&json).ok());
    let instant = StoredValue::new_local(
        cached
            .as_ref()
            .and_then(|config| InstantAnswers::from_config(config).ok()),
    );
    let api = api.clone();
    spawn_local(async move {
        let version = cached.as_ref().map(|config| config.version.as_str());
        // Unchanged (304) or unreachable: keep what we have.
        if let Ok(Some((fresh, json))) = api.widget_config(version).await
            && let Ok(answers) = InstantAnswers::from_config(&fresh)
        {
            instant.set_value(Some(answers));
            // Kept as received: re-serialising would only add code to the download.
            storage.write(Entry::WidgetConfig, &json);
        }
    });
    instant
}

/// The page that sent the visitor here, when the browser tells.
fn referrer() -> Option<String> {
    let referrer = web_sys::window()?.document()?.referrer();
    (!referrer.is_empty()).then_some(referrer)
}

/// The visitor's IANA timezone (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
fn browser_timezone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

/// A fresh id for a visitor message, so a retry is recognised by the worker.
fn new_client_message_id() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("m{}", js_sys::Date::now()))
}
