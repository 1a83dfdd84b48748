//! The room's part of the metrics ledger. Every change the room stores goes through [`ConversationRoom::save`]:
//! the events of the change (`baton_shared::metrics::ledger::changes`, the conversation before and after) go into
//! the room's outbox in the same storage write as the change, so none is lost across a restart; then the outbox is
//! sent to D1 in the background (`wait_until`), so the visitor never waits on it, gathered over [`GATHER_MS`] so a
//! burst of changes is one send. A send that fails is retried by the room's alarm, and by the next change; should a
//! background send never run (the object evicted meanwhile), the alarm, set to ring within [`COVER_MS`], sends the
//! outbox. Ids are deterministic, so a retried send stores nothing twice.
//!
//! Each room gathers for its own time between 2 and 4 s ([`crate::rooms::spread_ms`]), so rooms that started
//! together do not send together.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use baton_shared::config::SiteConfig;
use baton_shared::conversation::Conversation;
use baton_shared::metrics::{Event, ledger};
use futures_util::lock::Mutex;
use worker::{Delay, Env, Storage, console_warn};

use super::ConversationRoom;
use crate::calls::tally::{self, Op};
use crate::error::ApiError;
use crate::ledger::Ledger;
use crate::rooms::{set_alarm_at, spread_ms};
use crate::store::{self, SharedOutbox};
use crate::{clock, vars};

/// After a failed send, the room's alarm tries again this much later.
const RETRY_MS: u64 = 30_000;
/// How long the room gathers changes before it sends their events, at least: a visitor typing several lines, or a
/// turn and the agent's reply, is one send (one D1 query and the outbox cleared), and reports, read minutes later,
/// lose nothing by it. Each room adds its own share of [`GATHER_SPREAD_MS`].
const GATHER_MS: u64 = 2_000;
/// The rooms' gathering times spread over this much beyond [`GATHER_MS`].
const GATHER_SPREAD_MS: u64 = 2_000;
/// While changes are being recorded, the room's alarm rings within this long, to send what a background send that
/// never ran left in the outbox.
const COVER_MS: u64 = 60_000;
/// A room remembers the events D1 holds for its conversation (so that a send need not read them back) only up to
/// this many; a longer conversation's sends read them back.
const KNOWN_EVENTS_KEPT: usize = 2_000;
/// Never set in `wrangler.toml`. `BATON_LEDGER = "off"` records nothing: the benchmark sets it, to measure what
/// recording costs. `"hold"` keeps every change's events in the outbox and sends none, as when D1 fails: a test
/// sets it, then restarts workerd without it and sees the outbox sent, each event once.
const LEDGER_SWITCH: &str = "BATON_LEDGER";

/// How the room sends its outbox: one send at a time, and one gathered send scheduled at a time.
pub struct Recording {
    /// How long this room gathers changes: [`GATHER_MS`] and its share of [`GATHER_SPREAD_MS`].
    gather_ms: u64,
    one_at_a_time: Mutex<()>,
    scheduled: Cell<bool>,
    /// Until when the room's alarm is known to ring soon enough to send a forgotten outbox.
    covered_until_ms: Cell<u64>,
    /// Every event of the conversation D1 is known to hold, as the last send left it; `None` when not known (the
    /// room just woke, a send failed, or the conversation was erased).
    known: RefCell<Option<Vec<Event>>>,
}

impl Recording {
    /// The recording of the room with this id (the Durable Object's).
    pub fn new(room_id: &str) -> Recording {
        Recording {
            gather_ms: GATHER_MS + spread_ms(room_id, GATHER_SPREAD_MS),
            one_at_a_time: Mutex::new(()),
            scheduled: Cell::new(false),
            covered_until_ms: Cell::new(0),
            known: RefCell::new(None),
        }
    }

    /// Records `events` in the ledger, with what the room knows D1 already holds; afterwards the room knows what
    /// D1 holds now, or, when the send failed, nothing.
    async fn record(&self, env: &Env, events: &[Event]) -> Result<(), ApiError> {
        let known = self.known.borrow_mut().take();
        let recorded = Ledger::from_env(env)?.record(events, known).await?;
        *self.known.borrow_mut() = recorded.filter(|events| events.len() <= KNOWN_EVENTS_KEPT);
        Ok(())
    }

    /// The conversation was erased: what D1 held of it is no longer known (erasure changed it there).
    pub fn forget(&self) {
        self.known.borrow_mut().take();
    }

    /// Makes sure the room's alarm rings within [`COVER_MS`] (at most one alarm write a minute).
    async fn cover(&self, storage: &Storage, site_id: &str) -> Result<(), ApiError> {
        let now = clock::system_ms();
        if now + self.gather_ms < self.covered_until_ms.get() {
            return Ok(());
        }
        let at = now + COVER_MS;
        tally::count(site_id, Op::StorageRead);
        let current = storage.get_alarm().await?.map(|current| current as u64);
        match current {
            Some(current) if current <= at => self.covered_until_ms.set(current),
            _ => {
                tally::count(site_id, Op::StorageWrite);
                set_alarm_at(storage, at).await?;
                self.covered_until_ms.set(at);
            }
        }
        Ok(())
    }

    /// The alarm was set for the retention again: nothing covers the outbox any more.
    pub fn uncovered(&self) {
        self.covered_until_ms.set(0);
    }
}

impl ConversationRoom {
    /// Stores a changed conversation with the events of the change in the outbox (one write), then sends them to
    /// the ledger in the background.
    pub(super) async fn save(
        &self,
        site: &SiteConfig,
        conversation: &Conversation,
        now_ms: u64,
    ) -> Result<(), ApiError> {
        let switch = vars::text(&self.env, LEDGER_SWITCH);
        let recording = switch.as_deref() != Some("off");
        let events = self
            .store
            .put_conversation(conversation, |before| {
                if recording {
                    ledger::changes(site, before, conversation, now_ms)
                } else {
                    Vec::new()
                }
            })
            .await?;
        if !events.is_empty() && switch.as_deref() != Some("hold") {
            self.record_soon();
        }
        Ok(())
    }

    /// Sends the outbox to the ledger in the background, once the changes of the room's gathering time joined it;
    /// on failure, the alarm tries again.
    fn record_soon(&self) {
        if self.recording.scheduled.replace(true) {
            return;
        }
        let env = self.env.clone();
        let storage = self.state.storage();
        let recording = Rc::clone(&self.recording);
        let site_id = self.store.site_id();
        let outbox = self.store.shared_outbox();
        self.state.wait_until(async move {
            if let Err(error) = recording.cover(&storage, &site_id).await {
                console_warn!("setting the ledger's alarm failed: {error:?}");
            }
            Delay::from(Duration::from_millis(recording.gather_ms)).await;
            recording.scheduled.set(false);
            if let Err(error) = send_outbox(&env, &storage, &site_id, &outbox, &recording).await {
                console_warn!("the ledger will be sent again: {error:?}");
                let retry = clock::system_ms() + RETRY_MS;
                tally::count(&site_id, Op::StorageRead);
                let sooner = match storage.get_alarm().await {
                    Ok(Some(at)) => (at as u64) > retry,
                    Ok(None) | Err(_) => true,
                };
                if sooner {
                    tally::count(&site_id, Op::StorageWrite);
                }
                if sooner && let Err(error) = set_alarm_at(&storage, retry).await {
                    console_warn!("setting the ledger's retry alarm failed: {error:?}");
                }
            }
        });
    }

    /// Sends the outbox now, and waits (the alarm, erasure: nobody waits on them).
    pub(super) async fn send_outbox_now(&self) -> Result<(), ApiError> {
        let site_id = self.store.site_id();
        let outbox = self.store.shared_outbox();
        send_outbox(
            &self.env,
            &self.state.storage(),
            &site_id,
            &outbox,
            &self.recording,
        )
        .await
    }

    /// The room's alarm: the outbox is sent first (a send that failed is tried again later), then at the end of
    /// the conversation's retention everything the room holds is deleted, the ledger told first should nobody have
    /// closed it; before that, the alarm is set again for the end of the retention.
    pub(super) async fn alarm_rang(&self) -> Result<&'static str, ApiError> {
        let now = clock::system_ms();
        let storage = self.state.storage();
        // A room of an earlier build has no end stored: its alarm was the end.
        let expires_at = self.store.expires_at().await?;
        let expiring = expires_at.is_none_or(|at| at <= now);
        let mut sent = self.send_outbox_now().await;
        if sent.is_ok() && expiring {
            sent = self.record_expiry(now).await;
        }
        if let Err(error) = sent {
            console_warn!("the ledger will be sent again: {error:?}");
            self.store.count(Op::StorageWrite);
            set_alarm_at(&storage, now + RETRY_MS).await?;
            return Ok("ledger to send again");
        }
        if let (false, Some(at)) = (expiring, expires_at) {
            self.store.count(Op::StorageWrite);
            set_alarm_at(&storage, at).await?;
            self.recording.uncovered();
            return Ok("ledger sent");
        }
        self.alarm_at_ms.set(None);
        self.store.erase().await?;
        self.recording.forget();
        Ok("expired")
    }

    /// The end of the conversation's retention: a conversation nobody closed is closed by the clock, in the ledger
    /// (sent now: the room is about to be deleted).
    async fn record_expiry(&self, now_ms: u64) -> Result<(), ApiError> {
        let Some(conversation) = self.store.conversation().await? else {
            return Ok(());
        };
        let Some(expired) = ledger::expired(&conversation, now_ms) else {
            return Ok(());
        };
        self.recording.record(&self.env, &[expired]).await
    }
}

/// Everything in the outbox to D1, then out of the outbox; one send at a time per room, so a conversation's facts
/// are folded in the order its events arrived.
async fn send_outbox(
    env: &Env,
    storage: &Storage,
    site_id: &str,
    outbox: &SharedOutbox,
    recording: &Recording,
) -> Result<(), ApiError> {
    let _one_at_a_time = recording.one_at_a_time.lock().await;
    let events = store::outbox(storage, site_id, outbox).await?;
    if events.is_empty() {
        return Ok(());
    }
    recording.record(env, &events).await?;
    store::clear_outbox(storage, site_id, outbox, &events).await
}
