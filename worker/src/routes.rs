//! One file per API resource; each route is one named async fn. What several routes share lives here: finding the
//! visitor's conversation from the bearer token, and writing the handoff package.

pub mod conversations;
pub mod health;
pub mod messages;
pub mod schema;
pub mod visitor;
pub mod widget_config;

use baton_shared::config::{FieldKind, SiteConfig};
use baton_shared::handoff::{Decision, HandoffPackage, Outcome, VisitorContext};
use baton_shared::protocol::HandoffNotice;
use worker::Request;

use crate::error::ApiError;
use crate::http::bearer_token;
use crate::store::{Store, StoredConversation};

/// The conversation, when the request carries its visitor token.
async fn visitor_conversation(
    req: &Request,
    store: &Store,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<StoredConversation, ApiError> {
    let token = bearer_token(req)?;
    let conversation = store
        .conversation(&site.id, conversation_id)
        .await?
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

/// Compares secrets without an early exit, so timing does not reveal how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Writes the agent's package for a handoff decision, with everything the conversation knows about the visitor.
async fn store_package(
    store: &Store,
    site: &SiteConfig,
    conversation: &StoredConversation,
    outcome: &Outcome,
    notice: &HandoffNotice,
    now_ms: u64,
) -> Result<(), ApiError> {
    let handoff = match &outcome.decision {
        Decision::CollectContext { handoff, .. }
        | Decision::HandOff(handoff)
        | Decision::AfterHours { handoff, .. } => handoff,
        _ => return Ok(()),
    };
    let fields = conversation.labelled_fields(site);
    let mut package = HandoffPackage::build(
        site,
        &VisitorContext {
            conversation_id: &conversation.id,
            name: conversation.visitor_detail(site, FieldKind::Name),
            email: conversation.visitor_detail(site, FieldKind::Email),
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
    store.put_handoff_package(site, &package).await
}
