//! Building the handoff package (`protocol::HandoffPackage`): everything an agent needs to pick a conversation up
//! without the visitor repeating themself. Built purely from the conversation and the decision; the worker stores it
//! with the site's retention.

use super::Handoff;
use crate::config::SiteConfig;
use crate::faq::Hit;
use crate::intent::IntentGuess;
use crate::protocol::{Author, CampaignRef, HandoffPackage, Message};
use crate::summary::summarize;

/// What the worker knows about the visitor and the conversation, besides its messages.
#[derive(Debug, Clone, Copy, Default)]
pub struct VisitorContext<'a> {
    pub conversation_id: &'a str,
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    /// A user id the site signed (`identify` with a valid token).
    pub verified_user_id: Option<&'a str>,
    pub page_url: Option<&'a str>,
    pub referrer: Option<&'a str>,
    /// IANA timezone reported by the visitor's browser.
    pub timezone: Option<&'a str>,
    pub fields: &'a [(String, String)],
    /// The campaign whose click or lead form started the conversation.
    pub campaign: Option<&'a CampaignRef>,
    /// The page's `identify` attributes.
    pub attributes: &'a [(String, String)],
}

impl HandoffPackage {
    /// `transcript` includes the visitor's latest message; `hits` are the matches the decision considered.
    pub fn build(
        config: &SiteConfig,
        visitor: &VisitorContext<'_>,
        transcript: &[Message],
        intent: IntentGuess,
        hits: &[Hit],
        handoff: &Handoff,
        now_ms: u64,
    ) -> HandoffPackage {
        let summary = summarize(
            transcript,
            intent.clone(),
            visitor.fields.to_vec(),
            Some(handoff.reason),
        );
        let previous_answers = transcript
            .iter()
            .filter(|message| message.author == Author::Ai && message.answer.is_some())
            .map(|message| message.text.clone())
            .collect();
        HandoffPackage {
            conversation_id: visitor.conversation_id.to_string(),
            visitor_name: visitor.name.map(str::to_string),
            visitor_email: visitor.email.map(str::to_string),
            verified_user_id: visitor.verified_user_id.map(str::to_string),
            page_url: visitor.page_url.map(str::to_string),
            referrer: visitor.referrer.map(str::to_string),
            summary: summary.sentences.join(" "),
            intent: intent.intent,
            intent_confidence: intent.confidence,
            topic: hits
                .first()
                .and_then(|hit| config.faq.get(hit.entry))
                .map(|entry| entry.question.clone()),
            fields: visitor.fields.to_vec(),
            previous_answers,
            reason: handoff.reason,
            team: handoff
                .team
                .and_then(|team| config.teams.get(team))
                .map(|team| (team.id.clone(), team.name.clone())),
            visitor_local_time: visitor
                .timezone
                .and_then(|timezone| super::hours::local_time(timezone, now_ms)),
            handed_off_at_ms: now_ms,
            queued: false,
            next_opening_ms: None,
            ai_summary: None,
            campaign: visitor.campaign.cloned(),
            campaign_name: visitor.campaign.and_then(|campaign_ref| {
                config
                    .campaigns
                    .iter()
                    .find(|campaign| campaign.id == campaign_ref.id)
                    .map(|campaign| campaign.name.clone())
            }),
            attributes: visitor.attributes.to_vec(),
        }
    }
}
