//! One message of the conversation as the agent reads it: who wrote it, when (in the agent's time), and its text.

use baton_shared::protocol::{Author, Message};
use leptos::prelude::*;

#[component]
pub fn MessageItem(message: Message) -> impl IntoView {
    let author = match message.author {
        Author::Visitor => "visitor",
        Author::Ai => "ai",
        Author::Agent => "agent",
        Author::System => "system",
    };
    let label = message
        .author_name
        .clone()
        .unwrap_or_else(|| match message.author {
            Author::Visitor => "Visitor".into(),
            Author::Ai => "Baton".into(),
            Author::Agent => "Agent".into(),
            Author::System => "Notice".into(),
        });
    let time = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(message.sent_at_ms as f64));
    let clock = format!("{:02}:{:02}", time.get_hours(), time.get_minutes());
    view! {
        <li class=format!("message {author}") data-testid="console-message" data-author=author data-seq=message.seq.to_string()>
            <span class="meta">{label}" · "{clock}</span>
            // Text only: nothing a visitor writes becomes markup here.
            <span class="text">{message.text}</span>
        </li>
    }
}
