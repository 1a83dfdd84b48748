//! "Send a test" beside each webhook: the worker sends the endpoint as it is in the working copy (saved or not) a
//! signed sample handoff, exactly as real ones are sent, and the result shows inline: delivered with the endpoint's
//! status and the time it took, or why not.

use baton_shared::config::{Webhook, WebhookFormat};
use baton_shared::protocol::site_config::WebhookTestResult;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Studio, document};

/// What a test's result says, in words.
pub fn described(result: &WebhookTestResult) -> String {
    let signed = if result.signed {
        "signed"
    } else {
        "unsigned: the site has no webhook secret"
    };
    match (&result.error, result.status) {
        (None, Some(status)) => format!(
            "Delivered: {} answered {status} in {} ms ({signed}).",
            result.endpoint, result.elapsed_ms
        ),
        (Some(error), Some(_)) => format!(
            "Not delivered: {error}, after {} ms ({signed}).",
            result.elapsed_ms
        ),
        (error, None) => format!(
            "Not delivered: {} could not be reached after {} ms: {}",
            result.endpoint,
            result.elapsed_ms,
            error.as_deref().unwrap_or("no answer")
        ),
    }
}

/// The button for the webhook at `path` (`webhooks[1]`) and its last result.
#[component]
pub fn SendTest(studio: Studio, #[prop(into)] path: String) -> impl IntoView {
    let result = RwSignal::new(None::<Result<WebhookTestResult, String>>);
    let busy = RwSignal::new(false);
    let read = path.clone();
    let send = move |_| {
        let webhook = studio.editor.doc.with_untracked(|doc| Webhook {
            url: document::text(doc, &format!("{read}.url")),
            format: match document::text(doc, &format!("{read}.format")).as_str() {
                "slack" => WebhookFormat::Slack,
                _ => WebhookFormat::Json,
            },
        });
        let client = studio.agent.with_value(|agent| agent.client.clone());
        busy.set(true);
        spawn_local(async move {
            result.set(Some(client.test_webhook(&webhook).await));
            busy.set(false);
        });
    };
    view! {
        <div class="webhook-test">
            <button type="button" data-testid="studio-webhook-test" data-path=path.clone() on:click=send
                disabled=move || busy.get()>
                {move || if busy.get() { "Sending…" } else { "Send a test" }}
            </button>
            {move || result.get().map(|result| match result {
                Ok(result) => view! {
                    <p role="status" data-testid="studio-webhook-result" data-delivered=result.delivered.to_string()
                        class=if result.delivered { "ok" } else { "problem" }>{described(&result)}</p>
                }.into_any(),
                Err(message) => view! {
                    <p role="alert" class="problem" data-testid="studio-webhook-result" data-delivered="false">
                        {format!("Not sent: {message}")}
                    </p>
                }.into_any(),
            })}
        </div>
    }
}
