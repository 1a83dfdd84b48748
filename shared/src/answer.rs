//! The reply to a visitor message: a confident FAQ answer, or the site's polite fallback.
//!
//! A pure decision over the configuration and the message; the worker stores and sends what it returns.

use crate::config::SiteConfig;
use crate::faq::{CALIBRATION, FaqIndex};
use crate::protocol::AnswerSource;

/// The lowest calibrated confidence at which the matcher answers; below it, it declines. On the CLINC150 dev set
/// (K = 10) this keeps 71.6 % of in-scope questions answered right while declining 67 % of out-of-scope ones.
pub const ANSWER_THRESHOLD: f32 = 0.3;

/// What Baton says back to a visitor message.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub text: String,
    pub source: AnswerSource,
}

/// Answers from the FAQ when the calibrated confidence clears [`ANSWER_THRESHOLD`], otherwise with the fallback.
pub fn reply(config: &SiteConfig, visitor_text: &str) -> Reply {
    let hits = FaqIndex::build(&config.faq).search(visitor_text, 2);
    let confidence = CALIBRATION.confidence(&hits);
    match hits.first() {
        Some(top) if confidence >= ANSWER_THRESHOLD => Reply {
            text: config.faq[top.entry].answer.clone(),
            source: AnswerSource {
                faq_entry_id: Some(config.faq[top.entry].id.clone()),
                confidence,
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
