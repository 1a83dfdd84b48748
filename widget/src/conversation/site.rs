//! The site's configuration as the widget gets it: the localStorage copy at once, then the worker's when newer
//! (revalidated by ETag); its FAQ comes apart, with the chat (`faq.rs`). On the studio's preview page only (served
//! by the worker itself at `baton_web::preview::PATH`, framed by the console on the same origin), the configuration
//! comes instead from the console, as the draft's `WidgetConfig` in the wire encoding (as text) posted by the parent
//! window, again at every change (its FAQ too, `faq.rs`); and the messages the draft answers from its FAQ are not
//! sent (`sending.rs`).
//! Both copies are in the wire encoding (`baton_shared::protocol::wire`), never JSON: a copy left in JSON by an
//! older widget does not decode, so it is fetched again.

use baton_shared::protocol::{WidgetConfig, WidgetSite};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::MessageEvent;

use crate::api::ApiClient;
use crate::instant::LazyInstantAnswers;
use crate::storage::{Entry, SiteStorage};
use crate::tasks::spawn_local;
use crate::watched::{Stored, Watched};

/// The site's configuration and instant answers: from the localStorage copy at once when there is one, then from
/// the worker if it has a newer version. Until either arrives (or if both fail) every message goes to the worker,
/// which answers the same.
pub(super) fn load_site(
    api: &ApiClient,
    site: Watched<Option<WidgetSite>>,
    country: Watched<Option<String>>,
    settled: Watched<bool>,
) -> Stored<LazyInstantAnswers> {
    if let Some(origin) = preview_origin(api) {
        return preview(origin, site);
    }
    let storage = SiteStorage::for_site(api.site_id());
    let cached: Option<WidgetConfig> = storage
        .read(Entry::WidgetConfig)
        .and_then(|text| WidgetConfig::from_wire_text(&text).ok());
    let version = cached.as_ref().map(|config| config.version.clone());
    let instant = Stored::new(LazyInstantAnswers::default());
    if let Some(config) = cached {
        use_config(config, site, country, instant);
    }
    let api = api.clone();
    spawn_local(async move {
        // Unchanged (304) or unreachable: keep what we have.
        if let Ok(Some((fresh, text))) = api.widget_config(version.as_deref()).await {
            use_config(fresh, site, country, instant);
            // Kept as received: re-encoding would only add code to the download.
            storage.write(Entry::WidgetConfig, &text);
        }
        settled.set(true);
    });
    instant
}

/// Takes `config` for the site, its visitor's country and its instant answers (moved, never copied: the widget
/// keeps one copy of the site).
fn use_config(
    config: WidgetConfig,
    site: Watched<Option<WidgetSite>>,
    country: Watched<Option<String>>,
    instant: Stored<LazyInstantAnswers>,
) {
    country.set(config.country);
    instant.update_value(LazyInstantAnswers::forget);
    site.set(Some(config.site));
}

/// Whether the widget runs on the studio's preview page: there, the draft's confident FAQ answers stay in the
/// browser (the worker, which answers with the published configuration, is not asked).
pub(super) fn in_preview(api: &ApiClient) -> bool {
    preview_origin(api).is_some()
}

/// The page's origin, when the widget runs on the studio's preview page of its own worker.
pub(super) fn preview_origin(api: &ApiClient) -> Option<String> {
    let location = web_sys::window()?.location();
    let origin = location.origin().ok()?;
    let on_page = location.pathname().ok()? == baton_web::preview::PATH;
    (on_page && api.base().url("") == origin).then_some(origin)
}

/// Takes the configuration from the console that frames the page (messages from this origin only: the worker's
/// own pages), and tells it the widget is listening. (The preview knows no country; the time check is the page's.)
fn preview(origin: String, site: Watched<Option<WidgetSite>>) -> Stored<LazyInstantAnswers> {
    let instant = Stored::new(LazyInstantAnswers::default());
    let Some(window) = web_sys::window() else {
        return instant;
    };
    if let Ok(Some(parent)) = window.parent() {
        let _ = parent.post_message(&baton_web::preview::READY.into(), &origin);
    }
    let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let config = event
            .data()
            .as_string()
            .filter(|_| event.origin() == origin)
            .and_then(|text| WidgetConfig::from_wire_text(&text).ok());
        if let Some(config) = config {
            instant.update_value(LazyInstantAnswers::forget);
            site.set(Some(config.site));
        }
    })
    .into_js_value();
    // The widget lives as long as the page.
    let _ = window.add_event_listener_with_callback("message", listener.unchecked_ref());
    instant
}
