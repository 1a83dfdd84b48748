//! The inbox's alarm: it rings for the next missed chat, the next item past the site's retention or the next
//! webhook delivery, whichever comes first. What each round does is decided by `baton_shared::inbox` (missed chats,
//! expiry, the next time) and `baton_shared::webhook` (which deliveries are due, retries); this file loads, feeds
//! and performs: storage, the consoles, the missed conversations' rooms, the webhook requests.

use baton_shared::config::SiteConfig;
use baton_shared::inbox::{Waits, missed_notice};
use worker::console_warn;

use super::SiteInbox;
use crate::calls::room::{self, RoomCall};
use crate::calls::tally::Op;
use crate::error::ApiError;
use crate::rooms::set_alarm_at;
use crate::store::{self, Kv};
use crate::webhooks;

impl SiteInbox {
    /// Sets the alarm for whichever comes next: a missed chat, an expiry or a webhook delivery.
    pub(super) async fn schedule(&self, site: &SiteConfig, now: u64) -> Result<(), ApiError> {
        self.count(Op::StorageRead);
        let next_delivery = webhooks::next_attempt_ms(&self.state.storage()).await?;
        let next = self
            .look_at(|inbox| inbox.next_alarm_ms(Waits::of(site), next_delivery, now))
            .await?;
        if let Some(at) = next {
            self.count(Op::StorageWrite);
            set_alarm_at(&self.state.storage(), at).await?;
        }
        Ok(())
    }

    /// One round at `now` (the platform's time): expiry and missed chats (each missed conversation's room tells its
    /// visitor; a bounded number per round, `baton_shared::inbox::MISSED_PER_ROUND`, so a burst wakes a few rooms
    /// at a time), then the webhook deliveries that are due.
    pub(super) async fn on_alarm(&self, now: u64) -> Result<(), ApiError> {
        let Some(site_id) = self.stored_site().await? else {
            return Ok(());
        };
        let Some(site) = store::site(&Kv::from_env(&self.env)?, &site_id).await? else {
            return Ok(());
        };
        // Read after the site: requests may change the inbox while KV answers.
        let mut inbox = self.load().await?;
        let missed = inbox.on_alarm(now, Waits::of(&site.config));
        self.save(inbox).await?;
        for item in missed {
            self.broadcast_item(&item);
            let notice = missed_notice(&item, &site.config.teams);
            let told = room::ask::<serde_json::Value>(
                &self.env,
                &site_id,
                &item.conversation_id,
                now,
                RoomCall::Missed { notice },
            )
            .await;
            if let Err(error) = told {
                console_warn!(
                    "telling {} it was missed failed: {error:?}",
                    item.conversation_id
                );
            }
        }
        webhooks::deliver_due(&self.state.storage(), &self.env, now).await?;
        self.schedule(&site.config, now).await
    }
}
