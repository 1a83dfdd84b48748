//! The list of messages, newest at the bottom, scrolled into view as they arrive: who wrote each one (visitor,
//! assistant, agent, system), when, and the answer in the safe Markdown subset (`baton_shared::markdown`) rendered as elements
//! and text nodes: no markup from anyone reaches the DOM. A typing indicator shows while the worker is answering.

use baton_shared::protocol::{Author, Message};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element, Node};

use crate::actions::{ChatActions, ChatView};
use crate::components::text;
use crate::i18n::{SiteStrings, Strings};
use crate::state::PendingMessage;
use baton_shared::markdown::{self, Block, Inline};

/// Stored messages followed by the visitor's messages still being sent (failed ones offer to send them again), and
/// the question of the conversational form as the last item while it waits for an answer.
#[component]
pub fn MessageList(
    /// Its `chat`, `strings` and `asking` are read.
    view: ChatView,
    /// Its `retry` sends the failed messages again.
    actions: ChatActions,
) -> impl IntoView {
    let ChatView { chat, strings, .. } = view;
    // Scroll once the new items are in the DOM: the next animation frame comes after this update's rendering. The
    // panel may have closed by then, so the list is looked for then.
    Effect::new(move |_| {
        chat.track();
        view.asking();
        request_animation_frame(move || {
            if let Some(list) = crate::frame::part(".baton-messages") {
                list.set_scroll_top(list.scroll_height());
            }
        });
    });
    // Each list is rebuilt, item by item, when its items change (by the keys a keyed list would use), not at every
    // change of the chat (an agent typing, a read receipt). The lists read their memo (`with`), not only track it: a
    // memo never read is never computed, so it would never learn of the chat's changes.
    let stored = Memo::new(move |_| {
        chat.with(|chat| {
            chat.messages
                .iter()
                .map(|message| message.seq)
                .collect::<Vec<_>>()
        })
    });
    let pending = Memo::new(move |_| {
        chat.with(|chat| {
            chat.pending
                .iter()
                .map(|pending| {
                    (
                        pending.client_message_id().to_string(),
                        pending.failure.is_some(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ol
            class="baton-messages"
            data-testid="baton-messages"
            tabindex="0"
            aria-label=text(strings, |strings| strings.chat)
            aria-live="polite"
            aria-relevant="additions"
        >
            {move || { stored.with(|_| ()); chat.with_untracked(|chat| chat.messages.iter().map(|message| view! { <StoredMessage message=message.clone() strings=strings /> }.into_any()).collect_view()) }}
            {move || chat.with(|chat| {
                chat.read_by_agent > 0
                    && chat.messages.iter().rev().find(|m| m.author == Author::Visitor).is_some_and(|m| m.seq <= chat.read_by_agent)
            }).then(|| view! {
                <li class="baton-seen" data-testid="baton-seen">{text(strings, |strings| strings.seen)}</li>
            }.into_any())}
            {move || { pending.with(|_| ()); chat.with_untracked(|chat| chat.pending.iter().map(|pending| view! { <PendingItem pending=pending.clone() strings=strings actions=actions /> }.into_any()).collect_view()) }}
            {move || view.asking().map(|question| view! {
                <li class="baton-message baton-message--system" data-testid="baton-message" data-author="system">
                    {question}
                </li>
            }.into_any())}
            {move || chat.with(|chat| chat.awaiting_reply() || chat.agent_typing).then(|| view! {
                <li class="baton-typing" data-testid="baton-typing" aria-label=text(strings, |strings| strings.typing)>
                    <span></span><span></span><span></span>
                </li>
            }.into_any())}
        </ol>
    }
}

/// The CSS name and spoken label of an author.
fn author_names(author: Author, strings: &Strings) -> (&'static str, &'static str) {
    match author {
        Author::Visitor => ("visitor", strings.you),
        Author::Ai => ("ai", strings.assistant),
        Author::Agent => ("agent", strings.agent),
        Author::System => ("system", strings.notice),
    }
}

/// A message stored by the worker.
#[component]
fn StoredMessage(message: Message, strings: SiteStrings) -> impl IntoView {
    let (author, label) = author_names(message.author, strings.get_untracked());
    let label = message
        .author_name
        .clone()
        .unwrap_or_else(|| label.to_string());
    let source = message.answer.as_ref().map(|answer| {
        if answer.sources.is_empty() {
            "faq"
        } else {
            "grounded"
        }
    });
    view! {
        <li
            class=format!("baton-message baton-message--{author}")
            data-testid="baton-message"
            data-author=author
            data-answer=source
        >
            {match (message.author, message.author_name.clone()) {
                (Author::Agent, Some(name)) => view! { <span class="baton-author">{name}</span> }.into_any(),
                _ => view! { <span class="baton-visually-hidden">{label}": "</span> }.into_any(),
            }}
            <Body text=message.text />
            <time class="baton-time" datetime=iso_time(message.sent_at_ms)>{clock_time(message.sent_at_ms)}</time>
        </li>
    }
}

/// A visitor message on its way, or one that failed to send, and the instant answer the widget gave it.
#[component]
fn PendingItem(
    pending: PendingMessage,
    strings: SiteStrings,
    /// Its `retry` sends the failed messages again.
    actions: ChatActions,
) -> impl IntoView {
    let failed = pending.failure.is_some();
    let strings_now = strings.get_untracked();
    view! {
        <li
            class="baton-message baton-message--visitor baton-message--pending"
            class:baton-message--failed=failed
            data-testid="baton-message"
            data-author="visitor"
            data-state=if failed { "failed" } else { "sending" }
        >
            <span class="baton-visually-hidden">{strings_now.you}": "</span>
            <Body text=pending.body.text.clone() />
            {match pending.failure {
                None => view! { <span class="baton-time">{strings_now.sending}</span> }.into_any(),
                Some(failure) => view! {
                    <span class="baton-failure" role="alert">
                        {strings_now.failed}" "{failure}" "
                        <button type="button" class="baton-retry" data-testid="baton-retry" on:click=move |_| actions.retry()>
                            {strings_now.retry}
                        </button>
                    </span>
                }.into_any(),
            }}
        </li>
        {pending.instant_reply.map(|reply| view! {
            <li class="baton-message baton-message--ai" data-testid="baton-message" data-author="ai" data-source="instant">
                <span class="baton-visually-hidden">{strings_now.assistant}": "</span>
                <Body text=reply />
            </li>
        }.into_any())}
    }
}

/// A message's text in the safe Markdown subset.
#[component]
pub fn Body(text: String) -> impl IntoView {
    view! { <div class="baton-body" data-testid="baton-body" use:markdown=text></div> }
}

/// Puts `text` in `body` (instead of what it held) as the safe Markdown subset's elements and text nodes, with the
/// DOM's own calls: no markup is ever parsed, and it is one function rather than a Leptos view type per element.
/// Leptos's placeholder for the element's (empty) children, a comment, stays.
fn markdown(body: Element, text: String) {
    let held = body.child_nodes();
    for at in (0..held.length()).rev() {
        if let Some(node) = held.item(at)
            && node.node_type() != Node::COMMENT_NODE
        {
            let _ = body.remove_child(&node);
        }
    }
    let Some(document) = body.owner_document() else {
        return;
    };
    for block in markdown::parse(&text) {
        match block {
            Block::Paragraph(inlines) => {
                if let Some(paragraph) = append(&document, &body, "p") {
                    append_inlines(&document, &paragraph, inlines);
                }
            }
            Block::List(items) => {
                let Some(list) = append(&document, &body, "ul") else {
                    continue;
                };
                for item in items {
                    if let Some(entry) = append(&document, &list, "li") {
                        append_inlines(&document, &entry, item);
                    }
                }
            }
        }
    }
}

/// A new `tag` element at the end of `parent`.
fn append(document: &Document, parent: &Element, tag: &str) -> Option<Element> {
    let element = document.create_element(tag).ok()?;
    parent.append_child(&element).ok()?;
    Some(element)
}

/// A new `tag` element holding `text` at the end of `parent`.
fn append_text(document: &Document, parent: &Element, tag: &str, text: &str) -> Option<Element> {
    let element = append(document, parent, tag)?;
    element.set_text_content(Some(text));
    Some(element)
}

fn append_inlines(document: &Document, parent: &Element, inlines: Vec<Inline>) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => {
                let _ = parent.append_with_str_1(&text);
            }
            Inline::Strong(text) => {
                append_text(document, parent, "strong", &text);
            }
            Inline::Emphasis(text) => {
                append_text(document, parent, "em", &text);
            }
            Inline::Code(text) => {
                append_text(document, parent, "code", &text);
            }
            Inline::Link { text, href } => {
                if let Some(link) = append_text(document, parent, "a", &text) {
                    for (name, value) in [
                        ("href", href.as_str()),
                        ("target", "_blank"),
                        ("rel", "noopener noreferrer nofollow"),
                    ] {
                        let _ = link.set_attribute(name, value);
                    }
                }
            }
            Inline::LineBreak => {
                append(document, parent, "br");
            }
        }
    }
}

/// `14:05` in the visitor's time.
pub fn clock_time(ms: u64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

fn iso_time(ms: u64) -> String {
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}
