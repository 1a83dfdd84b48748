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

/// Sets an object's alarm at a time (ms since the Unix epoch). `set_alarm` takes a bare number as an offset from
/// now, so the time is passed as a date.
pub async fn set_alarm_at(storage: &Storage, at_ms: u64) -> Result<(), ApiError> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
    storage.set_alarm(ScheduledTime::new(date)).await?;
    Ok(())
}
