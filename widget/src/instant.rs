//! Instant answers in the browser: the site's widget configuration and compiled FAQ index (the app reads them from
//! localStorage at once and revalidates them with the worker by ETag), and the same policy the worker runs
//! ([`handoff::instant_answer`]) to answer confident FAQ questions with no round trip, and a tapped choice
//! ([`handoff::chosen_entry`]) with its entry.

use baton_shared::config::SiteConfig;
use baton_shared::faq::FaqIndex;
use baton_shared::handoff;
use baton_shared::protocol::{AnswerSource, Message, WidgetSite};

/// What the widget knows about its site.
#[derive(Debug)]
pub struct InstantAnswers {
    pub site: SiteConfig,
    index: FaqIndex,
}

/// The compiled FAQ index of the configuration instant answers come from (`WidgetConfig::faq_index`), built with
/// the site into [`InstantAnswers`] the first time the visitor sends a message: building (the site's rules and the
/// FAQ index) and answering are the chat's work, so their code is in the module fetched when the chat opens, not in
/// the one every page view downloads. The site itself is the conversation's (no copy is kept here).
#[derive(Default)]
pub struct LazyInstantAnswers {
    index: Option<Vec<u8>>,
    built: Option<Option<InstantAnswers>>,
}

impl LazyInstantAnswers {
    pub fn new(faq_index: Vec<u8>) -> LazyInstantAnswers {
        LazyInstantAnswers {
            index: Some(faq_index),
            built: None,
        }
    }

    /// The answers for `site`, built now if they were not yet; `None` when the configuration gives none.
    pub fn get(&mut self, site: &WidgetSite) -> Option<&InstantAnswers> {
        if self.built.is_none() {
            let index = self.index.take();
            self.built = Some(index.and_then(|index| InstantAnswers::new(site, &index).ok()));
        }
        self.built.as_ref()?.as_ref()
    }
}

/// An answer the widget shows at once; the worker records it when the message is posted.
#[derive(Debug, Clone, PartialEq)]
pub struct InstantReply {
    pub text: String,
    pub source: AnswerSource,
}

impl InstantAnswers {
    /// From the site and its compiled FAQ index (`WidgetConfig::faq_index`).
    pub fn new(site: &WidgetSite, faq_index: &[u8]) -> Result<InstantAnswers, String> {
        if !cfg!(feature = "instant-answers") {
            return Err("this build has no instant answers".into());
        }
        Ok(InstantAnswers {
            index: FaqIndex::from_bytes(faq_index)?,
            site: site.to_site_config(),
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
