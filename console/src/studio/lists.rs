//! Lists in the studio: lists of single texts (origins, topics, alternates, tags) and lists of items (FAQ entries,
//! teams, campaigns), each item with buttons to move it up or down or remove it, and one to add an item.

use leptos::prelude::*;
use serde_json::{Value, json};

use super::Editor;
use super::document::{self, field_id};
use super::fields::{help_view, problem_view};

/// The buttons that move item `index` of the list at `list` up or down, or remove it.
pub fn item_buttons(
    editor: Editor,
    list: String,
    index: usize,
    noun: &'static str,
) -> impl IntoView + use<> {
    let count = {
        let list = list.clone();
        move || editor.doc.with(|doc| document::len(doc, &list))
    };
    let (up, down, gone) = (list.clone(), list.clone(), list);
    view! {
        <span class="item-buttons">
            <button type="button" aria-label=format!("Move {noun} {} up", index + 1) disabled=move || index == 0
                on:click=move |_| editor.update(|doc| document::shift(doc, &up, index, true))>"↑"</button>
            <button type="button" aria-label=format!("Move {noun} {} down", index + 1)
                disabled={move || index + 1 >= count()}
                on:click=move |_| editor.update(|doc| document::shift(doc, &down, index, false))>"↓"</button>
            <button type="button" class="remove" data-testid="studio-remove" aria-label=format!("Remove {noun} {}", index + 1)
                on:click=move |_| editor.update(|doc| document::remove(doc, &gone, index))>"Remove"</button>
        </span>
    }
}

/// A list of single texts (origins, topics, alternates, tags), one input per item.
#[component]
pub fn WordList(
    editor: Editor,
    #[prop(into)] path: String,
    label: &'static str,
    #[prop(default = "")] help: &'static str,
    /// What one item is called ("origin", "topic").
    noun: &'static str,
) -> impl IntoView {
    let list = path.clone();
    let count = Memo::new(move |_| editor.doc.with(|doc| document::len(doc, &list)));
    let items_path = path.clone();
    let add_path = path.clone();
    view! {
        <fieldset class="words" data-list=path.clone()>
            <legend>{label}</legend>
            {help_view(&path, help)}
            {problem_view(editor, path.clone())}
            <ul>
                {move || (0..count.get()).map(|index| {
                    let item = format!("{items_path}[{index}]");
                    let id = field_id(&item);
                    let read = item.clone();
                    let write = item.clone();
                    view! {
                        <li>
                            <input id=id.clone() aria-label=format!("{label}: {noun} {}", index + 1) data-field=item.clone()
                                aria-invalid=move || (!editor.problems_at(&read).is_empty()).then_some("true")
                                prop:value=move || editor.doc.with(|doc| document::text(doc, &item))
                                on:input=move |event| editor.set(&write, Value::String(event_target_value(&event))) />
                            {item_buttons(editor, items_path.clone(), index, noun)}
                            {problem_view(editor, format!("{items_path}[{index}]"))}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <button type="button" data-testid="studio-add" data-list=path.clone()
                on:click=move |_| editor.update(|doc| document::push(doc, &add_path, json!("")))>
                {format!("Add {noun}")}
            </button>
        </fieldset>
    }
}

/// A list of items, each drawn by `item` from its path (`faq[2]`), with add (`new_item`), remove and move.
pub fn item_list<I>(
    editor: Editor,
    path: &str,
    noun: &'static str,
    new_item: fn(&Value) -> Value,
    item: I,
) -> impl IntoView + use<I>
where
    I: Fn(String, usize) -> AnyView + Clone + Send + Sync + 'static,
{
    filtered_list(editor, path, noun, new_item, |_| true, item)
}

/// [`item_list`] showing only the items `shown` keeps (a search).
pub fn filtered_list<S, I>(
    editor: Editor,
    path: &str,
    noun: &'static str,
    new_item: fn(&Value) -> Value,
    shown: S,
    item: I,
) -> impl IntoView + use<S, I>
where
    S: Fn(usize) -> bool + Clone + Send + Sync + 'static,
    I: Fn(String, usize) -> AnyView + Clone + Send + Sync + 'static,
{
    let list = path.to_string();
    let count = Memo::new(move |_| editor.doc.with(|doc| document::len(doc, &list)));
    let items_path = path.to_string();
    let add_path = path.to_string();
    view! {
        {problem_view(editor, path.to_string())}
        <ol class="items" data-list=path.to_string()>
            {move || (0..count.get()).map(|index| {
                let item_path = format!("{items_path}[{index}]");
                let shown = shown.clone();
                view! {
                    <li class="item-card" data-testid="studio-item" data-path=item_path.clone()
                        hidden=move || !shown(index)>
                        <div class="item-head">
                            <strong>{format!("{} {}", capitalised(noun), index + 1)}</strong>
                            {item_buttons(editor, items_path.clone(), index, noun)}
                        </div>
                        {item(item_path.clone(), index)}
                    </li>
                }
            }).collect_view()}
        </ol>
        <button type="button" data-testid="studio-add" data-list=path.to_string()
            on:click=move |_| editor.update(|doc| {
                let fresh = new_item(doc);
                document::push(doc, &add_path, fresh);
            })>
            {format!("Add {noun}")}
        </button>
    }
}

fn capitalised(noun: &str) -> String {
    let mut characters = noun.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}
