//! When Baton hands a conversation to a person (topics, confidence, unanswered turns, the missed-handoff delay),
//! and the pre-chat form (its fields, when they are asked for, and the consent text).

use leptos::prelude::*;
use serde_json::json;

use super::Editor;
use super::fields::{CheckField, NumberField, SelectField, TextField, options};
use super::lists::{WordList, item_list};
use super::teams::IntentChoice;

#[component]
pub fn Handoff(editor: Editor) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Handoff rules"</legend>
            <WordList editor=editor path="handoff.always_topics" label="Topics that always go to a person" noun="topic"
                help="Words or phrases, e.g. custom quote, legal." />
            <WordList editor=editor path="handoff.sensitive_topics" label="Sensitive topics" noun="topic"
                help="Private matters (my account, medical): handed off, never answered automatically." />
            <NumberField editor=editor path="handoff.confidence_threshold" label="Lowest confidence to answer (0 to 1)" decimal=true
                help="Below it an FAQ answer is not given. 0.3 by default." />
            <NumberField editor=editor path="handoff.unanswered_turns" label="Unanswered messages before offering a person" />
            <NumberField editor=editor path="handoff.missed_after_seconds" label="Seconds before a waiting handoff counts as missed"
                help="The visitor is then offered to leave an email, and the console marks it." />
            <CheckField editor=editor path="handoff.auto_assign" label="Give each new handoff to the next online agent of its team" />
        </fieldset>
        <fieldset>
            <legend>"Pre-chat form"</legend>
            <CheckField editor=editor path="pre_chat.before_chat" label="Show the form before the visitor's first message"
                help="Otherwise fields are asked for only when a handoff needs them." />
            <SelectField editor=editor path="pre_chat.style" label="How fields are asked for during a handoff"
                options=options(&[("form", "A small form"), ("conversational", "One question at a time in the chat")]) />
            <TextField editor=editor path="pre_chat.consent" label="Consent checkbox text (optional)" optional=true
                help="When set, the visitor must tick it." />
            <LeadFields editor=editor path="pre_chat.fields" />
        </fieldset>
    }
}

/// The fields of a form (the pre-chat form's, a lead form's).
#[component]
pub fn LeadFields(editor: Editor, #[prop(into)] path: String) -> impl IntoView {
    item_list(
        editor,
        &path,
        "field",
        |_| json!({"id": "", "kind": "custom", "label": ""}),
        move |path, _| {
            view! {
        <div class="row">
            <TextField editor=editor path=format!("{path}.id") label="Id" />
            <TextField editor=editor path=format!("{path}.label") label="Label" />
            <SelectField editor=editor path=format!("{path}.kind") label="Kind" options=options(&[
                ("name", "Name"), ("email", "Email"), ("order_number", "Order number"), ("website", "Website"), ("custom", "Other text"),
            ]) />
        </div>
        <CheckField editor=editor path=format!("{path}.required") label="Required" />
        <IntentChoice editor=editor path=format!("{path}.required_for") label="Needed before a person joins, for these intents" />
    }.into_any()
        },
    )
}
