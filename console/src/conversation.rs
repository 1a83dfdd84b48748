//! One conversation: its messages live over the conversation's socket (resuming from the last one shown), the
//! visitor's typing and what they have read, the reply box with canned replies, the actions (claim, transfer,
//! close with an outcome), and the context panel with everything the handoff package says (and whether the site
//! verified who the visitor is). When the worker ends the socket for good (access lost, conversation erased, the
//! agent's account ended) the view says why and offers no more actions.

use std::rc::Rc;
use std::time::Duration;

use baton_shared::handoff::HandoffPackage;
use baton_shared::protocol::agent::{
    AgentConversation, AgentRole, CloseConversation, InboxItem, ItemState, TransferConversation,
};
use baton_shared::protocol::live::{CloseOutcome, LiveCommand, LiveEvent, TYPING_THROTTLE_MS};
use baton_shared::protocol::ticket::RequestTicket;
use baton_shared::protocol::{AgentLiveEvent, Author, Message, paths};
use baton_web::{Ended, Frames, Handlers, Socket};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::SignedIn;
use crate::state;

mod context;
mod message;
mod sync;

use context::Context;
use message::MessageItem;
use sync::{Frame, fresher};

#[component]
pub fn ConversationView(
    agent: SignedIn,
    conversation_id: String,
    items: RwSignal<Vec<InboxItem>>,
    /// The worker ended the agent's session (account disabled or deleted): sign out with this reason.
    on_revoked: Callback<String>,
) -> impl IntoView {
    let messages: RwSignal<Vec<Message>> = RwSignal::new(Vec::new());
    let package: RwSignal<Option<HandoffPackage>> = RwSignal::new(None);
    let error = RwSignal::new(None::<String>);
    // Why this conversation is no longer open to the agent (access lost, or erased): no actions then.
    let lost = RwSignal::new(None::<(&'static str, String)>);
    let visitor_typing = RwSignal::new(false);
    let visitor_read = RwSignal::new(0u64);
    let pending: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let draft = RwSignal::new(String::new());
    let client = StoredValue::new(agent.client.clone());
    let me = agent.session.agent.clone();
    let id = StoredValue::new(conversation_id.clone());

    let item = {
        let conversation_id = conversation_id.clone();
        Memo::new(move |_| {
            items.with(|items| {
                items
                    .iter()
                    .find(|item| item.conversation_id == conversation_id)
                    .cloned()
            })
        })
    };
    let apply = move |conversation: AgentConversation| {
        baton_web::messages::merge(&mut messages.write(), conversation.messages);
        package.update(|package| *package = fresher(package.take(), conversation.package));
        items.update(|items| state::upsert(items, conversation.item));
    };
    let fetch = move || {
        spawn_local(async move {
            match client.get_value().conversation(&id.get_value()).await {
                Ok(conversation) => apply(conversation),
                Err(message) => error.set(Some(message)),
            }
        });
    };
    fetch();

    let socket_slot: StoredValue<Option<Rc<Socket<Frame>>>, LocalStorage> =
        StoredValue::new_local(None);
    let typing_generation = StoredValue::new(0u32);
    // A fresh ticket before every (re)connect, resuming after the last message shown.
    let request = RequestTicket {
        conversation_id: Some(conversation_id.clone()),
        ..RequestTicket::default()
    };
    let plan = agent
        .client
        .socket(
            request,
            paths::agent_conversation(&agent.client.site_id, &conversation_id, Some("live")),
        )
        .resuming(move || {
            messages
                .try_with_untracked(|messages| baton_web::messages::last_seq(messages))
                .unwrap_or(0)
        });
    let send_read = move || {
        let seq = messages.with_untracked(|messages| baton_web::messages::last_seq(messages));
        if let Some(socket) = socket_slot.get_value() {
            socket.send(&LiveCommand::Read { seq });
        }
    };
    let on_live = move |event: LiveEvent| match event {
        LiveEvent::Messages { messages: incoming } => {
            let confirmed: Vec<String> = incoming
                .iter()
                .filter_map(|m| m.client_message_id.clone())
                .collect();
            pending
                .update(|pending| pending.retain(|(client_id, _)| !confirmed.contains(client_id)));
            if incoming.iter().any(|m| m.author == Author::Visitor) {
                visitor_typing.set(false);
            }
            baton_web::messages::merge(&mut messages.write(), incoming);
            send_read();
        }
        LiveEvent::Typing {
            author: Author::Visitor,
            ..
        } => {
            visitor_typing.set(true);
            typing_generation.update_value(|generation| *generation += 1);
            let generation = typing_generation.get_value();
            set_timeout(
                move || {
                    if typing_generation.try_get_value() == Some(generation) {
                        visitor_typing.try_set(false);
                    }
                },
                Duration::from_secs(4),
            );
        }
        LiveEvent::Read {
            author: Author::Visitor,
            seq,
        } => visitor_read.update(|read| *read = (*read).max(seq)),
        LiveEvent::Refused { message } => error.set(Some(message)),
        LiveEvent::Typing { .. } | LiveEvent::Read { .. } | LiveEvent::Closed { .. } => {}
    };
    let on_event = move |frame: Frame| match frame {
        Frame::Live(event) => on_live(event),
        Frame::Agent(event) => match *event {
            AgentLiveEvent::PackageChanged { package: changed } => package.set(Some(changed)),
        },
    };
    // Replies written while the socket was down go out, in order, when it is back (same client ids: never twice).
    // And what changed while it was not connected, which no frame will repeat (the model's summary arriving
    // between the first fetch and the socket's first connection), is fetched again.
    let on_state = move |up: bool| {
        if up {
            fetch();
        }
        if up && let Some(socket) = socket_slot.get_value() {
            for (client_message_id, text) in pending.get_untracked() {
                socket.send(&LiveCommand::Send {
                    client_message_id,
                    text,
                });
            }
        }
    };
    let on_end = move |end: Ended| match end {
        Ended::Revoked(reason) => on_revoked.run(reason),
        Ended::AccessLost(reason) => lost.set(Some(("access_lost", reason))),
        Ended::Erased(reason) => lost.set(Some(("erased", reason))),
    };
    socket_slot.set_value(Some(Socket::start(
        plan,
        Handlers {
            frames: Frames::json(),
            on_event: Box::new(on_event),
            on_state: Box::new(on_state),
            on_end: Box::new(on_end),
        },
    )));
    on_cleanup(move || {
        if let Some(socket) = socket_slot.try_update_value(Option::take).flatten() {
            socket.stop();
        }
    });

    let typing_sent = StoredValue::new(0u64);
    let on_input = move |text: String| {
        draft.set(text);
        let now = js_sys::Date::now() as u64;
        if now - typing_sent.get_value() >= TYPING_THROTTLE_MS {
            typing_sent.set_value(now);
            if let Some(socket) = socket_slot.get_value() {
                socket.send(&LiveCommand::Typing);
            }
        }
    };
    let send = move || {
        let text = draft.get_untracked().trim().to_string();
        if text.is_empty() {
            return;
        }
        let client_message_id = new_id();
        pending.update(|pending| pending.push((client_message_id.clone(), text.clone())));
        draft.set(String::new());
        if let Some(socket) = socket_slot.get_value() {
            socket.send(&LiveCommand::Send {
                client_message_id,
                text,
            });
        }
    };
    let act = move |action: Action| {
        spawn_local(async move {
            let client = client.get_value();
            let id = id.get_value();
            let result = match action {
                Action::Claim => client.claim(&id).await,
                Action::Close(outcome) => client.close(&id, &CloseConversation { outcome }).await,
                Action::Transfer(team) => {
                    client
                        .transfer(
                            &id,
                            &TransferConversation {
                                team: Some(team),
                                agent_id: None,
                            },
                        )
                        .await
                }
            };
            match result {
                Ok(conversation) => {
                    error.set(None);
                    apply(conversation);
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };

    let open = move || lost.with(Option::is_none);
    let mine = {
        let me = me.clone();
        move || {
            open()
                && item.with(|item| {
                    item.as_ref().is_some_and(|item| match &item.state {
                        ItemState::Assigned { agent_id, .. } => *agent_id == me.id,
                        _ => false,
                    })
                })
        }
    };
    let may_close = {
        let mine = mine.clone();
        let admin = me.role == AgentRole::Admin;
        move || {
            (mine() || (admin && open()))
                && item.with(|item| {
                    item.as_ref()
                        .is_some_and(|item| !matches!(item.state, ItemState::Closed { .. }))
                })
        }
    };
    let waiting = move || {
        open()
            && item.with(|item| {
                item.as_ref()
                    .is_some_and(|item| item.state == ItemState::Waiting)
            })
    };
    let outcome = RwSignal::new(CloseOutcome::Resolved);
    let canned = agent.session.canned_replies.clone();
    let teams = agent.session.teams.clone();
    let visitor_seen_last = move || {
        let last_agent = messages.with(|messages| {
            messages
                .iter()
                .rev()
                .find(|m| m.author == Author::Agent)
                .map(|m| m.seq)
        });
        last_agent.is_some_and(|seq| visitor_read.get() >= seq)
    };
    view! {
        <section class="conversation" data-testid="console-conversation" data-conversation=conversation_id.clone()>
            <div class="thread">
                <div class="actions">
                    <Show when=waiting>
                        <button type="button" data-testid="console-claim" on:click=move |_| act(Action::Claim)>"Take this conversation"</button>
                    </Show>
                    <Show when=may_close.clone()>
                        <select data-testid="console-outcome" aria-label="Outcome"
                            on:change=move |event| outcome.set(match event_target_value(&event).as_str() {
                                "converted" => CloseOutcome::Converted,
                                "no_response" => CloseOutcome::NoResponse,
                                _ => CloseOutcome::Resolved,
                            })>
                            <option value="resolved">"Resolved"</option>
                            <option value="converted">"Converted"</option>
                            <option value="no_response">"No response"</option>
                        </select>
                        <button type="button" data-testid="console-close" on:click=move |_| act(Action::Close(outcome.get_untracked()))>"Close"</button>
                        <select data-testid="console-transfer" aria-label="Transfer to team"
                            on:change=move |event| {
                                let team = event_target_value(&event);
                                if !team.is_empty() {
                                    act(Action::Transfer(team));
                                }
                            }>
                            <option value="">"Transfer to…"</option>
                            {teams.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                        </select>
                    </Show>
                </div>
                {move || lost.get().map(|(kind, reason)| view! {
                    <p class="error" role="alert" data-testid="console-conversation-ended" data-reason=kind>
                        {match kind {
                            "erased" => "This conversation is no longer available: ",
                            _ => "You no longer have access to this conversation: ",
                        }}
                        {reason}
                    </p>
                })}
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="console-conversation-error">{move || error.get()}</p>
                </Show>
                <ol class="messages" aria-live="polite" data-testid="console-messages">
                    <For
                        each=move || messages.get()
                        key=|message| message.seq
                        children=move |message| view! { <MessageItem message=message transcript=messages.read_only() /> }
                    />
                    <For
                        each=move || pending.get()
                        key=|(client_id, _)| client_id.clone()
                        children=|(_, text)| view! {
                            <li class="message agent pending" data-testid="console-message" data-author="agent" data-state="sending">
                                <span class="text">{text}</span><span class="meta">"sending…"</span>
                            </li>
                        }
                    />
                </ol>
                <p class="status-line">
                    <Show when=move || visitor_typing.get()>
                        <span data-testid="console-visitor-typing">"The visitor is typing…"</span>
                    </Show>
                    <Show when=visitor_seen_last>
                        <span data-testid="console-visitor-read">" Seen by the visitor"</span>
                    </Show>
                </p>
                <Show when=mine.clone()>
                    <div class="canned">
                        {canned.iter().map(|reply| {
                            let text = reply.text.clone();
                            view! { <button type="button" class="canned-reply" data-testid="console-canned" on:click=move |_| draft.set(text.clone())>{reply.title.clone()}</button> }
                        }).collect_view()}
                    </div>
                    <form class="composer" on:submit=move |event| { event.prevent_default(); send(); }>
                        <textarea
                            data-testid="console-composer"
                            aria-label="Reply to the visitor"
                            placeholder="Reply… (Enter sends, Shift+Enter new line)"
                            prop:value=move || draft.get()
                            on:input=move |event| on_input(event_target_value(&event))
                            on:keydown=move |event| {
                                if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                                    event.prevent_default();
                                    send();
                                } else if event.key() == "Escape"
                                    && let Some(target) = event
                                        .target()
                                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
                                {
                                    let _ = target.blur();
                                }
                            }
                        ></textarea>
                        <button type="submit" data-testid="console-send">"Send"</button>
                    </form>
                </Show>
            </div>
            <Context package=package item=item />
        </section>
    }
}

enum Action {
    Claim,
    Close(CloseOutcome),
    Transfer(String),
}

fn new_id() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("{}", js_sys::Date::now()))
}
