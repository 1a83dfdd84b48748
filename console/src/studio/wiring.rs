//! What connects the site to the rest: the AI provider (and optional embeddings), webhooks told about every
//! handoff, Turnstile, how long data is kept, and the goals the reports count as conversions.

use leptos::prelude::*;
use serde_json::{Value, json};

use super::document;
use super::fields::{Input, NumberField, SelectField, TextField, options};
use super::lists::item_list;
use super::webhook_test::SendTest;
use super::{Editor, Studio};

#[component]
pub fn Wiring(editor: Editor, studio: Studio) -> impl IntoView {
    let embeddings = move || {
        editor
            .doc
            .with(|doc| document::get(doc, "ai.embeddings").is_some_and(Value::is_object))
    };
    let turnstile = move || {
        editor
            .doc
            .with(|doc| document::get(doc, "turnstile").is_some_and(Value::is_object))
    };
    view! {
        <fieldset>
            <legend>"AI provider"</legend>
            <SelectField editor=editor path="ai.provider" label="Who answers what the FAQ does not" options=options(&[
                ("none", "No language model: quote the best passage of the knowledge snippets"),
                ("openai", "An OpenAI-compatible model (set up by your operator)"),
                ("workers-ai", "Cloudflare Workers AI"),
            ]) />
            <TextField editor=editor path="ai.model" label="Model (optional)" optional=true
                help="Overrides the operator's default model for this site." />
            <div class="field check">
                <input type="checkbox" id="field-ai-embeddings-on" prop:checked=embeddings
                    on:change=move |event| editor.set("ai.embeddings", if event_target_checked(&event) {
                        json!({"provider": "openai", "weight": 0.5})
                    } else {
                        Value::Null
                    }) />
                <label for="field-ai-embeddings-on">"Semantic matching with embeddings"</label>
            </div>
            <Show when=embeddings>
                <SelectField editor=editor path="ai.embeddings.provider" label="Embeddings provider"
                    options=options(&[("openai", "OpenAI-compatible"), ("workers-ai", "Cloudflare Workers AI")]) />
                <TextField editor=editor path="ai.embeddings.model" label="Embeddings model (optional)" optional=true />
                <NumberField editor=editor path="ai.embeddings.weight" label="Weight of similarity (0 to 1)" decimal=true />
                <NumberField editor=editor path="ai.embeddings.min_similarity" label="Unrelated at or below (optional, 0 to 1)"
                    decimal=true optional=true />
            </Show>
        </fieldset>
        <fieldset>
            <legend>"Webhooks"</legend>
            <p class="help">"Endpoints told about every handoff (Slack incoming webhooks or your own), signed with the \
                site's webhook secret. The console's Team panel lists recent deliveries. \"Send a test\" sends a sample handoff \
                now, signed like a real one, whether or not the change is published."</p>
            {item_list(editor, "webhooks", "webhook", |_| json!({"url": "https://", "format": "json"}), move |path, _| view! {
                <div class="row">
                    <TextField editor=editor path=format!("{path}.url") label="URL" input=Input::Url />
                    <SelectField editor=editor path=format!("{path}.format") label="Format"
                        options=options(&[("json", "Baton's JSON"), ("slack", "Slack message")]) />
                </div>
                <SendTest studio=studio path=path />
            }.into_any())}
        </fieldset>
        <fieldset>
            <legend>"Bot protection (Cloudflare Turnstile)"</legend>
            <div class="field check">
                <input type="checkbox" id="field-turnstile-on" prop:checked=turnstile
                    on:change=move |event| editor.set("turnstile", if event_target_checked(&event) {
                        json!({"site_key": ""})
                    } else {
                        Value::Null
                    }) />
                <label for="field-turnstile-on">"Ask visitors to pass Turnstile before a conversation starts"</label>
            </div>
            <Show when=turnstile>
                <TextField editor=editor path="turnstile.site_key" label="Turnstile site key"
                    help="From Cloudflare's dashboard; the operator sets the matching secret." />
            </Show>
        </fieldset>
        <fieldset>
            <legend>"Retention"</legend>
            <NumberField editor=editor path="retention_days" label="Days handoff packages and visitors' personal fields are kept" />
            <NumberField editor=editor path="metrics_retention_days" label="Days the reports' events are kept" />
        </fieldset>
        <fieldset>
            <legend>"Goals"</legend>
            <p class="help">"Events your pages track (Baton('track', 'purchase')) that the reports count as conversions."</p>
            <NumberField editor=editor path="conversion_window_days" label="Days after a handoff a goal still counts" />
            {item_list(editor, "goals", "goal", |_| json!({"event": ""}), move |path, _| view! {
                <div class="row">
                    <TextField editor=editor path=format!("{path}.event") label="Event" />
                    <TextField editor=editor path=format!("{path}.label") label="Label in reports (optional)" optional=true />
                </div>
            }.into_any())}
        </fieldset>
    }
}
