//! Instant answers in the browser: the site's widget configuration and its FAQ with the compiled index (the widget
//! reads each from localStorage at once and revalidates it with the worker by ETag; the FAQ comes with the chat,
//! `conversation/faq.rs`), and the same policy the worker runs
//! ([`handoff::instant_answer`]) to answer confident FAQ questions with no round trip, and a tapped choice
//! ([`handoff::chosen_entry`]) with its entry.

use baton_shared::config::SiteConfig;
use baton_shared::faq::FaqIndex;
use baton_shared::handoff;
use baton_shared::protocol::{AnswerSource, Message, WidgetFaq, WidgetSite};

/// What the widget knows about its site.
#[derive(Debug)]
pub struct InstantAnswers {
    pub site: SiteConfig,
    index: FaqIndex,
}

/// Instant answers built from the site and its FAQ into [`InstantAnswers`] the first time the visitor sends a
/// message, and again after either changed: building (the site's rules and the FAQ index) and answering are the
/// chat's work, so their code is in the module fetched when the chat opens, not in the one every page view
/// downloads. The site and the FAQ themselves are the conversation's.
#[derive(Default)]
pub struct LazyInstantAnswers {
    /// How many times the site or its FAQ changed.
    changes: u32,
    /// The answers, and at how many changes they were built.
    built: Option<(u32, Option<InstantAnswers>)>,
}

impl LazyInstantAnswers {
    /// The site or its FAQ changed: the answers are built again when next asked for. (Only counted here, so the
    /// page-load half, which calls this, has no code to drop them.)
    pub fn forget(&mut self) {
        self.changes = self.changes.wrapping_add(1);
    }

    /// The answers for `site` and `faq`, built now if they were not yet since the last change; `None` when they
    /// give none.
    pub fn get(&mut self, site: &WidgetSite, faq: &WidgetFaq) -> Option<&InstantAnswers> {
        if self
            .built
            .as_ref()
            .is_none_or(|(at, _)| *at != self.changes)
        {
            self.built = Some((self.changes, InstantAnswers::new(site, faq).ok()));
        }
        self.built.as_ref()?.1.as_ref()
    }
}

/// An answer the widget shows at once; the worker records it when the message is posted.
#[derive(Debug, Clone, PartialEq)]
pub struct InstantReply {
    pub text: String,
    pub source: AnswerSource,
}

impl InstantAnswers {
    /// From the site and its FAQ with the compiled index.
    pub fn new(site: &WidgetSite, faq: &WidgetFaq) -> Result<InstantAnswers, String> {
        if !cfg!(feature = "instant-answers") {
            return Err("this build has no instant answers".into());
        }
        Ok(InstantAnswers {
            index: faq.index()?,
            site: site.to_site_config(faq),
        })
    }

    /// The FAQ answer for `text`, when the policy would give it whatever the time and whoever is online; for a
    /// tapped `choice` the latest answer offered, that entry's answer, as the worker gives it.
    pub fn answer(
        &self,
        transcript: &[Message],
        text: &str,
        choice: Option<&str>,
    ) -> Option<InstantReply> {
        let chosen = choice.and_then(|id| handoff::chosen_entry(&self.site, transcript, id));
        let (entry, confidence) = match chosen {
            Some(entry) => (entry, 1.0),
            None => handoff::instant_answer(&self.site, &self.index, transcript, text)?,
        };
        let entry = &self.site.faq[entry];
        Some(InstantReply {
            text: entry.answer.clone(),
            source: AnswerSource {
                faq_entry_id: Some(entry.id.clone()),
                confidence,
                sources: Vec::new(),
            },
        })
    }
}
