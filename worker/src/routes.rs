//! One file per API resource; each route is one named async fn. What several routes share lives here: finding the
//! visitor's conversation from the bearer token, and writing the handoff package.

pub mod agent;
pub mod agents;
pub mod conversations;
pub mod health;
pub mod messages;
pub mod schema;
pub mod visitor;
pub mod widget_config;

use baton_shared::config::{FieldKind, SiteConfig};
use baton_shared::handoff::{Decision, HandoffPackage, Outcome, Situation, VisitorContext};
use baton_shared::protocol::HandoffNotice;
use baton_shared::protocol::agent::{InboxItem, ItemState};
use worker::{Env, Request};

use crate::error::ApiError;
use crate::http::bearer_token;
use crate::rooms::inbox::{self, HandOver, HandedOver};
use crate::store::{Store, StoredConversation, StoredSite};
use crate::{vars, webhooks};

/// The conversation, when the request carries its visitor token.
async fn visitor_conversation(
    req: &Request,
    store: &Store,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<StoredConversation, ApiError> {
    let token = bearer_token(req)?;
    let conversation = store
        .conversation()
        .await?
        .filter(|conversation| conversation.id == conversation_id)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "conversation \"{conversation_id}\" does not exist on site \"{}\"",
                site.id
            ))
        })?;
    if !constant_time_eq(conversation.visitor_token.as_bytes(), token.as_bytes()) {
        return Err(ApiError::Unauthorized(
            "the visitor token does not belong to this conversation".into(),
        ));
    }
    Ok(conversation)
}

/// Where a handoff waiting for fields is decided again: no new visitor text, nobody assumed online.
fn rerouting<'a>(
    stored_site: &'a StoredSite,
    conversation: &'a StoredConversation,
    fields_known: &'a [&'a str],
    now_ms: u64,
) -> Situation<'a> {
    Situation {
        config: &stored_site.config,
        index: &stored_site.index,
        transcript: &conversation.transcript.messages,
        visitor_text: "",
        now_ms,
        teams_online: &[],
        fields_known,
        visitor_chose_person: false,
    }
}

/// Compares secrets without an early exit, so timing does not reveal how much of a guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Writes the agent's package for a handoff decision, with everything the conversation knows about the visitor,
/// and hands the conversation to the site inbox unless the handoff still waits for fields.
async fn store_package(
    env: &Env,
    store: &Store,
    site: &SiteConfig,
    conversation: &mut StoredConversation,
    outcome: &Outcome,
    notice: &HandoffNotice,
    now_ms: u64,
) -> Result<Option<HandedOver>, ApiError> {
    let handoff = match &outcome.decision {
        Decision::CollectContext { handoff, .. }
        | Decision::HandOff(handoff)
        | Decision::AfterHours { handoff, .. } => handoff,
        _ => return Ok(None),
    };
    let fields = conversation.labelled_fields(site);
    let mut package = HandoffPackage::build(
        site,
        &VisitorContext {
            conversation_id: &conversation.id,
            name: conversation.visitor_detail(site, FieldKind::Name),
            email: conversation.visitor_detail(site, FieldKind::Email),
            verified_user_id: conversation
                .visitor
                .user_id
                .as_deref()
                .filter(|_| conversation.visitor.verified),
            page_url: conversation.page_url.as_deref(),
            referrer: conversation.referrer.as_deref(),
            timezone: conversation.timezone.as_deref(),
            fields: &fields,
        },
        &conversation.transcript.messages,
        outcome.intent.clone(),
        &outcome.hits,
        handoff,
        now_ms,
    );
    package.queued = notice.queued;
    package.next_opening_ms = notice.next_opening_ms;
    store.put_handoff_package(site, &package).await?;
    if let Decision::CollectContext { .. } = outcome.decision {
        return Ok(None);
    }
    hand_over(env, site, conversation, &package, now_ms)
        .await
        .map(Some)
}

/// Puts a handed-over conversation in its team's queue (or with an agent, when the site assigns automatically),
/// and queues the site's webhook deliveries.
async fn hand_over(
    env: &Env,
    site: &SiteConfig,
    conversation: &mut StoredConversation,
    package: &HandoffPackage,
    now_ms: u64,
) -> Result<HandedOver, ApiError> {
    conversation.handed_over_at_ms = Some(now_ms);
    let team = package.team.as_ref().map(|(id, _)| id.clone());
    let team_reply_minutes = site
        .teams
        .iter()
        .find(|known| Some(&known.id) == team.as_ref())
        .map_or(5, |team| team.reply_minutes);
    let public_url = vars::text(env, webhooks::PUBLIC_URL);
    let item = InboxItem {
        conversation_id: conversation.id.clone(),
        team,
        reason: package.reason,
        intent: package.intent,
        summary: package.summary.clone(),
        visitor_name: package.visitor_name.clone(),
        verified: package.verified_user_id.is_some(),
        page_url: package.page_url.clone(),
        handed_off_at_ms: now_ms,
        opens_at_ms: package.next_opening_ms,
        state: ItemState::Waiting,
        first_reply_at_ms: None,
        missed: false,
        last_seq: conversation.transcript.next_seq().saturating_sub(1),
        read_seq: 0,
    };
    let handed = inbox::hand_over(
        env,
        &site.id,
        &HandOver {
            item,
            team_reply_minutes,
            deliveries: webhooks::for_handoff(site, package, public_url.as_deref(), now_ms),
        },
    )
    .await?;
    if let Some(agent) = &handed.assigned {
        conversation.agent = Some(agent.clone());
    }
    Ok(handed)
}
