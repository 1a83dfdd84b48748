//! The page's events campaigns listen to, all passive and attached once the page is idle (the loader imports the
//! widget then): scroll (read at most once per animation frame), exit intent (the pointer leaving through the top
//! edge, desktop only), clicks (one delegated listener testing each click campaign's selector with
//! `Element.closest`), activity, single-page route changes (`history.pushState`/`replaceState` wrapped, and
//! `popstate`), and the page being hidden or left (the queued events go with `sendBeacon`).

use std::cell::Cell;
use std::rc::Rc;

use baton_shared::campaign::Moment;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AddEventListenerOptions, EventTarget, MouseEvent};

use super::Campaigns;

pub fn attach(campaigns: Campaigns) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };

    // Scroll: one read per animation frame, however many scroll events come.
    let frame_pending = Rc::new(Cell::new(false));
    let on_frame = {
        let frame_pending = Rc::clone(&frame_pending);
        Closure::<dyn Fn()>::new(move || {
            frame_pending.set(false);
            campaigns.scrolled();
        })
        .into_js_value()
        .unchecked_into::<js_sys::Function>()
    };
    listen(&window, "scroll", move |_| {
        if !frame_pending.replace(true)
            && let Some(window) = web_sys::window()
        {
            let _ = window.request_animation_frame(&on_frame);
        }
    });

    for activity in ["keydown", "pointermove", "pointerdown"] {
        listen(&document, activity, move |_| campaigns.active());
    }

    listen(&document, "mouseout", move |event| {
        let Ok(mouse) = event.dyn_into::<MouseEvent>() else {
            return;
        };
        if mouse.related_target().is_none() && mouse.client_y() <= 0 && campaigns.desktop() {
            campaigns.check(Moment::ExitIntent);
        }
    });

    listen(&document, "click", move |event| {
        campaigns.active();
        let selectors = campaigns.click_selectors();
        if selectors.is_empty() {
            return;
        }
        let Some(target) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let matched: Vec<String> = selectors
            .into_iter()
            .filter(|(_, selector)| matches!(target.closest(selector), Ok(Some(_))))
            .map(|(id, _)| id)
            .collect();
        if !matched.is_empty() {
            campaigns.check(Moment::Click { matched });
        }
    });

    listen(&window, "popstate", move |_| campaigns.route_changed());
    if let Ok(history) = window.history() {
        for method in ["pushState", "replaceState"] {
            wrap_history(&history, method, campaigns);
        }
    }

    listen(&window, "pagehide", move |_| campaigns.flush(true));
    listen(&document, "visibilitychange", move |_| {
        let hidden = web_sys::window()
            .and_then(|window| window.document())
            .is_some_and(|document| document.hidden());
        if hidden {
            campaigns.flush(true);
        }
    });
}

/// A passive listener for the page's lifetime.
fn listen(target: &EventTarget, event: &str, handler: impl Fn(web_sys::Event) + 'static) {
    let handler = Closure::<dyn Fn(web_sys::Event)>::new(handler).into_js_value();
    let options = AddEventListenerOptions::new();
    options.set_passive(true);
    let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
        event,
        handler.unchecked_ref(),
        &options,
    );
}

/// Replaces `history[method]` with one that calls the page's own and then tells the campaigns of the new route.
fn wrap_history(history: &web_sys::History, method: &str, campaigns: Campaigns) {
    let Ok(original) = js_sys::Reflect::get(history, &method.into()) else {
        return;
    };
    let Ok(original) = original.dyn_into::<js_sys::Function>() else {
        return;
    };
    let this: JsValue = history.into();
    let target = this.clone();
    let wrapped = Closure::<dyn Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
        move |state: JsValue, unused: JsValue, url: JsValue| {
            let result = original.call3(&this, &state, &unused, &url);
            campaigns.route_changed();
            result
        },
    )
    .into_js_value();
    let _ = js_sys::Reflect::set(&target, &method.into(), &wrapped);
}
