//! The pre-chat form (and a campaign's lead form, which takes the same fields): the site's fields that are asked
//! for (before the chat when configured, or when a handoff needs them), validated inline with the same rules as the
//! worker (`value_problem`, which `SubmitForm::check` applies too), with the consent checkbox when the site has one
//! (and the visitor has not ticked its text already). Every problem is shown next to its field, in the visitor's
//! language, and announced: when the visitor leaves a field they typed in, or sends the form, never before. What the visitor already gave (in a lead form) is filled in beforehand.

use baton_shared::config::{FieldKind, FormField, PreChatForm};
use baton_shared::protocol::{FieldValue, SubmitForm, ValueProblem, value_problem};
use leptos::prelude::*;

use crate::components::text;
use crate::i18n::SiteStrings;

#[component]
pub fn ContextForm(
    /// The site's whole form (its rules and consent text).
    form: PreChatForm,
    /// Ids of the fields to show.
    show: Vec<String>,
    /// Ids of the fields that must be filled in.
    required: Vec<String>,
    strings: SiteStrings,
    /// Takes the valid answers.
    on_submit: Callback<SubmitForm>,
    /// Shows the pre-chat form's introduction (a lead form has its campaign's text instead).
    #[prop(default = true)]
    intro: bool,
    /// Answers already given (a lead form's), filled in beforehand.
    #[prop(optional)]
    known: Vec<FieldValue>,
    /// The consent box's text was already ticked: the box is left out and consent is sent.
    #[prop(optional)]
    consented: bool,
) -> impl IntoView {
    let fields: Vec<FormField> = form
        .fields
        .iter()
        .filter(|field| show.contains(&field.id))
        .cloned()
        .collect();
    let values = RwSignal::new(
        fields
            .iter()
            .map(|field| {
                known
                    .iter()
                    .find(|answer| answer.id == field.id)
                    .map(|answer| answer.value.clone())
                    .unwrap_or_default()
            })
            .collect::<Vec<String>>(),
    );
    let consent = RwSignal::new(consented);
    // Problems by the field's place (the consent box's after the fields), in the visitor's language; "" for none.
    // Text like the values, so both are one signal type (each type is code of its own).
    let consent_at = fields.len();
    let problems = RwSignal::new(vec![String::new(); consent_at + 1]);
    let kinds: Vec<(String, FieldKind)> = fields
        .iter()
        .map(|field| (field.id.clone(), field.kind))
        .collect();
    // One field's problem as the worker would see it: a value that breaks its kind's rule, or a required one empty.
    let field_problem = {
        let required = required.clone();
        move |id: &str, kind: FieldKind, value: &str| -> Option<String> {
            let problem = if value.trim().is_empty() {
                required
                    .iter()
                    .any(|needed| needed == id)
                    .then_some(ValueProblem::Empty)
            } else {
                value_problem(kind, value)
            };
            problem.map(|problem| strings.get_untracked().field_problem(problem))
        }
    };
    // Problems are shown once the visitor has left a field they typed in, or has sent the form: never on display.
    let set_problem = move |at: usize, problem: Option<String>| {
        problems.update(|problems| problems[at] = problem.unwrap_or_default());
    };
    let consent_text = form.consent.clone().filter(|_| !consented);
    let needs_consent = consent_text.is_some();
    let submit_problem = field_problem.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let strings = strings.get_untracked();
        let mut found = vec![String::new(); consent_at + 1];
        let mut answers = Vec::new();
        for (at, ((id, kind), value)) in kinds.iter().zip(values.get_untracked()).enumerate() {
            match submit_problem(id, *kind, &value) {
                Some(problem) => found[at] = problem,
                None if !value.trim().is_empty() => answers.push(FieldValue {
                    id: id.clone(),
                    value: value.trim().to_string(),
                }),
                None => {}
            }
        }
        if needs_consent && !consent.get_untracked() {
            found[consent_at] = strings.form_consent_needed.to_string();
        }
        let valid = found.iter().all(String::is_empty);
        problems.set(found);
        if valid {
            on_submit.run(SubmitForm {
                fields: answers,
                consent: consent.get_untracked(),
            });
        }
    };
    let problem_of = move |at: usize| {
        move || {
            problems
                .with(|problems| Some(problems[at].clone()).filter(|problem| !problem.is_empty()))
        }
    };
    view! {
        <form class="baton-form" data-testid="baton-form" on:submit=submit novalidate>
            {intro.then(|| view! { <p class="baton-form-intro">{text(strings, |strings| strings.form_intro)}</p> })}

            {fields
                .into_iter()
                .enumerate()
                .map(|(at, field)| {
                    let input_id = format!("baton-field-{}", field.id);
                    let label_for = input_id.clone();
                    let error_id = format!("{input_id}-error");
                    let problem = problem_of(at);
                    let has_problem = problem_of(at);
                    let (blur_id, input_id_of, kind_of) = (field.id.clone(), field.id.clone(), field.kind);
                    let shown = problem_of(at);
                    let check = field_problem.clone();
                    let recheck = field_problem.clone();
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
                                    // A problem shown goes as soon as the value is right.
                                    if shown().is_some() && recheck(&input_id_of, kind_of, &value).is_none() {
                                        set_problem(at, None);
                                    }
                                    values.update(|values| values[at] = value);
                                }
                                on:blur=move |_| {
                                    let value = values.with_untracked(|values| values[at].clone());
                                    if !value.trim().is_empty() {
                                        set_problem(at, check(&blur_id, kind_of, &value));
                                    }
                                }
                            />
                            <span class="baton-field-error" id=error_id data-testid="baton-field-error" role="alert">
                                {problem}
                            </span>
                        </label>
                    }
                    .into_any()
                })
                .collect_view()}
            {consent_text.map(|text| {
                let problem = problem_of(consent_at);
                view! {
                    <label class="baton-consent">
                        <input
                            type="checkbox"
                            data-testid="baton-consent"
                            prop:checked=move || consent.get()
                            on:change=move |event| consent.set(event_target_checked(&event))
                        />
                        <span>{text}</span>
                        <span class="baton-field-error" data-testid="baton-field-error" role="alert">{problem}</span>
                    </label>
                }
            })}
            <button type="submit" class="baton-send" data-testid="baton-form-submit">
                {text(strings, |strings| strings.form_submit)}
            </button>
        </form>
    }
}
