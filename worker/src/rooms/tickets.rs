//! Socket tickets as the Durable Object that accepts the socket keeps them: issued with what they grant (a peer of a
//! conversation, an agent's inbox seat), stored under the ticket's SHA-256 with an expiry, and used up when the
//! socket opens. Expired tickets nobody used are swept whenever a new one is issued. Lifetimes run on the platform's
//! clock (`clock::system_ms`), like the socket they open.

use baton_shared::protocol::ticket::{SocketTicket, TICKET_TTL_MS};
use baton_shared::signing;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{ListOptions, Storage};

use crate::calls::to_json;
use crate::error::ApiError;
use crate::{clock, random};

const PREFIX: &str = "ticket:";

/// A ticket's grant and when it stops being good.
#[derive(Debug, Serialize, Deserialize)]
struct Stored<G> {
    grant: G,
    expires_at_ms: u64,
}

/// Issues a ticket for `grant`, good for [`TICKET_TTL_MS`].
pub async fn issue<G: Serialize>(storage: &Storage, grant: G) -> Result<SocketTicket, ApiError> {
    let now_ms = clock::system_ms();
    sweep(storage, now_ms).await?;
    let ticket = random::token()?;
    let expires_at_ms = now_ms + TICKET_TTL_MS;
    storage
        .put(
            &format!("{PREFIX}{}", signing::token_digest(&ticket)),
            to_json(&Stored {
                grant,
                expires_at_ms,
            })?,
        )
        .await?;
    Ok(SocketTicket {
        ticket,
        expires_at_ms,
    })
}

/// The grant of a socket's `?ticket=`, used up; `refused` says what to do instead when there is none, it was
/// used already or it expired.
pub async fn redeem<G: DeserializeOwned>(
    storage: &Storage,
    ticket: Option<&str>,
    refused: &str,
) -> Result<G, ApiError> {
    let refuse = || ApiError::Unauthorized(refused.to_string());
    let ticket = ticket.ok_or_else(refuse)?;
    let key = format!("{PREFIX}{}", signing::token_digest(ticket));
    let stored: Option<String> = storage.get(&key).await?;
    let stored: Stored<G> = stored
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or_else(refuse)?;
    storage.delete(&key).await?;
    if stored.expires_at_ms < clock::system_ms() {
        return Err(refuse());
    }
    Ok(stored.grant)
}

/// Deletes the tickets that expired unused.
async fn sweep(storage: &Storage, now_ms: u64) -> Result<(), ApiError> {
    let listed = storage
        .list_with_options(ListOptions::new().prefix(PREFIX))
        .await?;
    let mut expired = Vec::new();
    for entry in listed.entries() {
        let Ok(entry) = entry else { continue };
        let pair = js_sys::Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let expires_at_ms = pair
            .get(1)
            .as_string()
            .and_then(|json| serde_json::from_str::<Stored<serde::de::IgnoredAny>>(&json).ok())
            .map_or(0, |stored| stored.expires_at_ms);
        if expires_at_ms < now_ms {
            expired.push(key);
        }
    }
    if !expired.is_empty() {
        storage.delete_multiple(expired).await?;
    }
    Ok(())
}
