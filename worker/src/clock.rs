//! The time a request is handled at. Tests of business hours need another time than now: a stack started with the
//! var `BATON_TEST_CLOCK = "header"` (only `cargo xtask test` sets it; `wrangler.toml` never does) takes it from the
//! request's `X-Baton-Now` header, in milliseconds since the Unix epoch.

use worker::{Date, Env, Request};

use crate::vars;

pub fn now_ms(req: &Request, env: &Env) -> u64 {
    let header_allowed = vars::text(env, "BATON_TEST_CLOCK").as_deref() == Some("header");
    header_allowed
        .then(|| req.headers().get("X-Baton-Now").ok().flatten())
        .flatten()
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| Date::now().as_millis())
}
