// long: the page's state (working copy, autosave, problems, publish base) is one piece; each section, tool and
// control is in `studio/`.
//! The studio (`#studio`, admins only): everything in the site's configuration, edited without code. It edits a
//! working copy of the draft (or of the published configuration when there is no draft), saves it as the draft a
//! moment after each change (so unsaved work is kept, and the console warns before leaving while a save is
//! pending), shows every problem beside its field as `baton check` words it (computed here with `shared`'s
//! validation, and the worker's own list after each save), and publishes with a note after showing what changes.
//! Beside the sections: the test bench (what the draft would answer), the campaign simulator, the live preview and
//! the history of versions.

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::AgentRole;
use baton_shared::protocol::site_config::{ConfigProblem, PublishedConfig, SaveDraft};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::api::SignedIn;

mod appearance;
mod audience;
mod basics;
mod bench;
mod campaigns;
mod changes;
mod contrast;
mod csv;
pub mod document;
mod faq;
mod fields;
mod handoff;
mod history;
mod hours;
mod knowledge;
mod lists;
mod outcome;
mod preview;
mod publish;
mod simulator;
mod teams;
#[cfg(test)]
mod tests;
mod webhook_test;
mod wiring;

/// The hash of the studio page.
pub const PAGE: &str = "studio";

/// Whether a location hash (without `#`) shows the studio.
pub fn is_studio(hash: &str) -> bool {
    hash.split('&').next() == Some(PAGE)
}

/// The part a studio hash shows (`studio&part=bench`); the FAQ by default.
pub fn part_of(hash: &str) -> Part {
    hash.split('&')
        .filter_map(|pair| pair.strip_prefix("part="))
        .find_map(|key| Part::ALL.into_iter().find(|part| part.key() == key))
        .unwrap_or(Part::Faq)
}

/// The question a studio hash asks to add to the FAQ (`studio&part=faq&add=…`, from the reports' unanswered
/// questions).
pub fn question_to_add(hash: &str) -> Option<String> {
    hash.split('&')
        .filter_map(|pair| pair.strip_prefix("add="))
        .find_map(|encoded| js_sys::decode_uri_component(encoded).ok())
        .map(String::from)
        .map(|question| question.trim().to_string())
        .filter(|question| !question.is_empty())
}

/// Adds `question` as a new FAQ entry, its answer left to write, unless an entry already asks it.
fn add_question(editor: Editor, question: &str) {
    let asked = editor.doc.with_untracked(|doc| {
        doc.get("faq")
            .and_then(Value::as_array)
            .is_some_and(|entries| {
                entries.iter().any(|entry| {
                    entry
                        .get("question")
                        .and_then(Value::as_str)
                        .is_some_and(|known| known.trim().eq_ignore_ascii_case(question))
                })
            })
    });
    if asked {
        return;
    }
    let id = crate::dashboard::entry_id(question);
    editor.update(|doc| {
        let Some(config) = doc.as_object_mut() else {
            return;
        };
        let faq = config
            .entry("faq")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(entries) = faq.as_array_mut() {
            let taken = |id: &str| {
                entries
                    .iter()
                    .any(|entry| entry.get("id").and_then(Value::as_str) == Some(id))
            };
            let id = (1..)
                .map(|n| {
                    if n == 1 {
                        id.clone()
                    } else {
                        format!("{id}-{n}")
                    }
                })
                .find(|id| !taken(id))
                .unwrap_or_default();
            entries.push(serde_json::json!({"id": id, "question": question, "answer": ""}));
        }
    });
}

/// The working copy and its problems: what every field is handed.
#[derive(Clone, Copy)]
pub struct Editor {
    pub doc: RwSignal<Value>,
    /// The problems `shared`'s validation finds in the working copy.
    pub local: Memo<Vec<ConfigProblem>>,
    /// The problems the worker listed for the draft it stored, and the edit they are for.
    pub server: RwSignal<(u64, Vec<ConfigProblem>)>,
    /// Edits so far (each one schedules a save).
    pub edits: RwSignal<u64>,
}

impl Editor {
    /// Writes `value` at `path` (`Value::Null` leaves an optional field out).
    pub fn set(&self, path: &str, value: Value) {
        self.update(|doc| document::set(doc, path, value));
    }

    /// Changes the working copy.
    pub fn update(&self, change: impl FnOnce(&mut Value)) {
        self.doc.update(change);
        self.edits.update(|edits| *edits += 1);
    }

    /// Every problem known now: the browser's, and the worker's for the current working copy.
    pub fn problems(&self) -> Vec<ConfigProblem> {
        let mut problems = self.local.get();
        let edits = self.edits.get();
        self.server.with(|(saved, server)| {
            if *saved == edits {
                for problem in server {
                    if !problems.contains(problem) {
                        problems.push(problem.clone());
                    }
                }
            }
        });
        problems
    }

    /// The problems at exactly `path`.
    pub fn problems_at(&self, path: &str) -> Vec<String> {
        self.problems()
            .into_iter()
            .filter(|problem| problem.path == path)
            .map(|problem| problem.problem)
            .collect()
    }

    /// The working copy as a configuration, when it parses.
    pub fn config(&self) -> Option<SiteConfig> {
        self.doc
            .with(|doc| serde_json::from_value::<SiteConfig>(doc.clone()).ok())
    }
}

/// The problems of a working copy, as `baton check` words them: its JSON's shape first, then every rule.
pub fn check(doc: &Value) -> Vec<ConfigProblem> {
    match serde_json::from_value::<SiteConfig>(doc.clone()) {
        Ok(config) => config
            .validate()
            .into_iter()
            .map(|error| ConfigProblem {
                path: error.path,
                problem: error.problem,
            })
            .collect(),
        Err(error) => vec![ConfigProblem {
            path: "configuration".into(),
            problem: error.to_string(),
        }],
    }
}

/// A part of the page: a section of the configuration, or a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Basics,
    Hours,
    Teams,
    Faq,
    Knowledge,
    Handoff,
    Appearance,
    Campaigns,
    Wiring,
    Bench,
    Simulator,
    Preview,
    Publish,
    History,
}

impl Part {
    pub const ALL: [Part; 14] = [
        Part::Basics,
        Part::Hours,
        Part::Teams,
        Part::Faq,
        Part::Knowledge,
        Part::Handoff,
        Part::Appearance,
        Part::Campaigns,
        Part::Wiring,
        Part::Bench,
        Part::Simulator,
        Part::Preview,
        Part::Publish,
        Part::History,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Part::Basics => "basics",
            Part::Hours => "hours",
            Part::Teams => "teams",
            Part::Faq => "faq",
            Part::Knowledge => "knowledge",
            Part::Handoff => "handoff",
            Part::Appearance => "appearance",
            Part::Campaigns => "campaigns",
            Part::Wiring => "wiring",
            Part::Bench => "bench",
            Part::Simulator => "simulator",
            Part::Preview => "preview",
            Part::Publish => "publish",
            Part::History => "history",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Part::Basics => "Basics",
            Part::Hours => "Business hours",
            Part::Teams => "Teams and routing",
            Part::Faq => "FAQ",
            Part::Knowledge => "Knowledge and replies",
            Part::Handoff => "Handoff and pre-chat form",
            Part::Appearance => "Appearance",
            Part::Campaigns => "Campaigns",
            Part::Wiring => "AI, webhooks and retention",
            Part::Bench => "Test bench",
            Part::Simulator => "Campaign simulator",
            Part::Preview => "Live preview",
            Part::Publish => "Publish",
            Part::History => "History",
        }
    }

    /// The configuration's top-level fields this part edits (its problems are counted on its tab).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Part::Basics => &[
                "id",
                "name",
                "allowed_origins",
                "locale",
                "timezone",
                "messages",
                "synonyms",
                "configuration",
            ],
            Part::Hours => &["business_hours"],
            Part::Teams => &["teams"],
            Part::Faq => &["faq"],
            Part::Knowledge => &["knowledge", "canned_replies"],
            Part::Handoff => &["handoff", "pre_chat"],
            Part::Appearance => &["appearance"],
            Part::Campaigns => &["campaigns", "campaign_limits"],
            Part::Wiring => &[
                "ai",
                "webhooks",
                "turnstile",
                "retention_days",
                "metrics_retention_days",
                "goals",
                "conversion_window_days",
            ],
            Part::Bench => &["regression_questions"],
            _ => &[],
        }
    }

    /// Whether a problem at `path` belongs to this part.
    pub fn holds(self, path: &str) -> bool {
        let top = path.split(['.', '[']).next().unwrap_or_default();
        self.fields().contains(&top)
    }
}

/// Where the draft stands against the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Saving {
    /// Nothing edited since it was loaded.
    Unchanged,
    /// Edited; the save waits for a pause in typing.
    Pending,
    InFlight,
    /// Saved as the draft (by the edit counter it holds).
    Saved,
    Failed(String),
}

/// The published configuration and how far the draft is from it: what the tools and publishing read.
#[derive(Clone, Copy)]
pub struct Studio {
    pub agent: StoredValue<SignedIn>,
    pub editor: Editor,
    pub published: RwSignal<Option<PublishedConfig>>,
    /// The published version the draft was started from.
    pub base_version: RwSignal<u32>,
    pub saving: RwSignal<Saving>,
    /// Whether a draft is stored on the worker.
    pub has_draft: RwSignal<bool>,
    /// The edit counter of the last save the worker stored.
    pub saved_edits: RwSignal<u64>,
    /// Shown to the admin after a reload ("someone else published version 7").
    pub notice: RwSignal<Option<String>>,
}

impl Studio {
    /// Loads the published configuration and the draft (again, after a conflict), replacing the working copy.
    pub fn load(self) {
        let client = self.agent.with_value(|agent| agent.client.clone());
        spawn_local(async move {
            match client.config_state().await {
                Ok(state) => {
                    let (doc, base, problems) = match &state.draft {
                        Some(draft) => (
                            draft.config.clone(),
                            draft.base_version,
                            draft.problems.clone(),
                        ),
                        None => (
                            serde_json::to_value(&state.published.config).unwrap_or_default(),
                            state.published.version,
                            Vec::new(),
                        ),
                    };
                    self.editor.doc.try_set(doc);
                    self.editor.edits.try_set(0);
                    self.saved_edits.try_set(0);
                    self.editor.server.try_set((0, problems));
                    self.base_version.try_set(base);
                    self.has_draft.try_set(state.draft.is_some());
                    self.published.try_set(Some(state.published));
                    self.saving.try_set(Saving::Unchanged);
                }
                Err(message) => {
                    self.saving.try_set(Saving::Failed(format!(
                        "Could not load the configuration: {message}"
                    )));
                }
            }
        });
    }

    /// Saves the working copy as the draft now.
    pub fn save(self) {
        let edits = self.editor.edits.get_untracked();
        let body = SaveDraft {
            config: self.editor.doc.get_untracked(),
            base_version: self.base_version.get_untracked(),
        };
        let client = self.agent.with_value(|agent| agent.client.clone());
        self.saving.set(Saving::InFlight);
        spawn_local(async move {
            match client.save_draft(&body).await {
                Ok(draft) => {
                    self.editor.server.try_set((edits, draft.problems));
                    self.saved_edits.try_set(edits);
                    self.has_draft.try_set(true);
                    let newer = self.editor.edits.try_get_untracked().unwrap_or(edits) != edits;
                    if newer {
                        // Edited while this save was in flight (its timer found it busy): save those too.
                        self.save();
                    } else {
                        self.saving.try_set(Saving::Saved);
                    }
                }
                Err(refusal) => {
                    self.saving.try_set(Saving::Failed(format!(
                        "Could not save the draft: {}",
                        refusal.message
                    )));
                }
            }
        });
    }

    /// Whether edits are not yet stored as the draft.
    pub fn unsaved(self) -> bool {
        self.editor.edits.get() != self.saved_edits.get()
    }
}

/// How long after the last change the draft is saved.
const SAVE_AFTER_MS: u64 = 800;

#[component]
pub fn StudioPage(
    agent: SignedIn,
    /// The location hash (without `#`): `studio&part=…` says which part shows.
    hash: Signal<String>,
    /// Set while edits are not saved yet: the console asks before leaving the page.
    unsaved: RwSignal<bool>,
) -> impl IntoView {
    if agent.session.agent.role != AgentRole::Admin {
        return view! {
            <main class="studio" data-testid="studio-denied">
                <h1>"Studio"</h1>
                <p class="error" role="alert">"The studio is for admins only. Ask an admin of this site to change its configuration."</p>
            </main>
        }
        .into_any();
    }
    let doc = RwSignal::new(Value::Null);
    let local = Memo::new(move |_| {
        doc.with(|doc| {
            if doc.is_null() {
                Vec::new()
            } else {
                check(doc)
            }
        })
    });
    let editor = Editor {
        doc,
        local,
        server: RwSignal::new((0, Vec::new())),
        edits: RwSignal::new(0),
    };
    let studio = Studio {
        agent: StoredValue::new(agent),
        editor,
        published: RwSignal::new(None),
        base_version: RwSignal::new(0),
        saving: RwSignal::new(Saving::Unchanged),
        has_draft: RwSignal::new(false),
        saved_edits: RwSignal::new(0),
        notice: RwSignal::new(None),
    };
    studio.load();

    // Each edit schedules a save; a later edit pushes it back.
    Effect::new(move |_| {
        let edits = editor.edits.get();
        if edits == 0 {
            return;
        }
        studio.saving.set(Saving::Pending);
        set_timeout(
            move || {
                if editor.edits.try_get_untracked() == Some(edits)
                    && studio.saving.try_get_untracked() != Some(Saving::InFlight)
                {
                    studio.save();
                }
            },
            std::time::Duration::from_millis(SAVE_AFTER_MS),
        );
    });
    Effect::new(move |_| unsaved.set(studio.unsaved()));
    on_cleanup(move || {
        unsaved.try_set(false);
    });
    let leave = window_event_listener(leptos::ev::beforeunload, move |event| {
        if studio.editor.edits.get_untracked() != studio.saved_edits.get_untracked() {
            event.prevent_default();
            event.set_return_value("Your last changes are still being saved.");
        }
    });
    on_cleanup(move || leave.remove());

    // The part is in the address, so Back returns to the previous part and a part can be linked to.
    let part = Memo::new(move |_| part_of(&hash.get()));
    let show = move |shown: Part| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .location()
                .set_hash(&format!("{PAGE}&part={}", shown.key()));
        }
    };
    let loaded = move || studio.published.with(Option::is_some);
    // A question from the reports' "Add to the FAQ": added once the configuration is here, then the address
    // forgets it (replaced, so Back does not add it again).
    Effect::new(move |_| {
        let Some(question) = question_to_add(&hash.get()) else {
            return;
        };
        if !loaded() {
            return;
        }
        add_question(editor, &question);
        if let Some(window) = web_sys::window() {
            let _ = window
                .location()
                .replace(&format!("#{PAGE}&part={}", Part::Faq.key()));
        }
    });
    view! {
        <main class="studio" data-testid="studio" data-loaded=move || loaded().to_string()>
            <header class="studio-head">
                <h1>"Studio"</h1>
                <SaveStatus studio=studio />
                <button type="button" data-testid="studio-go-publish" on:click=move |_| show(Part::Publish)>
                    "Review and publish…"
                </button>
            </header>
            {move || {
                let unreadable = editor.problems_at("configuration");
                (!unreadable.is_empty()).then(|| view! {
                    <p class="problem" role="alert" data-testid="studio-problem" data-path="configuration">
                        {format!("Baton cannot read the draft: {}", unreadable.join("; "))}
                    </p>
                })
            }}
            {move || studio.notice.get().map(|notice| view! {
                <p class="notice" role="status" data-testid="studio-notice">{notice}</p>
            })}
            <div class="studio-columns">
                <nav class="studio-parts" aria-label="Studio sections">
                    <ul>
                        {Part::ALL.into_iter().map(|each| {
                            let count = move || editor.problems().iter().filter(|problem| each.holds(&problem.path)).count();
                            view! {
                                <li>
                                    <button type="button" data-testid=format!("studio-part-{}", each.key())
                                        aria-current=move || (part.get() == each).then_some("true")
                                        on:click=move |_| show(each)>
                                        {each.title()}
                                        {move || (count() > 0).then(|| view! {
                                            <span class="badge" data-testid="studio-part-problems">
                                                {format!("{} problem{}", count(), if count() == 1 { "" } else { "s" })}
                                            </span>
                                        })}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </nav>
                <section class="studio-part" data-testid=move || format!("studio-section-{}", part.get().key())
                    aria-labelledby="studio-part-title">
                    <h2 id="studio-part-title">{move || part.get().title()}</h2>
                    <Show when=loaded fallback=|| view! { <p role="status">"Loading the configuration…"</p> }>
                        {move || match part.get() {
                            Part::Basics => view! { <basics::Basics editor=editor /> }.into_any(),
                            Part::Hours => view! { <hours::Hours editor=editor /> }.into_any(),
                            Part::Teams => view! { <teams::Teams editor=editor /> }.into_any(),
                            Part::Faq => view! { <faq::Faq editor=editor /> }.into_any(),
                            Part::Knowledge => view! { <knowledge::Knowledge editor=editor /> }.into_any(),
                            Part::Handoff => view! { <handoff::Handoff editor=editor /> }.into_any(),
                            Part::Appearance => view! { <appearance::Appearance editor=editor /> }.into_any(),
                            Part::Campaigns => view! { <campaigns::Campaigns editor=editor /> }.into_any(),
                            Part::Wiring => view! { <wiring::Wiring editor=editor studio=studio /> }.into_any(),
                            Part::Bench => view! { <bench::Bench studio=studio /> }.into_any(),
                            Part::Simulator => view! { <simulator::Simulator studio=studio /> }.into_any(),
                            Part::Preview => view! { <preview::Preview studio=studio /> }.into_any(),
                            Part::Publish => view! { <publish::Publish studio=studio /> }.into_any(),
                            Part::History => view! { <history::History studio=studio /> }.into_any(),
                        }}
                    </Show>
                </section>
            </div>
        </main>
    }
    .into_any()
}

/// Where the draft stands, with a retry when a save failed.
#[component]
fn SaveStatus(studio: Studio) -> impl IntoView {
    view! {
        <p class="save-status" role="status" data-testid="studio-save-status"
            data-state=move || match studio.saving.get() {
                Saving::Unchanged => "unchanged",
                Saving::Pending => "pending",
                Saving::InFlight => "saving",
                Saving::Saved => "saved",
                Saving::Failed(_) => "failed",
            }>
            {move || match studio.saving.get() {
                Saving::Unchanged if studio.has_draft.get() => "Editing the saved draft.".to_string(),
                Saving::Unchanged => "No changes yet: you are looking at the published configuration.".to_string(),
                Saving::Pending => "Changes not saved yet…".to_string(),
                Saving::InFlight => "Saving the draft…".to_string(),
                Saving::Saved => "All changes saved as a draft (not published).".to_string(),
                Saving::Failed(message) => message,
            }}
            {move || matches!(studio.saving.get(), Saving::Failed(_)).then(|| view! {
                " " <button type="button" on:click=move |_| studio.save()>"Try again"</button>
            })}
        </p>
    }
}
