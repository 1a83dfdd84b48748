//! Webhook deliveries as a state machine: a delivery is pending from the handoff on, due at its next attempt, and
//! after each attempt either delivered, or pending again after a growing delay, or failed for good after the last
//! delay. The list keeps every pending delivery and the newest finished ones. The worker's site inbox loads the
//! list, sends what [`due`] returns, feeds each outcome to [`record`] and stores the result.

use serde::{Deserialize, Serialize};

use super::{endpoint_shown, handoff_body, lead_body};
use crate::config::{SiteConfig, WebhookFormat};
use crate::handoff::HandoffPackage;
use crate::protocol::Lead;
use crate::protocol::agent::{DeliveryStatus, DeliveryView};

/// Delays before each retry, in ms; after the last, a delivery has failed for good.
pub const RETRY_DELAYS_MS: [u64; 5] = [2_000, 10_000, 60_000, 300_000, 1_800_000];
/// How many finished deliveries the list remembers (the newest), besides every pending one.
pub const KEPT: usize = 50;

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

impl Delivery {
    /// Pending, and its next attempt has come.
    pub fn is_due(&self, now_ms: u64) -> bool {
        self.status == DeliveryStatus::Pending && self.next_attempt_ms <= now_ms
    }

    /// The delivery as admins see it: no body, no secret path.
    pub fn view(&self) -> DeliveryView {
        DeliveryView {
            conversation_id: self.conversation_id.clone(),
            endpoint: endpoint_shown(&self.url),
            format: self.format,
            status: self.status,
            attempts: self.attempts,
            next_attempt_ms: self.next_attempt_ms,
            last_error: self.last_error.clone(),
        }
    }

    /// Whether `self` is `sent` still waiting for the outcome of that attempt (and not erased, finished or
    /// retried meanwhile).
    fn is_attempt_of(&self, sent: &Delivery) -> bool {
        self.status == DeliveryStatus::Pending
            && self.attempts == sent.attempts
            && self.conversation_id == sent.conversation_id
            && self.url == sent.url
            && self.body == sent.body
    }
}

/// The deliveries for a handoff, one per endpoint of the site, due at once.
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

/// The deliveries for a lead without a team, one per endpoint of the site, due at once (the lead's id stands in
/// for a conversation's).
pub fn for_lead(site: &SiteConfig, lead: &Lead, now_ms: u64) -> Vec<Delivery> {
    site.webhooks
        .iter()
        .map(|webhook| Delivery {
            site_id: site.id.clone(),
            conversation_id: lead.lead_id.clone(),
            url: webhook.url.clone(),
            format: webhook.format,
            body: lead_body(site, lead, webhook.format),
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_ms: now_ms,
            last_error: None,
        })
        .collect()
}

/// The deliveries to send now.
pub fn due(deliveries: &[Delivery], now_ms: u64) -> Vec<Delivery> {
    deliveries
        .iter()
        .filter(|delivery| delivery.is_due(now_ms))
        .cloned()
        .collect()
}

/// Records how sending `sent` went, on the list as it is now (read again after sending: a handoff may have added
/// deliveries meanwhile, and an erasure removed some). A success is delivered; a failure is retried after the next
/// delay, or has failed for good after the last. Returns false when the delivery is no longer in the list.
pub fn record(
    deliveries: &mut [Delivery],
    sent: &Delivery,
    outcome: Result<(), String>,
    now_ms: u64,
) -> bool {
    let Some(delivery) = deliveries
        .iter_mut()
        .find(|delivery| delivery.is_attempt_of(sent))
    else {
        return false;
    };
    delivery.attempts += 1;
    match outcome {
        Ok(()) => {
            delivery.status = DeliveryStatus::Delivered;
            delivery.last_error = None;
        }
        Err(problem) => {
            delivery.last_error = Some(problem);
            match RETRY_DELAYS_MS.get(delivery.attempts as usize - 1) {
                Some(delay) => delivery.next_attempt_ms = now_ms + delay,
                None => delivery.status = DeliveryStatus::Failed,
            }
        }
    }
    true
}

/// Keeps the list short before it is stored: only finished deliveries are forgotten, oldest first, beyond the
/// newest [`KEPT`]; a pending one is never dropped before it was sent.
pub fn prune(deliveries: &mut Vec<Delivery>) {
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
}

/// When the next pending delivery is due.
pub fn next_attempt_ms(deliveries: &[Delivery]) -> Option<u64> {
    deliveries
        .iter()
        .filter(|delivery| delivery.status == DeliveryStatus::Pending)
        .map(|delivery| delivery.next_attempt_ms)
        .min()
}

/// Drops a conversation's deliveries, sent or not (their bodies hold the visitor's details); returns how many.
pub fn forget(deliveries: &mut Vec<Delivery>, conversation_id: &str) -> u64 {
    let before = deliveries.len();
    deliveries.retain(|delivery| delivery.conversation_id != conversation_id);
    (before - deliveries.len()) as u64
}

/// The name of the secret that signs a site's webhooks: `BATON_WEBHOOK_SECRET_{SITE}`, the site id upper-cased
/// with `-` as `_`.
pub fn secret_name(site_id: &str) -> String {
    format!(
        "BATON_WEBHOOK_SECRET_{}",
        site_id.to_ascii_uppercase().replace('-', "_")
    )
}
