//! The Durable Object classes: a [`ConversationRoom`] per conversation holds its ordered history and its live
//! sockets (visitor and agents), so AI and human turns share one order; a [`SiteInbox`] per site holds the queues,
//! claims and presence; a [`SiteDirectory`] per site holds the accounts. Each answers the typed calls of `calls/`
//! and knows nothing of routes.

pub mod conversation;
pub mod directory;
pub mod inbox;
pub mod tickets;

use worker::{ScheduledTime, Storage};

pub use self::conversation::ConversationRoom;
pub use self::directory::SiteDirectory;
pub use self::inbox::SiteInbox;
use crate::error::ApiError;

/// A room's own share of `range_ms` (below it), from its id (FNV-1a): the same at every wake-up, different from
/// room to room. Background work that rooms put off by a fixed time would otherwise come due together for rooms
/// that started together (a campaign shown to many visitors at once, a benchmark's visitors), and every object of a
/// workerd process shares one thread: their work at the same moment is a pause for every visitor.
pub fn spread_ms(room_id: &str, range_ms: u64) -> u64 {
    baton_shared::fnv1a64(&[room_id.as_bytes()]) % range_ms.max(1)
}

/// Sets an object's alarm at a time (ms since the Unix epoch). `set_alarm` takes a bare number as an offset from
/// now, so the time is passed as a date.
pub async fn set_alarm_at(storage: &Storage, at_ms: u64) -> Result<(), ApiError> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
    storage.set_alarm(ScheduledTime::new(date)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::spread_ms;

    #[test]
    fn rooms_spread_over_the_whole_range_and_each_keeps_its_share() {
        let shares: Vec<u64> = (0..1_000)
            .map(|n| spread_ms(&format!("{n:064x}"), 2_000))
            .collect();
        assert!(shares.iter().all(|share| *share < 2_000));
        // Every fifth of the range holds some of them.
        for fifth in 0..5 {
            let held = shares.iter().filter(|share| **share / 400 == fifth).count();
            assert!((150..=250).contains(&held), "fifth {fifth}: {held} of 1000");
        }
        assert_eq!(spread_ms("a room", 2_000), spread_ms("a room", 2_000));
        assert_eq!(spread_ms("a room", 0), 0);
    }
}
