//! The reply to a visitor message: a confident FAQ answer, or the site's polite fallback.
//!
//! A pure decision over the configuration and the message; the worker stores and sends what it returns.

use crate::config::SiteConfig;
use crate::faq;
use crate::protocol::AnswerSource;

/// The lowest FAQ score that is shown to a visitor as an answer.
pub const ANSWER_THRESHOLD: f32 = 0.5;

/// What Baton says back to a visitor message.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub text: String,
    pub source: AnswerSource,
}

/// Answers from the FAQ when the best match clears [`ANSWER_THRESHOLD`], otherwise with the fallback.
pub fn reply(config: &SiteConfig, visitor_text: &str) -> Reply {
    match faq::best_match(&config.faq, visitor_text) {
        Some(found) if found.score >= ANSWER_THRESHOLD => Reply {
            text: found.entry.answer.clone(),
            source: AnswerSource {
                faq_entry_id: Some(found.entry.id.clone()),
                confidence: found.score,
            },
        },
        _ => Reply {
            text: config.messages.fallback.clone(),
            source: AnswerSource {
                faq_entry_id: None,
                confidence: 0.0,
            },
        },
    }
}
