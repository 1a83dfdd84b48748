//! The handoff package: everything an agent needs to pick a conversation up without the visitor repeating
//! themself. Built purely from the conversation and the decision; the worker stores it with the site's retention.

use serde::{Deserialize, Serialize};

use super::{Handoff, HandoffReason};
use crate::config::SiteConfig;
use crate::faq::Hit;
use crate::intent::{Intent, IntentGuess};
use crate::protocol::{Author, Message};
use crate::summary::summarize;

/// What the agent reads when a conversation is handed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoffPackage {
    pub conversation_id: String,
    /// As the visitor gave them (typed, or passed by the page unsigned): not proof of who they are.
    pub visitor_name: Option<String>,
    pub visitor_email: Option<String>,
    /// The site's own user id, when the page passed one signed with the site's identity secret: the only part of
    /// the visitor's identity Baton has verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_user_id: Option<String>,
    pub page_url: Option<String>,
    pub referrer: Option<String>,
    /// At most three of the visitor's own sentences.
    pub summary: String,
    pub intent: Intent,
    pub intent_confidence: f32,
    /// The FAQ question closest to what the visitor asked, when anything matched.
    pub topic: Option<String>,
    /// Form fields given: label and value.
    pub fields: Vec<(String, String)>,
    /// What Baton already answered, oldest first, so the agent does not repeat it.
    pub previous_answers: Vec<String>,
    pub reason: HandoffReason,
    /// Team id and name, when the site has teams.
    pub team: Option<(String, String)>,
    /// The visitor's local time when handed over (`Tue 14:05, Europe/Paris`), when their timezone is known.
    pub visitor_local_time: Option<String>,
    pub handed_off_at_ms: u64,
    /// Nobody could reply when it was handed over: it waits in the queue (for the next business day when
    /// `next_opening_ms` is set).
    #[serde(default)]
    pub queued: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_opening_ms: Option<u64>,
}

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
        }
    }
}
