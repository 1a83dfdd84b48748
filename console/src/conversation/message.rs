//! One message of the conversation as the agent reads it: who wrote it, when (in the agent's time), its text, and
//! the choices an answer offered the visitor (read-only), with the one they tapped marked when that is known.

use baton_shared::protocol::{Author, Choice, Message};
use baton_shared::vocab::HandoffReason;
use leptos::prelude::*;

#[component]
pub fn MessageItem(
    message: Message,
    /// The whole conversation, to find what the visitor tapped after an answer offering choices.
    transcript: ReadSignal<Vec<Message>>,
) -> impl IntoView {
    let author = match message.author {
        Author::Visitor => "visitor",
        Author::Ai => "ai",
        Author::Agent => "agent",
        Author::System => "system",
    };
    let label = message
        .author_name
        .clone()
        .unwrap_or_else(|| match message.author {
            Author::Visitor => "Visitor".into(),
            Author::Ai => "Baton".into(),
            Author::Agent => "Agent".into(),
            Author::System => "Notice".into(),
        });
    let time = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(message.sent_at_ms as f64));
    let clock = format!("{:02}:{:02}", time.get_hours(), time.get_minutes());
    let seq = message.seq;
    let choices = (!message.choices.is_empty()).then(|| {
        let items = message
            .choices
            .iter()
            .enumerate()
            .map(|(position, choice)| {
                let is_tapped =
                    move || transcript.with(|messages| tapped(messages, seq)) == Some(position);
                let what = match choice {
                    Choice::FaqEntry { faq_entry_id, .. } => format!("answers {faq_entry_id}"),
                    Choice::Person { .. } => "hands off".to_string(),
                };
                view! {
                    <li data-testid="console-choice" data-tapped=move || is_tapped().then_some("true")>
                        {choice.label().to_string()}
                        <span class="meta">" · "{what}{move || is_tapped().then_some(" · tapped by the visitor")}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="choices" aria-label="Choices offered to the visitor">{items}</ul> }
    });
    view! {
        <li class=format!("message {author}") data-testid="console-message" data-author=author data-seq=seq.to_string()>
            <span class="meta">{label}" · "{clock}</span>
            // Text only: nothing a visitor writes becomes markup here.
            <span class="text">{message.text}</span>
            {choices}
        </li>
    }
}

/// Which of the choices offered by message `seq` the visitor tapped, when that is known: their next message names
/// the entry it chose, or, for the way to a person, says its label and was answered by the handoff they chose.
fn tapped(transcript: &[Message], seq: u64) -> Option<usize> {
    let offer_at = transcript.iter().position(|message| message.seq == seq)?;
    let after = &transcript[offer_at + 1..];
    let reply_at = after
        .iter()
        .position(|message| message.author == Author::Visitor)?;
    let reply = &after[reply_at];
    let handed_off = after.get(reply_at + 1).is_some_and(|next| {
        next.handoff
            .as_ref()
            .is_some_and(|notice| notice.reason == HandoffReason::VisitorChose)
    });
    transcript[offer_at]
        .choices
        .iter()
        .position(|choice| match choice {
            Choice::FaqEntry { faq_entry_id, .. } => reply.choice.as_ref() == Some(faq_entry_id),
            Choice::Person { label } => handed_off && reply.text == *label,
        })
}
