//! The visitor's live socket, open while the conversation is with people: agents' replies, typing and read receipts
//! arrive here; the visitor's typing and reads go out. It is `baton_web::Socket` (a fresh ticket before every
//! connect, resuming after the last message shown, growing delays), stopped when the widget shuts down; when the
//! worker ends it for good (the conversation was erased) the visitor is told why.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use baton_shared::protocol::live::{LiveCommand, LiveEvent, TYPING_THROTTLE_MS};
use baton_shared::protocol::paths;
use baton_web::{Ended, Frames, Handlers, Refusal, Socket, SocketPlan};
use leptos::prelude::*;

use crate::api::Session;
use crate::conversation::Conversation;
use crate::state::ChatState;
use crate::watched::Stored;

/// How long an agent's typing shows without a new keystroke.
const TYPING_SHOWN: Duration = Duration::from_secs(4);

#[derive(Clone, Copy)]
pub struct Live {
    socket: Stored<Option<Rc<Socket<LiveEvent>>>>,
    typing_sent_ms: Stored<u64>,
}

impl Live {
    /// Opens the socket once the conversation has reached people (and closes it on shutdown), and sends read
    /// receipts for what the visitor has on screen. Made once a page (`chat::LiveSlot`), so its values are kept for
    /// the page's life, in the widget's own cells (`watched::Stored`) rather than Leptos's.
    pub fn keep(conversation: Conversation) -> Live {
        let live = Live {
            socket: Stored::new(None),
            typing_sent_ms: Stored::new(0),
        };
        let chat = conversation.chat;
        Effect::new(move |_| {
            let wanted = chat.with(ChatState::wants_live) && !conversation.shut_down.get();
            let Some(current) = conversation.session.get() else {
                return;
            };
            let running = live.socket.with_value(Option::is_some);
            if wanted && !running {
                live.socket.set_value(Some(connect(conversation, current)));
            } else if !wanted && running {
                live.stop();
            }
        });
        on_cleanup(move || {
            if let Some(socket) = live.socket.get_value() {
                socket.stop();
            }
        });
        // What the visitor has on screen counts as read.
        let read_sent = Stored::new(0u64);
        Effect::new(move |_| {
            let seq = chat.with(ChatState::last_agent_seq);
            if conversation.open.get()
                && seq > read_sent.get_value()
                && live.socket.with_value(Option::is_some)
            {
                read_sent.set_value(seq);
                live.send(LiveCommand::Read { seq });
            }
        });
        live
    }

    /// The visitor typed: agents are told, at most once per [`TYPING_THROTTLE_MS`].
    pub fn typing(self) {
        let now = js_sys::Date::now() as u64;
        if self.socket.with_value(Option::is_some)
            && now - self.typing_sent_ms.get_value() >= TYPING_THROTTLE_MS
        {
            self.typing_sent_ms.set_value(now);
            self.send(LiveCommand::Typing);
        }
    }

    /// Sends a command when connected; typing and reads are not worth queueing.
    fn send(self, command: LiveCommand) {
        if let Some(socket) = self.socket.get_value() {
            socket.send(&command);
        }
    }

    fn stop(self) {
        self.socket.update_value(|socket| {
            if let Some(socket) = socket.take() {
                socket.stop();
            }
        });
    }
}

fn connect(conversation: Conversation, current: Session) -> Rc<Socket<LiveEvent>> {
    let chat = conversation.chat;
    let api = conversation.api();
    let path = paths::live(api.site_id(), &current.conversation_id);
    let plan = SocketPlan::new(api.base().clone(), path, move || {
        let api = api.clone();
        let current = current.clone();
        async move { api.socket_ticket(&current).await.map_err(Refusal::from) }
    })
    .resuming(move || chat.with_untracked(ChatState::last_seq));
    // A plain cell, not a `StoredValue`: this runs inside the effect that opens the socket, and anything reactive
    // made here would be disposed when that effect next runs, while the socket (and this handler) lives on.
    let typing_generation = Rc::new(Cell::new(0u32));
    let on_event = move |event: LiveEvent| match event {
        LiveEvent::Messages { messages } => conversation.merge(messages),
        LiveEvent::Typing { .. } => {
            chat.update(|chat| chat.agent_typing = true);
            let generation = typing_generation.get() + 1;
            typing_generation.set(generation);
            let current = Rc::clone(&typing_generation);
            set_timeout(
                move || {
                    if current.get() == generation {
                        chat.update(|chat| chat.agent_typing = false);
                    }
                },
                TYPING_SHOWN,
            );
        }
        LiveEvent::Read { seq, .. } => {
            chat.update(|chat| chat.read_by_agent = chat.read_by_agent.max(seq))
        }
        LiveEvent::Closed { .. } | LiveEvent::Refused { .. } => {}
    };
    // The conversation was erased (or its socket refused for good): say so; the socket does not come back.
    let on_end = move |ended: Ended| {
        let reason = ended.reason();
        if !reason.is_empty() {
            chat.update(|chat| chat.notice = Some(reason.to_string()));
        }
    };
    Socket::start(
        plan,
        Handlers {
            frames: Frames::wire(),
            on_event: Box::new(on_event),
            on_state: Box::new(|_| {}),
            on_end: Box::new(on_end),
        },
    )
}
