//! Handoff notifications: one delivery per configured endpoint and handoff, as a Slack incoming-webhook message or
//! Baton's JSON (built, escaped, by `baton_shared::webhook`, linking to the console under `BATON_PUBLIC_URL` and never
//! under a request's `Host`), signed with `X-Baton-Signature: t={unix seconds},v1={hex HMAC-SHA256 of "{t}.{body}"}` under the
//! secret `BATON_WEBHOOK_SECRET_{SITE}`. Deliveries wait in the site inbox's storage; its alarm sends those due and
//! retries failures with growing delays, and the console shows each one's status.

use baton_shared::config::{SiteConfig, WebhookFormat};
use baton_shared::handoff::HandoffPackage;
use baton_shared::protocol::agent::{Deliveries, DeliveryStatus, DeliveryView};
use baton_shared::signing::{WEBHOOK_SIGNATURE_HEADER, webhook_signature};
use baton_shared::webhook::{endpoint_shown, handoff_body};
use serde::{Deserialize, Serialize};
use worker::{Env, Fetch, Headers, Method, Request, RequestInit, Storage, console_warn};

use crate::error::ApiError;
use crate::vars;

/// Delays before each retry, in ms; after the last, a delivery has failed for good.
const RETRY_DELAYS_MS: [u64; 5] = [2_000, 10_000, 60_000, 300_000, 1_800_000];
/// How many finished deliveries the inbox remembers (the newest), besides every pending one.
const KEPT: usize = 50;
const DELIVERIES_KEY: &str = "deliveries";

/// One webhook call for one handoff, with its attempts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub site_id: String,
    pub conversation_id: String,
    pub url: String,
    #[serde(default)]
    pub format: WebhookFormat,
    pub body: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_ms: u64,
    #[serde(default)]
    pub last_error: Option<String>,
}

/// The deployment's public origin (`BATON_PUBLIC_URL`), under which agents open the console. Links in webhooks
/// are built from it alone: a request's `Host` header is the caller's to choose.
pub const PUBLIC_URL: &str = "BATON_PUBLIC_URL";

/// The deliveries for a handoff, one per endpoint of the site.
pub fn for_handoff(
    site: &SiteConfig,
    package: &HandoffPackage,
    public_url: Option<&str>,
    now_ms: u64,
) -> Vec<Delivery> {
    site.webhooks
        .iter()
        .map(|webhook| Delivery {
            site_id: site.id.clone(),
            conversation_id: package.conversation_id.clone(),
            url: webhook.url.clone(),
            format: webhook.format,
            body: handoff_body(site, package, webhook.format, public_url),
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_ms: now_ms,
            last_error: None,
        })
        .collect()
}

async fn load(storage: &Storage) -> Result<Vec<Delivery>, ApiError> {
    let json: Option<String> = storage.get(DELIVERIES_KEY).await?;
    Ok(json
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

async fn save(storage: &Storage, mut deliveries: Vec<Delivery>) -> Result<(), ApiError> {
    // Only finished deliveries are forgotten, oldest first: a pending one is never dropped before it was sent.
    let finished = deliveries
        .iter()
        .filter(|delivery| delivery.status != DeliveryStatus::Pending)
        .count();
    let mut excess = finished.saturating_sub(KEPT);
    deliveries.retain(|delivery| {
        let drop = excess > 0 && delivery.status != DeliveryStatus::Pending;
        if drop {
            excess -= 1;
        }
        !drop
    });
    storage
        .put(DELIVERIES_KEY, crate::rooms::to_json(&deliveries)?)
        .await?;
    Ok(())
}

/// Every delivery the inbox remembers, newest last, as admins see them: no body, no secret path.
pub async fn deliveries(storage: &Storage) -> Result<Deliveries, ApiError> {
    let deliveries = load(storage)
        .await?
        .into_iter()
        .map(|delivery| DeliveryView {
            conversation_id: delivery.conversation_id,
            endpoint: endpoint_shown(&delivery.url),
            format: delivery.format,
            status: delivery.status,
            attempts: delivery.attempts,
            next_attempt_ms: delivery.next_attempt_ms,
            last_error: delivery.last_error,
        })
        .collect();
    Ok(Deliveries { deliveries })
}

/// Drops a conversation's deliveries, sent or not (their bodies hold the visitor's details); returns how many.
pub async fn forget(storage: &Storage, conversation_id: &str) -> Result<u64, ApiError> {
    let mut deliveries = load(storage).await?;
    let before = deliveries.len();
    deliveries.retain(|delivery| delivery.conversation_id != conversation_id);
    let removed = (before - deliveries.len()) as u64;
    if removed > 0 {
        save(storage, deliveries).await?;
    }
    Ok(removed)
}

pub async fn enqueue(storage: &Storage, new: Vec<Delivery>, _now_ms: u64) -> Result<(), ApiError> {
    if new.is_empty() {
        return Ok(());
    }
    let mut deliveries = load(storage).await?;
    deliveries.extend(new);
    save(storage, deliveries).await
}

/// When the next pending delivery is due.
pub async fn next_attempt_ms(storage: &Storage) -> Result<Option<u64>, ApiError> {
    Ok(load(storage)
        .await?
        .iter()
        .filter(|delivery| delivery.status == DeliveryStatus::Pending)
        .map(|delivery| delivery.next_attempt_ms)
        .min())
}

/// Sends every delivery that is due; failures are retried later, up to the last delay. The list is read again
/// after sending: a handoff may queue deliveries while these requests are out, and writing back the copy read before
/// them would lose those.
pub async fn deliver_due(storage: &Storage, env: &Env, now_ms: u64) -> Result<(), ApiError> {
    let due: Vec<Delivery> = load(storage)
        .await?
        .into_iter()
        .filter(|delivery| {
            delivery.status == DeliveryStatus::Pending && delivery.next_attempt_ms <= now_ms
        })
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let mut outcomes = Vec::with_capacity(due.len());
    for delivery in due {
        let outcome = send(env, &delivery, now_ms).await;
        outcomes.push((delivery, outcome));
    }
    let mut deliveries = load(storage).await?;
    for (sent, outcome) in outcomes {
        let Some(delivery) = deliveries.iter_mut().find(|delivery| {
            delivery.status == DeliveryStatus::Pending
                && delivery.attempts == sent.attempts
                && delivery.conversation_id == sent.conversation_id
                && delivery.url == sent.url
                && delivery.body == sent.body
        }) else {
            // Erased meanwhile.
            continue;
        };
        delivery.attempts += 1;
        match outcome {
            Ok(()) => {
                delivery.status = DeliveryStatus::Delivered;
                delivery.last_error = None;
            }
            Err(problem) => {
                console_warn!(
                    "webhook {} failed: {problem}",
                    endpoint_shown(&delivery.url)
                );
                delivery.last_error = Some(problem);
                match RETRY_DELAYS_MS.get(delivery.attempts as usize - 1) {
                    Some(delay) => delivery.next_attempt_ms = now_ms + delay,
                    None => delivery.status = DeliveryStatus::Failed,
                }
            }
        }
    }
    save(storage, deliveries).await
}

async fn send(env: &Env, delivery: &Delivery, now_ms: u64) -> Result<(), String> {
    let secret_name = format!(
        "BATON_WEBHOOK_SECRET_{}",
        delivery.site_id.to_ascii_uppercase().replace('-', "_")
    );
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|error| error.to_string());
    set("Content-Type", "application/json")?;
    if let Some(secret) = vars::text(env, &secret_name) {
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
