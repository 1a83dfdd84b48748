//! Starting or resuming the visitor's conversation: the session saved in localStorage is resumed from the worker's
//! history; when it is gone (401/404: expired, or another deployment) or there is none, a new conversation starts
//! with the page, the referrer and the browser's timezone. The session is kept in the wire encoding.

use baton_shared::protocol::{CampaignRef, CreateConversation, Message};

use crate::api::{ApiClient, ApiFailure, Session};
use crate::legacy;
use crate::storage::{Entry, SiteStorage};

/// `turnstile` is the site's Turnstile key, when it asks for a bot check before a conversation starts; `campaign`
/// the campaign whose click started it; `team` the team a click-to-chat element asked for.
pub async fn start(
    client: &ApiClient,
    turnstile: Option<String>,
    campaign: Option<CampaignRef>,
    team: Option<String>,
) -> Result<(Session, Vec<Message>), ApiFailure> {
    let storage = SiteStorage::for_site(client.site_id());
    // A session (or lead form's answers) an earlier widget kept in JSON is rewritten first, so that the
    // conversation goes on.
    legacy::rewrite_chat_copies(&storage).await;
    let saved: Option<Session> = storage.read_wire(Entry::Session);
    if let Some(saved) = saved {
        match client.history(&saved, 0).await {
            Ok(history) => return Ok((saved, history.messages)),
            Err(ApiFailure::Refused {
                status: 401 | 404, ..
            }) => storage.remove(Entry::Session),
            Err(failure) => return Err(failure),
        }
    }
    let turnstile_token = match turnstile {
        Some(site_key) => Some(
            crate::turnstile::token(&site_key)
                .await
                .map_err(|_| ApiFailure::Network)?,
        ),
        None => None,
    };
    let page_url = web_sys::window().and_then(|window| window.location().href().ok());
    let created = client
        .create_conversation(&CreateConversation {
            page_url,
            referrer: referrer(),
            timezone: browser_timezone(),
            turnstile_token,
            campaign,
            visitor: Some(storage.visitor_id()),
            team,
        })
        .await?;
    let session = Session {
        conversation_id: created.conversation_id,
        visitor_token: created.visitor_token,
    };
    storage.write_wire(Entry::Session, &session);
    Ok((session, created.messages))
}

/// The page that sent the visitor here, when the browser tells.
fn referrer() -> Option<String> {
    let referrer = web_sys::window()?.document()?.referrer();
    (!referrer.is_empty()).then_some(referrer)
}

/// The visitor's IANA timezone (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
pub fn browser_timezone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}
