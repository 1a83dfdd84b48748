//! What the policy is asked, built from the turn: the situation of a message or of a waiting handoff, and the
//! small readings of a decision the steps share.

use super::Turn;
use crate::config::{FieldKind, SiteConfig};
use crate::grounding::Similarity;
use crate::handoff::{self, Decision, Outcome, Situation};
use crate::protocol::{AnswerSource, PostMessage, email_in_text};

impl<'a> Turn<'a> {
    /// The message's similarity to each FAQ entry (`ai.embeddings`), from the shell: the policy re-ranks its FAQ
    /// candidates by it.
    pub fn with_faq_similarity(mut self, similarity: Option<&'a Similarity>) -> Turn<'a> {
        self.faq_similarity = similarity;
        self
    }

    /// What the policy is asked about the visitor's message.
    pub(super) fn situation<'s>(
        &'s self,
        post: &'s PostMessage,
        fields_known: &'s [&'s str],
        teams_online: &'s [&'s str],
    ) -> Situation<'s>
    where
        'a: 's,
    {
        Situation {
            visitor_text: &post.text,
            visitor_chose_person: post.chose_person,
            faq_similarity: self.faq_similarity,
            ..self.rerouting(fields_known, teams_online)
        }
    }

    /// Where a handoff waiting for fields is decided again: no new visitor text.
    pub(super) fn rerouting<'s>(
        &'s self,
        fields_known: &'s [&'s str],
        teams_online: &'s [&'s str],
    ) -> Situation<'s>
    where
        'a: 's,
    {
        Situation {
            config: self.site.config,
            index: self.site.index,
            transcript: &self.conversation.transcript.messages,
            visitor_text: "",
            now_ms: self.now_ms,
            teams_online,
            fields_known,
            visitor_chose_person: false,
            faq_similarity: None,
            team: self.conversation.requested_team.as_ref().and_then(|team| {
                self.site
                    .config
                    .teams
                    .iter()
                    .position(|known| &known.id == team)
            }),
        }
    }

    /// The email field a waiting handoff still needs and the address the visitor's message gives for it, when
    /// both are there.
    pub(super) fn email_for_pending_handoff(&self, text: &str) -> Option<(String, String)> {
        let site = self.site.config;
        let pending = self.conversation.pending_handoff.as_ref()?;
        let fields_known = self.conversation.fields_known(site);
        let missing = match handoff::reroute(&self.rerouting(&fields_known, &[]), pending) {
            Decision::CollectContext { fields, .. } | Decision::AfterHours { fields, .. } => fields,
            _ => return None,
        };
        let field = missing
            .iter()
            .filter_map(|index| site.pre_chat.fields.get(*index))
            .find(|field| field.kind == FieldKind::Email)?;
        Some((field.id.clone(), email_in_text(text)?))
    }
}

/// Decided with nobody online, a handoff inside business hours would queue; the inbox may know better.
pub(super) fn staffing_matters(decision: &Decision) -> bool {
    matches!(
        decision,
        Decision::AfterHours {
            next_opening_ms: None,
            ..
        }
    )
}

/// The provenance of an answer; `None` for a handoff.
pub(super) fn answer_source(site: &SiteConfig, outcome: &Outcome) -> Option<AnswerSource> {
    match &outcome.decision {
        Decision::Answer {
            faq_entry,
            confidence,
        } => Some(AnswerSource {
            faq_entry_id: Some(site.faq[*faq_entry].id.clone()),
            confidence: *confidence,
            sources: Vec::new(),
        }),
        Decision::Grounded {
            confidence,
            sources,
            ..
        } => Some(AnswerSource {
            faq_entry_id: None,
            confidence: *confidence,
            sources: sources.clone(),
        }),
        Decision::Clarify { .. } | Decision::Fallback | Decision::Disclose => Some(AnswerSource {
            faq_entry_id: None,
            confidence: outcome.confidence,
            sources: Vec::new(),
        }),
        Decision::CollectContext { .. } | Decision::HandOff(_) | Decision::AfterHours { .. } => {
            None
        }
    }
}
