//! The top-level component: owns the open state, the site's configuration, the conversation session and the chat
//! state, and wires the launcher, the panel and the `Baton(…)` commands to the API client.

use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use baton_shared::config::{FormStyle, Position};
use baton_shared::protocol::agent::Rate;
use baton_shared::protocol::live::{LiveCommand, LiveEvent, TYPING_THROTTLE_MS};
use baton_shared::protocol::{
    Author, FieldValue, Identify, Message, PostMessage, SubmitForm, WidgetConfig, WidgetSite,
    value_problem,
};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::api::{ApiClient, Session};
use crate::commands::{self, Event, Hooks};
use crate::components::launcher::Launcher;
use crate::components::panel::{FormRequest, Panel};
use crate::components::quick_replies::QuickReply;
use crate::i18n::Strings;
use crate::instant::InstantAnswers;
use crate::live::LiveLink;
use crate::session;
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
    let site: RwSignal<Option<WidgetSite>> = RwSignal::new(None);
    let shut_down = RwSignal::new(false);
    // Whether the site's configuration was fetched (or could not be): then the conversation may start.
    let site_settled = RwSignal::new(false);
    let instant = load_site(&api, site, site_settled);
    let api = StoredValue::new(api);
    let launcher = NodeRef::<html::Button>::new();
    let strings = Memo::new(move |_| {
        site.with(|site| match site {
            Some(site) => Strings::for_locale(&site.locale),
            None => Strings::for_browser(),
        })
    });
    // Identify calls made before the conversation exists are applied once it does.
    let identify_later: StoredValue<Option<Identify>> = StoredValue::new(None);

    let merge = move |messages: Vec<Message>| {
        let added = chat
            .try_update(|chat| chat.merge(messages))
            .unwrap_or_default();
        let for_visitor = added.iter().filter(|message| is_for_visitor(message));
        let mut count = 0;
        for message in for_visitor {
            count += 1;
            commands::emit_message(message);
        }
        if count > 0 && !open.get_untracked() {
            chat.update(|chat| chat.unread += count);
        }
    };

    let send_identify = move |identify: Identify| {
        let Some(current) = session.get_untracked() else {
            identify_later.set_value(Some(identify));
            return;
        };
        spawn_local(async move {
            if let Err(failure) = api.get_value().identify(&current, &identify).await {
                web_sys::console::warn_1(&JsValue::from_str(&format!("Baton identify: {failure}")));
            }
        });
    };

    // The first time the panel opens, the visitor's conversation on this site is resumed (its history fetched),
    // or a new one starts with the site's greeting.
    let starting = StoredValue::new(false);
    let start_conversation = move || {
        if session.get_untracked().is_some() || starting.get_value() {
            return;
        }
        starting.set_value(true);
        chat.update(|chat| chat.notice = None);
        spawn_local(async move {
            let turnstile = site.with_untracked(|site| {
                site.as_ref()
                    .and_then(|site| site.turnstile.as_ref())
                    .map(|turnstile| turnstile.site_key.clone())
            });
            match session::start(&api.get_value(), turnstile).await {
                Ok((current, messages)) => {
                    session.set(Some(current));
                    merge(messages);
                    if let Some(identify) = identify_later.get_value() {
                        identify_later.set_value(None);
                        send_identify(identify);
                    }
                }
                Err(failure) => chat.update(|chat| chat.notice = Some(failure.to_string())),
            }
            starting.set_value(false);
        });
    };

    // Listeners hear every change from the state they last heard about (closed at first), including an open
    // replayed from the loader's queue before this effect first ran.
    let announced_open = StoredValue::new(false);
    Effect::new(move |_| {
        let is_open = open.get();
        // Once the site's configuration is known (it says whether a bot check comes first), or could not be fetched
        // (then starting says what is wrong).
        let site_known = site.with(Option::is_some) || site_settled.get();
        if is_open {
            if site_known {
                start_conversation();
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

    // Visitor messages go to the worker one at a time, in the order they were written. When one fails, those
    // behind it fail with it (so a retry sends them again in order).
    let outbox: StoredValue<VecDeque<PostMessage>> = StoredValue::new(VecDeque::new());
    let delivering = StoredValue::new(false);
    let deliver = move |current: Session, body: PostMessage| {
        outbox.update_value(|outbox| outbox.push_back(body));
        if delivering.get_value() {
            return;
        }
        delivering.set_value(true);
        spawn_local(async move {
            while let Some(body) = outbox.try_update_value(VecDeque::pop_front).flatten() {
                match api.get_value().post_message(&current, &body).await {
                    Ok(appended) => merge(appended.messages),
                    Err(failure) => {
                        let reason = failure.to_string();
                        let behind: Vec<PostMessage> = outbox
                            .try_update_value(|outbox| outbox.drain(..).collect())
                            .unwrap_or_default();
                        chat.update(|chat| {
                            for failed in std::iter::once(&body).chain(&behind) {
                                chat.mark_failed(&failed.client_message_id, reason.clone());
                            }
                        });
                    }
                }
            }
            delivering.set_value(false);
        });
    };

    let send_message = move |text: String, chose_person: bool| {
        let Some(current) = session.get_untracked() else {
            return;
        };
        // A confident FAQ answer is shown now; the worker only records it.
        let reply = (!chose_person)
            .then(|| {
                instant.with_value(|instant| {
                    let instant = instant.as_ref()?;
                    chat.with_untracked(|chat| instant.answer(&chat.messages, &text))
                })
            })
            .flatten();
        let body = PostMessage {
            client_message_id: new_client_message_id(),
            text,
            instant_answer: reply.as_ref().map(|reply| reply.source.clone()),
            chose_person,
        };
        chat.update(|chat| {
            chat.add_pending(body.clone(), reply.as_ref().map(|reply| reply.text.clone()))
        });
        if let Some(reply) = &reply {
            // Listeners hear it now, as the visitor sees it; not stored yet, it has no sequence number (0). The stored
            // copy is not announced again (`ChatState::merge`).
            commands::emit_message(&Message {
                seq: 0,
                author: Author::Ai,
                author_name: None,
                text: reply.text.clone(),
                sent_at_ms: js_sys::Date::now() as u64,
                client_message_id: None,
                answer: Some(reply.source.clone()),
                handoff: None,
                event: None,
            });
        }
        if is_offline() {
            let offline = strings.get_untracked().offline.to_string();
            chat.update(|chat| chat.mark_failed(&body.client_message_id, offline));
            return;
        }
        deliver(current, body);
    };

    let retry = Callback::new(move |()| {
        let Some(current) = session.get_untracked() else {
            return;
        };
        for body in chat.try_update(ChatState::retry_failed).unwrap_or_default() {
            deliver(current.clone(), body);
        }
    });
    // Back online: what failed is sent again, with the same client message ids, so nothing is stored twice.
    window_event_listener_untyped("online", move |_| retry.run(()));

    let submit_form = Callback::new(move |form: SubmitForm| {
        let Some(current) = session.get_untracked() else {
            return;
        };
        let given: Vec<String> = form.fields.iter().map(|field| field.id.clone()).collect();
        spawn_local(async move {
            match api.get_value().submit_form(&current, &form).await {
                Ok(appended) => {
                    chat.update(|chat| {
                        chat.given_fields.extend(given);
                        chat.notice = None;
                    });
                    merge(appended.messages);
                }
                Err(failure) => chat.update(|chat| chat.notice = Some(failure.to_string())),
            }
        });
    });

    // The fields to collect now: before the chat when the site asks for it, or those a handoff waits for.
    let fields_wanted = Memo::new(move |_| {
        let site = site.get()?;
        let form = site.pre_chat.clone();
        let asked = chat.with(ChatState::fields_asked);
        if !asked.is_empty() {
            return Some((form, asked, true));
        }
        let before_chat = form.before_chat
            && chat.with(|chat| {
                chat.given_fields.is_empty()
                    && !chat.messages.iter().any(|m| m.author == Author::Visitor)
            })
            && chat.with(|chat| chat.pending.is_empty());
        before_chat.then(|| {
            let show = form.fields.iter().map(|field| field.id.clone()).collect();
            (form, show, false)
        })
    });
    // A consent box needs the form: the conversational variant never ticks it for the visitor.
    let conversational = move || {
        site.with(|site| {
            site.as_ref().is_some_and(|site| {
                site.pre_chat.style == FormStyle::Conversational && site.pre_chat.consent.is_none()
            })
        })
    };
    let form_request = Signal::derive(move || {
        let (form, show, asked) = fields_wanted.get()?;
        if asked && conversational() {
            return None;
        }
        let required = if asked {
            show.clone()
        } else {
            form.fields
                .iter()
                .filter(|field| field.required)
                .map(|field| field.id.clone())
                .collect()
        };
        Some(FormRequest {
            form,
            show,
            required,
        })
    });
    // The conversational form asks for one field at a time in the chat.
    let asking_field = Signal::derive(move || {
        let (form, show, asked) = fields_wanted.get()?;
        (asked && conversational()).then(|| {
            let id = show.first()?;
            form.fields.iter().find(|field| &field.id == id).cloned()
        })?
    });
    let asking = Signal::derive(move || {
        asking_field
            .get()
            .map(|field| format!("{} {}", strings.get().ask_field, field.label.to_lowercase()))
    });

    let on_send = Callback::new(move |text: String| match asking_field.get_untracked() {
        Some(field) => match value_problem(field.kind, &text) {
            Some(problem) => {
                let problem = strings.get_untracked().field_problem(problem);
                chat.update(|chat| chat.notice = Some(format!("{}: {problem}", field.label)));
            }
            None => submit_form.run(SubmitForm {
                fields: vec![FieldValue {
                    id: field.id.clone(),
                    value: text.trim().to_string(),
                }],
                consent: false,
            }),
        },
        None => send_message(text, false),
    });
    let on_quick_reply = Callback::new(move |reply: QuickReply| match reply {
        QuickReply::Ask(question) => send_message(question, false),
        QuickReply::TalkToPerson => {
            send_message(strings.get_untracked().talk_to_person.to_string(), true)
        }
    });

    // Once the conversation reaches people, a live socket brings agents' replies, typing and read receipts.
    let link: StoredValue<Option<Rc<LiveLink>>, LocalStorage> = StoredValue::new_local(None);
    let typing_sent_ms = StoredValue::new(0u64);
    let typing_generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let wanted = chat.with(ChatState::wants_live) && !shut_down.get();
        let Some(current) = session.get() else {
            return;
        };
        let running = link.with_value(Option::is_some);
        if wanted && !running {
            let on_event = move |event: LiveEvent| match event {
                LiveEvent::Messages { messages } => merge(messages),
                LiveEvent::Typing { .. } => {
                    chat.update(|chat| chat.agent_typing = true);
                    typing_generation.update_value(|generation| *generation += 1);
                    let generation = typing_generation.get_value();
                    set_timeout(
                        move || {
                            if typing_generation.try_get_value() == Some(generation) {
                                chat.try_update(|chat| chat.agent_typing = false);
                            }
                        },
                        Duration::from_secs(4),
                    );
                }
                LiveEvent::Read { seq, .. } => {
                    chat.update(|chat| chat.read_by_agent = chat.read_by_agent.max(seq))
                }
                LiveEvent::Closed { .. } | LiveEvent::Refused { .. } => {}
            };
            let last_seq = move || chat.try_with_untracked(ChatState::last_seq).unwrap_or(0);
            // The conversation was erased (or its socket refused for good): say so; the link does not come back.
            let on_end = move |reason: String| {
                if !reason.is_empty() {
                    chat.update(|chat| chat.notice = Some(reason));
                }
            };
            link.set_value(Some(LiveLink::start(
                api.get_value(),
                current,
                on_event,
                last_seq,
                on_end,
            )));
        } else if !wanted && running {
            link.update_value(|link| {
                if let Some(link) = link.take() {
                    link.stop();
                }
            });
        }
    });
    on_cleanup(move || {
        if let Some(link) = link.try_get_value().flatten() {
            link.stop();
        }
    });
    let send_live = move |command: LiveCommand| {
        if let Some(link) = link.get_value() {
            link.send(&command);
        }
    };
    let on_typing = Callback::new(move |()| {
        let now = js_sys::Date::now() as u64;
        if link.with_value(Option::is_some)
            && now - typing_sent_ms.get_value() >= TYPING_THROTTLE_MS
        {
            typing_sent_ms.set_value(now);
            send_live(LiveCommand::Typing);
        }
    });
    // What the visitor has on screen counts as read.
    let read_sent = StoredValue::new(0u64);
    Effect::new(move |_| {
        let seq = chat.with(ChatState::last_agent_seq);
        if open.get() && seq > read_sent.get_value() && link.with_value(Option::is_some) {
            read_sent.set_value(seq);
            send_live(LiveCommand::Read { seq });
        }
    });
    let on_rate = Callback::new(move |rating: u8| {
        let Some(current) = session.get_untracked() else {
            return;
        };
        chat.update(|chat| chat.rating = Some(rating));
        spawn_local(async move {
            match api.get_value().rate(&current, &Rate { rating }).await {
                Ok(_) => {
                    let detail = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&detail, &"rating".into(), &JsValue::from(rating));
                    commands::emit(Event::Csat, &detail);
                }
                Err(failure) => chat.update(|chat| {
                    chat.rating = None;
                    chat.notice = Some(failure.to_string());
                }),
            }
        });
    });

    commands::register(Hooks {
        open,
        identify: Callback::new(send_identify),
        shutdown: Callback::new(move |()| {
            SiteStorage::for_site(api.with_value(|api| api.site_id().to_string()).as_str())
                .remove(Entry::Session);
            open.set(false);
            shut_down.set(true);
        }),
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
                    <Panel
                        chat=chat
                        site=site
                        strings=strings
                        ready=Signal::derive(move || session.with(Option::is_some))
                        form=form_request
                        asking=asking
                        on_send=on_send
                        on_quick_reply=on_quick_reply
                        on_submit_form=submit_form
                        on_retry=retry
                        on_close=Callback::new(move |()| open.set(false))
                        on_typing=on_typing
                        on_rate=on_rate
                    />
                </Show>
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

/// The site's configuration and instant answers: from the localStorage copy at once when there is one, then from
/// the worker if it has a newer version. Until either arrives (or if both fail) every message goes to the worker,
/// which answers the same.
fn load_site(
    api: &ApiClient,
    site: RwSignal<Option<WidgetSite>>,
    settled: RwSignal<bool>,
) -> StoredValue<Option<InstantAnswers>, LocalStorage> {
    let storage = SiteStorage::for_site(api.site_id());
    let cached: Option<WidgetConfig> = storage
        .read(Entry::WidgetConfig)
        .and_then(|json| serde_json::from_str(&json).ok());
    let instant = StoredValue::new_local(
        cached
            .as_ref()
            .and_then(|config| InstantAnswers::from_config(config).ok()),
    );
    let version = cached.as_ref().map(|config| config.version.clone());
    site.set(cached.map(|config| config.site));
    let api = api.clone();
    spawn_local(async move {
        // Unchanged (304) or unreachable: keep what we have.
        if let Ok(Some((fresh, json))) = api.widget_config(version.as_deref()).await {
            if let Ok(answers) = InstantAnswers::from_config(&fresh) {
                instant.set_value(Some(answers));
            }
            site.set(Some(fresh.site));
            // Kept as received: re-serialising would only add code to the download.
            storage.write(Entry::WidgetConfig, &json);
        }
        settled.set(true);
    });
    instant
}

fn is_offline() -> bool {
    web_sys::window().is_some_and(|window| !window.navigator().on_line())
}

/// A fresh id for a visitor message, so a retry is recognised by the worker.
fn new_client_message_id() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("m{}", js_sys::Date::now()))
}
