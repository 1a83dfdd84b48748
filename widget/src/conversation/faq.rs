//! The site's FAQ with its compiled index, which instant answers and the panel's quick replies need, loaded by the
//! chat's module when the chat is likely to open (`chat.rs`: the launcher hovered or focused, a campaign shown,
//! the panel opened), not by every page view: the localStorage copy at once, then the worker's when newer
//! (revalidated by ETag). On the studio's preview page, the console posts the draft's FAQ instead (as
//! `baton_web::preview::FAQ` messages), when asked with `baton_web::preview::READY_FAQ` and at every change.

use baton_shared::protocol::WidgetFaq;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::MessageEvent;

use super::Conversation;
use super::site::preview_origin;
use crate::instant::LazyInstantAnswers;
use crate::storage::{Entry, SiteStorage};
use crate::tasks::spawn_local;

impl Conversation {
    /// Loads the FAQ, once a page (later calls do nothing), or again at the next call if the worker could not be
    /// reached.
    pub fn load_faq(self) {
        if self.faq_asked.get_value() {
            return;
        }
        self.faq_asked.set_value(true);
        let api = self.api();
        if let Some(origin) = preview_origin(&api) {
            self.preview_faq(origin);
            return;
        }
        let storage = SiteStorage::for_site(api.site_id());
        // The copy in hand after a failed attempt, else the localStorage one.
        let mut version = self
            .faq
            .with_untracked(|faq| faq.as_ref().map(|faq| faq.version.clone()));
        if version.is_none()
            && let Some(cached) = storage
                .read(Entry::WidgetFaq)
                .and_then(|text| WidgetFaq::from_wire_text(&text).ok())
        {
            version = Some(cached.version.clone());
            self.use_faq(cached);
        }
        spawn_local(async move {
            match api.widget_faq(version.as_deref()).await {
                Ok(Some((fresh, text))) => {
                    self.use_faq(fresh);
                    // Kept as received: re-encoding would only add code to the download.
                    storage.write(Entry::WidgetFaq, &text);
                }
                // Unchanged (304): keep what we have.
                Ok(None) => {}
                // Unreachable or refused: keep what we have (without a FAQ, the worker answers every message), and
                // ask again when the chat is next likely (a hover, a focus, the panel opened).
                Err(_) => self.faq_asked.set_value(false),
            }
        });
    }

    fn use_faq(self, faq: WidgetFaq) {
        self.instant.update_value(LazyInstantAnswers::forget);
        self.faq.set(Some(faq));
    }

    /// Takes the draft's FAQ from the console that frames the preview page (from this origin only), and asks for it.
    fn preview_faq(self, origin: String) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            if event.origin() != origin {
                return;
            }
            let data = event.data();
            let kind = js_sys::Reflect::get(&data, &"kind".into()).ok();
            if kind.and_then(|kind| kind.as_string()).as_deref() != Some(baton_web::preview::FAQ) {
                return;
            }
            let faq = js_sys::Reflect::get(&data, &"faq".into())
                .ok()
                .and_then(|text| text.as_string())
                .and_then(|text| WidgetFaq::from_wire_text(&text).ok());
            if let Some(faq) = faq {
                self.use_faq(faq);
            }
        })
        .into_js_value();
        // The widget lives as long as the page.
        let _ = window.add_event_listener_with_callback("message", listener.unchecked_ref());
        if let Ok(Some(parent)) = window.parent() {
            let ready = JsValue::from_str(baton_web::preview::READY_FAQ);
            let _ = parent.post_message(&ready, &window.location().origin().unwrap_or_default());
        }
    }
}
