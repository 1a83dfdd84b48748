//! `/v1/sites/{site}/conversations/{id}/messages`. `POST`: a visitor message in, the handoff policy's decision out
//! (an FAQ answer, a grounded AI answer, a clarifying question, a fallback, or a handoff notice with who joins and
//! when). `GET`: the history since a sequence number. Both need the conversation's visitor token.

use baton_shared::config::{FieldKind, SiteConfig};
use baton_shared::handoff::{self, Decision, Outcome, Situation, Texts};
use baton_shared::protocol::{
    AnswerSource, Author, FieldError, HandoffNotice, MessagesAppended, PostMessage, email_in_text,
};
use worker::{Env, Request, Response};

use super::visitor::fields_given;
use super::{rerouting, store_package, visitor_conversation};
use crate::error::ApiError;
use crate::http::{json_response, read_json, reject_field_errors};
use crate::rooms::inbox;
use crate::store::{Store, StoredConversation, StoredSite};
use crate::{ai, clock};

/// `GET …/messages?since=N`: the conversation's messages after sequence number `N` (all of them without `since`),
/// for a widget reopening the conversation on another page or after a reload.
pub async fn history(
    req: &Request,
    store: &Store,
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let conversation = visitor_conversation(req, store, site, conversation_id).await?;
    let url = req.url()?;
    let since = match url.query_pairs().find(|(name, _)| name == "since") {
        None => 0,
        Some((_, value)) => value.parse::<u64>().map_err(|_| {
            ApiError::InvalidFields(vec![FieldError {
                path: "since".into(),
                problem: format!("must be a sequence number (0 or more), got \"{value}\""),
            }])
        })?,
    };
    let messages = conversation
        .transcript
        .since(since.saturating_add(1))
        .to_vec();
    Ok(json_response(&MessagesAppended { messages }, 200)?)
}

pub async fn post(
    req: &mut Request,
    env: &Env,
    store: &Store,
    stored_site: &StoredSite,
    conversation_id: &str,
) -> Result<Response, ApiError> {
    let site = &stored_site.config;
    let body: PostMessage = read_json(req).await?;
    reject_field_errors(body.validate())?;
    let mut conversation = visitor_conversation(req, store, site, conversation_id).await?;
    // A retry of a message already stored gets the original answer; nothing is stored twice.
    if let Some(messages) = conversation.transcript.replay(&body.client_message_id) {
        return Ok(json_response(&MessagesAppended { messages }, 200)?);
    }
    let now_ms = clock::now_ms(req, env);
    // While an agent has the conversation, the visitor talks to them: Baton stays quiet.
    if conversation.agent.is_some() {
        let message = conversation
            .transcript
            .push_visitor(body.client_message_id, body.text, now_ms)
            .clone();
        store.put_conversation(&conversation).await?;
        return Ok(json_response(
            &MessagesAppended {
                messages: vec![message],
            },
            200,
        )?);
    }
    // Asked for their email to go on with a handoff, visitors often type it in the chat: it counts as the form.
    if body.instant_answer.is_none()
        && let Some((field_id, email)) =
            email_for_pending_handoff(stored_site, &conversation, &body.text, now_ms)
    {
        let first_new = conversation.transcript.next_seq();
        conversation
            .transcript
            .push_visitor(body.client_message_id, body.text, now_ms);
        conversation.set_field(field_id, &email);
        return fields_given(
            env,
            store,
            stored_site,
            conversation,
            first_new,
            now_ms,
            true,
        )
        .await;
    }
    let reply = match &body.instant_answer {
        Some(instant) => record_instant_answer(site, instant)?,
        None => decide_reply(env, stored_site, &conversation, &body, now_ms).await,
    };
    let first_new = conversation.transcript.next_seq();
    conversation
        .transcript
        .push_visitor(body.client_message_id, body.text, now_ms);
    match reply.outcome.zip(reply.notice) {
        Some((outcome, mut notice)) => {
            conversation.pending_handoff = match &outcome.decision {
                Decision::CollectContext { handoff, .. } | Decision::AfterHours { handoff, .. } => {
                    Some(handoff.clone())
                }
                _ => None,
            };
            let handed = store_package(
                env,
                store,
                site,
                &mut conversation,
                &outcome,
                &notice,
                now_ms,
            )
            .await?;
            let texts = Texts::for_locale(&site.locale);
            let mut text = reply.text;
            if let Some(queued) = handed.as_ref().and_then(|handed| handed.queued)
                && !notice.queued
            {
                notice.queue_position = Some(queued.position);
                notice.expected_wait_ms = Some(queued.expected_wait_ms);
                text = format!(
                    "{text} {}",
                    texts.queue_place(queued.position, queued.expected_wait_ms)
                );
            }
            conversation
                .transcript
                .push_system(text, Some(notice), now_ms);
            if let Some(agent) = handed.and_then(|handed| handed.assigned) {
                conversation.agent_joins(texts, agent, now_ms);
            }
        }
        None => {
            conversation
                .transcript
                .push_reply(Author::Ai, reply.text, reply.answer, now_ms);
        }
    }
    store.put_conversation(&conversation).await?;
    let messages = conversation.transcript.since(first_new).to_vec();
    Ok(json_response(&MessagesAppended { messages }, 200)?)
}

/// The email field a waiting handoff still needs and the address the visitor's message gives for it, when both are
/// there.
fn email_for_pending_handoff(
    stored_site: &StoredSite,
    conversation: &StoredConversation,
    text: &str,
    now_ms: u64,
) -> Option<(String, String)> {
    let site = &stored_site.config;
    let pending = conversation.pending_handoff.as_ref()?;
    let fields_known = conversation.fields_known(site);
    let situation = rerouting(stored_site, conversation, &fields_known, now_ms);
    let missing = match handoff::reroute(&situation, pending) {
        Decision::CollectContext { fields, .. } | Decision::AfterHours { fields, .. } => fields,
        _ => return None,
    };
    let field = missing
        .iter()
        .filter_map(|index| site.pre_chat.fields.get(*index))
        .find(|field| field.kind == FieldKind::Email)?;
    Some((field.id.clone(), email_in_text(text)?))
}

/// Decided with nobody online, a handoff inside business hours would queue; the inbox may know better.
pub fn staffing_matters(decision: &Decision) -> bool {
    matches!(
        decision,
        Decision::AfterHours {
            next_opening_ms: None,
            ..
        }
    )
}

/// What the conversation says next; for a handoff, the notice and the outcome it came from.
struct Reply {
    text: String,
    answer: Option<AnswerSource>,
    notice: Option<HandoffNotice>,
    outcome: Option<Outcome>,
}

/// The widget already showed an FAQ answer: the transcript records that entry's answer, taken from the site's
/// configuration (never text from the request), so it holds exactly what the visitor saw.
fn record_instant_answer(site: &SiteConfig, instant: &AnswerSource) -> Result<Reply, ApiError> {
    let id = instant.faq_entry_id.as_deref().unwrap_or_default();
    let entry = site
        .faq
        .iter()
        .find(|entry| entry.id == id)
        .ok_or_else(|| {
            ApiError::InvalidFields(vec![FieldError {
                path: "instant_answer.faq_entry_id".into(),
                problem: format!("site \"{}\" has no FAQ entry \"{id}\"", site.id),
            }])
        })?;
    Ok(Reply {
        text: entry.answer.clone(),
        answer: Some(instant.clone()),
        notice: None,
        outcome: None,
    })
}

/// The handoff policy's reply to a visitor message: what Baton says, and the answer's provenance or the handoff's
/// notice. When the FAQ has no confident answer, the site's AI provider gets its turn (`handoff::with_grounded`).
async fn decide_reply(
    env: &Env,
    stored_site: &StoredSite,
    conversation: &StoredConversation,
    body: &PostMessage,
    now_ms: u64,
) -> Reply {
    let site = &stored_site.config;
    let index = &stored_site.index;
    let fields_known = conversation.fields_known(site);
    let situation = Situation {
        config: site,
        index,
        transcript: &conversation.transcript.messages,
        visitor_text: &body.text,
        now_ms,
        teams_online: &[],
        fields_known: &fields_known,
        visitor_chose_person: body.chose_person,
    };
    let mut outcome = handoff::decide(&situation);
    let grounded = if handoff::may_ground(&outcome) {
        ai::ground(env, site, index, &stored_site.knowledge, &body.text).await
    } else {
        None
    };
    if let Some(answer) = &grounded {
        outcome = handoff::with_grounded(&situation, outcome, answer);
    }
    // Who is online matters only to a handoff inside business hours: the inbox is asked only then.
    if staffing_matters(&outcome.decision) {
        let teams_online = inbox::teams_online(env, &site.id).await;
        let online: Vec<&str> = teams_online.iter().map(String::as_str).collect();
        let staffed = Situation {
            teams_online: &online,
            ..situation
        };
        outcome = handoff::decide(&staffed);
        if handoff::may_ground(&outcome)
            && let Some(answer) = &grounded
        {
            outcome = handoff::with_grounded(&staffed, outcome, answer);
        }
    }
    let text = Texts::for_locale(&site.locale).render(
        site,
        &outcome.decision,
        conversation.timezone.as_deref(),
    );
    let answer = match &outcome.decision {
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
        Decision::Clarify { .. } | Decision::Fallback => Some(AnswerSource {
            faq_entry_id: None,
            confidence: outcome.confidence,
            sources: Vec::new(),
        }),
        Decision::CollectContext { .. } | Decision::HandOff(_) | Decision::AfterHours { .. } => {
            None
        }
    };
    let notice = handoff::notice(site, &outcome.decision);
    Reply {
        text,
        answer,
        outcome: notice.is_some().then_some(outcome),
        notice,
    }
}
