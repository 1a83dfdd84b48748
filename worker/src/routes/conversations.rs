//! `POST /v1/sites/{site}/conversations`: a visitor starts a conversation and gets the site's greeting. Runs in
//! the new conversation's room (the worker picks the id and forwards the request there).

use baton_shared::config::SiteConfig;
use baton_shared::conversation::Transcript;
use baton_shared::protocol::{ConversationCreated, CreateConversation};
use worker::{Env, Request, Response};

use crate::error::ApiError;
use crate::http::{json_response, read_optional_json, reject_field_errors};
use crate::random;
use crate::store::{Store, StoredConversation};
use crate::{abuse, clock, turnstile};

pub async fn create(
    req: &mut Request,
    env: &Env,
    store: &Store,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    let body: CreateConversation = read_optional_json(req).await?;
    reject_field_errors(body.validate())?;
    if site.turnstile.is_some() {
        let remote_ip = req.headers().get("CF-Connecting-IP")?;
        turnstile::check(
            env,
            &site.id,
            body.turnstile_token.as_deref(),
            remote_ip.as_deref(),
        )
        .await?;
    }
    if let Some(address) = abuse::origin_less_address(req) {
        abuse::count_conversation(env, &site.id, &address).await?;
    }
    let now_ms = clock::now_ms(req, env);
    let mut transcript = Transcript::default();
    transcript.push_ai(site.appearance.greeting.clone(), None, now_ms);
    let conversation = StoredConversation {
        // Chosen by the worker, which forwarded the request to this conversation's room.
        id: crate::rooms::conversation::conversation_id(req)?,
        site_id: site.id.clone(),
        visitor_token: random::token()?,
        created_at_ms: now_ms,
        page_url: body.page_url,
        referrer: body.referrer,
        timezone: body.timezone,
        transcript,
        visitor: Default::default(),
        fields: Vec::new(),
        consent_at_ms: None,
        pending_handoff: None,
        handed_over_at_ms: None,
        agent: None,
        closed: None,
        csat: None,
    };
    store.put_conversation(&conversation).await?;
    let created = ConversationCreated {
        conversation_id: conversation.id,
        visitor_token: conversation.visitor_token,
        messages: conversation.transcript.messages,
    };
    Ok(json_response(&created, 201)?)
}
