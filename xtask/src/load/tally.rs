//! The worker's tally of what it did for the benchmark's site (`GET /v1/__tally`, switched on with `BATON_TALLY=on`),
//! read once its background work is over, and its growth per message.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{BENCH_ADMIN_TOKEN, PER_CONVERSATION, SITE};

/// How long [`settled_tally`] waits between its reads: longer than a room gathers the ledger's events (2 to 4 s, by
/// its id) or the inbox's updates (at most 1 s).
pub const QUIET: Duration = Duration::from_secs(5);

/// The worker's tally of the site (`GET /v1/__tally`) once its background work is over: the same on two reads
/// [`QUIET`] apart.
pub fn settled_tally(base: &str) -> crate::Result<BTreeMap<String, u64>> {
    let mut last = tally(base)?;
    for _ in 0..8 {
        std::thread::sleep(QUIET);
        let now = tally(base)?;
        if now == last {
            return Ok(now);
        }
        last = now;
    }
    Err("the worker's tally kept changing for 40 s after the messages".into())
}

fn tally(base: &str) -> crate::Result<BTreeMap<String, u64>> {
    let url = format!("{base}/v1/__tally?site={SITE}");
    let mut response = ureq::get(&url)
        .header("Authorization", &format!("Bearer {BENCH_ADMIN_TOKEN}"))
        .call()
        .map_err(|error| format!("GET {url}: {error}"))?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|error| format!("GET {url}: {error}"))?;
    serde_json::from_str(&text).map_err(|error| format!("GET {url}: {error}: {text}"))
}

/// Each count's growth per message, e.g. `object_calls 1.04, storage_writes 2.10, …`.
pub fn tally_line(
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
    messages: usize,
) -> String {
    let counts: Vec<String> = after
        .iter()
        .map(|(name, count)| {
            let grown = count.saturating_sub(*before.get(name).unwrap_or(&0));
            format!("{name} {:.2}", grown as f64 / messages as f64)
        })
        .collect();
    format!(
        "{} (one conversation started per {PER_CONVERSATION} messages included)",
        counts.join(", ")
    )
}
