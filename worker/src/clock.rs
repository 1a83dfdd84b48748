//! The worker's one clock; nothing else in the worker reads the time (`cargo xtask test` checks it).
//!
//! A request is handled at [`now_ms`]: tests of business hours need another time than now, so a stack started with
//! the var `BATON_TEST_CLOCK = "header"` (only `cargo xtask test` sets it; `wrangler.toml` never does) takes it from
//! the request's `X-Baton-Now` header, in milliseconds since the Unix epoch. Internal calls carry the caller's time
//! in their envelope (`rooms::call`), so one request has one time wherever it is handled. What no request starts
//! (socket frames, alarms, retention) runs on [`system_ms`]; a Cron Trigger, on the time it was scheduled for
//! ([`scheduled_ms`], which the test stack may set too).

use worker::{Env, Request, ScheduledEvent};

use crate::vars;

/// The time a request is handled at.
pub fn now_ms(req: &Request, env: &Env) -> u64 {
    let header_allowed = vars::text(env, "BATON_TEST_CLOCK").as_deref() == Some("header");
    header_allowed
        .then(|| req.headers().get("X-Baton-Now").ok().flatten())
        .flatten()
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(system_ms)
}

/// The platform's time, for what no request times: socket frames, alarms and retention.
#[allow(clippy::disallowed_methods)] // The one place that reads it.
pub fn system_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The time a Cron Trigger was scheduled for. On the test stack (`BATON_TEST_CLOCK = "header"`), a trigger run by
/// hand with the cron text `at:{ms}` (`/__scheduled?cron=at:…`) runs at that time instead.
pub fn scheduled_ms(event: &ScheduledEvent, env: &Env) -> u64 {
    let test_clock = vars::text(env, "BATON_TEST_CLOCK").as_deref() == Some("header");
    test_clock
        .then(|| event.cron())
        .and_then(|cron| cron.strip_prefix("at:")?.parse().ok())
        .unwrap_or(event.schedule() as u64)
}
