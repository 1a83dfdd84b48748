//! Campaigns, every part of the model: status, priority and schedule; the trigger; the pages and the audience
//! (`audience.rs`);
//! staffing, frequency and format; the content, the action, A/B variants, the holdout and the goal; and the
//! site-wide limits. Kinds with their own settings (trigger, action, frequency) are chosen from a list that writes
//! the kind's defaults.

use leptos::prelude::*;
use serde_json::{Value, json};

use super::Editor;
use super::audience::{AudienceEditor, string_ops};
use super::document::{self, field_id};
use super::fields::{CheckField, Input, NumberField, SelectField, TextField, options};
use super::lists::item_list;
use crate::studio::handoff::LeadFields;

/// A kind of a tagged value: its name, label, and the value it starts as.
type Kind = (&'static str, &'static str, fn() -> Value);

static TRIGGERS: [Kind; 11] = [
    (
        "page_view",
        "As soon as a matching page shows",
        || json!({"kind": "page_view"}),
    ),
    (
        "dwell",
        "After some time on the page",
        || json!({"kind": "dwell", "seconds": 20}),
    ),
    (
        "site_time",
        "After some time on the site",
        || json!({"kind": "site_time", "seconds": 60}),
    ),
    (
        "scroll",
        "When scrolled far enough down",
        || json!({"kind": "scroll", "percent": 50}),
    ),
    (
        "exit_intent",
        "When the pointer leaves towards the tabs (desktop)",
        || json!({"kind": "exit_intent"}),
    ),
    (
        "inactivity",
        "After some time without activity",
        || json!({"kind": "inactivity", "seconds": 30}),
    ),
    (
        "click",
        "When an element is clicked",
        || json!({"kind": "click", "selector": ""}),
    ),
    (
        "event",
        "When the page tracks an event",
        || json!({"kind": "event", "name": ""}),
    ),
    (
        "manual",
        "Only when the page asks (Baton('show', id))",
        || json!({"kind": "manual"}),
    ),
    (
        "ai_struggled",
        "When the AI fell back or asked to clarify twice",
        || json!({"kind": "ai_struggled"}),
    ),
    (
        "waiting_for_person",
        "When a handed-over visitor waits too long",
        || json!({"kind": "waiting_for_person", "seconds": 60}),
    ),
];

static ACTIONS: [Kind; 4] = [
    (
        "open_chat",
        "Open the chat",
        || json!({"kind": "open_chat"}),
    ),
    (
        "handoff",
        "Start a conversation with a team",
        || json!({"kind": "handoff", "team": ""}),
    ),
    (
        "lead_form",
        "Show a lead form",
        || json!({"kind": "lead_form", "fields": [{"id": "email", "kind": "email", "label": "Email", "required": true}], "thanks": "Thanks! We'll be in touch."}),
    ),
    (
        "link",
        "Open a page",
        || json!({"kind": "link", "url": "/"}),
    ),
];

#[component]
pub fn Campaigns(editor: Editor) -> impl IntoView {
    view! {
        <p class="help">"When the chat speaks first: bubbles, popups, banners and lead forms. Only live campaigns show; \
            try them in the campaign simulator and the live preview before publishing."</p>
        <fieldset>
            <legend>"Limits over all campaigns"</legend>
            <div class="row">
                <NumberField editor=editor path="campaign_limits.per_session" label="Per visit" />
                <NumberField editor=editor path="campaign_limits.per_day" label="Per 24 hours" />
                <NumberField editor=editor path="campaign_limits.quiet_after_chat_seconds" label="Quiet seconds after a chat message" />
            </div>
        </fieldset>
        {item_list(editor, "campaigns", "campaign", |_| json!({
            "id": "", "name": "", "status": "draft", "trigger": {"kind": "page_view"},
            "content": {"text": ""}, "action": {"kind": "open_chat"}
        }), move |path, _| view! { <CampaignEditor editor=editor path=path /> }.into_any())}
    }
}

#[component]
fn CampaignEditor(editor: Editor, path: String) -> impl IntoView {
    let p = move |field: &str| format!("{path}.{field}");
    let p = std::sync::Arc::new(p);
    let p = move |field: &str| p(field);
    let trigger_kind = {
        let path = p("trigger.kind");
        move || editor.doc.with(|doc| document::text(doc, &path))
    };
    let action_kind = {
        let path = p("action.kind");
        move || editor.doc.with(|doc| document::text(doc, &path))
    };
    let (trigger, action) = (p("trigger"), p("action"));
    let has_goal = {
        let path = p("goal");
        move || {
            editor
                .doc
                .with(|doc| document::get(doc, &path).is_some_and(Value::is_object))
        }
    };
    let has_goal_shown = has_goal.clone();
    let goal_path = p("goal");
    let goal_id = field_id(&goal_path);
    view! {
        <div class="row">
            <TextField editor=editor path=p("id") label="Id" help="Kept in reports: renaming it starts afresh." />
            <TextField editor=editor path=p("name") label="Name" help="For your team; visitors never see it." />
            <SelectField editor=editor path=p("status") label="Status" options=options(&[
                ("draft", "Draft (never shown)"), ("live", "Live"), ("paused", "Paused"), ("archived", "Archived"),
            ]) />
            <NumberField editor=editor path=p("priority") label="Priority" help="Higher shows first." />
        </div>
        <details open>
            <summary>"When"</summary>
            <div class="row">
                <TextField editor=editor path=p("schedule.starts") label="Starts (optional)" optional=true help="e.g. 2026-12-01T00:00:00Z" />
                <TextField editor=editor path=p("schedule.ends") label="Ends (optional)" optional=true />
                <SelectField editor=editor path=p("schedule.hours") label="Business hours" options=options(&[
                    ("any", "Any time"), ("open", "Only while open"), ("closed", "Only while closed"),
                ]) />
            </div>
            <KindSelect editor=editor path=trigger.clone() label="Trigger" kinds=&TRIGGERS />
            {move || match trigger_kind().as_str() {
                "dwell" | "site_time" | "inactivity" | "waiting_for_person" =>
                    view! { <NumberField editor=editor path=format!("{trigger}.seconds") label="Seconds" /> }.into_any(),
                "scroll" => view! { <NumberField editor=editor path=format!("{trigger}.percent") label="Percent of the page" /> }.into_any(),
                "click" => view! { <TextField editor=editor path=format!("{trigger}.selector") label="CSS selector of the element" /> }.into_any(),
                "event" => view! { <TextField editor=editor path=format!("{trigger}.name") label="Event name" /> }.into_any(),
                _ => ().into_any(),
            }}
        </details>
        <details open>
            <summary>"Where and to whom"</summary>
            <SelectField editor=editor path=p("pages.match") label="Pages: show when"
                options=options(&[("any", "any rule matches"), ("all", "every rule matches")]) />
            {item_list(editor, &p("pages.rules"), "page rule", |_| json!({"op": "starts_with", "value": "/"}), move |rule, _| view! {
                <div class="row">
                    <SelectField editor=editor path=format!("{rule}.op") label="The page's path" options=string_ops() />
                    <TextField editor=editor path=format!("{rule}.value") label="Value" />
                </div>
            }.into_any())}
            <AudienceEditor editor=editor path=p("audience") />
            <SelectField editor=editor path=p("staffing") label="People online" options=options(&[
                ("any", "Whoever is online"), ("people_online", "Only when someone can answer"), ("nobody_online", "Only when nobody can"),
            ]) />
        </details>
        <details open>
            <summary>"How often"</summary>
            <ShowSelect editor=editor path=p("frequency.show") />
            <div class="row">
                <NumberField editor=editor path=p("frequency.after_dismiss_days") label="Days quiet after being closed" />
                <NumberField editor=editor path=p("frequency.after_goal_days") label="Days quiet after its goal" />
            </div>
        </details>
        <details open>
            <summary>"What it says and does"</summary>
            <SelectField editor=editor path=p("format") label="Format" options=options(&[
                ("bubble", "A message beside the launcher"), ("popup", "A popup card"), ("banner_top", "A bar at the top"), ("banner", "A bar at the bottom"),
            ]) />
            <ContentFields editor=editor path=p("content") />
            <KindSelect editor=editor path=action.clone() label="A click" kinds=&ACTIONS />
            {move || match action_kind().as_str() {
                "open_chat" => view! {
                    <TextField editor=editor path=format!("{action}.message") label="Message put in the chat (optional)" optional=true />
                    <CheckField editor=editor path=format!("{action}.send") label="Send it at once" />
                }.into_any(),
                "handoff" => view! { <TextField editor=editor path=format!("{action}.team") label="Team id" /> }.into_any(),
                "link" => view! { <TextField editor=editor path=format!("{action}.url") label="URL" input=Input::Url /> }.into_any(),
                "lead_form" => view! {
                    <LeadFields editor=editor path=format!("{action}.fields") />
                    <TextField editor=editor path=format!("{action}.consent") label="Consent text (optional)" optional=true />
                    <TextField editor=editor path=format!("{action}.team") label="Team that gets the lead (optional)" optional=true />
                    <TextField editor=editor path=format!("{action}.thanks") label="Thanks message" />
                }.into_any(),
                _ => ().into_any(),
            }}
        </details>
        <details>
            <summary>"A/B variants, holdout and goal"</summary>
            {item_list(editor, &p("variants"), "variant", |_| json!({"id": "", "weight": 1, "content": {"text": ""}}), move |variant, _| view! {
                <div class="row">
                    <TextField editor=editor path=format!("{variant}.id") label="Variant id" />
                    <NumberField editor=editor path=format!("{variant}.weight") label="Weight" />
                </div>
                <ContentFields editor=editor path=format!("{variant}.content") />
            }.into_any())}
            <NumberField editor=editor path=p("holdout_percent") label="Holdout: percent of visitors who never see it (the control)" />
            <div class="field check">
                <input type="checkbox" id=goal_id.clone() prop:checked=has_goal
                    on:change=move |event| editor.set(&goal_path, if event_target_checked(&event) {
                        json!({"event": "", "within_days": 7})
                    } else {
                        Value::Null
                    }) />
                <label for=goal_id>"Count a conversion when the page tracks an event after a view"</label>
            </div>
            <Show when=has_goal_shown>
                <div class="row">
                    <TextField editor=editor path=p("goal.event") label="Goal event" />
                    <NumberField editor=editor path=p("goal.within_days") label="Within days" />
                </div>
            </Show>
        </details>
    }
}

#[component]
fn ContentFields(editor: Editor, path: String) -> impl IntoView {
    view! {
        <div class="row">
            <TextField editor=editor path=format!("{path}.from") label="From (optional)" optional=true help="A team id or a person's name." />
            <TextField editor=editor path=format!("{path}.title") label="Title (optional)" optional=true />
            <TextField editor=editor path=format!("{path}.button") label="Button (optional)" optional=true />
        </div>
        <TextField editor=editor path=format!("{path}.text") label="Text" input=Input::Lines help="Markdown, like answers." />
    }
}

/// A choice of kind that writes the kind's defaults at `path`.
#[component]
fn KindSelect(
    editor: Editor,
    path: String,
    label: &'static str,
    kinds: &'static [Kind],
) -> impl IntoView {
    let id = field_id(&format!("{path}.kind"));
    let read = format!("{path}.kind");
    let current = move || editor.doc.with(|doc| document::text(doc, &read));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id data-field=format!("{path}.kind") prop:value=current
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    if let Some((_, _, fresh)) = kinds.iter().find(|(kind, _, _)| *kind == chosen) {
                        editor.set(&path, fresh());
                    }
                }>
                {kinds.iter().map(|(kind, text, _)| view! { <option value=*kind>{*text}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// `frequency.show`: once, until engaged, always, or at most N times.
#[component]
fn ShowSelect(editor: Editor, path: String) -> impl IntoView {
    let id = field_id(&path);
    let read = path.clone();
    let current = move || {
        editor.doc.with(|doc| match document::get(doc, &read) {
            Some(Value::Object(_)) => "max".to_string(),
            Some(Value::String(kind)) => kind.clone(),
            _ => "once".to_string(),
        })
    };
    let write = path.clone();
    let max_path = format!("{path}.max");
    view! {
        <div class="field">
            <label for=id.clone()>"Show it"</label>
            <select id=id prop:value=current.clone() on:change=move |event| {
                let chosen = event_target_value(&event);
                editor.set(&write, if chosen == "max" { json!({"max": 3}) } else { Value::String(chosen) });
            }>
                <option value="once">"Once per visitor"</option>
                <option value="until_engaged">"Until the visitor clicks it"</option>
                <option value="always">"Every time it triggers"</option>
                <option value="max">"At most a number of times"</option>
            </select>
        </div>
        <Show when=move || current() == "max">
            <NumberField editor=editor path=max_path.clone() label="Times at most" />
        </Show>
    }
}
