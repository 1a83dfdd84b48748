//! The pre-chat form: the site's fields that are asked for (before the chat when configured, or when a handoff
//! needs them), validated inline with the same rules as the worker (`SubmitForm::check`), with the consent
//! checkbox when the site has one. Every problem is shown next to its field and announced.

use baton_shared::config::{FieldKind, FormField, PreChatForm};
use baton_shared::protocol::{FieldValue, SubmitForm};
use leptos::prelude::*;

use crate::i18n::Strings;

#[component]
pub fn ContextForm(
    /// The site's whole form (its rules and consent text).
    form: PreChatForm,
    /// Ids of the fields to show.
    show: Vec<String>,
    /// Ids of the fields that must be filled in.
    required: Vec<String>,
    #[prop(into)] strings: Signal<&'static Strings>,
    on_submit: Callback<SubmitForm>,
) -> impl IntoView {
    let fields: Vec<FormField> = form
        .fields
        .iter()
        .filter(|field| show.contains(&field.id))
        .cloned()
        .collect();
    let values = RwSignal::new(vec![String::new(); fields.len()]);
    let consent = RwSignal::new(false);
    // Problems by field id ("" for the consent box).
    let problems: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let form = StoredValue::new(form);
    let ids: Vec<String> = fields.iter().map(|field| field.id.clone()).collect();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let answers: Vec<FieldValue> = ids
            .iter()
            .zip(values.get_untracked())
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(id, value)| FieldValue {
                id: id.clone(),
                value: value.trim().to_string(),
            })
            .collect();
        let submitted = SubmitForm {
            fields: answers,
            consent: consent.get_untracked(),
        };
        let required: Vec<&str> = required.iter().map(String::as_str).collect();
        let errors = form.with_value(|form| submitted.check(form, &required));
        let found: Vec<(String, String)> = errors
            .iter()
            .map(|error| {
                let id = if error.path == "consent" {
                    String::new()
                } else if let Some(at) = error
                    .path
                    .strip_prefix("fields[")
                    .and_then(|rest| rest.split(']').next())
                    .and_then(|at| at.parse::<usize>().ok())
                {
                    submitted.fields[at].id.clone()
                } else {
                    // "fields: Email is needed": the field whose label it names.
                    form.with_value(|form| {
                        form.fields
                            .iter()
                            .find(|field| error.problem.starts_with(&field.label))
                            .map(|field| field.id.clone())
                            .unwrap_or_default()
                    })
                };
                let kind = form.with_value(|form| {
                    form.fields
                        .iter()
                        .find(|field| field.id == id)
                        .map(|field| field.kind)
                });
                let problem = match kind {
                    Some(kind) => strings.get_untracked().field_problem(kind, &error.problem),
                    None => error.problem.clone(),
                };
                (id, problem)
            })
            .collect();
        let valid = found.is_empty();
        problems.set(found);
        if valid {
            on_submit.run(submitted);
        }
    };
    let problem_of = move |id: &str| {
        let id = id.to_string();
        move || {
            problems.with(|problems| {
                problems
                    .iter()
                    .find(|(field, _)| *field == id)
                    .map(|(_, problem)| problem.clone())
            })
        }
    };
    let consent_text = form.with_value(|form| form.consent.clone());
    view! {
        <form class="baton-form" data-testid="baton-form" on:submit=submit novalidate>
            <p class="baton-form-intro">{move || strings.get().form_intro}</p>
            {fields
                .into_iter()
                .enumerate()
                .map(|(at, field)| {
                    let input_id = format!("baton-field-{}", field.id);
                    let label_for = input_id.clone();
                    let error_id = format!("{input_id}-error");
                    let problem = problem_of(&field.id);
                    let has_problem = problem_of(&field.id);
                    let (kind, autocomplete) = match field.kind {
                        FieldKind::Email => ("email", "email"),
                        FieldKind::Name => ("text", "name"),
                        FieldKind::Website => ("url", "url"),
                        FieldKind::OrderNumber | FieldKind::Custom => ("text", "off"),
                    };
                    view! {
                        <label class="baton-field" for=label_for>
                            <span>{field.label.clone()}</span>
                            <input
                                id=input_id
                                type=kind
                                autocomplete=autocomplete
                                data-testid=format!("baton-field-{}", field.id)
                                aria-invalid=move || has_problem().is_some().to_string()
                                aria-describedby=error_id.clone()
                                prop:value=move || values.with(|values| values[at].clone())
                                on:input=move |event| {
                                    let value = event_target_value(&event);
                                    values.update(|values| values[at] = value);
                                }
                            />
                            <span class="baton-field-error" id=error_id data-testid="baton-field-error" role="alert">
                                {problem}
                            </span>
                        </label>
                    }
                })
                .collect_view()}
            {consent_text.map(|text| {
                let problem = problem_of("");
                view! {
                    <label class="baton-consent">
                        <input
                            type="checkbox"
                            data-testid="baton-consent"
                            prop:checked=move || consent.get()
                            on:change=move |event| consent.set(event_target_checked(&event))
                        />
                        <span>{text}</span>
                        <span class="baton-field-error" role="alert">
                            {move || problem().map(|_| strings.get().form_consent_needed)}
                        </span>
                    </label>
                }
            })}
            <button type="submit" class="baton-send" data-testid="baton-form-submit">
                {move || strings.get().form_submit}
            </button>
        </form>
    }
}
