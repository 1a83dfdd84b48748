//! Baton's agent console, served at `/console/`: sign in with an agent token, the live inbox (queues by team,
//! presence), a conversation with live replies, typing and read indicators, the visitor's context, canned replies,
//! claim, transfer and close with an outcome; unread count in the tab title, an optional sound, keyboard
//! shortcuts; admins create agents here too; and the reports (`#reports`), with every figure's conversations; admins configure the site in the studio
//! (`#studio`).
//! `index.html` imports this module and calls [`mount`].

mod address;
mod api;
mod app;
mod conversation;
mod create_site;
mod dashboard;
mod inbox;
mod sound;
mod state;
mod studio;
mod team;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// Renders the console into `container`, talking to the worker at `api_base` (the page's own origin).
#[wasm_bindgen]
pub fn mount(container: HtmlElement, api_base: String) {
    let handle = leptos::mount::mount_to(container, move || app::App(app::AppProps { api_base }));
    handle.forget();
}
