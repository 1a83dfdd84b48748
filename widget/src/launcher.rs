//! The button in the corner that opens and closes the panel, with the site's launcher text and a badge counting
//! messages that arrived while the panel was closed. It is built with the DOM's own calls, not a Leptos view, like
//! the rest of what every page view downloads (`app.rs`): Leptos is only in the chat's modules.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{Document, HtmlElement, Node};

use crate::conversation::Conversation;
use crate::watched::Watcher;

/// The speech bubble drawn in the button.
const ICON: &str = r#"<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"></path></svg>"#;

/// The launcher for `conversation`: a click toggles the panel; a pointer over it or focus on it calls `on_intent`
/// (the chat is likely next, so its module is fetched now).
pub fn launcher(
    document: &Document,
    conversation: Conversation,
    on_intent: impl Fn() + Clone + 'static,
) -> HtmlElement {
    let Conversation {
        open, chat, site, ..
    } = conversation;
    let button = element(document, "button", "baton-launcher");
    let _ = button.set_attribute("type", "button");
    let _ = button.set_attribute("data-testid", "baton-launcher");
    button.set_inner_html(ICON);
    let text = element(document, "span", "baton-launcher-text");
    let _ = text.set_attribute("aria-hidden", "true");
    let badge = element(document, "span", "baton-badge");
    let _ = badge.set_attribute("data-testid", "baton-unread");
    let _ = badge.set_attribute("aria-hidden", "true");

    let shown = button.clone();
    // Drawn at once (the button is complete when mounted), then again on every change, for the widget's life.
    let draw: Watcher = Rc::new(move || {
        let is_open = open.get();
        let unread = chat.with(|chat| chat.unread);
        let launcher_text = site.with(|site| {
            site.as_ref()
                .map(|site| site.appearance.launcher_text.clone())
        });
        let strings = conversation.strings();
        let action = if is_open {
            strings.close_chat
        } else {
            strings.open_chat
        };
        let label = match unread {
            0 => action.to_string(),
            count => format!("{action} ({count} {})", strings.unread),
        };
        let _ = shown.set_attribute("aria-label", &label);
        let _ = shown.set_attribute("aria-expanded", if is_open { "true" } else { "false" });
        shown.set_class_name(if is_open {
            "baton-launcher baton-launcher--open"
        } else {
            "baton-launcher"
        });
        // The text goes before the badge, as both come after the icon.
        text.set_text_content(launcher_text.as_deref());
        let before: Option<Node> = badge.parent_node().map(|_| badge.clone().into());
        present(
            &shown,
            &text,
            !is_open && launcher_text.is_some(),
            before.as_ref(),
        );
        badge.set_text_content(Some(&unread.to_string()));
        present(&shown, &badge, unread > 0 && !is_open, None);
    });
    open.watch(&draw);
    chat.watch(&draw);
    site.watch(&draw);
    draw();

    listen(&button, "click", move || open.update(|open| *open = !*open));
    listen(&button, "pointerenter", on_intent.clone());
    listen(&button, "focus", on_intent);
    button
}

/// A new element with `class`.
pub fn element(document: &Document, tag: &str, class: &str) -> HtmlElement {
    let element: HtmlElement = document
        .create_element(tag)
        .expect("a valid tag name")
        .unchecked_into();
    element.set_class_name(class);
    element
}

/// Calls `handler` on each of `target`'s `event`, for the page's life.
pub fn listen(target: &HtmlElement, event: &str, handler: impl Fn() + 'static) {
    let handler = Closure::<dyn Fn()>::new(handler).into_js_value();
    let _ = target.add_event_listener_with_callback(event, handler.unchecked_ref());
}

/// Puts `child` in `parent` (before `before`, or last) when `wanted`, and takes it out when not.
fn present(parent: &HtmlElement, child: &HtmlElement, wanted: bool, before: Option<&Node>) {
    let inside = child.parent_node().is_some();
    if wanted && !inside {
        let _ = parent.insert_before(child, before);
    } else if !wanted && inside {
        child.remove();
    }
}
