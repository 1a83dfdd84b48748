//! Baton's chat widget. `public/loader.js` creates a host element with an open Shadow DOM, imports this module
//! lazily, and calls [`mount`] with a container inside the shadow root; afterwards every `Baton(…)` call on the host
//! page reaches [`command`]. Nothing else is exported.

mod actions;
mod api;
mod app;
mod arrival;
mod campaigns;
mod chat;
mod commands;
mod components;
mod conversation;
mod fetch;
mod form;
mod frame;
mod i18n;
mod instant;
mod launcher;
mod legacy;
mod live;
mod outbox;
mod remembered;
mod session;
mod state;
mod storage;
mod tasks;
mod turnstile;
mod visit;
mod watched;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::api::ApiClient;

/// Renders the widget into `container` for site `site_id`, talking to the worker at `api_base`.
#[wasm_bindgen]
pub fn mount(container: HtmlElement, site_id: String, api_base: String) {
    app::start(&container, ApiClient::new(api_base, site_id));
}

/// One `Baton(name, arg, callback)` call from the host page: `Baton('open')`, `Baton('on', 'message', cb)`, ….
#[wasm_bindgen]
pub fn command(name: String, arg: JsValue, callback: JsValue) -> Result<(), JsValue> {
    commands::run(&name, arg, callback).map_err(|message| JsValue::from_str(&message))
}
