//! What the visitor tells about themself. `POST …/identify`: name and email, and a user id only with a token the
//! site signed (HMAC-SHA256, secret `BATON_IDENTITY_SECRET_{SITE}`); a bad or expired token is refused with 401
//! and nothing is applied. `POST …/form`: the pre-chat form's answers; when a handoff was waiting for them, it goes
//! ahead (or stays queued until the team is back) and the visitor is told so.

use baton_shared::config::{FieldKind, SiteConfig};
use baton_shared::handoff::{self, Decision, HandoffPackage, Situation, Texts};
use baton_shared::identity;
use baton_shared::protocol::agent::Rate;
use baton_shared::protocol::{HandoffNotice, Identified, Identify, MessagesAppended, SubmitForm};
use worker::{Env, Request, Response};

use super::messages::staffing_matters;
use super::{hand_over, rerouting, visitor_conversation};
use crate::error::ApiError;
use crate::http::{json_response, read_json, reject_field_errors};
use crate::rooms::inbox;
use crate::store::{Store, StoredConversation, StoredSite};
use crate::{clock, vars};

pub async fn identify(
    req: &mut Request,
    env: &Env,
    store: &Store,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let body: Identify = read_json(req).await?;
    reject_field_errors(body.validate())?;
    let mut conversation = visitor_conversation(req, store, site, conversation_id).await?;
    let now_ms = clock::now_ms(req, env);
    let verified_user = match (&body.user_id, &body.token) {
        (Some(user_id), Some(token)) => {
            let secret_name = identity_secret_name(&site.id);
            let secret = vars::text(env, &secret_name).ok_or_else(|| {
                    ApiError::Unauthorized(format!(
                        "site \"{}\" has no identity secret ({secret_name}), so a signed user id cannot be checked",
                        site.id
                    ))
                })?;
            let max_lifetime_s = vars::text(env, "BATON_IDENTITY_MAX_LIFETIME_S")
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(identity::DEFAULT_MAX_LIFETIME_S);
            let check = identity::Check {
                site_id: &site.id,
                user_id,
                now_s: now_ms / 1000,
                max_lifetime_s,
            };
            identity::verify(secret.as_bytes(), token, check).map_err(|problem| {
                ApiError::Unauthorized(format!("identify refused: {problem}"))
            })?;
            Some(user_id.clone())
        }
        _ => None,
    };
    let visitor = &mut conversation.visitor;
    if verified_user.is_some() {
        visitor.user_id = verified_user;
        visitor.verified = true;
    }
    if let Some(name) = body.name {
        visitor.name = Some(name.trim().to_string());
    }
    if let Some(email) = body.email {
        visitor.email = Some(email.trim().to_string());
    }
    let identified: Identified = conversation.visitor.clone();
    store.put_conversation(&conversation).await?;
    refresh_package(store, site, &conversation, None).await?;
    Ok(json_response(&identified, 200)?)
}

/// `BATON_IDENTITY_SECRET_DEMO` for site `demo`, `…_MY_SHOP` for `my-shop`.
fn identity_secret_name(site_id: &str) -> String {
    format!(
        "BATON_IDENTITY_SECRET_{}",
        site_id.to_ascii_uppercase().replace('-', "_")
    )
}

pub async fn submit_form(
    req: &mut Request,
    env: &Env,
    store: &Store,
    stored_site: &StoredSite,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let site = &stored_site.config;
    let body: SubmitForm = read_json(req).await?;
    let required: Vec<&str> = if site.pre_chat.before_chat {
        site.pre_chat
            .fields
            .iter()
            .filter(|field| field.required)
            .map(|field| field.id.as_str())
            .collect()
    } else {
        Vec::new()
    };
    reject_field_errors(body.check(&site.pre_chat, &required))?;
    let mut conversation = visitor_conversation(req, store, site, conversation_id).await?;
    let now_ms = clock::now_ms(req, env);
    for answer in body.fields {
        conversation.set_field(answer.id, &answer.value);
    }
    if body.consent {
        conversation.consent_at_ms.get_or_insert(now_ms);
    }
    let first_new = conversation.transcript.next_seq();
    fields_given(
        env,
        store,
        stored_site,
        conversation,
        first_new,
        now_ms,
        false,
    )
    .await
}

/// A handoff that waited for fields goes on now that some were given (in the form, or typed in the chat when
/// `in_chat`): handed over, or still queued until the team is back, and the visitor is told so. The package is
/// brought up to date either way; the conversation is stored, and the answer is its messages from `first_new`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn fields_given(
    env: &Env,
    store: &Store,
    stored_site: &StoredSite,
    mut conversation: StoredConversation,
    first_new: u64,
    now_ms: u64,
    in_chat: bool,
) -> Result<Response, ApiError> {
    let conversation = &mut conversation;
    let site = &stored_site.config;
    let mut notice = None;
    let mut handed_over = false;
    if let Some(pending) = conversation.pending_handoff.clone() {
        let fields_known = conversation.fields_known(site);
        let situation = rerouting(stored_site, conversation, &fields_known, now_ms);
        let mut decision = handoff::reroute(&situation, &pending);
        if staffing_matters(&decision) {
            let teams_online = inbox::teams_online(env, &site.id).await;
            let online: Vec<&str> = teams_online.iter().map(String::as_str).collect();
            decision = handoff::reroute(
                &Situation {
                    teams_online: &online,
                    ..situation
                },
                &pending,
            );
        }
        let still_missing = match &decision {
            Decision::CollectContext { fields, .. } | Decision::AfterHours { fields, .. } => {
                !fields.is_empty()
            }
            _ => false,
        };
        // Fields given one at a time (the conversational form) are acknowledged once the last one arrives; a
        // field typed in the chat gets an answer at once, which asks for whatever is still missing.
        if in_chat || !still_missing {
            let texts = Texts::for_locale(&site.locale);
            let text = format!(
                "{} {}",
                texts.details_received(),
                texts.render(site, &decision, conversation.timezone.as_deref())
            );
            let told = handoff::notice(site, &decision);
            conversation
                .transcript
                .push_system(text, told.clone(), now_ms);
            if !still_missing {
                notice = told;
                conversation.pending_handoff = match &decision {
                    Decision::AfterHours { handoff, .. } => Some(handoff.clone()),
                    _ => None,
                };
                handed_over =
                    matches!(decision, Decision::HandOff(_) | Decision::AfterHours { .. });
            }
        }
    }
    let package = refresh_package(store, site, conversation, notice.as_ref()).await?;
    if let Some(package) = package.filter(|_| handed_over) {
        let handed = hand_over(env, site, conversation, &package, now_ms).await?;
        if let Some(agent) = handed.assigned {
            conversation.agent_joins(Texts::for_locale(&site.locale), agent, now_ms);
        }
    }
    store.put_conversation(conversation).await?;
    let messages = conversation.transcript.since(first_new).to_vec();
    Ok(json_response(&MessagesAppended { messages }, 200)?)
}

/// Brings a stored package up to date with the visitor's name, email and fields, and with where the handoff
/// stands when it was just decided again.
async fn refresh_package(
    store: &Store,
    site: &SiteConfig,
    conversation: &StoredConversation,
    notice: Option<&HandoffNotice>,
) -> Result<Option<HandoffPackage>, ApiError> {
    let Some(mut package) = store.handoff_package(&site.id, &conversation.id).await? else {
        return Ok(None);
    };
    package.visitor_name = conversation
        .visitor_detail(site, FieldKind::Name)
        .map(str::to_string);
    package.visitor_email = conversation
        .visitor_detail(site, FieldKind::Email)
        .map(str::to_string);
    package.verified_user_id = conversation
        .visitor
        .user_id
        .clone()
        .filter(|_| conversation.visitor.verified);
    package.fields = conversation.labelled_fields(site);
    if let Some(notice) = notice {
        package.queued = notice.queued;
        package.next_opening_ms = notice.next_opening_ms;
    }
    store.put_handoff_package(site, &package).await?;
    Ok(Some(package))
}

/// `POST …/csat`: the visitor's rating of a closed conversation (1 to 5), kept with the conversation and its
/// archive. Rating again replaces the rating.
pub async fn rate(
    req: &mut Request,
    store: &Store,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let body: Rate = read_json(req).await?;
    reject_field_errors(body.validate())?;
    let mut conversation = visitor_conversation(req, store, site, conversation_id).await?;
    if conversation.closed.is_none() {
        return Err(ApiError::Conflict(
            "a conversation is rated after an agent closes it".into(),
        ));
    }
    conversation.csat = Some(body.rating);
    store.put_conversation(&conversation).await?;
    if let Some(mut archive) = store.archive(&site.id, conversation_id).await? {
        archive.conversation.csat = Some(body.rating);
        store.put_archive(site, &archive).await?;
    }
    Ok(json_response(&body, 200)?)
}
