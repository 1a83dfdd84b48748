//! Limits against scripted abuse, beyond the per-minute rate limits of `rate_limit.rs`. A browser always sends an
//! `Origin` with these requests, so a client without one is a script: per address and hour it may start only a few
//! conversations and reach people only a few times (each handoff pings every webhook). The counts live in the site's
//! directory, where increments are serialised. A conversation also has caps on its messages and stored text.
//! Without a client address (`CF-Connecting-IP`, always set by Cloudflare's edge; absent only on a local stack
//! without it) the hourly limits cannot tell clients apart and do not apply.

use baton_shared::protocol::{MAX_CONVERSATION_BYTES, MAX_CONVERSATION_MESSAGES};
use worker::{Env, Request};

use crate::error::ApiError;
use baton_shared::conversation::Conversation;

use crate::calls::directory::{self, DirectoryCall};
use crate::{clock, vars};

/// Conversations an address without `Origin` may start per hour (var `BATON_NO_ORIGIN_CONVERSATIONS_PER_HOUR`).
const CONVERSATIONS_PER_HOUR: u32 = 20;
/// Handoffs an address without `Origin` may cause per hour (var `BATON_NO_ORIGIN_HANDOFFS_PER_HOUR`).
const HANDOFFS_PER_HOUR: u32 = 5;

/// The client's address when the request has no `Origin` (a script, not a browser).
pub fn origin_less_address(req: &Request) -> Option<String> {
    let headers = req.headers();
    if headers.has("Origin").unwrap_or(false) {
        return None;
    }
    headers
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .filter(|address| !address.is_empty())
}

fn limit(env: &Env, name: &str, default: u32) -> u32 {
    vars::text(env, name)
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(default)
}

fn refused(what: &str, per_hour: u32) -> ApiError {
    ApiError::RateLimited {
        retry_after_s: 3_600,
        message: format!(
            "too many {what} this hour from this address without an Origin header (at most {per_hour}); browsers send one"
        ),
    }
}

/// What an origin-less address is limited in, per hour.
#[derive(Clone, Copy)]
enum Hourly {
    Conversations,
    Handoffs,
}

impl Hourly {
    fn name(self) -> &'static str {
        match self {
            Hourly::Conversations => "conversations",
            Hourly::Handoffs => "handoffs",
        }
    }

    fn per_hour(self, env: &Env) -> u32 {
        match self {
            Hourly::Conversations => limit(
                env,
                "BATON_NO_ORIGIN_CONVERSATIONS_PER_HOUR",
                CONVERSATIONS_PER_HOUR,
            ),
            Hourly::Handoffs => limit(env, "BATON_NO_ORIGIN_HANDOFFS_PER_HOUR", HANDOFFS_PER_HOUR),
        }
    }

    /// Asks the site's directory whether `address` is under the limit, counting one more when `count`.
    async fn ask(
        self,
        env: &Env,
        site_id: &str,
        address: &str,
        count: bool,
    ) -> Result<(), ApiError> {
        let key = format!("{}:{address}", self.name());
        let limit = self.per_hour(env);
        let directory_call = if count {
            DirectoryCall::CountHourly { key, limit }
        } else {
            DirectoryCall::UnderHourly { key, limit }
        };
        // Hourly windows run on the platform's clock, whatever time a request is handled at.
        let under: bool = directory::ask(env, site_id, clock::system_ms(), directory_call).await?;
        if under {
            Ok(())
        } else {
            Err(refused(self.name(), limit))
        }
    }
}

/// Counts one more conversation started by an origin-less address, refusing it over the hourly limit.
pub async fn count_conversation(env: &Env, site_id: &str, address: &str) -> Result<(), ApiError> {
    Hourly::Conversations.ask(env, site_id, address, true).await
}

/// Refuses a message from an origin-less address that has used up its handoffs this hour.
pub async fn handoffs_allowed(env: &Env, site_id: &str, address: &str) -> Result<(), ApiError> {
    Hourly::Handoffs.ask(env, site_id, address, false).await
}

/// Counts a handoff caused by an origin-less address (already made: over the limit, it is simply not counted).
pub async fn count_handoff(env: &Env, site_id: &str, address: &str) -> Result<(), ApiError> {
    match Hourly::Handoffs.ask(env, site_id, address, true).await {
        Err(ApiError::RateLimited { .. }) => Ok(()),
        other => other,
    }
}

/// A conversation may grow to [`MAX_CONVERSATION_MESSAGES`] messages (var `BATON_MAX_CONVERSATION_MESSAGES` may
/// lower it, as the tests do) and [`MAX_CONVERSATION_BYTES`] of text.
pub fn within_caps(env: &Env, conversation: &Conversation) -> Result<(), ApiError> {
    let max_messages = vars::text(env, "BATON_MAX_CONVERSATION_MESSAGES")
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(MAX_CONVERSATION_MESSAGES)
        .min(MAX_CONVERSATION_MESSAGES);
    conversation
        .transcript
        .has_room(max_messages, MAX_CONVERSATION_BYTES)
        .map_err(|full| ApiError::ConversationFull(full.to_string()))
}
