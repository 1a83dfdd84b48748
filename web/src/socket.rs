//! A WebSocket that keeps itself connected: the widget's live socket and the console's inbox and conversation
//! sockets. Events arrive as JSON text or, asked for with `?encoding=wire` (the widget's), as binary frames in the
//! wire encoding ([`Frames`]); commands go out as JSON text. Before every (re)connect it asks for a fresh single-use ticket (a token never goes in a
//! URL) and, for a conversation, resumes after the last message shown (`since`), so nothing is missed and the
//! client's merge by sequence number shows nothing twice. Between attempts it waits as [`Backoff`] says. It stops for
//! good, and says why, when the worker closes it with a final code or refuses its ticket ([`socket_ended`],
//! [`ticket_refused`]).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use baton_shared::protocol::ticket::{ENCODING_PARAM, SocketTicket, WIRE_ENCODING};
use baton_shared::protocol::wire;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use crate::address::ApiBase;
use crate::backoff::Backoff;
use crate::ended::{Ended, Refusal, socket_ended, ticket_refused};

/// A request for a socket ticket, on its way.
type TicketFuture = Pin<Box<dyn Future<Output = Result<SocketTicket, Refusal>>>>;

/// Where a socket connects, and how it gets in.
pub struct SocketPlan {
    api: ApiBase,
    path: String,
    ticket: Box<dyn Fn() -> TicketFuture>,
    since: Option<Box<dyn Fn() -> u64>>,
}

impl SocketPlan {
    /// The socket route `path` on `api`, opened with a ticket from `ticket()` (asked again before every connect).
    pub fn new<F>(api: ApiBase, path: String, ticket: impl Fn() -> F + 'static) -> SocketPlan
    where
        F: Future<Output = Result<SocketTicket, Refusal>> + 'static,
    {
        SocketPlan {
            api,
            path,
            ticket: Box::new(move || Box::pin(ticket()) as TicketFuture),
            since: None,
        }
    }

    /// A conversation's socket: every connect resumes after `since()`, the last message already shown.
    pub fn resuming(self, since: impl Fn() -> u64 + 'static) -> SocketPlan {
        SocketPlan {
            since: Some(Box::new(since)),
            ..self
        }
    }
}

/// How a socket's events arrive, and how each is read: only the decoder a client asks for is in its download.
pub struct Frames<E> {
    /// Asked for in the wire encoding, as binary frames.
    wire: bool,
    decode: fn(JsValue) -> Option<E>,
}

impl<E: DeserializeOwned> Frames<E> {
    /// JSON text frames (the console's sockets).
    pub fn json() -> Frames<E> {
        Frames {
            wire: false,
            decode: |data| crate::json::from_str(&data.as_string()?).ok(),
        }
    }

    /// Binary frames in the wire encoding (the widget's socket: no JSON decoder in its download).
    pub fn wire() -> Frames<E> {
        Frames {
            wire: true,
            decode: |data| {
                let buffer = data.dyn_into::<js_sys::ArrayBuffer>().ok()?;
                wire::from_bytes(&js_sys::Uint8Array::new(&buffer).to_vec()).ok()
            },
        }
    }
}

/// What a socket tells its owner.
pub struct Handlers<E> {
    /// How its events arrive.
    pub frames: Frames<E>,
    /// Each frame, decoded (frames that do not decode are skipped).
    pub on_event: Box<dyn Fn(E)>,
    /// Every change between connected and not.
    pub on_state: Box<dyn Fn(bool)>,
    /// Once, when the socket stops for good on the worker's word.
    pub on_end: Box<dyn Fn(Ended)>,
}

/// A socket that keeps itself connected until [`Socket::stop`] or the worker ends it.
pub struct Socket<E> {
    plan: SocketPlan,
    socket: RefCell<Option<WebSocket>>,
    handlers: Handlers<E>,
    backoff: RefCell<Backoff>,
    stopped: Cell<bool>,
}

impl<E: 'static> Socket<E> {
    pub fn start(plan: SocketPlan, handlers: Handlers<E>) -> Rc<Socket<E>> {
        let socket = Rc::new(Socket {
            plan,
            socket: RefCell::new(None),
            handlers,
            backoff: RefCell::new(Backoff::default()),
            stopped: Cell::new(false),
        });
        Socket::connect(&socket);
        socket
    }

    fn connect(this: &Rc<Socket<E>>) {
        if this.stopped.get() {
            return;
        }
        let ticket = (this.plan.ticket)();
        let this = Rc::clone(this);
        spawn_local(async move {
            let ticket = ticket.await;
            if this.stopped.get() {
                return;
            }
            match ticket {
                Ok(ticket) => {
                    let since = this.plan.since.as_ref().map(|since| since());
                    let mut url = this
                        .plan
                        .api
                        .socket_url(&this.plan.path, &ticket.ticket, since);
                    if this.handlers.frames.wire {
                        url.push_str(&format!("&{ENCODING_PARAM}={WIRE_ENCODING}"));
                    }
                    Socket::open(&this, &url);
                }
                Err(refusal) => match ticket_refused(refusal.status, &refusal.message) {
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
        if this.handlers.frames.wire {
            ws.set_binary_type(BinaryType::Arraybuffer);
        }
        let weak = Rc::downgrade(this);
        // `FnMut()`, like Leptos's timers, so the widget carries no second kind of JavaScript closure for it.
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if let Some(this) = weak.upgrade() {
                this.backoff.borrow_mut().reset();
                (this.handlers.on_state)(true);
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        let weak = Rc::downgrade(this);
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(this) = weak.upgrade() else { return };
            if let Some(event) = (this.handlers.frames.decode)(event.data()) {
                (this.handlers.on_event)(event);
            }
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let weak = Rc::downgrade(this);
        let on_close = Closure::<dyn Fn(CloseEvent)>::new(move |event: CloseEvent| {
            let Some(this) = weak.upgrade() else { return };
            (this.handlers.on_state)(false);
            match socket_ended(event.code(), &event.reason()) {
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
        let delay_ms = this.backoff.borrow_mut().next_delay_ms();
        let this = Rc::clone(this);
        after(delay_ms, Box::new(move || Socket::connect(&this)));
    }

    fn end(this: &Rc<Socket<E>>, ended: Ended) {
        this.stop();
        (this.handlers.on_end)(ended);
    }

    /// Sends a command; `false` when the socket is not open (the caller keeps what it could not send, or drops
    /// what is not worth queueing, like typing).
    pub fn send<C: Serialize>(&self, command: &C) -> bool {
        let socket = self.socket.borrow();
        match (socket.as_ref(), crate::json::to_string(command)) {
            (Some(ws), Some(text)) if ws.ready_state() == WebSocket::OPEN => {
                ws.send_with_str(&text).is_ok()
            }
            _ => false,
        }
    }

    /// Closes the socket and never reconnects.
    pub fn stop(&self) {
        self.stopped.set(true);
        if let Some(ws) = self.socket.borrow_mut().take() {
            ws.set_onclose(None);
            let _ = ws.close();
        }
    }
}

/// Runs `callback` once after `delay_ms`. Made like Leptos's `set_timeout` (an `FnMut()` closure that runs the
/// callback once, freed by the JavaScript GC), so the widget carries one kind of timer closure, not two.
fn after(delay_ms: u64, callback: Box<dyn FnOnce()>) {
    let mut callback = Some(callback);
    let timer = Closure::<dyn FnMut()>::new(move || {
        if let Some(callback) = callback.take() {
            callback();
        }
    })
    .into_js_value();
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            timer.unchecked_ref(),
            i32::try_from(delay_ms).unwrap_or(i32::MAX),
        );
    }
}
