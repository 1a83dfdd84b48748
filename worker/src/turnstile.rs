//! Cloudflare Turnstile on conversation creation, for sites that configure it (`turnstile.site_key`): the widget
//! shows the challenge and sends its token; the worker asks Turnstile's siteverify endpoint with the site's secret
//! `BATON_TURNSTILE_SECRET_{SITE}` before the conversation starts. The endpoint is Cloudflare's unless
//! `BATON_TURNSTILE_VERIFY_URL` names another (the tests' stand-in on loopback).

use serde::Deserialize;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit, console_warn};

use crate::error::ApiError;
use crate::vars;

const SITEVERIFY: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/// What siteverify answers (the fields Baton reads).
#[derive(Debug, Deserialize)]
struct Verdict {
    success: bool,
    #[serde(default, rename = "error-codes")]
    error_codes: Vec<String>,
}

/// The secret's name for a site: `BATON_TURNSTILE_SECRET_MY_SHOP` for `my-shop`.
fn secret_name(site_id: &str) -> String {
    vars::per_site("BATON_TURNSTILE_SECRET", site_id)
}

/// Refuses the request unless `token` passes the site's Turnstile check.
pub async fn check(
    env: &Env,
    site_id: &str,
    token: Option<&str>,
    remote_ip: Option<&str>,
) -> Result<(), ApiError> {
    let token = token.filter(|token| !token.is_empty()).ok_or_else(|| {
        ApiError::Forbidden(
            "this site asks for a bot check before a chat starts: send the Turnstile token as turnstile_token"
                .into(),
        )
    })?;
    let name = secret_name(site_id);
    let secret = vars::text(env, &name).ok_or_else(|| {
        ApiError::Internal(format!(
            "site {site_id} configures Turnstile but the secret {name} is not set"
        ))
    })?;
    let encode = |value: &str| String::from(js_sys::encode_uri_component(value));
    let mut form = format!("secret={}&response={}", encode(&secret), encode(token));
    if let Some(ip) = remote_ip {
        form.push_str(&format!("&remoteip={}", encode(ip)));
    }
    let headers = Headers::new();
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(form.into()));
    let endpoint =
        vars::text(env, "BATON_TURNSTILE_VERIFY_URL").unwrap_or_else(|| SITEVERIFY.into());
    let mut response = Fetch::Request(Request::new_with_init(&endpoint, &init)?)
        .send()
        .await?;
    let verdict: Verdict = response
        .json()
        .await
        .map_err(|error| ApiError::Internal(format!("Turnstile answered no verdict: {error}")))?;
    if verdict.success {
        return Ok(());
    }
    console_warn!("Turnstile refused a token: {:?}", verdict.error_codes);
    Err(ApiError::Forbidden(
        "the bot check did not pass; reload the page and try again".into(),
    ))
}
