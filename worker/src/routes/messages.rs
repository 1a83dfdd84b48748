//! `/v1/sites/{site}/conversations/{id}/messages`. `POST`: a visitor message in, the handoff policy's decision out
//! (an FAQ answer, a grounded AI answer, a clarifying question, a fallback, or a handoff notice with who joins and
//! when). `GET`: the history since a sequence number. Both need the conversation's visitor token.

use baton_shared::config::SiteConfig;
use baton_shared::handoff::{self, Decision, Outcome, Situation, Texts};
use baton_shared::protocol::{
    AnswerSource, Author, FieldError, HandoffNotice, MessagesAppended, PostMessage,
};
use worker::{Env, Request, Response};

use super::{store_package, visitor_conversation};
use crate::error::ApiError;
use crate::http::{json_response, read_json, reject_field_errors};
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
    let reply = match &body.instant_answer {
        Some(instant) => record_instant_answer(site, instant)?,
        None => decide_reply(env, stored_site, &conversation, &body, now_ms).await,
    };
    let transcript = &mut conversation.transcript;
    let first_new = transcript.next_seq();
    transcript.push_visitor(body.client_message_id, body.text, now_ms);
    match &reply.notice {
        Some(notice) => transcript.push_system(reply.text, Some(notice.clone()), now_ms),
        None => transcript.push_reply(Author::Ai, reply.text, reply.answer, now_ms),
    };
    let messages = transcript.since(first_new).to_vec();
    if let Some((outcome, notice)) = reply.outcome.zip(reply.notice) {
        conversation.pending_handoff = match &outcome.decision {
            Decision::CollectContext { handoff, .. } | Decision::AfterHours { handoff, .. } => {
                Some(handoff.clone())
            }
            _ => None,
        };
        store.put_conversation(&conversation).await?;
        store_package(store, site, &conversation, &outcome, &notice, now_ms).await?;
    } else {
        store.put_conversation(&conversation).await?;
    }
    Ok(json_response(&MessagesAppended { messages }, 200)?)
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
        // FIXME: agents and presence arrive with the agent console (issue 5); until then nobody is online, so every
        // handoff honestly says so, asks for what is needed to reply later, and queues the conversation.
        teams_online: &[],
        fields_known: &fields_known,
        visitor_chose_person: body.chose_person,
    };
    let mut outcome = handoff::decide(&situation);
    if handoff::may_ground(&outcome)
        && let Some(answer) = ai::ground(env, site, index, &stored_site.knowledge, &body.text).await
    {
        outcome = handoff::with_grounded(&situation, outcome, &answer);
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
