//! The FAQ: search, add, edit (question, other phrasings, answer with a preview of its Markdown, tags, links),
//! reorder and remove entries; import and export them as CSV.

use baton_shared::config::FaqEntry;
use baton_shared::markdown::{self, Block, Inline};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;

use super::Editor;
use super::csv;
use super::document;
use super::fields::{Input, TextField};
use super::lists::{WordList, filtered_list, item_list};

#[component]
pub fn Faq(editor: Editor) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let shown = move |index: usize| {
        let wanted = search.with(|search| search.trim().to_lowercase());
        if wanted.is_empty() {
            return true;
        }
        editor.doc.with(|doc| {
            document::get(doc, &format!("faq[{index}]"))
                .is_some_and(|entry| entry.to_string().to_lowercase().contains(&wanted))
        })
    };
    let count = move || editor.doc.with(|doc| document::len(doc, "faq"));
    let matching = move || (0..count()).filter(|index| shown(*index)).count();
    view! {
        <p class="help">"Questions the site answers the same way every time. Baton matches visitors' messages \
            against the questions and their other phrasings."</p>
        <div class="toolbar">
            <label class="search">"Search the FAQ "
                <input type="search" data-testid="studio-faq-search" prop:value=move || search.get()
                    on:input=move |event| search.set(event_target_value(&event)) />
            </label>
            <span class="muted" role="status">{move || format!("{} of {} entries", matching(), count())}</span>
            <CsvButtons editor=editor />
        </div>
        {filtered_list(editor, "faq", "entry", |doc| {
            let taken: Vec<String> = doc.get("faq").and_then(Value::as_array).map(|list| list.iter()
                .filter_map(|entry| entry.get("id").and_then(Value::as_str).map(String::from)).collect()).unwrap_or_default();
            let id = (1..).map(|n| format!("entry-{n}")).find(|id| !taken.contains(id)).unwrap_or_default();
            json!({"id": id, "question": "", "answer": ""})
        }, shown, move |path, _| view! {
            <div class="row">
                <TextField editor=editor path=format!("{path}.id") label="Id" help="Lowercase letters, digits and -; keep it when you edit the entry." />
                <TextField editor=editor path=format!("{path}.question") label="Question" />
            </div>
            <WordList editor=editor path=format!("{path}.alternates") label="Other ways visitors ask it" noun="phrasing" />
            <div class="answer">
                <TextField editor=editor path=format!("{path}.answer") label="Answer" input=Input::Lines
                    help="Markdown: **bold**, *italics*, [links](https://…), lists with - at the start of a line." />
                <AnswerPreview editor=editor path=format!("{path}.answer") />
            </div>
            <WordList editor=editor path=format!("{path}.tags") label="Tags" noun="tag"
                help="Free labels; an intent name (sales, support, billing, technical, general) also tells Baton what the entry is about." />
            <fieldset>
                <legend>"Links under the answer"</legend>
                {item_list(editor, &format!("{path}.links"), "link", |_| json!({"title": "", "url": ""}), move |link, _| view! {
                    <div class="row">
                        <TextField editor=editor path=format!("{link}.title") label="Title" />
                        <TextField editor=editor path=format!("{link}.url") label="URL" input=Input::Url />
                    </div>
                }.into_any())}
            </fieldset>
        }.into_any())}
    }
}

/// The answer as visitors will see it.
#[component]
pub fn AnswerPreview(editor: Editor, #[prop(into)] path: String) -> impl IntoView {
    view! {
        <div class="preview" data-testid="studio-answer-preview" aria-label="Preview of the answer" role="group">
            {move || markdown_view(&editor.doc.with(|doc| document::text(doc, &path)))}
        </div>
    }
}

/// Text in the safe Markdown subset, as elements (never parsed as HTML).
pub fn markdown_view(text: &str) -> impl IntoView + use<> {
    markdown::parse(text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(inlines) => view! { <p>{inlines_view(inlines)}</p> }.into_any(),
            Block::List(items) => view! {
                <ul>{items.into_iter().map(|item| view! { <li>{inlines_view(item)}</li> }).collect_view()}</ul>
            }
            .into_any(),
        })
        .collect_view()
}

fn inlines_view(inlines: Vec<Inline>) -> impl IntoView {
    inlines
        .into_iter()
        .map(|inline| match inline {
            Inline::Text(text) => text.into_any(),
            Inline::Strong(text) => view! { <strong>{text}</strong> }.into_any(),
            Inline::Emphasis(text) => view! { <em>{text}</em> }.into_any(),
            Inline::Code(text) => view! { <code>{text}</code> }.into_any(),
            Inline::Link { text, href } => {
                view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{text}</a> }
                    .into_any()
            }
            Inline::LineBreak => view! { <br /> }.into_any(),
        })
        .collect_view()
}

/// Export the entries as CSV; import a CSV (entries with a known id are replaced, others added).
#[component]
fn CsvButtons(editor: Editor) -> impl IntoView {
    let status = RwSignal::new(None::<Result<String, String>>);
    let export = move |_| {
        let entries: Vec<FaqEntry> = editor.doc.with(|doc| {
            doc.get("faq")
                .cloned()
                .and_then(|faq| serde_json::from_value(faq).ok())
                .unwrap_or_default()
        });
        let site = editor.doc.with(|doc| document::text(doc, "id"));
        status.set(Some(
            crate::dashboard::export::save(
                &csv::export(&entries),
                &format!("baton-{site}-faq.csv"),
            )
            .map(|()| format!("Exported {} entries.", entries.len()))
            .map_err(|_| "Could not save the file.".to_string()),
        ));
    };
    let import = move |event: leptos::ev::Event| {
        let Some(file) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string())
                .unwrap_or_default();
            let outcome = csv::import(&text).map(|entries| {
                let count = entries.len();
                editor.update(|doc| {
                    for entry in entries {
                        let value = serde_json::to_value(&entry).unwrap_or_default();
                        let known = doc.get("faq").and_then(Value::as_array).and_then(|list| {
                            list.iter().position(|item| {
                                item.get("id").and_then(Value::as_str) == Some(entry.id.as_str())
                            })
                        });
                        match known {
                            Some(index) => document::set(doc, &format!("faq[{index}]"), value),
                            None => document::push(doc, "faq", value),
                        }
                    }
                });
                format!("Imported {count} entries (an entry with a known id replaces it).")
            });
            status.try_set(Some(
                outcome.map_err(|problem| format!("Could not import: {problem}")),
            ));
        });
    };
    view! {
        <span class="csv">
            <button type="button" data-testid="studio-faq-export" on:click=export>"Export CSV"</button>
            <label class="file">"Import CSV "
                <input type="file" accept=".csv,text/csv" data-testid="studio-faq-import" on:change=import />
            </label>
            {move || status.get().map(|status| match status {
                Ok(done) => view! { <span role="status">{done}</span> }.into_any(),
                Err(problem) => view! { <span class="error" role="alert">{problem}</span> }.into_any(),
            })}
        </span>
    }
}
