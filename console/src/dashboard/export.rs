//! The CSV export: one row per conversation for the report's range and filters, fetched with the agent's token in
//! its header (never in a link) and saved from a Blob.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use super::Page;

#[component]
pub fn CsvExport(page: Page) -> impl IntoView {
    let status = RwSignal::new(None::<Result<&'static str, String>>);
    let busy = RwSignal::new(false);
    let download = move |_| {
        let Ok(query) = page.query.get_untracked() else {
            return;
        };
        let (client, site) = page
            .agent
            .with_value(|agent| (agent.client.clone(), agent.client.site_id.clone()));
        busy.set(true);
        status.set(None);
        spawn_local(async move {
            let result = match client.metrics_csv(&query).await {
                Ok(csv) => save(
                    &csv,
                    &format!("baton-{site}-{}-{}.csv", query.from, query.to),
                )
                .map(|()| "Downloaded.")
                .map_err(|_| "Could not save the file.".to_string()),
                Err(message) => Err(format!("Could not export: {message}")),
            };
            busy.try_set(false);
            status.try_set(Some(result));
        });
    };
    view! {
        <div class="export">
            <button type="button" data-testid="dashboard-csv" disabled=move || busy.get() on:click=download>
                {move || if busy.get() { "Preparing the CSV…" } else { "Download CSV" }}
            </button>
            {move || status.get().map(|status| match status {
                Ok(done) => view! { <span role="status" data-testid="dashboard-csv-status">{done}</span> }.into_any(),
                Err(message) => view! { <span class="error" role="alert" data-testid="dashboard-csv-error">{message}</span> }.into_any(),
            })}
        </div>
    }
}

/// Saves `text` as `name` through a temporary link to a Blob.
pub(crate) fn save(text: &str, name: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or(JsValue::NULL)?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(
        &js_sys::Array::of1(&JsValue::from_str(text)),
        &options,
    )?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    let body = document.body().ok_or(JsValue::NULL)?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    // The browser reads the Blob after the click returns: let it go a while later.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}
