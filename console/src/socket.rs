//! A WebSocket that keeps itself connected: the inbox's and each open conversation's. Frames are JSON; on every
//! (re)connect the URL is rebuilt, so a conversation socket resumes from the last message shown (`since`).

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::set_timeout;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{MessageEvent, WebSocket};

const RECONNECT_MS: [u64; 5] = [300, 1_000, 2_000, 5_000, 10_000];

pub struct Socket<E> {
    url: Box<dyn Fn() -> String>,
    socket: RefCell<Option<WebSocket>>,
    on_event: Box<dyn Fn(E)>,
    on_state: Box<dyn Fn(bool)>,
    failures: Cell<usize>,
    stopped: Cell<bool>,
    _events: PhantomData<E>,
}

impl<E: DeserializeOwned + 'static> Socket<E> {
    /// Connects to `url()` and calls `on_event` per frame and `on_state(connected)` on every change.
    pub fn start(
        url: impl Fn() -> String + 'static,
        on_event: impl Fn(E) + 'static,
        on_state: impl Fn(bool) + 'static,
    ) -> Rc<Socket<E>> {
        let socket = Rc::new(Socket {
            url: Box::new(url),
            socket: RefCell::new(None),
            on_event: Box::new(on_event),
            on_state: Box::new(on_state),
            failures: Cell::new(0),
            stopped: Cell::new(false),
            _events: PhantomData,
        });
        Socket::connect(&socket);
        socket
    }

    fn connect(this: &Rc<Socket<E>>) {
        if this.stopped.get() {
            return;
        }
        let Ok(ws) = WebSocket::new(&(this.url)()) else {
            Socket::retry(this);
            return;
        };
        let weak = Rc::downgrade(this);
        let on_open = Closure::<dyn Fn()>::new(move || {
            if let Some(this) = weak.upgrade() {
                this.failures.set(0);
                (this.on_state)(true);
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
                (this.on_event)(event);
            }
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let weak = Rc::downgrade(this);
        let on_close = Closure::<dyn Fn()>::new(move || {
            if let Some(this) = weak.upgrade() {
                (this.on_state)(false);
                Socket::retry(&this);
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
