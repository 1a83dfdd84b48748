//! The chat's state as campaigns see it, read from the widget's own: whether the panel is open, whether (and
//! since when) a person has the conversation, whether they replied, how many automatic answers in a row were
//! fallbacks or clarifying questions, and the visitor's last message.

use baton_shared::campaign::ChatState as CampaignChat;
use baton_shared::protocol::{Author, Message};

use crate::state::ChatState;

/// The campaigns' view of the chat; `now_ms` dates a message still on its way.
pub fn campaign_chat(panel_open: bool, chat: &ChatState, now_ms: u64) -> CampaignChat {
    // After an agent closed the conversation, nobody is in it any more.
    let handed_over_at_ms = (!chat.closed())
        .then(|| {
            chat.messages
                .iter()
                .find(|message| message.handoff.is_some() || message.event.is_some())
                .map(|message| message.sent_at_ms)
        })
        .flatten();
    let person_replied = handed_over_at_ms.is_some()
        && chat
            .messages
            .iter()
            .any(|message| message.author == Author::Agent);
    let last_message_ms = if chat.pending.is_empty() {
        chat.messages
            .iter()
            .rev()
            .find(|message| message.author == Author::Visitor)
            .map(|message| message.sent_at_ms)
    } else {
        Some(now_ms)
    };
    CampaignChat {
        panel_open,
        handed_over_at_ms,
        person_replied,
        struggling_answers: struggling_answers(&chat.messages),
        last_message_ms,
    }
}

/// The automatic answers at the end of the conversation, in a row, that were the fallback reply (no FAQ entry, no
/// grounded passage) or a clarifying question (choices offered). A confident answer ends the run.
fn struggling_answers(messages: &[Message]) -> u32 {
    let mut count = 0;
    for message in messages.iter().rev() {
        if message.author != Author::Ai {
            continue;
        }
        let Some(answer) = &message.answer else {
            // The greeting and other automatic notes are not answers.
            continue;
        };
        let fallback = answer.faq_entry_id.is_none() && answer.sources.is_empty();
        if fallback || !message.choices.is_empty() {
            count += 1;
        } else {
            break;
        }
    }
    count
}

#[cfg(test)]
mod tests;
