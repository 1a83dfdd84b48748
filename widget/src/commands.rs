//! The `Baton(…)` command API as the widget sees it: the loader forwards every call (queued ones first) to
//! [`run`], which checks it and hands it to the app as a [`Command`]; the app registers what performs them and
//! announces events through [`emit`].
//!
//! Commands: `open` (optionally `{message, team}`: the message put in the composer, the conversation it starts
//! handed to that team), `close`, `toggle`; `identify` with `{name,
//! email, user_id, token, attributes}`; `track` with an event name (campaigns' `event` triggers and goals); `show`
//! with a campaign id and `{force}`; `on` with an event and a callback; `shutdown` (forget the visitor's
//! conversation on this browser and remove the widget, e.g. at logout).

use std::cell::RefCell;
use std::fmt::Write;
use std::rc::Rc;

use baton_shared::protocol::{HandoffNotice, Identify, Message};
use wasm_bindgen::{JsCast, JsValue};

/// Events a host page can listen to with `Baton('on', event, callback)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The widget is mounted and accepts every command.
    Ready,
    Open,
    Close,
    /// Every message the visitor did not write; the callback gets the message object.
    Message,
    /// The conversation goes to a person: `{reason, team, asks_for, queued, next_opening_ms}`.
    Handoff,
    /// The visitor rated the conversation: `{rating}` (rating arrives with the agent console's close).
    Csat,
    /// A campaign was shown, clicked, dismissed, sent its lead form or reached its goal: `{id, variant, what}`.
    Campaign,
}

const EVENTS: &str = "ready, open, close, message, handoff, csat or campaign";

impl Event {
    fn parse(name: &str) -> Option<Event> {
        match name {
            "ready" => Some(Event::Ready),
            "open" => Some(Event::Open),
            "close" => Some(Event::Close),
            "message" => Some(Event::Message),
            "handoff" => Some(Event::Handoff),
            "csat" => Some(Event::Csat),
            "campaign" => Some(Event::Campaign),
            _ => None,
        }
    }
}

/// A checked `Baton(…)` call, for the app to perform.
#[derive(Debug)]
pub enum Command {
    /// `Baton('open', {message, team})`: the conversation it starts goes to `team`; `message` is put in the composer.
    Open {
        team: Option<String>,
        message: Option<String>,
    },
    Close,
    Toggle,
    Identify(Identify),
    /// `Baton('track', name, {value})`: the event's name and its value, when the page gave a number.
    Track(String, Option<f64>),
    /// `Baton('show', id, {force})`.
    Show(String, bool),
    Shutdown,
}

/// What performs the commands (the app's).
pub type Perform = Rc<dyn Fn(Command)>;

#[derive(Default)]
struct Registry {
    perform: Option<Perform>,
    listeners: Vec<(Event, js_sys::Function)>,
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
}

/// Called once by the app, then `ready` is announced.
pub fn register(perform: Perform) {
    REGISTRY.with_borrow_mut(|registry| registry.perform = Some(perform));
}

/// Hands `command` to the app; an error when the widget is not mounted.
fn perform(command: Command) -> Result<(), String> {
    let perform = REGISTRY
        .with_borrow(|registry| registry.perform.clone())
        .ok_or_else(|| "Baton is not mounted (or was shut down)".to_string())?;
    perform(command);
    Ok(())
}

/// Runs one command; the error says what was wrong with the call.
pub fn run(name: &str, arg: JsValue, callback: JsValue) -> Result<(), String> {
    match name {
        "open" => {
            let text = |name: &str| {
                js_sys::Reflect::get(&arg, &name.into())
                    .ok()
                    .and_then(|value| value.as_string())
            };
            perform(Command::Open {
                team: text("team"),
                message: text("message"),
            })?;
        }
        "close" => perform(Command::Close)?,
        "toggle" => perform(Command::Toggle)?,
        "identify" => {
            const CALL: &str = "Baton('identify', {name, email, user_id, token, attributes})";
            let identify = read_identify(&arg).map_err(|problem| format!("{CALL}: {problem}"))?;
            // The problems one after the other, written in place (`join` would add its own code to the download).
            let mut problems = String::new();
            for problem in identify.validate() {
                let separator = if problems.is_empty() { "" } else { "; " };
                let _ = write!(problems, "{separator}{problem}");
            }
            if !problems.is_empty() {
                return Err(format!("Baton('identify', …): {problems}"));
            }
            perform(Command::Identify(identify))?;
        }
        "track" => {
            let event = arg
                .as_string()
                .filter(|event| !event.trim().is_empty())
                .ok_or("Baton('track', event, props): event must be a non-empty string")?;
            let value = js_sys::Reflect::get(&callback, &"value".into())
                .ok()
                .and_then(|value| value.as_f64());
            perform(Command::Track(event, value))?;
        }
        "show" => {
            let id = arg
                .as_string()
                .filter(|id| !id.trim().is_empty())
                .ok_or("Baton('show', id, {force}): id must be a campaign's id")?;
            let force = js_sys::Reflect::get(&callback, &"force".into())
                .is_ok_and(|force| force.is_truthy());
            perform(Command::Show(id, force))?;
        }
        "on" => {
            let event_name = arg.as_string().unwrap_or_default();
            let event = Event::parse(&event_name).ok_or_else(|| {
                format!("Baton('on', …): unknown event \"{event_name}\"; expected {EVENTS}")
            })?;
            let callback = callback.dyn_into::<js_sys::Function>().map_err(|_| {
                format!("Baton('on', '{event_name}', callback): callback must be a function")
            })?;
            REGISTRY.with_borrow_mut(|registry| registry.listeners.push((event, callback)));
        }
        "shutdown" => {
            let shut_down = perform(Command::Shutdown);
            REGISTRY.with_borrow_mut(|registry| *registry = Registry::default());
            shut_down?;
        }
        other => {
            return Err(format!(
                "unknown Baton command \"{other}\"; expected open, close, toggle, identify, track, show, on or shutdown"
            ));
        }
    }
    Ok(())
}

/// `identify`'s object as an [`Identify`], or what is wrong with its shape: it is not an object, a field is there
/// but not text (`email`, `attributes.plan`), `attributes` is not an object, or a field is not one of `identify`'s.
/// Read from the object itself, so the page-load module carries no JSON decoder; `null` or `undefined` counts as
/// absent, as it would in JSON.
fn read_identify(arg: &JsValue) -> Result<Identify, String> {
    const FIELDS: &str = "name, email, user_id, token, attributes";
    let object = |value: &JsValue| value.is_object() && !js_sys::Array::is_array(value);
    if !object(arg) {
        return Err("pass an object".into());
    }
    let entries = |value: &JsValue| {
        js_sys::Object::entries(value.unchecked_ref())
            .iter()
            .map(|entry| {
                let entry: js_sys::Array = entry.unchecked_into();
                (entry.get(0).as_string().unwrap_or_default(), entry.get(1))
            })
            .filter(|(_, value)| !value.is_undefined() && !value.is_null())
            .collect::<Vec<_>>()
    };
    let mut identify = Identify::default();
    for (name, value) in entries(arg) {
        if name == "attributes" {
            if !object(&value) {
                return Err("attributes must be an object of texts".into());
            }
            for (attribute, value) in entries(&value) {
                let text = value
                    .as_string()
                    .ok_or_else(|| format!("attributes.{attribute} must be text"))?;
                identify.attributes.insert(attribute, text);
            }
            continue;
        }
        let slot = match name.as_str() {
            "name" => &mut identify.name,
            "email" => &mut identify.email,
            "user_id" => &mut identify.user_id,
            "token" => &mut identify.token,
            _ => {
                return Err(format!("unknown field \"{name}\"; expected {FIELDS}"));
            }
        };
        *slot = Some(
            value
                .as_string()
                .ok_or_else(|| format!("{name} must be text"))?,
        );
    }
    Ok(identify)
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

/// Announces a message to `message` listeners (and its handoff to `handoff` listeners) as plain objects shaped
/// like the protocol's types.
pub fn emit_message(message: &Message) {
    emit(Event::Message, &to_js(message));
    if let Some(notice) = &message.handoff {
        emit_handoff(notice);
    }
}

fn emit_handoff(notice: &HandoffNotice) {
    emit(Event::Handoff, &to_js(notice));
}

fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    baton_web::json::to_js(value).unwrap_or(JsValue::NULL)
}
