//! Handoff notifications as the site inbox performs them: one delivery per configured endpoint and handoff, as a
//! Slack incoming-webhook message or Baton's JSON (built, escaped, by `baton_shared::webhook`, linking to the console
//! under `BATON_PUBLIC_URL` and never under a request's `Host`), signed with `X-Baton-Signature: t={unix
//! seconds},v1={hex HMAC-SHA256 of "{t}.{body}"}` under the secret `BATON_WEBHOOK_SECRET_{SITE}`. Deliveries wait in
//! the site inbox's storage; its alarm sends those due and records each outcome. The studio's "send a test" sends
//! a sample handoff the same way, at once ([`send_test`]). Which are due, the retry delays,
//! giving up and how many are kept are decided by `baton_shared::webhook`; this file loads, sends and stores.

use baton_shared::config::{SiteConfig, Webhook};
use baton_shared::handoff::HandoffPackage;
use baton_shared::protocol::agent::Deliveries;
use baton_shared::protocol::site_config::WebhookTestResult;
use baton_shared::signing::{WEBHOOK_SIGNATURE_HEADER, webhook_signature};
use baton_shared::vocab::{HandoffReason, Intent};
use baton_shared::webhook::{self, endpoint_shown, handoff_body};
use worker::{Env, Fetch, Headers, Method, Request, RequestInit, Storage, console_warn};

use crate::error::ApiError;
use crate::{clock, vars};

pub use baton_shared::webhook::{Delivery, for_handoff};

/// The deployment's public origin (`BATON_PUBLIC_URL`), under which agents open the console. Links in webhooks
/// are built from it alone: a request's `Host` header is the caller's to choose.
pub const PUBLIC_URL: &str = "BATON_PUBLIC_URL";
/// Where the site inbox keeps its deliveries, as one list.
const DELIVERIES_KEY: &str = "deliveries";

async fn load(storage: &Storage) -> Result<Vec<Delivery>, ApiError> {
    let json: Option<String> = storage.get(DELIVERIES_KEY).await?;
    Ok(json
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

async fn save(storage: &Storage, mut deliveries: Vec<Delivery>) -> Result<(), ApiError> {
    webhook::prune(&mut deliveries);
    let json = serde_json::to_string(&deliveries)
        .map_err(|error| ApiError::Internal(format!("serialising deliveries: {error}")))?;
    storage.put(DELIVERIES_KEY, json).await?;
    Ok(())
}

/// Every delivery the inbox remembers, newest last, as admins see them: no body, no secret path.
pub async fn deliveries(storage: &Storage) -> Result<Deliveries, ApiError> {
    let deliveries = load(storage).await?.iter().map(Delivery::view).collect();
    Ok(Deliveries { deliveries })
}

/// Drops a conversation's deliveries, sent or not (their bodies hold the visitor's details); returns how many.
pub async fn forget(storage: &Storage, conversation_id: &str) -> Result<u64, ApiError> {
    let mut deliveries = load(storage).await?;
    let removed = webhook::forget(&mut deliveries, conversation_id);
    if removed > 0 {
        save(storage, deliveries).await?;
    }
    Ok(removed)
}

/// Adds a handoff's deliveries to the list.
pub async fn enqueue(storage: &Storage, new: Vec<Delivery>) -> Result<(), ApiError> {
    if new.is_empty() {
        return Ok(());
    }
    let mut deliveries = load(storage).await?;
    deliveries.extend(new);
    save(storage, deliveries).await
}

/// When the next pending delivery is due.
pub async fn next_attempt_ms(storage: &Storage) -> Result<Option<u64>, ApiError> {
    Ok(webhook::next_attempt_ms(&load(storage).await?))
}

/// Sends every delivery that is due and records the outcomes. The list is read again after sending: a handoff may
/// queue deliveries while these requests are out, and writing back the copy read before them would lose those.
pub async fn deliver_due(storage: &Storage, env: &Env, now_ms: u64) -> Result<(), ApiError> {
    let due = webhook::due(&load(storage).await?, now_ms);
    if due.is_empty() {
        return Ok(());
    }
    let mut outcomes = Vec::with_capacity(due.len());
    for delivery in due {
        let outcome = send(env, &delivery, now_ms).await;
        if let Err(problem) = &outcome {
            console_warn!(
                "webhook {} failed: {problem}",
                endpoint_shown(&delivery.url)
            );
        }
        outcomes.push((delivery, outcome));
    }
    let mut deliveries = load(storage).await?;
    for (sent, outcome) in outcomes {
        // A delivery erased meanwhile is not found, and stays erased.
        webhook::record(&mut deliveries, &sent, outcome, now_ms);
    }
    save(storage, deliveries).await
}

async fn send(env: &Env, delivery: &Delivery, now_ms: u64) -> Result<(), String> {
    match post(
        env,
        &delivery.site_id,
        &delivery.url,
        &delivery.body,
        now_ms,
    )
    .await?
    {
        200..=299 => Ok(()),
        status => Err(format!("the endpoint answered {status}")),
    }
}

/// Sends one webhook request as every delivery is sent: a JSON `POST`, signed under the site's webhook secret when
/// it has one. Answers the endpoint's status, whatever it is, or why there was none.
async fn post(env: &Env, site_id: &str, url: &str, body: &str, now_ms: u64) -> Result<u16, String> {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|error| error.to_string());
    set("Content-Type", "application/json")?;
    if let Some(secret) = vars::text(env, &webhook::secret_name(site_id)) {
        set(
            WEBHOOK_SIGNATURE_HEADER,
            &webhook_signature(secret.as_bytes(), now_ms / 1_000, body),
        )?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers.clone())
        .with_body(Some(body.to_string().into()));
    let req = Request::new_with_init(url, &init).map_err(|error| error.to_string())?;
    let response = Fetch::Request(req)
        .send()
        .await
        .map_err(|error| error.to_string())?;
    Ok(response.status_code())
}

/// "Send a test" in the studio: a sample handoff to one endpoint, built and sent exactly as a real one (the
/// format's body, the site's name and first team, the console link, the signature), now rather than from the
/// queue; nothing is stored. The sample's conversation id starts `webhook-test-`.
pub async fn send_test(
    env: &Env,
    site: &SiteConfig,
    endpoint: &Webhook,
    now_ms: u64,
) -> WebhookTestResult {
    let package = sample_handoff(site, now_ms);
    let public_url = vars::text(env, PUBLIC_URL);
    let body = handoff_body(site, &package, endpoint.format, public_url.as_deref());
    let started_ms = clock::system_ms();
    let outcome = post(env, &site.id, &endpoint.url, &body, now_ms).await;
    let elapsed_ms = clock::system_ms().saturating_sub(started_ms);
    let (status, error) = match outcome {
        Ok(status @ 200..=299) => (Some(status), None),
        Ok(status) => (
            Some(status),
            Some(format!("the endpoint answered {status}")),
        ),
        Err(error) => (None, Some(error)),
    };
    WebhookTestResult {
        endpoint: endpoint_shown(&endpoint.url),
        delivered: error.is_none(),
        status,
        error,
        elapsed_ms,
        signed: vars::text(env, &webhook::secret_name(&site.id)).is_some(),
        conversation_id: package.conversation_id,
    }
}

/// The handoff a test sends: a made-up visitor asking for a person, for the site's first team.
fn sample_handoff(site: &SiteConfig, now_ms: u64) -> HandoffPackage {
    HandoffPackage {
        conversation_id: format!("webhook-test-{now_ms}"),
        visitor_name: Some("Test visitor".into()),
        visitor_email: Some("visitor@example.com".into()),
        verified_user_id: None,
        page_url: None,
        referrer: None,
        summary: "This is a test from Baton's studio: no visitor is waiting.".into(),
        intent: Intent::Support,
        intent_confidence: 1.0,
        topic: None,
        fields: Vec::new(),
        previous_answers: Vec::new(),
        reason: HandoffReason::AskedForPerson,
        team: site
            .teams
            .first()
            .map(|team| (team.id.clone(), team.name.clone())),
        visitor_local_time: None,
        handed_off_at_ms: now_ms,
        queued: false,
        next_opening_ms: None,
        ai_summary: None,
        campaign: None,
        campaign_name: None,
        attributes: Vec::new(),
    }
}
