//! Click-to-chat on arrival: a page opened at `#baton-chat` or with `?baton=open` opens the chat, and so does a
//! later change of the fragment to `#baton-chat` (a link to it on the same page). Clicks on elements with
//! `data-baton-open` are the loader's (`widget/loader.js`), so they work before the widget has loaded.

use wasm_bindgen::prelude::*;

/// Calls `open` now if the page asks for the chat, and whenever its fragment becomes `#baton-chat`.
pub fn follow(open: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let asked = location.hash().is_ok_and(|hash| hash == "#baton-chat")
        || location.search().is_ok_and(|search| {
            crate::visit::query_value(&search, "baton").as_deref() == Some("open")
        });
    if asked {
        open();
    }
    let on_hash = Closure::<dyn Fn()>::new(move || {
        let hash = web_sys::window().and_then(|window| window.location().hash().ok());
        if hash.as_deref() == Some("#baton-chat") {
            open();
        }
    })
    .into_js_value();
    let _ = window.add_event_listener_with_callback("hashchange", on_hash.unchecked_ref());
}
