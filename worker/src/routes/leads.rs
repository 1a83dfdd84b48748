//! `POST /v1/sites/{site}/leads`: a campaign's lead form, sent without a chat. The worker checks the site's bot
//! check, then the submission (`handoff::check_lead`: a live campaign with a lead form, its answers by the pre-chat
//! form's rules). A form naming a team becomes a new conversation handed to that team at once (its room does it);
//! otherwise the lead is kept for the site's retention (found by erasure through its email, like a conversation)
//! and sent to the site's webhooks. Either way the worker counts
//! the campaign's `lead` itself, and the metrics ledger records it (`lead:{lead}`, or the conversation's room).

use baton_shared::handoff;
use baton_shared::metrics::ledger;
use baton_shared::protocol::{
    CampaignCount, CampaignWhat, ConversationCreated, Lead, LeadCreated, SubmitLead,
};
use baton_shared::webhook;
use worker::{Env, Request, Response};

use super::ask_room_for;
use crate::accounts::email_digest;
use crate::calls::directory::{self, DirectoryCall};
use crate::calls::inbox;
use crate::calls::room::VisitorRequest;
use crate::error::ApiError;
use crate::http::{read_json, reply};
use crate::ledger::Ledger;
use crate::store::{Kv, StoredSite};
use crate::{clock, random};

pub async fn create(
    req: &mut Request,
    env: &Env,
    kv: &Kv,
    site: &StoredSite,
) -> Result<Response, ApiError> {
    let config = &site.config;
    let now_ms = clock::now_ms(req, env);
    let body: SubmitLead = read_json(req).await?;
    let lead = handoff::check_lead(config, &body).map_err(ApiError::InvalidFields)?;
    super::conversations::admit(req, env, config, body.turnstile_token.as_deref()).await?;
    let lead_id = random::uuid()?;
    let conversation_id = match &lead.handoff {
        Some(_) => {
            let conversation_id = random::uuid()?;
            let request = VisitorRequest::Lead(body.clone());
            let created: ConversationCreated =
                ask_room_for(req, env, site, &conversation_id, request).await?;
            Some(created.conversation_id)
        }
        None => {
            let stored = Lead {
                lead_id: lead_id.clone(),
                site_id: config.id.clone(),
                campaign: lead.campaign.clone(),
                campaign_name: lead.campaign_name.clone(),
                fields: lead.labelled_fields.clone(),
                consent: lead.consent,
                page_url: lead.page_url.clone(),
                visitor: body.visitor.clone(),
                created_at_ms: now_ms,
            };
            kv.put_lead(config, &stored).await?;
            // Erasure by email finds the lead like a conversation (the index runs on the platform's clock).
            if let Some(email) = &lead.email {
                let link = DirectoryCall::LinkEmail {
                    digest: email_digest(email),
                    conversation_id: lead_id.clone(),
                };
                directory::ask::<()>(env, &config.id, clock::system_ms(), link).await?;
            }
            let deliveries = webhook::for_lead(config, &stored, now_ms);
            inbox::deliver(env, &config.id, deliveries, now_ms).await?;
            // A lead with a team is its conversation's `{conversation}:lead` event, which its room records.
            let event = ledger::lead(&config.id, &lead_id, &lead, now_ms);
            Ledger::from_env(env)?.append(&[event]).await?;
            None
        }
    };
    let count = CampaignCount::one(&lead.campaign, CampaignWhat::Lead, now_ms);
    directory::count_campaign(env, &config.id, now_ms, vec![count]).await;
    let created = LeadCreated {
        lead_id,
        conversation_id,
        thanks: lead.thanks,
    };
    Ok(reply(req, &created, 201)?)
}
