//! Publishing: what the draft changes (the worker's structured diff, in words), which regression questions it
//! changes, the problems that stop it, a note, and the publish itself. When someone else published meanwhile
//! (409), the studio puts the draft's own changes on top of their version (a three-way merge), lists what they
//! changed and the fields both changed (the draft's value wins there), and the admin publishes again.

use baton_shared::config::merge::merge;
use baton_shared::protocol::site_config::{ConfigDiff, PublishDraft};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::bench::ReplayTable;
use super::changes::{ChangeList, describe};
use super::{Saving, Studio};

#[component]
pub fn Publish(studio: Studio) -> impl IntoView {
    let diff = RwSignal::new(None::<Result<ConfigDiff, String>>);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let client = move || studio.agent.with_value(|agent| agent.client.clone());
    // The diff of the saved draft against the published version, asked again once each save lands.
    Effect::new(move |_| {
        let saved = studio.saved_edits.get();
        let has_draft = studio.has_draft.get();
        let published = studio
            .published
            .with(|published| published.as_ref().map(|published| published.version));
        let _ = saved;
        let (Some(version), true) = (published, has_draft) else {
            diff.set(None);
            return;
        };
        let client = client();
        spawn_local(async move {
            let answer = client.config_diff(&version.to_string(), "draft").await;
            diff.try_set(Some(answer));
        });
    });
    let problems = move || studio.editor.problems();
    let publish = move |_| {
        busy.set(true);
        outcome.set(None);
        let body = PublishDraft {
            note: note.get_untracked(),
            base_version: studio.base_version.get_untracked(),
        };
        let client = client();
        spawn_local(async move {
            match client.publish(&body).await {
                Ok(summary) => {
                    outcome.try_set(Some(Ok(format!(
                        "Published version {}. Visitors get it now (widgets within a few minutes).",
                        summary.version
                    ))));
                    note.try_set(String::new());
                    studio.notice.try_set(None);
                    studio.load();
                }
                Err(refusal) if refusal.status == Some(409) => {
                    conflict(studio, body.base_version).await;
                    outcome.try_set(Some(Err(format!("Not published: {}", refusal.message))));
                }
                Err(refusal) => {
                    outcome.try_set(Some(Err(format!("Not published: {}", refusal.message))));
                }
            }
            busy.try_set(false);
        });
    };
    let discard = move |_| {
        let confirmed = web_sys::window()
            .and_then(|window| {
                window
                    .confirm_with_message(
                        "Throw the draft away and go back to the published configuration?",
                    )
                    .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let client = client();
        spawn_local(async move {
            match client.discard_draft().await {
                Ok(()) => studio.load(),
                Err(refusal) => {
                    outcome.try_set(Some(Err(format!(
                        "Could not discard the draft: {}",
                        refusal.message
                    ))));
                }
            }
        });
    };
    let blocked = move || {
        busy.get()
            || !problems().is_empty()
            || !studio.has_draft.get()
            || studio.saving.get() != Saving::Saved && studio.unsaved()
    };
    view! {
        <p class="help">{move || format!(
            "The draft was started from version {}; version {} is published now.",
            studio.base_version.get(),
            studio.published.with(|published| published.as_ref().map_or(0, |published| published.version)),
        )}</p>
        <h3>"What changes"</h3>
        {move || match diff.get() {
            None if !studio.has_draft.get() => view! { <p class="muted" data-testid="studio-diff-empty">"No draft: edit a section first."</p> }.into_any(),
            None => view! { <p role="status">"Comparing the draft with the published version…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{format!("Could not compare: {message}")}</p> }.into_any(),
            Some(Ok(diff)) => view! { <ChangeList diff=diff /> }.into_any(),
        }}
        <h3>"Regression questions the draft changes"</h3>
        <ReplayTable studio=studio only_changed=true />
        {move || {
            let problems = problems();
            (!problems.is_empty()).then(|| view! {
                <div class="problems" role="alert" data-testid="studio-publish-problems">
                    <h3>{format!("{} problem{} to fix before publishing", problems.len(), if problems.len() == 1 { "" } else { "s" })}</h3>
                    <ul>{problems.into_iter().map(|problem| view! {
                        <li>{format!("{} ({}): {}", describe(&problem.path), problem.path, problem.problem)}</li>
                    }).collect_view()}</ul>
                </div>
            })
        }}
        <form class="publish" on:submit=move |event| { event.prevent_default(); publish(()); }>
            <label for="publish-note">"Note for the history (what and why)"</label>
            <input id="publish-note" data-testid="studio-publish-note" prop:value=move || note.get()
                on:input=move |event| note.set(event_target_value(&event)) />
            <button type="submit" data-testid="studio-publish" disabled=blocked>
                {move || if busy.get() { "Publishing…" } else { "Publish" }}
            </button>
            <button type="button" class="secondary" data-testid="studio-discard" disabled=move || !studio.has_draft.get() on:click=discard>
                "Discard the draft"
            </button>
        </form>
        {move || outcome.get().map(|outcome| match outcome {
            Ok(done) => view! { <p role="status" data-testid="studio-published">{done}</p> }.into_any(),
            Err(problem) => view! { <p class="error" role="alert" data-testid="studio-publish-error">{problem}</p> }.into_any(),
        })}
    }
}

/// Someone else published since `base`: the draft's own changes are put on top of their version (a three-way
/// merge, `shared::config::merge`), which becomes the new base; the notice says what they changed and, where both
/// changed the same field, that the draft's value replaces theirs. The merged draft is saved, ready to publish.
async fn conflict(studio: Studio, base: u32) {
    let client = studio.agent.with_value(|agent| agent.client.clone());
    let Ok(state) = client.config_state().await else {
        return;
    };
    let newest = state.published.version;
    let changed = client
        .config_diff(&base.to_string(), &newest.to_string())
        .await
        .map(|diff| {
            diff.changes
                .iter()
                .map(|change| describe(&change.path))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    let rebased = match client.config_version(base).await {
        Ok(old) => {
            let as_json = |config| serde_json::to_value(config).unwrap_or_default();
            let ours = studio.editor.doc.get_untracked();
            Some(merge(
                &as_json(&old.config),
                &ours,
                &as_json(&state.published.config),
            ))
        }
        Err(_) => None,
    };
    let theirs = if changed.is_empty() {
        "nothing visible".to_string()
    } else {
        changed
    };
    let notice = match &rebased {
        Some(merged) if merged.conflicts.is_empty() => format!(
            "Someone else published version {newest} after you started (from version {base}). They changed: \
             {theirs}. Your changes are now on top of their version, theirs kept: check, then publish."
        ),
        Some(merged) => {
            let paths: Vec<String> = merged
                .conflicts
                .iter()
                .map(|conflict| format!("{} ({})", describe(&conflict.path), conflict.path))
                .collect();
            format!(
                "Someone else published version {newest} after you started (from version {base}). They changed: \
                 {theirs}. Your changes are now on top of their version; where you both changed the same field \
                 your value replaces theirs: {}. Check, then publish.",
                paths.join("; ")
            )
        }
        None => format!(
            "Someone else published version {newest} after you started (from version {base}). They changed: \
             {theirs}. Your draft is kept; check it and publish again to replace their version with yours."
        ),
    };
    if let Some(merged) = rebased {
        studio.editor.update(|doc| *doc = merged.config);
    }
    studio.published.try_set(Some(state.published));
    studio.base_version.try_set(newest);
    studio.notice.try_set(Some(notice));
    // Saved again over the new base, so publishing goes on from it.
    studio.save();
}
