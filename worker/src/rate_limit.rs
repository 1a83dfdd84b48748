//! Rate limits on every `POST`, with Cloudflare's rate limiting bindings (simulated by workerd locally): one per
//! client address (`CF-Connecting-IP`, set by Cloudflare's edge) and one per conversation, that is per visitor
//! token. Over a limit, the answer is 429 with `Retry-After`. The limits themselves are in `wrangler.toml`; a
//! missing binding or a limiter failure lets the request through (a limiter must never take the chat down).

use worker::{Env, Request, console_warn};

use crate::error::ApiError;

/// The bindings' names and periods, as in `wrangler.toml` (`[[ratelimits]]`).
const IP_LIMITER: &str = "IP_LIMITER";
const VISITOR_LIMITER: &str = "VISITOR_LIMITER";
const PERIOD_S: u32 = 60;

/// Refuses the request when its address, or the conversation it writes to, is over its limit.
pub async fn check(
    env: &Env,
    req: &Request,
    site_id: &str,
    conversation_id: Option<&str>,
) -> Result<(), ApiError> {
    let ip = req
        .headers()
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".into());
    if !allowed(env, IP_LIMITER, format!("ip:{ip}")).await {
        return Err(ApiError::RateLimited {
            retry_after_s: PERIOD_S,
            message: format!("too many requests from {ip}; try again in {PERIOD_S} seconds"),
        });
    }
    if let Some(conversation_id) = conversation_id
        && !allowed(
            env,
            VISITOR_LIMITER,
            format!("conversation:{site_id}:{conversation_id}"),
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

async fn allowed(env: &Env, binding: &str, key: String) -> bool {
    let Ok(limiter) = env.rate_limiter(binding) else {
        return true;
    };
    match limiter.limit(key).await {
        Ok(outcome) => outcome.success,
        Err(error) => {
            console_warn!("rate limiter {binding} failed ({error}); letting the request through");
            true
        }
    }
}
