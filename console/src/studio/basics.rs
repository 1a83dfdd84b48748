//! The basics: the business's name, where the widget may be embedded, its language and timezone, the fallback
//! message, and the site's own synonyms.

use baton_shared::config::LOCALES;
use leptos::prelude::*;
use serde_json::json;

use super::Editor;
use super::document;
use super::fields::{Input, SelectField, TextField};
use super::lists::{WordList, item_list};

#[component]
pub fn Basics(editor: Editor) -> impl IntoView {
    let id = move || editor.doc.with(|doc| document::text(doc, "id"));
    let locales = LOCALES
        .iter()
        .map(|code| {
            let name = match *code {
                "en" => "English",
                "fr" => "French",
                other => other,
            };
            (code.to_string(), format!("{name} ({code})"))
        })
        .collect();
    view! {
        <p class="help">"Site id: " <code data-testid="studio-site-id">{id}</code>
            " (used in the script tag; it cannot change here)."</p>
        <TextField editor=editor path="name" label="Business name" help="Shown to visitors in the chat's header." />
        <WordList editor=editor path="allowed_origins" label="Websites allowed to show the chat" noun="origin"
            help="Each as https://shop.example (scheme and host, no path); http://localhost:* allows any local port." />
        <SelectField editor=editor path="locale" label="Language of Baton's own texts" options=locales />
        <TextField editor=editor path="timezone" label="Timezone" suggestions="studio-timezones"
            help="An IANA timezone such as Europe/London or America/New_York: business hours are in it." />
        <datalist id="studio-timezones">
            {timezones().into_iter().map(|zone| view! { <option value=zone></option> }).collect_view()}
        </datalist>
        <TextField editor=editor path="messages.fallback" label="Reply when no answer fits" input=Input::Lines
            help="Said when no FAQ entry is a confident match." />
        <fieldset>
            <legend>"Your own synonyms"</legend>
            <p class="help">"Words your visitors use for the same thing, e.g. decaf and decaffeinated: one group per line of words."</p>
            {item_list(editor, "synonyms", "group", |_| json!(["", ""]), move |path, _| view! {
                <WordList editor=editor path=path label="Words that mean the same" noun="word" />
            }.into_any())}
        </fieldset>
    }
}

/// The browser's IANA timezones (`Intl.supportedValuesOf("timeZone")`), as suggestions; none in an older browser.
fn timezones() -> Vec<String> {
    use js_sys::{Function, Reflect};
    use wasm_bindgen::JsCast;
    let Ok(intl) = Reflect::get(&js_sys::global(), &"Intl".into()) else {
        return Vec::new();
    };
    Reflect::get(&intl, &"supportedValuesOf".into())
        .ok()
        .and_then(|supported| supported.dyn_into::<Function>().ok())
        .and_then(|supported| supported.call1(&intl, &"timeZone".into()).ok())
        .and_then(|zones| zones.dyn_into::<js_sys::Array>().ok())
        .map(|zones| zones.iter().filter_map(|zone| zone.as_string()).collect())
        .unwrap_or_default()
}
