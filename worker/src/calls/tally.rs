//! How much work Baton does for a site, counted by this isolate: Durable Object calls, object storage reads and
//! writes (alarms included), D1 queries, KV reads and writes, and rate limiter checks. A message's cost is the
//! difference of two tallies around it; the test stack and the message benchmark read it at `GET /v1/__tally`
//! (operator token, `?site=`), which exists only where the var `BATON_TALLY` is `"on"` (never in `wrangler.toml`).
//! Counting is a map lookup per operation, so it always runs; only reading it is switched.
//!
//! Locally the worker and its objects share one isolate, so the tally sees them all; on Cloudflare each isolate
//! would count its own share (which is why it is a test and benchmark tool only).

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Where the tally is read (`lib.rs` answers it).
pub const PATH: &str = "/v1/__tally";
/// The var that makes [`PATH`] exist.
pub const SWITCH: &str = "BATON_TALLY";

/// What is counted.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    /// A call to a Durable Object (a room, an inbox, a directory), sockets included.
    ObjectCall,
    /// A read of an object's storage: `get`, `list`, `getAlarm`.
    StorageRead,
    /// A write to an object's storage: `put` (one call, however many keys), `delete`, `setAlarm`.
    StorageWrite,
    /// A D1 query or batch (one call, however many statements).
    D1Query,
    KvRead,
    KvWrite,
    /// A rate limiting binding's check.
    LimiterCheck,
}

/// The counts of one site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub object_calls: u64,
    pub storage_reads: u64,
    pub storage_writes: u64,
    pub d1_queries: u64,
    pub kv_reads: u64,
    pub kv_writes: u64,
    pub limiter_checks: u64,
}

thread_local! {
    static TALLIES: RefCell<BTreeMap<String, Tally>> = const { RefCell::new(BTreeMap::new()) };
}

/// Counts one operation done for `site_id`.
pub fn count(site_id: &str, op: Op) {
    TALLIES.with_borrow_mut(|tallies| {
        let tally = match tallies.get_mut(site_id) {
            Some(tally) => tally,
            None => tallies.entry(site_id.to_string()).or_default(),
        };
        let counter = match op {
            Op::ObjectCall => &mut tally.object_calls,
            Op::StorageRead => &mut tally.storage_reads,
            Op::StorageWrite => &mut tally.storage_writes,
            Op::D1Query => &mut tally.d1_queries,
            Op::KvRead => &mut tally.kv_reads,
            Op::KvWrite => &mut tally.kv_writes,
            Op::LimiterCheck => &mut tally.limiter_checks,
        };
        *counter += 1;
    });
}

/// The tally of one site so far (all zero when nothing was counted).
pub fn of(site_id: &str) -> Tally {
    TALLIES.with_borrow(|tallies| tallies.get(site_id).copied().unwrap_or_default())
}
