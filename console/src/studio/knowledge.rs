//! Knowledge snippets (passages answers may be grounded on) and canned replies (texts agents insert).

use leptos::prelude::*;
use serde_json::json;

use super::Editor;
use super::fields::{Input, TextField};
use super::lists::item_list;

#[component]
pub fn Knowledge(editor: Editor) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Knowledge snippets"</legend>
            <p class="help">"Passages of your own content. When no FAQ entry fits, Baton answers from them (with the \
                AI provider, or by quoting the best sentence when there is none) and cites them."</p>
            {item_list(editor, "knowledge", "snippet", |_| json!({"title": "", "text": ""}), move |path, _| view! {
                <div class="row">
                    <TextField editor=editor path=format!("{path}.title") label="Title" />
                    <TextField editor=editor path=format!("{path}.url") label="Page (optional)" input=Input::Url optional=true />
                </div>
                <TextField editor=editor path=format!("{path}.text") label="Text" input=Input::Lines />
            }.into_any())}
        </fieldset>
        <fieldset>
            <legend>"Canned replies"</legend>
            <p class="help">"Ready-made replies agents insert with one click in the console."</p>
            {item_list(editor, "canned_replies", "reply", |_| json!({"title": "", "text": ""}), move |path, _| view! {
                <TextField editor=editor path=format!("{path}.title") label="Title" help="Shown in the console's list." />
                <TextField editor=editor path=format!("{path}.text") label="Text" input=Input::Lines />
            }.into_any())}
        </fieldset>
    }
}
