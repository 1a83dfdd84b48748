//! A configuration diff in readable words: each change's field path as a site owner would name it ("FAQ entry 3 ›
//! answer") and its value before → after.

use baton_shared::protocol::site_config::{ChangeKind, ConfigChange, ConfigDiff};
use leptos::prelude::*;
use serde_json::Value;

use super::document::{Step, steps};

/// How the studio names a top-level field and one item of it.
fn field_name(key: &str) -> (&str, &str) {
    match key {
        "faq" => ("FAQ", "FAQ entry"),
        "teams" => ("Teams", "team"),
        "knowledge" => ("Knowledge", "snippet"),
        "campaigns" => ("Campaigns", "campaign"),
        "canned_replies" => ("Canned replies", "canned reply"),
        "webhooks" => ("Webhooks", "webhook"),
        "goals" => ("Goals", "goal"),
        "allowed_origins" => ("Allowed origins", "origin"),
        "regression_questions" => ("Regression questions", "regression question"),
        "business_hours" => ("Business hours", "range"),
        "appearance" => ("Appearance", "item"),
        "handoff" => ("Handoff rules", "topic"),
        "pre_chat" => ("Pre-chat form", "field"),
        "ai" => ("AI", "item"),
        "synonyms" => ("Synonyms", "group"),
        other => (other, "item"),
    }
}

/// `faq[2].answer` → `FAQ entry 3 › answer`; `faq[0].links[1].url` → `FAQ entry 1 › link 2 › url`.
pub fn describe(path: &str) -> String {
    let Some(steps) = steps(path) else {
        return path.to_string();
    };
    let mut words: Vec<String> = Vec::new();
    for (at, step) in steps.iter().enumerate() {
        match step {
            Step::Key(key) if at == 0 => words.push(field_name(key).0.replace('_', " ")),
            Step::Key(key) => words.push(match key.as_str() {
                "mon" => "Monday".into(),
                "tue" => "Tuesday".into(),
                "wed" => "Wednesday".into(),
                "thu" => "Thursday".into(),
                "fri" => "Friday".into(),
                "sat" => "Saturday".into(),
                "sun" => "Sunday".into(),
                other => other.replace('_', " "),
            }),
            Step::Index(index) => {
                let list = words.pop().unwrap_or_default();
                let item = match &steps[at - 1] {
                    Step::Key(key) if at == 1 => field_name(key).1.to_string(),
                    Step::Key(key)
                        if key.len() == 3
                            && words.last().is_some_and(|w| w == "Business hours") =>
                    {
                        words.push(list);
                        "range".to_string()
                    }
                    _ => list.strip_suffix('s').unwrap_or(&list).to_string(),
                };
                words.push(format!("{item} {}", index + 1));
            }
        }
    }
    let mut said = words.join(" › ");
    if let Some(first) = said.get(..1) {
        said = first.to_uppercase() + &said[1..];
    }
    said
}

/// A value as a short text.
pub fn value_text(value: &Option<Value>) -> String {
    match value {
        None => String::new(),
        Some(Value::String(text)) => format!("“{text}”"),
        Some(other) => {
            let text = other.to_string();
            if text.chars().count() > 200 {
                text.chars().take(200).collect::<String>() + "…"
            } else {
                text
            }
        }
    }
}

/// The changes of a diff, each in words.
#[component]
pub fn ChangeList(diff: ConfigDiff) -> impl IntoView {
    if diff.changes.is_empty() {
        return view! { <p class="muted" data-testid="studio-diff-empty">"No differences."</p> }
            .into_any();
    }
    view! {
        <ul class="changes" data-testid="studio-diff">
            {diff.changes.into_iter().map(|ConfigChange { path, kind, before, after }| {
                let what = describe(&path);
                let text = match kind {
                    ChangeKind::Added => format!("{what}: added {}", value_text(&after)),
                    ChangeKind::Removed => format!("{what}: removed (was {})", value_text(&before)),
                    ChangeKind::Changed => format!("{what}: {} → {}", value_text(&before), value_text(&after)),
                };
                view! { <li data-testid="studio-change" data-path=path data-kind=format!("{kind:?}").to_lowercase()>{text}</li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
