//! The visitor's live socket, opened once the conversation has gone to people: agents' replies, typing and read
//! receipts arrive here; the visitor's typing and reads go out. Every (re)connect first asks for a single-use
//! ticket with the visitor's token (a token never goes in a URL). When it drops, it reconnects with growing delays
//! and `since` = the last message shown, so nothing is missed and nothing is shown twice (the chat state merges
//! by sequence number). It stops for good when the conversation was erased or its ticket is refused.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use baton_shared::protocol::live::{LiveCommand, LiveEvent};
use baton_shared::protocol::ticket::CLOSE_ERASED;
use leptos::prelude::set_timeout;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::api::{ApiClient, ApiFailure, Session};

/// Delays before reconnecting, growing up to the last.
const RECONNECT_MS: [u64; 5] = [500, 1_000, 2_000, 5_000, 10_000];

/// A socket that keeps itself connected until [`LiveLink::stop`].
pub struct LiveLink {
    api: ApiClient,
    session: Session,
    socket: RefCell<Option<WebSocket>>,
    on_event: Box<dyn Fn(LiveEvent)>,
    last_seq: Box<dyn Fn() -> u64>,
    /// Called once when the link stops for good, with the reason to show.
    on_end: Box<dyn Fn(String)>,
    failures: Cell<usize>,
    stopped: Cell<bool>,
}

impl LiveLink {
    pub fn start(
        api: ApiClient,
        session: Session,
        on_event: impl Fn(LiveEvent) + 'static,
        last_seq: impl Fn() -> u64 + 'static,
        on_end: impl Fn(String) + 'static,
    ) -> Rc<LiveLink> {
        let link = Rc::new(LiveLink {
            api,
            session,
            socket: RefCell::new(None),
            on_event: Box::new(on_event),
            last_seq: Box::new(last_seq),
            on_end: Box::new(on_end),
            failures: Cell::new(0),
            stopped: Cell::new(false),
        });
        LiveLink::connect(&link);
        link
    }

    fn connect(link: &Rc<LiveLink>) {
        if link.stopped.get() {
            return;
        }
        let link = Rc::clone(link);
        spawn_local(async move {
            let ticket = link.api.socket_ticket(&link.session).await;
            if link.stopped.get() {
                return;
            }
            match ticket {
                Ok(ticket) => {
                    let url = link
                        .api
                        .live_url(&link.session, &ticket.ticket, (link.last_seq)());
                    LiveLink::open(&link, &url);
                }
                // A refusal (the conversation is gone, the token no longer works) stays one; a busy or failing
                // service may answer next time.
                Err(failure @ ApiFailure::Refused { status, .. })
                    if status < 500 && status != 429 =>
                {
                    LiveLink::end(&link, failure.to_string());
                }
                Err(_) => LiveLink::retry(&link),
            }
        });
    }

    fn open(link: &Rc<LiveLink>, url: &str) {
        let Ok(socket) = WebSocket::new(url) else {
            LiveLink::retry(link);
            return;
        };
        let weak = Rc::downgrade(link);
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(link) = weak.upgrade() else { return };
            link.failures.set(0);
            if let Some(text) = event.data().as_string()
                && let Ok(event) = serde_json::from_str::<LiveEvent>(&text)
            {
                (link.on_event)(event);
            }
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let weak = Rc::downgrade(link);
        let on_close = Closure::<dyn Fn(CloseEvent)>::new(move |event: CloseEvent| {
            let Some(link) = weak.upgrade() else { return };
            if event.code() == CLOSE_ERASED {
                LiveLink::end(&link, event.reason());
            } else {
                LiveLink::retry(&link);
            }
        });
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        on_close.forget();
        *link.socket.borrow_mut() = Some(socket);
    }

    fn retry(link: &Rc<LiveLink>) {
        if link.stopped.get() {
            return;
        }
        let attempt = link.failures.get();
        link.failures.set(attempt + 1);
        let delay = RECONNECT_MS[attempt.min(RECONNECT_MS.len() - 1)];
        let link = Rc::clone(link);
        set_timeout(
            move || LiveLink::connect(&link),
            Duration::from_millis(delay),
        );
    }

    fn end(link: &Rc<LiveLink>, reason: String) {
        link.stop();
        (link.on_end)(reason);
    }

    /// Sends a command when connected; typing and reads are not worth queueing.
    pub fn send(&self, command: &LiveCommand) {
        if let (Some(socket), Ok(text)) = (
            self.socket.borrow().as_ref(),
            serde_json::to_string(command),
        ) && socket.ready_state() == WebSocket::OPEN
        {
            let _ = socket.send_with_str(&text);
        }
    }

    pub fn stop(&self) {
        self.stopped.set(true);
        if let Some(socket) = self.socket.borrow_mut().take() {
            socket.set_onclose(None);
            let _ = socket.close();
        }
    }
}
