//! One conversation as its room keeps it: who the visitor is, what they answered, where a handoff stands, who has
//! it, and its [`Transcript`]. The turn (`crate::turn`) and the room's changes read and write it; the worker only
//! stores it.

mod transcript;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use self::transcript::{Full, Transcript};
use crate::campaign::Action;
use crate::config::{FieldKind, SiteConfig};
use crate::handoff::{Handoff, Texts, action_of};
use crate::protocol::live::CloseOutcome;
use crate::protocol::{Author, CampaignRef, ConversationEvent, FieldValue, Identified};
use crate::vocab::{FormField, Intent};

/// A conversation, as its Durable Object stores it (the transcript's messages are stored one key each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: String,
    pub site_id: String,
    pub visitor_token: String,
    pub created_at_ms: u64,
    #[serde(default)]
    pub page_url: Option<String>,
    #[serde(default)]
    pub referrer: Option<String>,
    /// The visitor's IANA timezone, from their browser.
    #[serde(default)]
    pub timezone: Option<String>,
    pub transcript: Transcript,
    /// Who the visitor said they are (`identify`).
    #[serde(default)]
    pub visitor: Identified,
    /// Pre-chat answers, one per field id, latest kept.
    #[serde(default)]
    pub fields: Vec<FieldValue>,
    /// When the visitor ticked the site's consent checkbox.
    #[serde(default)]
    pub consent_at_ms: Option<u64>,
    /// A handoff waiting for fields, or for someone to be free: given again when the visitor sends the fields.
    #[serde(default)]
    pub pending_handoff: Option<Handoff>,
    /// When it was last handed over to people; from then on the site inbox hears of every message.
    #[serde(default)]
    pub handed_over_at_ms: Option<u64>,
    /// The agent talking with the visitor. While one is, Baton does not answer the visitor itself.
    #[serde(default)]
    pub agent: Option<AssignedAgent>,
    /// How the last agent closed it.
    #[serde(default)]
    pub closed: Option<CloseOutcome>,
    /// The visitor's rating after the close, 1 to 5.
    #[serde(default)]
    pub csat: Option<u8>,
    /// The campaign (and variant) whose click or lead form started it.
    #[serde(default)]
    pub campaign: Option<CampaignRef>,
    /// The team the visitor asked for when starting it (click-to-chat's `data-baton-team`, checked against the
    /// site's teams): its handoffs go to that team whatever the message's intent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_team: Option<String>,
    /// What the page said of the visitor with `Baton('identify', {attributes})`, latest kept.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// The browser's anonymous visitor id, when the widget sent one (the metrics' returning visitor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_id: Option<String>,
    /// The team it is with (its id): where its latest handoff went, or its latest transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The intent its latest handoff was for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff_intent: Option<Intent>,
    /// The sequence numbers of the answers the browser had already shown (`instant_answer`): the transcript keeps
    /// them like any FAQ answer, and the metrics count them apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instant_answers: Vec<u64>,
}

/// Who took a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignedAgent {
    pub id: String,
    pub name: String,
}

/// What a new conversation starts from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Opening {
    pub id: String,
    pub site_id: String,
    pub visitor_token: String,
    pub page_url: Option<String>,
    pub referrer: Option<String>,
    pub timezone: Option<String>,
    pub campaign: Option<CampaignRef>,
    /// The browser's anonymous visitor id, when the widget sent one.
    pub visitor_id: Option<String>,
    /// The team the visitor asked for (`CreateConversation::team`).
    pub requested_team: Option<String>,
}

impl Conversation {
    /// A new conversation, opened with the site's greeting.
    pub fn open(site: &SiteConfig, opening: Opening, now_ms: u64) -> Conversation {
        let mut transcript = Transcript::default();
        transcript.push_ai(site.appearance.greeting.clone(), None, now_ms);
        Conversation {
            id: opening.id,
            site_id: opening.site_id,
            visitor_token: opening.visitor_token,
            created_at_ms: now_ms,
            page_url: opening.page_url,
            referrer: opening.referrer,
            timezone: opening.timezone,
            transcript,
            visitor: Identified::default(),
            fields: Vec::new(),
            consent_at_ms: None,
            pending_handoff: None,
            handed_over_at_ms: None,
            agent: None,
            closed: None,
            csat: None,
            campaign: opening.campaign,
            requested_team: opening.requested_team,
            attributes: BTreeMap::new(),
            visitor_id: opening.visitor_id,
            team: None,
            handoff_intent: None,
            instant_answers: Vec::new(),
        }
    }

    /// The client id of the one visitor message of a conversation a lead form opened (its answers).
    pub fn lead_message_id(conversation_id: &str) -> String {
        format!("lead-{conversation_id}")
    }

    /// Whether a lead form opened it: its first message is the form's.
    pub fn opened_by_lead(&self) -> bool {
        self.transcript.messages.first().is_some_and(|message| {
            message.author == Author::Visitor
                && message.client_message_id.as_deref()
                    == Some(&Conversation::lead_message_id(&self.id))
        })
    }

    /// Records a pre-chat answer (trimmed), replacing an earlier answer to the same field.
    pub fn set_field(&mut self, id: String, value: &str) {
        let value = value.trim().to_string();
        match self.fields.iter_mut().find(|known| known.id == id) {
            Some(known) => known.value = value,
            None => self.fields.push(FieldValue { id, value }),
        }
    }

    /// The pre-chat field ids the conversation knows, counting a name or email given through `identify`.
    pub fn fields_known<'a>(&'a self, site: &'a SiteConfig) -> Vec<&'a str> {
        site.pre_chat
            .fields
            .iter()
            .filter(|field| {
                self.fields.iter().any(|answer| answer.id == field.id)
                    || match field.kind {
                        FieldKind::Name => self.visitor.name.is_some(),
                        FieldKind::Email => self.visitor.email.is_some(),
                        _ => false,
                    }
            })
            .map(|field| field.id.as_str())
            .collect()
    }

    /// The answers as the agent reads them: the field's label (from the pre-chat form, else from the lead form of
    /// the campaign that started the conversation) and the value.
    pub fn labelled_fields(&self, site: &SiteConfig) -> Vec<(String, String)> {
        let lead_form: &[FormField] = self
            .campaign
            .as_ref()
            .and_then(|campaign_ref| {
                let campaign = site
                    .campaigns
                    .iter()
                    .find(|campaign| campaign.id == campaign_ref.id)?;
                match action_of(campaign, campaign_ref.variant.as_deref()) {
                    Action::LeadForm { fields, .. } => Some(&fields[..]),
                    _ => None,
                }
            })
            .unwrap_or(&[]);
        self.fields
            .iter()
            .map(|answer| {
                let label = site
                    .pre_chat
                    .fields
                    .iter()
                    .chain(lead_form)
                    .find(|field| field.id == answer.id)
                    .map_or(answer.id.clone(), |field| field.label.clone());
                (label, answer.value.clone())
            })
            .collect()
    }

    /// An agent takes the conversation: from now on they answer, and the visitor is told who joined.
    pub fn agent_joins(&mut self, texts: Texts, agent: AssignedAgent, now_ms: u64) {
        self.transcript.push_event(
            texts.agent_joined(&agent.name),
            ConversationEvent::AgentJoined {
                agent_name: agent.name.clone(),
            },
            Some(agent.name.clone()),
            now_ms,
        );
        self.agent = Some(agent);
        self.closed = None;
    }

    /// The visitor's name or email: from `identify`, else from a pre-chat field of that kind.
    pub fn visitor_detail(&self, site: &SiteConfig, kind: FieldKind) -> Option<&str> {
        let identified = match kind {
            FieldKind::Name => self.visitor.name.as_deref(),
            FieldKind::Email => self.visitor.email.as_deref(),
            _ => None,
        };
        identified.or_else(|| {
            site.pre_chat
                .fields
                .iter()
                .filter(|field| field.kind == kind)
                .find_map(|field| self.fields.iter().find(|answer| answer.id == field.id))
                .map(|answer| answer.value.as_str())
        })
    }

    /// The verified user id, when `identify` checked the site's signature.
    pub fn verified_user_id(&self) -> Option<&str> {
        self.visitor
            .user_id
            .as_deref()
            .filter(|_| self.visitor.verified)
    }
}
