//! The `Baton(…)` command API as the widget sees it: the loader forwards every call (queued ones first) to
//! [`run`]; the app registers its open state and announces events through [`emit`].

use std::cell::RefCell;

use baton_shared::protocol::Message;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Events a host page can listen to with `Baton('on', event, callback)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Open,
    Close,
    /// Every message the visitor did not write; the callback gets the message object.
    Message,
}

impl Event {
    fn parse(name: &str) -> Option<Event> {
        match name {
            "open" => Some(Event::Open),
            "close" => Some(Event::Close),
            "message" => Some(Event::Message),
            _ => None,
        }
    }
}

#[derive(Default)]
struct Registry {
    open: Option<RwSignal<bool>>,
    listeners: Vec<(Event, js_sys::Function)>,
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
}

/// Called once by the app: the signal that `open`, `close` and `toggle` drive.
pub fn register(open: RwSignal<bool>) {
    REGISTRY.with_borrow_mut(|registry| registry.open = Some(open));
}

/// Runs one command; the error says what was wrong with the call.
pub fn run(name: &str, arg: JsValue, callback: JsValue) -> Result<(), String> {
    match name {
        "open" | "close" | "toggle" => {
            let open = REGISTRY
                .with_borrow(|registry| registry.open)
                .ok_or("Baton is not mounted yet")?;
            match name {
                "open" => open.set(true),
                "close" => open.set(false),
                _ => open.update(|open| *open = !*open),
            }
            Ok(())
        }
        "on" => {
            let event_name = arg.as_string().unwrap_or_default();
            let event = Event::parse(&event_name).ok_or_else(|| {
                format!("Baton('on', …): unknown event \"{event_name}\"; expected open, close or message")
            })?;
            let callback = callback.dyn_into::<js_sys::Function>().map_err(|_| {
                format!("Baton('on', '{event_name}', callback): callback must be a function")
            })?;
            REGISTRY.with_borrow_mut(|registry| registry.listeners.push((event, callback)));
            Ok(())
        }
        other => Err(format!(
            "unknown Baton command \"{other}\"; expected open, close, toggle or on"
        )),
    }
}

/// Tells every listener of `event`. A throwing listener is reported on the console and does not stop the others.
pub fn emit(event: Event, payload: &JsValue) {
    let callbacks: Vec<js_sys::Function> = REGISTRY.with_borrow(|registry| {
        registry
            .listeners
            .iter()
            .filter(|(listened, _)| *listened == event)
            .map(|(_, callback)| callback.clone())
            .collect()
    });
    for callback in callbacks {
        if let Err(error) = callback.call1(&JsValue::NULL, payload) {
            web_sys::console::error_2(&JsValue::from_str("Baton listener failed:"), &error);
        }
    }
}

/// Announces a message to `message` listeners as a plain object shaped like the protocol's `Message`.
pub fn emit_message(message: &Message) {
    let payload = serde_json::to_string(message)
        .ok()
        .and_then(|json| js_sys::JSON::parse(&json).ok())
        .unwrap_or(JsValue::NULL);
    emit(Event::Message, &payload);
}
