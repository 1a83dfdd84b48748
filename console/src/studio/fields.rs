//! The studio's form controls, each bound to one field path of the working copy: it reads its value there, writes
//! it back there, and shows the problems validation reports at that path beside it (`aria-invalid`,
//! `aria-describedby`), worded as `baton check` words them. Lists are in `lists.rs`.

use leptos::prelude::*;
use serde_json::Value;

use super::Editor;
use super::document::{self, field_id};

/// How a text field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Line,
    Lines,
    /// A URL input.
    Url,
    /// A colour picker beside the text.
    Colour,
    /// A date `YYYY-MM-DD`.
    Date,
}

/// The problems at `path`, and the element that says them.
pub fn problem_view(editor: Editor, path: String) -> impl IntoView {
    let id = format!("{}-problem", field_id(&path));
    let shown = path.clone();
    move || {
        let problems = editor.problems_at(&shown);
        (!problems.is_empty()).then(|| {
            view! {
                <p class="problem" id=id.clone() data-testid="studio-problem" data-path=shown.clone()>
                    {problems.join("; ")}
                </p>
            }
        })
    }
}

pub fn help_view(path: &str, help: &'static str) -> impl IntoView + use<> {
    (!help.is_empty()).then(|| {
        view! { <span class="help" id=format!("{}-help", field_id(path))>{help}</span> }
    })
}

/// `aria-describedby` of a field: its help and its problem.
fn described_by(editor: Editor, path: &str, help: &'static str) -> impl Fn() -> String + use<> {
    let id = field_id(path);
    let path = path.to_string();
    move || {
        let mut ids = Vec::new();
        if !help.is_empty() {
            ids.push(format!("{id}-help"));
        }
        if !editor.problems_at(&path).is_empty() {
            ids.push(format!("{id}-problem"));
        }
        ids.join(" ")
    }
}

/// A text field. `optional`: an empty field leaves the key out of the configuration.
#[component]
pub fn TextField(
    editor: Editor,
    #[prop(into)] path: String,
    label: &'static str,
    #[prop(default = "")] help: &'static str,
    #[prop(default = Input::Line)] input: Input,
    #[prop(optional)] optional: bool,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    suggestions: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(&path);
    let read = path.clone();
    let value = Memo::new(move |_| editor.doc.with(|doc| document::text(doc, &read)));
    let write = path.clone();
    let on_input = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);
        let value = if optional && text.trim().is_empty() {
            Value::Null
        } else {
            Value::String(text)
        };
        editor.set(&write, value);
    };
    let invalid_path = path.clone();
    let invalid = move || (!editor.problems_at(&invalid_path).is_empty()).then_some("true");
    let describe = described_by(editor, &path, help);
    let control = match input {
        Input::Lines => view! {
            <textarea id=id.clone() data-field=path.clone() rows="4" aria-invalid=invalid
                aria-describedby=describe prop:value=move || value.get() on:input=on_input></textarea>
        }
        .into_any(),
        Input::Colour => {
            let write = path.clone();
            let picker = move |event: leptos::ev::Event| {
                editor.set(&write, Value::String(event_target_value(&event)))
            };
            view! {
                <span class="colour">
                    <input type="color" aria-label=format!("{label}: picker") data-field-picker=path.clone()
                        prop:value=move || value.get() on:input=picker />
                    <input id=id.clone() data-field=path.clone() aria-invalid=invalid aria-describedby=describe
                        prop:value=move || value.get() on:input=on_input />
                </span>
            }
            .into_any()
        }
        other => {
            let kind = match other {
                Input::Url => "url",
                Input::Date => "date",
                _ => "text",
            };
            view! {
                <input id=id.clone() type=kind list=suggestions data-field=path.clone() aria-invalid=invalid
                    aria-describedby=describe prop:value=move || value.get() on:input=on_input />
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {help_view(&path, help)}
            {control}
            {problem_view(editor, path.clone())}
        </div>
    }
}

/// A number field; `decimal` allows fractions (a confidence), otherwise whole numbers. Text that is not a number
/// is not written (the field says so).
#[component]
pub fn NumberField(
    editor: Editor,
    #[prop(into)] path: String,
    label: &'static str,
    #[prop(default = "")] help: &'static str,
    #[prop(optional)] decimal: bool,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let id = field_id(&path);
    let read = path.clone();
    let value = Memo::new(move |_| editor.doc.with(|doc| document::text(doc, &read)));
    let not_number = RwSignal::new(false);
    let write = path.clone();
    let on_input = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);
        let text = text.trim();
        if text.is_empty() && optional {
            not_number.set(false);
            editor.set(&write, Value::Null);
            return;
        }
        let number = if decimal {
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
        } else {
            text.parse::<i64>().ok().map(serde_json::Number::from)
        };
        match number {
            Some(number) => {
                not_number.set(false);
                editor.set(&write, Value::Number(number));
            }
            None => not_number.set(true),
        }
    };
    let invalid_path = path.clone();
    let invalid = move || {
        (not_number.get() || !editor.problems_at(&invalid_path).is_empty()).then_some("true")
    };
    let describe = described_by(editor, &path, help);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {help_view(&path, help)}
            <input id=id type="number" step=if decimal { "0.01" } else { "1" } data-field=path.clone()
                aria-invalid=invalid aria-describedby=describe
                prop:value=move || value.get() on:input=on_input />
            <Show when=move || not_number.get()>
                <p class="problem">{if decimal { "must be a number" } else { "must be a whole number" }}</p>
            </Show>
            {problem_view(editor, path.clone())}
        </div>
    }
}

/// A choice among fixed values (`(value, label)`); `optional` adds "none", which leaves the key out.
#[component]
pub fn SelectField(
    editor: Editor,
    #[prop(into)] path: String,
    label: &'static str,
    #[prop(default = "")] help: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional)] optional: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(&path);
    let read = path.clone();
    let value = Memo::new(move |_| editor.doc.with(|doc| document::text(doc, &read)));
    let write = path.clone();
    let on_change = move |event: leptos::ev::Event| {
        let chosen = event_target_value(&event);
        editor.set(
            &write,
            if chosen.is_empty() {
                Value::Null
            } else {
                Value::String(chosen)
            },
        );
    };
    let describe = described_by(editor, &path, help);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {help_view(&path, help)}
            <select id=id data-field=path.clone() aria-describedby=describe
                prop:value=move || value.get() on:change=on_change>
                {optional.map(|none| view! { <option value="">{none}</option> })}
                {options.into_iter().map(|(option, text)| {
                    let selected = option.clone();
                    view! { <option value=option selected=move || value.get() == selected>{text}</option> }
                }).collect_view()}
            </select>
            {problem_view(editor, path.clone())}
        </div>
    }
}

/// A yes / no field.
#[component]
pub fn CheckField(
    editor: Editor,
    #[prop(into)] path: String,
    label: &'static str,
    #[prop(default = "")] help: &'static str,
) -> impl IntoView {
    let id = field_id(&path);
    let read = path.clone();
    let checked = Memo::new(move |_| {
        editor.doc.with(|doc| {
            document::get(doc, &read)
                .and_then(Value::as_bool)
                .unwrap_or(false)
        })
    });
    let write = path.clone();
    let describe = described_by(editor, &path, help);
    view! {
        <div class="field check">
            <input id=id.clone() type="checkbox" data-field=path.clone() aria-describedby=describe
                prop:checked=move || checked.get()
                on:change=move |event| editor.set(&write, Value::Bool(event_target_checked(&event))) />
            <label for=id>{label}</label>
            {help_view(&path, help)}
            {problem_view(editor, path.clone())}
        </div>
    }
}

/// `(value, label)` pairs of options whose value and label are the same words.
pub fn options(values: &[(&str, &str)]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|(value, label)| (value.to_string(), label.to_string()))
        .collect()
}
