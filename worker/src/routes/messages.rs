//! `/v1/sites/{site}/conversations/{id}/messages`. `POST`: a visitor message in, the handoff policy's decision out
//! (an FAQ answer, a clarifying question, a fallback, or a handoff notice with who joins and when). `GET`: the
//! history since a sequence number. Both need the conversation's visitor token.

use baton_shared::config::SiteConfig;
use baton_shared::faq::FaqIndex;
use baton_shared::handoff::{
    self, Decision, Handoff, HandoffPackage, Outcome, Situation, Texts, VisitorContext,
};
use baton_shared::protocol::{AnswerSource, Author, FieldError, MessagesAppended, PostMessage};
use worker::{Env, Request, Response};

use crate::error::ApiError;
use crate::http::{bearer_token, json_response, read_json, reject_field_errors};
use crate::store::{Store, StoredConversation};
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
                path: "since",
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
    site: &SiteConfig,
    conversation_id: &str,
) -> Result<Response, ApiError> {
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
        None => decide_reply(env, site, &conversation, &body.text, now_ms).await,
    };
    let transcript = &mut conversation.transcript;
    let first_new = transcript.next_seq();
    transcript.push_visitor(body.client_message_id, body.text, now_ms);
    transcript.push_reply(reply.author, reply.text, reply.answer, now_ms);
    let messages = transcript.since(first_new).to_vec();
    store.put_conversation(&conversation).await?;
    if let Some((handoff, outcome)) = reply.handoff {
        let package = HandoffPackage::build(
            site,
            &VisitorContext {
                conversation_id: &conversation.id,
                // FIXME: name, email and form fields arrive with identify and the pre-chat form.
                name: None,
                email: None,
                page_url: conversation.page_url.as_deref(),
                referrer: conversation.referrer.as_deref(),
                timezone: conversation.timezone.as_deref(),
                fields: &[],
            },
            &conversation.transcript.messages,
            outcome.intent,
            &outcome.hits,
            &handoff,
            now_ms,
        );
        store.put_handoff_package(site, &package).await?;
    }
    Ok(json_response(&MessagesAppended { messages }, 200)?)
}

/// What the conversation says next, and the handoff (with what it was based on) when it goes to a person.
struct Reply {
    author: Author,
    text: String,
    answer: Option<AnswerSource>,
    handoff: Option<(Handoff, Outcome)>,
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
                path: "instant_answer.faq_entry_id",
                problem: format!("site \"{}\" has no FAQ entry \"{id}\"", site.id),
            }])
        })?;
    Ok(Reply {
        author: Author::Ai,
        text: entry.answer.clone(),
        answer: Some(instant.clone()),
        handoff: None,
    })
}

/// The handoff policy's reply to a visitor message: who speaks, what they say, and the answer's provenance. When
/// the FAQ has no confident answer, the site's AI provider gets its turn (`handoff::with_grounded`).
async fn decide_reply(
    env: &Env,
    site: &SiteConfig,
    conversation: &StoredConversation,
    visitor_text: &str,
    now_ms: u64,
) -> Reply {
    let index = FaqIndex::for_site(site);
    let situation = Situation {
        config: site,
        index: &index,
        transcript: &conversation.transcript.messages,
        visitor_text,
        now_ms,
        // FIXME: agents, presence and pre-chat forms arrive with the agent console; until then nobody is online,
        // so every handoff honestly says so and asks for the fields needed to reply later.
        teams_online: &[],
        fields_known: &[],
        visitor_chose_person: false,
    };
    let mut outcome = handoff::decide(&situation);
    if handoff::may_ground(&outcome)
        && let Some(answer) = ai::ground(env, site, &index, visitor_text).await
    {
        outcome = handoff::with_grounded(&situation, outcome, &answer);
    }
    let text = Texts::for_locale(&site.locale).render(
        site,
        &outcome.decision,
        conversation.timezone.as_deref(),
    );
    let (author, answer) = match &outcome.decision {
        Decision::Answer {
            faq_entry,
            confidence,
        } => (
            Author::Ai,
            Some(AnswerSource {
                faq_entry_id: Some(site.faq[*faq_entry].id.clone()),
                confidence: *confidence,
                sources: Vec::new(),
            }),
        ),
        Decision::Grounded {
            confidence,
            sources,
            ..
        } => (
            Author::Ai,
            Some(AnswerSource {
                faq_entry_id: None,
                confidence: *confidence,
                sources: sources.clone(),
            }),
        ),
        Decision::Clarify { .. } | Decision::Fallback => (
            Author::Ai,
            Some(AnswerSource {
                faq_entry_id: None,
                confidence: outcome.confidence,
                sources: Vec::new(),
            }),
        ),
        Decision::CollectContext { .. } | Decision::HandOff(_) | Decision::AfterHours { .. } => {
            (Author::System, None)
        }
    };
    let handoff = match &outcome.decision {
        Decision::CollectContext { handoff, .. }
        | Decision::HandOff(handoff)
        | Decision::AfterHours { handoff, .. } => Some(handoff.clone()),
        Decision::Answer { .. }
        | Decision::Grounded { .. }
        | Decision::Clarify { .. }
        | Decision::Fallback => None,
    };
    Reply {
        author,
        text,
        answer,
        handoff: handoff.map(|handoff| (handoff, outcome)),
    }
}

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
