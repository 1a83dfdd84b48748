//! What the widget downloads for a site: on every page view its configuration (`GET /v1/sites/{site}/widget`,
//! [`WidgetConfig::for_site`]), and when the chat is likely to open the FAQ with its compiled index (`GET
//! /v1/sites/{site}/widget/faq`, [`WidgetFaq::for_site`]; the index is base64 in JSON, bytes in the wire encoding).
//! Both carry one version that fingerprints the stored JSON, the index format and the lexicon. The types are wire types
//! in [`crate::protocol`]; building them (an index, a fingerprint) and their wire encoding live here, so the protocol
//! stays plain data.

use crate::campaign::CampaignStatus;
use crate::config::{FaqEntry, SiteConfig};
use crate::faq::FaqIndex;
use crate::protocol::{WidgetConfig, WidgetFaq, WidgetSite, wire};
use crate::text::lexicon;

impl WidgetConfig {
    /// Builds the widget's view of a site. `stored_json` is the configuration exactly as stored, so the version
    /// changes with any edit to it.
    pub fn for_site(config: &SiteConfig, stored_json: &str) -> WidgetConfig {
        let site = WidgetSite {
            id: config.id.clone(),
            name: config.name.clone(),
            locale: config.locale.clone(),
            teams: config.teams.clone(),
            appearance: config.appearance.clone(),
            pre_chat: config.pre_chat.clone(),
            turnstile: config.turnstile.clone(),
            campaigns: config
                .campaigns
                .iter()
                .filter(|campaign| campaign.status == CampaignStatus::Live)
                .cloned()
                .collect(),
            campaign_limits: config.campaign_limits,
            goals: config.goals.iter().map(|goal| goal.event.clone()).collect(),
        };
        WidgetConfig {
            version: WidgetConfig::version_of(stored_json),
            site,
            country: None,
        }
    }

    /// The version [`WidgetConfig::for_site`] gives a configuration stored as `stored_json`, without building it.
    pub fn version_of(stored_json: &str) -> String {
        // The index holds terms canonicalised by the lexicon: a new lexicon is a new version.
        let lexicon: Vec<&[u8]> = lexicon::words().map(str::as_bytes).collect();
        let lexicon = fnv1a64(&lexicon).to_le_bytes();
        format!(
            "{:016x}",
            fnv1a64(&[INDEX_FORMAT, &lexicon, stored_json.as_bytes()])
        )
    }

    /// This configuration in the wire encoding (`GET /v1/sites/{site}/widget` with `Accept:` [`wire::MEDIA_TYPE`]).
    pub fn to_wire(&self) -> Vec<u8> {
        wire::to_bytes(self)
    }

    /// Reads [`WidgetConfig::to_wire`]'s bytes.
    pub fn from_wire(bytes: &[u8]) -> Result<WidgetConfig, String> {
        wire::from_bytes(bytes).map_err(|error| format!("widget configuration: {error}"))
    }

    /// Reads [`WidgetConfig::to_wire`]'s bytes as [`wire::to_text`] wrote them (the widget's `localStorage` copy,
    /// the studio's preview message).
    pub fn from_wire_text(text: &str) -> Result<WidgetConfig, String> {
        let bytes =
            wire::from_text(text).map_err(|error| format!("widget configuration: {error}"))?;
        WidgetConfig::from_wire(&bytes)
    }

    /// The `ETag` of the configuration at `version` in JSON or, with `wire`, in the wire encoding: two
    /// representations, two tags (the answer varies on `Accept`).
    pub fn etag(version: &str, wire: bool) -> String {
        if wire {
            format!("\"{version}-wire\"")
        } else {
            format!("\"{version}\"")
        }
    }
}

impl WidgetFaq {
    /// The FAQ of a site for the widget: its entries without alternates, the compiled index (which holds the
    /// alternates), and the handoff rules and fallback instant answers follow. `stored_json` as for
    /// [`WidgetConfig::for_site`], whose version this shares.
    pub fn for_site(config: &SiteConfig, stored_json: &str) -> WidgetFaq {
        WidgetFaq {
            version: WidgetConfig::version_of(stored_json),
            faq: config
                .faq
                .iter()
                .map(|entry| FaqEntry {
                    alternates: Vec::new(),
                    ..entry.clone()
                })
                .collect(),
            faq_index: FaqIndex::for_site(config).to_bytes(),
            handoff: config.handoff.clone(),
            messages: config.messages.clone(),
        }
    }

    /// The FAQ index carried in [`WidgetFaq::faq_index`].
    pub fn index(&self) -> Result<FaqIndex, String> {
        FaqIndex::from_bytes(&self.faq_index)
    }

    /// This FAQ in the wire encoding (`GET /v1/sites/{site}/widget/faq` with `Accept:` [`wire::MEDIA_TYPE`]).
    pub fn to_wire(&self) -> Vec<u8> {
        wire::to_bytes(self)
    }

    /// Reads [`WidgetFaq::to_wire`]'s bytes.
    pub fn from_wire(bytes: &[u8]) -> Result<WidgetFaq, String> {
        wire::from_bytes(bytes).map_err(|error| format!("widget FAQ: {error}"))
    }

    /// Reads [`WidgetFaq::to_wire`]'s bytes as [`wire::to_text`] wrote them (the widget's `localStorage` copy, the
    /// studio's preview message).
    pub fn from_wire_text(text: &str) -> Result<WidgetFaq, String> {
        let bytes = wire::from_text(text).map_err(|error| format!("widget FAQ: {error}"))?;
        WidgetFaq::from_wire(&bytes)
    }

    /// The `ETag` of the FAQ at `version` in JSON or, with `wire`, in the wire encoding: distinct from the
    /// configuration's tags of the same version.
    pub fn etag(version: &str, wire: bool) -> String {
        if wire {
            format!("\"{version}-faq-wire\"")
        } else {
            format!("\"{version}-faq\"")
        }
    }
}

/// Bumped when the compiled index, [`WidgetConfig`] or [`WidgetFaq`] changes shape, or how text becomes terms
/// (stemming), so cached copies are refetched. Lexicon changes need no bump: the version covers the lexicon's words.
const INDEX_FORMAT: &[u8] = b"widget-config-5";

/// FNV-1a, 64 bits: a stable, dependency-free fingerprint (not a security hash).
pub fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|part| part.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
