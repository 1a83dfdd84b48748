//! A WebSocket that keeps itself connected: the inbox's and each open conversation's. Frames are JSON. Before every
//! (re)connect it asks for the address again, which fetches a fresh single-use ticket and, for a conversation,
//! resumes from the last message shown (`since`). It stops for good, and says why, when the worker closes it with a
//! final code or refuses its ticket (see [`state::socket_ended`] and [`state::ticket_refused`]).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::set_timeout;
use leptos::task::spawn_local;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::api::Refusal;
use crate::state::{self, Ended};

const RECONNECT_MS: [u64; 5] = [300, 1_000, 2_000, 5_000, 10_000];

type Address = Pin<Box<dyn Future<Output = Result<String, Refusal>>>>;

/// What a socket tells its owner.
pub struct Handlers<E> {
    /// Each frame, decoded.
    pub on_event: Box<dyn Fn(E)>,
    /// Every change between connected and not.
    pub on_state: Box<dyn Fn(bool)>,
    /// Once, when the socket stops for good on the worker's word.
    pub on_end: Box<dyn Fn(Ended)>,
}

pub struct Socket<E> {
    address: Box<dyn Fn() -> Address>,
    socket: RefCell<Option<WebSocket>>,
    handlers: Handlers<E>,
    failures: Cell<usize>,
    stopped: Cell<bool>,
}

impl<E: DeserializeOwned + 'static> Socket<E> {
    /// Connects to the address `address()` resolves to (asked again before every reconnect).
    pub fn start<F>(address: impl Fn() -> F + 'static, handlers: Handlers<E>) -> Rc<Socket<E>>
    where
        F: Future<Output = Result<String, Refusal>> + 'static,
    {
        let socket = Rc::new(Socket {
            address: Box::new(move || Box::pin(address()) as Address),
            socket: RefCell::new(None),
            handlers,
            failures: Cell::new(0),
            stopped: Cell::new(false),
        });
        Socket::connect(&socket);
        socket
    }

    fn connect(this: &Rc<Socket<E>>) {
        if this.stopped.get() {
            return;
        }
        let address = (this.address)();
        let this = Rc::clone(this);
        spawn_local(async move {
            let address = address.await;
            if this.stopped.get() {
                return;
            }
            match address {
                Ok(url) => Socket::open(&this, &url),
                Err(refusal) => match state::ticket_refused(refusal.status, &refusal.message) {
                    Some(ended) => Socket::end(&this, ended),
                    None => Socket::retry(&this),
                },
            }
        });
    }

    fn open(this: &Rc<Socket<E>>, url: &str) {
        let Ok(ws) = WebSocket::new(url) else {
            Socket::retry(this);
            return;
        };
        let weak = Rc::downgrade(this);
        let on_open = Closure::<dyn Fn()>::new(move || {
            if let Some(this) = weak.upgrade() {
                this.failures.set(0);
                (this.handlers.on_state)(true);
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        let weak = Rc::downgrade(this);
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(this) = weak.upgrade() else { return };
            if let Some(text) = event.data().as_string()
                && let Ok(event) = serde_json::from_str::<E>(&text)
            {
                (this.handlers.on_event)(event);
            }
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let weak = Rc::downgrade(this);
        let on_close = Closure::<dyn Fn(CloseEvent)>::new(move |event: CloseEvent| {
            let Some(this) = weak.upgrade() else { return };
            (this.handlers.on_state)(false);
            match state::socket_ended(event.code(), &event.reason()) {
                Some(ended) => Socket::end(&this, ended),
                None => Socket::retry(&this),
            }
        });
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        on_close.forget();
        *this.socket.borrow_mut() = Some(ws);
    }

    fn retry(this: &Rc<Socket<E>>) {
        if this.stopped.get() {
            return;
        }
        let attempt = this.failures.get();
        this.failures.set(attempt + 1);
        let delay = RECONNECT_MS[attempt.min(RECONNECT_MS.len() - 1)];
        let this = Rc::clone(this);
        set_timeout(move || Socket::connect(&this), Duration::from_millis(delay));
    }

    fn end(this: &Rc<Socket<E>>, ended: Ended) {
        this.stop();
        (this.handlers.on_end)(ended);
    }

    /// Sends a command; `false` when the socket is not open (the caller keeps what it could not send).
    pub fn send<C: Serialize>(&self, command: &C) -> bool {
        let socket = self.socket.borrow();
        match (socket.as_ref(), serde_json::to_string(command)) {
            (Some(ws), Ok(text)) if ws.ready_state() == WebSocket::OPEN => {
                ws.send_with_str(&text).is_ok()
            }
            _ => false,
        }
    }

    pub fn stop(&self) {
        self.stopped.set(true);
        if let Some(ws) = self.socket.borrow_mut().take() {
            ws.set_onclose(None);
            let _ = ws.close();
        }
    }
}
