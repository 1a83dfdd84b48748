//! Handoff notifications as the site inbox performs them: one delivery per configured endpoint and handoff, as a
//! Slack incoming-webhook message or Baton's JSON (built, escaped, by `baton_shared::webhook`, linking to the console
//! under `BATON_PUBLIC_URL` and never under a request's `Host`), signed with `X-Baton-Signature: t={unix
//! seconds},v1={hex HMAC-SHA256 of "{t}.{body}"}` under the secret `BATON_WEBHOOK_SECRET_{SITE}`. Deliveries wait in
//! the site inbox's storage; its alarm sends those due and records each outcome. Which are due, the retry delays,
//! giving up and how many are kept are decided by `baton_shared::webhook`; this file loads, sends and stores.

use baton_shared::protocol::agent::Deliveries;
use baton_shared::signing::{WEBHOOK_SIGNATURE_HEADER, webhook_signature};
use baton_shared::webhook::{self, endpoint_shown};
use worker::{Env, Fetch, Headers, Method, Request, RequestInit, Storage, console_warn};

use crate::error::ApiError;
use crate::vars;

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
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|error| error.to_string());
    set("Content-Type", "application/json")?;
    if let Some(secret) = vars::text(env, &webhook::secret_name(&delivery.site_id)) {
        set(
            WEBHOOK_SIGNATURE_HEADER,
            &webhook_signature(secret.as_bytes(), now_ms / 1_000, &delivery.body),
        )?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers.clone())
        .with_body(Some(delivery.body.clone().into()));
    let req = Request::new_with_init(&delivery.url, &init).map_err(|error| error.to_string())?;
    let response = Fetch::Request(req)
        .send()
        .await
        .map_err(|error| error.to_string())?;
    match response.status_code() {
        200..=299 => Ok(()),
        status => Err(format!("the endpoint answered {status}")),
    }
}
