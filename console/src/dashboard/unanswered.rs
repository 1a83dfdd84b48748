//! The questions Baton could not answer, most asked first, each with the conversations it came from and an "Add to
//! the FAQ" action: for an admin, a link to the studio's FAQ with a new entry for the question, only its answer left
//! to write (`#studio&part=faq&add=…`); for an agent, who cannot edit the site, a ready FAQ entry (the site file's
//! own format) to copy and hand to an admin.

use baton_shared::config::FaqEntry;
use baton_shared::protocol::agent::AgentRole;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Page, definitions, format, with_report};

/// A FAQ entry's id from its question: lowercase letters, digits and `-`, at most 48 characters.
pub fn entry_id(question: &str) -> String {
    let mut id = String::new();
    for word in question
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if id.len() + word.len() + 1 > 48 {
            break;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word.to_ascii_lowercase());
    }
    if id.is_empty() {
        "new-question".into()
    } else {
        id
    }
}

/// The FAQ entry to paste into the site's `faq`, its answer left empty for the owner to write.
pub fn entry_snippet(question: &str) -> String {
    let entry = FaqEntry {
        id: entry_id(question),
        question: question.trim().to_string(),
        alternates: Vec::new(),
        answer: String::new(),
        tags: Vec::new(),
        links: Vec::new(),
    };
    serde_json::to_string_pretty(&entry).unwrap_or_default()
}

#[component]
pub fn UnansweredList(page: Page) -> impl IntoView {
    let questions =
        move || with_report(&page, |report| report.unanswered.clone()).unwrap_or_default();
    let admin = page
        .agent
        .with_value(|agent| agent.session.agent.role == AgentRole::Admin);
    view! {
        <section class="table-card" data-testid="dashboard-unanswered">
            <h2>"Questions Baton could not answer"</h2>
            <p class="definition">{definitions::UNANSWERED}</p>
            {move || {
                let questions = questions();
                if questions.is_empty() {
                    return view! { <p class="chart-note">"None in this range."</p> }.into_any();
                }
                view! {
                    <ol class="ranked">
                        {questions.into_iter().map(|question| view! { <Question question=question admin=admin /> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// The studio's address that adds `question` to the FAQ as a new entry (`studio::question_to_add` reads it; the
/// studio uses the reports' modules, so this one names its address rather than import it).
pub fn studio_link(question: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(question.trim()).into();
    format!("#studio&part=faq&add={encoded}")
}

#[component]
fn Question(
    question: baton_shared::protocol::metrics::Unanswered,
    /// An admin, who can add it in the studio.
    admin: bool,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let copied = RwSignal::new(None::<&'static str>);
    let snippet = entry_snippet(&question.question);
    let to_copy = snippet.clone();
    let copy = move |_| {
        let text = to_copy.clone();
        spawn_local(async move {
            let done = match web_sys::window().map(|window| window.navigator().clipboard()) {
                Some(clipboard) => {
                    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
                        .await
                        .is_ok()
                }
                None => false,
            };
            copied.set(Some(if done {
                "Copied: hand it to an admin of the site."
            } else {
                "Could not copy: select the text and copy it."
            }));
        });
    };
    let asked = question.count;
    view! {
        <li data-testid="dashboard-unanswered-item">
            <p class="question">"“"{question.question.clone()}"” "<span class="muted">{format!("asked {}", format::counted(asked, "time", "times"))}</span></p>
            <p class="conversations">
                {question.conversation_ids.iter().take(5).map(|id| view! {
                    <a href=format!("#conversation={id}") data-testid="dashboard-unanswered-conversation">{id.chars().take(8).collect::<String>()}"…"</a>" "
                }).collect_view()}
            </p>
            {admin.then(|| view! {
                <a class="link-button" data-testid="dashboard-add-faq" href=studio_link(&question.question)>"Add to the FAQ"</a>
            })}
            {(!admin).then(|| view! {
                <button type="button" data-testid="dashboard-add-faq" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|open| *open = !*open)>"Suggest for the FAQ"</button>
            })}
            <Show when=move || open.get()>
                <div class="faq-snippet">
                    <p>"A new FAQ entry in the site file's format, to hand to an admin of the site, who adds it in the
                        studio and writes its answer."</p>
                    <pre data-testid="dashboard-faq-snippet">{snippet.clone()}</pre>
                    <button type="button" data-testid="dashboard-copy-faq" on:click=copy.clone()>"Copy"</button>
                    <span role="status">{move || copied.get()}</span>
                </div>
            </Show>
        </li>
    }
}
