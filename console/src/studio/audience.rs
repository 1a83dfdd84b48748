//! A campaign's audience edited with controls: the tree of `all` / `any` / `not` groups over conditions
//! (`shared::campaign::Audience`), each group with its conditions and subgroups, added and removed by buttons, each
//! condition chosen from a list that writes its defaults, and every problem shown beside its field by path, as
//! `baton check` words it (`campaigns[0].audience.all[1].country`).

use leptos::prelude::*;
use serde_json::{Value, json};

use super::Editor;
use super::document::{self, field_id};
use super::fields::{CheckField, NumberField, SelectField, TextField, options, problem_view};

/// A condition or group: its key in the audience JSON, its label, and the value it starts as.
type Kind = (&'static str, &'static str, fn() -> Value);

/// Every kind of node, groups first.
pub static KINDS: [Kind; 15] = [
    ("all", "All of these", || json!({"all": []})),
    ("any", "Any of these", || json!({"any": []})),
    ("not", "Not this", || json!({"not": {"visitor": "new"}})),
    (
        "visitor",
        "New or returning visitor",
        || json!({"visitor": "returning"}),
    ),
    (
        "visits",
        "Number of visits",
        || json!({"visits": {"at_least": 2}}),
    ),
    (
        "referrer",
        "Came from (referrer)",
        || json!({"referrer": {"op": "contains", "value": ""}}),
    ),
    (
        "utm_source",
        "UTM source",
        || json!({"utm_source": {"op": "equals", "value": ""}}),
    ),
    (
        "utm_medium",
        "UTM medium",
        || json!({"utm_medium": {"op": "equals", "value": ""}}),
    ),
    (
        "utm_campaign",
        "UTM campaign",
        || json!({"utm_campaign": {"op": "equals", "value": ""}}),
    ),
    ("device", "Device", || json!({"device": "mobile"})),
    ("language", "Browser language", || json!({"language": "en"})),
    ("country", "Country", || json!({"country": "FR"})),
    (
        "identified",
        "Signed in on the site (identified)",
        || json!({"identified": true}),
    ),
    (
        "attribute",
        "Attribute from identify",
        || json!({"attribute": {"name": "plan", "op": "equals", "value": ""}}),
    ),
    (
        "campaign",
        "Another campaign seen, dismissed or converted",
        || json!({"campaign": {"id": "", "was": "seen"}}),
    ),
];

/// The kind of the node at `path` in `doc`: its one key (`all`, `country`, …); empty when there is none.
pub fn kind_of(doc: &Value, path: &str) -> String {
    document::get(doc, path)
        .and_then(Value::as_object)
        .and_then(|node| node.keys().next().cloned())
        .unwrap_or_default()
}

/// The whole audience at `path`: everyone when absent, else its root node.
#[component]
pub fn AudienceEditor(editor: Editor, path: String) -> impl IntoView {
    let read = path.clone();
    let present = move || {
        editor
            .doc
            .with(|doc| document::get(doc, &read).is_some_and(Value::is_object))
    };
    let (limit, clear, root) = (path.clone(), path.clone(), path.clone());
    view! {
        <fieldset class="audience" data-testid="studio-audience" data-path=path.clone()>
            <legend>"Audience"</legend>
            <Show when=present fallback=move || {
                let limit = limit.clone();
                view! {
                    <p class="help">"Everyone who reaches the pages above."</p>
                    <button type="button" data-testid="studio-audience-limit" data-path=limit.clone()
                        on:click=move |_| editor.set(&limit, json!({"all": [{"visitor": "returning"}]}))>
                        "Only some visitors…"
                    </button>
                }
            }>
                {node_view(editor, root.clone(), None)}
                <button type="button" data-testid="studio-audience-everyone"
                    on:click={let clear = clear.clone(); move |_| editor.set(&clear, Value::Null)}>"Show to everyone"</button>
            </Show>
            {problem_view(editor, path.clone())}
        </fieldset>
    }
}

/// One node at `path`, with its kind's controls; `remove` (list and index) when it is in a group's list.
fn node_view(editor: Editor, path: String, remove: Option<(String, usize)>) -> AnyView {
    let read = path.clone();
    let kind = Memo::new(move |_| editor.doc.with(|doc| kind_of(doc, &read)));
    let select_id = field_id(&format!("{path}-kind"));
    let write = path.clone();
    let remove_button = remove.map(|(list, index)| view! {
        <button type="button" class="remove" data-testid="studio-audience-remove" data-path=format!("{list}[{index}]")
            on:click=move |_| editor.update(|doc| document::remove(doc, &list, index))>"Remove"</button>
    });
    let body_path = path.clone();
    view! {
        <div class="audience-node" data-testid="studio-audience-node" data-path=path.clone() data-kind=move || kind.get()>
            <div class="row">
                <div class="field">
                    <label for=select_id.clone()>"Condition"</label>
                    <select id=select_id data-testid="studio-audience-kind" data-path=path.clone() prop:value=move || kind.get()
                        on:change=move |event| {
                            let chosen = event_target_value(&event);
                            if let Some((_, _, fresh)) = KINDS.iter().find(|(key, _, _)| *key == chosen) {
                                editor.set(&write, fresh());
                            }
                        }>
                        {KINDS.iter().map(|(key, text, _)| view! { <option value=*key>{*text}</option> }).collect_view()}
                    </select>
                </div>
                {remove_button}
            </div>
            {move || body(editor, &body_path, &kind.get())}
        </div>
    }
    .into_any()
}

/// The controls of a node of kind `kind` at `path`.
fn body(editor: Editor, path: &str, kind: &str) -> AnyView {
    let at = |field: &str| format!("{path}.{field}");
    match kind {
        "all" | "any" => group(editor, at(kind)),
        "not" => view! { <div class="audience-group">{node_view(editor, at("not"), None)}</div> }.into_any(),
        "visitor" => view! {
            <SelectField editor=editor path=at("visitor") label="Visitor"
                options=options(&[("new", "new (first visit on this browser)"), ("returning", "returning")]) />
        }.into_any(),
        "visits" => view! { <NumberField editor=editor path=at("visits.at_least") label="This visit is at least the" /> }.into_any(),
        "referrer" | "utm_source" | "utm_medium" | "utm_campaign" => view! {
            <div class="row">
                <SelectField editor=editor path=at(&format!("{kind}.op")) label="Which" options=string_ops() />
                <TextField editor=editor path=at(&format!("{kind}.value")) label="Value" />
            </div>
        }.into_any(),
        "device" => view! {
            <SelectField editor=editor path=at("device") label="Device" options=options(&[("mobile", "mobile"), ("desktop", "desktop")]) />
        }.into_any(),
        "language" => view! { <TextField editor=editor path=at("language") label="Language (fr, en, de…)" /> }.into_any(),
        "country" => view! { <TextField editor=editor path=at("country") label="Country code (FR, US…)" /> }.into_any(),
        "identified" => view! { <CheckField editor=editor path=at("identified") label="Identified (unchecked: not identified)" /> }.into_any(),
        "attribute" => view! {
            <div class="row">
                <TextField editor=editor path=at("attribute.name") label="Attribute" />
                <SelectField editor=editor path=at("attribute.op") label="Which" options=string_ops() />
                <TextField editor=editor path=at("attribute.value") label="Value" />
            </div>
        }.into_any(),
        "campaign" => {
            let campaigns: Vec<(String, String)> = editor.doc.with_untracked(|doc| {
                (0..document::len(doc, "campaigns"))
                    .map(|index| document::text(doc, &format!("campaigns[{index}].id")))
                    .map(|id| (id.clone(), id))
                    .collect()
            });
            view! {
                <div class="row">
                    <SelectField editor=editor path=at("campaign.id") label="Campaign" options=campaigns optional="(choose one)" />
                    <SelectField editor=editor path=at("campaign.was") label="Was" options=options(&[
                        ("seen", "seen"), ("dismissed", "dismissed"), ("converted", "converted (its goal reached)"),
                    ]) />
                    <NumberField editor=editor path=at("campaign.within_days") label="Within days (empty: ever)" optional=true />
                </div>
            }.into_any()
        }
        _ => view! { <p class="problem">"Unknown condition: choose one above."</p> }.into_any(),
    }
}

/// The list of a group at `list` (`….all`), with buttons to add a condition or a subgroup.
fn group(editor: Editor, list: String) -> AnyView {
    let count = {
        let list = list.clone();
        Memo::new(move |_| editor.doc.with(|doc| document::len(doc, &list)))
    };
    let items = list.clone();
    let (add_condition, add_group) = (list.clone(), list.clone());
    view! {
        <div class="audience-group">
            {move || (0..count.get()).map(|index| {
                node_view(editor, format!("{items}[{index}]"), Some((items.clone(), index)))
            }).collect_view()}
            <button type="button" data-testid="studio-audience-add" data-list=list.clone()
                on:click=move |_| editor.update(|doc| document::push(doc, &add_condition, json!({"visitor": "returning"})))>
                "Add a condition"
            </button>
            <button type="button" data-testid="studio-audience-add-group" data-list=list.clone()
                on:click=move |_| editor.update(|doc| document::push(doc, &add_group, json!({"any": []})))>
                "Add a group"
            </button>
        </div>
    }
    .into_any()
}

pub fn string_ops() -> Vec<(String, String)> {
    options(&[
        ("equals", "is"),
        ("not_equals", "is not"),
        ("contains", "contains"),
        ("not_contains", "does not contain"),
        ("starts_with", "starts with"),
        ("ends_with", "ends with"),
        ("matches", "matches (* is anything)"),
    ])
}
