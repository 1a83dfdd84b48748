//! The history: every published version (number, author, time, note, what it restored), the readable diff between
//! any two, and restoring one (a new version equal to it), after a confirmation.

use baton_shared::protocol::site_config::{ConfigDiff, RestoreVersion, VersionList};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Studio;
use super::changes::ChangeList;

#[component]
pub fn History(studio: Studio) -> impl IntoView {
    let list = RwSignal::new(None::<Result<VersionList, String>>);
    let from = RwSignal::new(0u32);
    let to = RwSignal::new(0u32);
    let diff = RwSignal::new(None::<Result<ConfigDiff, String>>);
    let status = RwSignal::new(None::<Result<String, String>>);
    let client = move || studio.agent.with_value(|agent| agent.client.clone());
    let reload = move || {
        let client = client();
        spawn_local(async move {
            let answer = client.versions().await;
            if let Ok(versions) = &answer {
                to.try_set(versions.published);
                from.try_set(versions.published.saturating_sub(1).max(1));
            }
            list.try_set(Some(answer));
        });
    };
    reload();
    Effect::new(move |_| {
        let (from, to) = (from.get(), to.get());
        if from == 0 || to == 0 {
            return;
        }
        let client = client();
        spawn_local(async move {
            diff.try_set(Some(
                client.config_diff(&from.to_string(), &to.to_string()).await,
            ));
        });
    });
    let restore = move |version: u32| {
        let confirmed = web_sys::window()
            .and_then(|window| window.confirm_with_message(&format!(
                "Publish a new version equal to version {version}? Visitors get it at once; your draft is kept."
            )).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let base = studio.published.with_untracked(|published| {
            published.as_ref().map_or(0, |published| published.version)
        });
        let client = client();
        spawn_local(async move {
            let body = RestoreVersion {
                note: format!("Restored version {version}"),
                base_version: base,
            };
            match client.restore(version, &body).await {
                Ok(summary) => {
                    status.try_set(Some(Ok(format!(
                        "Version {version} restored as version {}.",
                        summary.version
                    ))));
                    reload();
                    // Without a draft the working copy is the published configuration: it becomes the restored
                    // one. A draft is kept, on its old base (publishing it then says what the restore changed).
                    if studio.has_draft.get_untracked() {
                        if let Ok(state) = client.config_state().await {
                            studio.published.try_set(Some(state.published));
                        }
                    } else {
                        studio.load();
                    }
                }
                Err(refusal) => {
                    status.try_set(Some(Err(format!("Not restored: {}", refusal.message))));
                }
            }
        });
    };
    let version_select = move |label: &'static str, id: &'static str, chosen: RwSignal<u32>| {
        view! {
            <label for=id>{label}</label>
            <select id=id data-testid=format!("studio-{id}") prop:value=move || chosen.get().to_string()
                on:change=move |event| if let Ok(version) = event_target_value(&event).parse() { chosen.set(version) }>
                {move || list.with(|list| match list {
                    Some(Ok(list)) => list.versions.iter().map(|summary| {
                        let version = summary.version;
                        view! { <option value=version.to_string() selected=move || chosen.get() == version>{format!("Version {version}")}</option> }
                    }).collect_view().into_any(),
                    _ => ().into_any(),
                })}
            </select>
        }
    };
    view! {
        {move || status.get().map(|status| match status {
            Ok(done) => view! { <p role="status" data-testid="studio-restored">{done}</p> }.into_any(),
            Err(problem) => view! { <p class="error" role="alert">{problem}</p> }.into_any(),
        })}
        {move || match list.get() {
            None => view! { <p role="status">"Loading the history…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{format!("Could not load the history: {message}")}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <div class="table-scroll">
                    <table class="versions" data-testid="studio-versions">
                        <thead><tr><th scope="col">"Version"</th><th scope="col">"By"</th><th scope="col">"When"</th><th scope="col">"Note"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {list.versions.into_iter().map(|summary| {
                                let version = summary.version;
                                let published = version == list.published;
                                view! {
                                    <tr data-testid="studio-version" data-version=version.to_string()>
                                        <td>{format!("{version}{}", if published { " (published)" } else { "" })}</td>
                                        <td>{summary.author.name}</td>
                                        <td>{when(summary.published_at_ms)}</td>
                                        <td>{summary.note}{summary.restored_from.map(|from| format!(" (restored from version {from})"))}</td>
                                        <td>{(!published).then(|| view! {
                                            <button type="button" data-testid="studio-restore" on:click=move |_| restore(version)>
                                                {format!("Restore version {version}")}
                                            </button>
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
        }}
        <h3>"Compare two versions"</h3>
        <div class="row compare">
            {version_select("From", "diff-from", from)}
            {version_select("To", "diff-to", to)}
        </div>
        {move || diff.get().map(|diff| match diff {
            Ok(diff) => view! { <ChangeList diff=diff /> }.into_any(),
            Err(message) => view! { <p class="error" role="alert">{format!("Could not compare: {message}")}</p> }.into_any(),
        })}
    }
}

/// A time in the browser's zone, as the browser writes it.
fn when(ms: u64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64))
        .to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}
