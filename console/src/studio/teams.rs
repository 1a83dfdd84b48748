//! Teams and routing: who answers which intents, the topics that point to a team, the reply time promised to
//! visitors, and whether handoffs are given to agents in turn.

use baton_shared::vocab::Intent;
use leptos::prelude::*;
use serde_json::{Value, json};

use super::Editor;
use super::document::{self, field_id};
use super::fields::{CheckField, NumberField, TextField};
use super::lists::{WordList, item_list};

#[component]
pub fn Teams(editor: Editor) -> impl IntoView {
    view! {
        <p class="help">"The first team serving a visitor's intent gets the handoff. Without teams, any agent can take it."</p>
        <CheckField editor=editor path="handoff.auto_assign" label="Give each new handoff to the next online agent of its team"
            help="Otherwise handoffs wait in the team's queue until an agent claims them." />
        {item_list(editor, "teams", "team", |_| json!({"id": "", "name": "", "intents": [], "reply_minutes": 3}),
            move |path, _| view! {
                <div class="row">
                    <TextField editor=editor path=format!("{path}.id") label="Id" help="Lowercase letters, digits and -." />
                    <TextField editor=editor path=format!("{path}.name") label="Name" help="Shown to visitors: someone from Sales will join." />
                </div>
                <IntentChoice editor=editor path=format!("{path}.intents") label="Intents this team serves" />
                <NumberField editor=editor path=format!("{path}.reply_minutes") label="Usual first reply, in minutes"
                    help="Promised to visitors; a handoff waiting longer counts as missed." />
                <WordList editor=editor path=format!("{path}.topics") label="Topics" noun="topic"
                    help="Words and phrases visitors use for this team's work (espresso machine, grinder)." />
            }.into_any())}
    }
}

/// Checkboxes for a list of intents.
#[component]
pub fn IntentChoice(
    editor: Editor,
    #[prop(into)] path: String,
    label: &'static str,
) -> impl IntoView {
    let problem_path = path.clone();
    view! {
        <fieldset class="choices" data-field=path.clone()>
            <legend>{label}</legend>
            {Intent::ALL.into_iter().map(|intent| {
                let id = format!("{}-{}", field_id(&path), intent.name());
                let read = path.clone();
                let write = path.clone();
                let checked = move || editor.doc.with(|doc| document::get(doc, &read)
                    .and_then(Value::as_array)
                    .is_some_and(|list| list.iter().any(|item| item.as_str() == Some(intent.name()))));
                view! {
                    <span class="check">
                        <input type="checkbox" id=id.clone() prop:checked=checked on:change=move |event| {
                            let on = event_target_checked(&event);
                            editor.update(|doc| {
                                let mut list: Vec<Value> = document::get(doc, &write).and_then(Value::as_array).cloned().unwrap_or_default();
                                list.retain(|item| item.as_str() != Some(intent.name()));
                                if on {
                                    list.push(Value::String(intent.name().into()));
                                }
                                document::set(doc, &write, Value::Array(list));
                            });
                        } />
                        <label for=id>{intent.name()}</label>
                    </span>
                }
            }).collect_view()}
            {move || {
                let problems = editor.problems_at(&problem_path);
                (!problems.is_empty()).then(|| view! { <p class="problem" data-testid="studio-problem">{problems.join("; ")}</p> })
            }}
        </fieldset>
    }
}
