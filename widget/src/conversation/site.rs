//! The site's configuration as the widget gets it: the localStorage copy at once, then the worker's when newer
//! (revalidated by ETag), with the instant answers built from it.

use baton_shared::protocol::{WidgetConfig, WidgetSite};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::instant::InstantAnswers;
use crate::storage::{Entry, SiteStorage};

/// The site's configuration and instant answers: from the localStorage copy at once when there is one, then from
/// the worker if it has a newer version. Until either arrives (or if both fail) every message goes to the worker,
/// which answers the same.
pub(super) fn load_site(
    api: &ApiClient,
    site: RwSignal<Option<WidgetSite>>,
    country: RwSignal<Option<String>>,
    settled: RwSignal<bool>,
) -> StoredValue<Option<InstantAnswers>, LocalStorage> {
    let storage = SiteStorage::for_site(api.site_id());
    let cached: Option<WidgetConfig> = storage
        .read(Entry::WidgetConfig)
        .and_then(|json| serde_json::from_str(&json).ok());
    let instant = StoredValue::new_local(
        cached
            .as_ref()
            .and_then(|config| InstantAnswers::from_config(config).ok()),
    );
    let version = cached.as_ref().map(|config| config.version.clone());
    if let Some(config) = cached {
        country.set(config.country);
        site.set(Some(config.site));
    }
    let api = api.clone();
    spawn_local(async move {
        // Unchanged (304) or unreachable: keep what we have.
        if let Ok(Some((fresh, json))) = api.widget_config(version.as_deref()).await {
            if let Ok(answers) = InstantAnswers::from_config(&fresh) {
                instant.set_value(Some(answers));
            }
            country.set(fresh.country);
            site.set(Some(fresh.site));
            // Kept as received: re-serialising would only add code to the download.
            storage.write(Entry::WidgetConfig, &json);
        }
        settled.set(true);
    });
    instant
}
