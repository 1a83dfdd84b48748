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

/// `faq[2].answer` → `FAQ entry 3 › answer`.
pub fn describe(path: &str) -> String {
    let Some(steps) = steps(path) else {
        return path.to_string();
    };
    let mut words: Vec<String> = Vec::new();
    let mut item = "item";
    for (at, step) in steps.iter().enumerate() {
        match step {
            Step::Key(key) if at == 0 => {
                let (name, one) = field_name(key);
                item = one;
                words.push(name.to_string());
            }
            Step::Key(key) => {
                item = "item";
                words.push(key.replace('_', " "));
            }
            Step::Index(index) => {
                let last = words.pop().unwrap_or_default();
                let named = if at == 1 {
                    item.to_string()
                } else {
                    format!("{last} item")
                };
                if at != 1 && !last.is_empty() {
                    words.push(last);
                }
                words.push(format!("{named} {}", index + 1));
            }
        }
    }
    words.join(" › ")
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
        return view! { <p class="muted" data-testid="studio-diff-empty">"No differences."</p> }.into_any();
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
