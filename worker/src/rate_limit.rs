//! Rate limits on every `POST`, with Cloudflare's rate limiting bindings (simulated by workerd locally): one per
//! client address (`CF-Connecting-IP`, set by Cloudflare's edge), checked by the worker, and one per conversation,
//! checked by its room once the visitor token is known to be right. Over a limit, the answer is 429 with `Retry-After`. The limits themselves are in `wrangler.toml`; a
//! missing binding or a limiter failure lets the request through (a limiter must never take the chat down).

use worker::{Env, Request, console_warn};

use crate::calls::tally::{self, Op};
use crate::error::ApiError;

/// The bindings' names and periods, as in `wrangler.toml` (`[[ratelimits]]`).
const IP_LIMITER: &str = "IP_LIMITER";
const VISITOR_LIMITER: &str = "VISITOR_LIMITER";
const PERIOD_S: u32 = 60;

/// Refuses the request when its address is over its limit (checked by the worker for every `POST`); counted for
/// the site of its route, when it has one.
pub async fn address(env: &Env, req: &Request, site_id: Option<&str>) -> Result<(), ApiError> {
    let ip = req
        .headers()
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".into());
    if !allowed(env, IP_LIMITER, format!("ip:{ip}"), site_id).await {
        return Err(ApiError::RateLimited {
            retry_after_s: PERIOD_S,
            message: format!("too many requests from {ip}; try again in {PERIOD_S} seconds"),
        });
    }
    Ok(())
}

/// Refuses a visitor's `POST` when their conversation is over its limit. Checked by the conversation's room after
/// the visitor token, so only the visitor's own requests count: knowing a conversation id is not enough to silence
/// its visitor.
pub async fn conversation(env: &Env, site_id: &str, conversation_id: &str) -> Result<(), ApiError> {
    if !allowed(
        env,
        VISITOR_LIMITER,
        format!("conversation:{site_id}:{conversation_id}"),
        Some(site_id),
    )
    .await
    {
        return Err(ApiError::RateLimited {
            retry_after_s: PERIOD_S,
            message: format!(
                "too many messages in this conversation; try again in {PERIOD_S} seconds"
            ),
        });
    }
    Ok(())
}

/// Whether `key` is within `binding`'s limit; the check is counted for `site_id` when it is known.
async fn allowed(env: &Env, binding: &str, key: String, site_id: Option<&str>) -> bool {
    let Ok(limiter) = env.rate_limiter(binding) else {
        return true;
    };
    if let Some(site_id) = site_id {
        tally::count(site_id, Op::LimiterCheck);
    }
    match limiter.limit(key).await {
        Ok(outcome) => outcome.success,
        Err(error) => {
            console_warn!("rate limiter {binding} failed ({error}); letting the request through");
            true
        }
    }
}
