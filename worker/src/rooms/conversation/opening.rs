//! A conversation's start in its room: a visitor's `POST …/conversations` (handed over at once when its campaign's
//! action is `handoff`), and a lead form with a team, which becomes a conversation holding the lead's answers,
//! handed to that team. The worker counts the campaign's `conversation` here; its `handoff` is counted with any
//! other handoff (`visitor.rs`).

use baton_shared::conversation::{Conversation, Opening, Transcript};
use baton_shared::handoff;
use baton_shared::protocol::{
    CampaignCount, CampaignWhat, ConversationCreated, CreateConversation, SubmitLead,
};
use baton_shared::turn::{self, Turn};
use worker::Response;

use super::ConversationRoom;
use crate::calls::{self, directory};
use crate::error::ApiError;
use crate::random;
use crate::store::StoredSite;

impl ConversationRoom {
    /// `POST …/conversations`: the greeting, and a campaign's handoff when it asks for one.
    pub(super) async fn create(
        &self,
        site: &StoredSite,
        conversation_id: String,
        body: CreateConversation,
        now_ms: u64,
    ) -> Result<Response, ApiError> {
        let site_id = &site.config.id;
        let opening = Opening {
            id: conversation_id,
            site_id: site_id.clone(),
            visitor_token: random::token()?,
            page_url: body.page_url,
            referrer: body.referrer,
            timezone: body.timezone,
            campaign: body.campaign,
            visitor_id: body.visitor,
            requested_team: body.team,
        };
        let campaign_handoff = handoff::opening_campaign(&site.config, opening.campaign.as_ref())
            .map_err(ApiError::InvalidFields)?;
        let conversation = Conversation::open(&site.config, opening, now_ms);
        let campaign = conversation.campaign.clone();
        let created = self
            .open(site, conversation, campaign_handoff, now_ms)
            .await?;
        if let Some(campaign) = &campaign {
            let count = CampaignCount::one(campaign, CampaignWhat::Conversation, now_ms);
            directory::count_campaign(&self.env, site_id, now_ms, vec![count]).await;
        }
        Ok(created)
    }

    /// A lead form whose campaign names a team (checked again on this copy of the site): its transcript opens with
    /// what the visitor sent, the answers are the conversation's fields (name and email the visitor's), and the
    /// team gets it at once.
    pub(super) async fn lead(
        &self,
        site: &StoredSite,
        conversation_id: String,
        lead: SubmitLead,
        now_ms: u64,
    ) -> Result<Response, ApiError> {
        let lead = handoff::check_lead(&site.config, &lead).map_err(ApiError::InvalidFields)?;
        let opening = Opening {
            id: conversation_id,
            site_id: site.config.id.clone(),
            visitor_token: random::token()?,
            page_url: lead.page_url.clone(),
            referrer: None,
            timezone: lead.timezone.clone(),
            campaign: Some(lead.campaign.clone()),
            visitor_id: Some(lead.visitor.clone()),
            requested_team: None,
        };
        let mut conversation = Conversation::open(&site.config, opening, now_ms);
        // A lead is no chat: no greeting.
        conversation.transcript = Transcript::default();
        for answer in &lead.fields {
            conversation.set_field(answer.id.clone(), &answer.value);
        }
        if lead.consent {
            conversation.consent_at_ms = Some(now_ms);
        }
        conversation.visitor.name = lead.name.clone();
        conversation.visitor.email = lead.email.clone();
        let client_message_id = Conversation::lead_message_id(&conversation.id);
        conversation
            .transcript
            .push_visitor(client_message_id, lead.transcript_line(), now_ms);
        self.open(site, conversation, lead.handoff, now_ms).await
    }

    /// A new conversation stored, handed over at once when a campaign asks for it.
    async fn open(
        &self,
        site: &StoredSite,
        conversation: Conversation,
        campaign_handoff: Option<handoff::CampaignHandoff>,
        now_ms: u64,
    ) -> Result<Response, ApiError> {
        let (conversation_id, visitor_token) =
            (conversation.id.clone(), conversation.visitor_token.clone());
        match campaign_handoff {
            None => self.save(&site.config, &conversation, now_ms).await?,
            Some(campaign) => {
                let turn_site = turn::Site {
                    config: &site.config,
                    index: &site.index,
                };
                let turn = Turn::campaign(turn_site, conversation, campaign, now_ms);
                self.take_turn(site, turn, now_ms).await?;
            }
        }
        let messages = self
            .store
            .cached()
            .map(|conversation| conversation.transcript.messages)
            .unwrap_or_default();
        calls::reply_with(
            &ConversationCreated {
                conversation_id,
                visitor_token,
                messages,
            },
            201,
        )
    }
}
