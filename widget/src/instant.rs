//! Instant answers in the browser: the site's widget configuration and compiled FAQ index, read from localStorage
//! at once and revalidated with the worker by ETag, and the same policy the worker runs
//! ([`handoff::instant_answer`]) to answer confident FAQ questions with no round trip.

use baton_shared::config::SiteConfig;
use baton_shared::faq::FaqIndex;
use baton_shared::handoff;
use baton_shared::protocol::{AnswerSource, Message, WidgetConfig};

/// What the widget knows about its site.
#[derive(Debug)]
pub struct InstantAnswers {
    pub site: SiteConfig,
    index: FaqIndex,
}

/// An answer the widget shows at once; the worker records it when the message is posted.
#[derive(Debug, Clone, PartialEq)]
pub struct InstantReply {
    pub text: String,
    pub source: AnswerSource,
}

impl InstantAnswers {
    pub fn from_config(widget_config: &WidgetConfig) -> Result<InstantAnswers, String> {
        if !cfg!(feature = "instant-answers") {
            return Err("this build has no instant answers".into());
        }
        Ok(InstantAnswers {
            index: widget_config.index()?,
            site: widget_config.site.to_site_config(),
        })
    }

    /// The FAQ answer for `text`, when the policy would give it whatever the time and whoever is online.
    pub fn answer(&self, transcript: &[Message], text: &str) -> Option<InstantReply> {
        let (entry, confidence) =
            handoff::instant_answer(&self.site, &self.index, transcript, text)?;
        let entry = &self.site.faq[entry];
        Some(InstantReply {
            text: entry.answer.clone(),
            source: AnswerSource {
                faq_entry_id: Some(entry.id.clone()),
                confidence,
            },
        })
    }
}

/// The localStorage copy of a site's widget configuration, kept across pages and visits.
pub struct ConfigCache {
    key: String,
}

impl ConfigCache {
    pub fn for_site(site_id: &str) -> ConfigCache {
        ConfigCache {
            key: format!("baton:{site_id}:widget-config"),
        }
    }

    /// The cached configuration; unreadable copies (another version of Baton, a full or blocked storage) count as
    /// absent.
    pub fn read(&self) -> Option<WidgetConfig> {
        let json = storage()?.get_item(&self.key).ok()??;
        serde_json::from_str(&json).ok()
    }

    /// Keeps the response text as received (re-serialising would only add code to the download); a storage that
    /// refuses (private mode, quota) only costs the next page a download.
    pub fn write(&self, json: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(&self.key, json);
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
