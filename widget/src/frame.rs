//! The widget's frame, where the chat's views are mounted (`chat.rs`), and how those views find the elements they
//! focus or scroll: by selector, rather than through Leptos node references (each element type of those is code
//! of its own in the chat's download).

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

thread_local! {
    static FRAME: RefCell<Option<Element>> = const { RefCell::new(None) };
}

/// Keeps the frame the chat's views were mounted in.
pub fn keep(frame: Element) {
    FRAME.set(Some(frame));
}

/// The chat's element that `selector` picks (the first), if it is on screen.
pub fn part(selector: &str) -> Option<HtmlElement> {
    FRAME.with_borrow(|frame| {
        frame
            .as_ref()?
            .query_selector(selector)
            .ok()??
            .dyn_into()
            .ok()
    })
}

/// Moves the focus to the chat's element that `selector` picks, if it is on screen.
pub fn focus(selector: &str) {
    if let Some(element) = part(selector) {
        let _ = element.focus();
    }
}
