//! The metrics: a ledger of who did what, and the figures a team reads from it.
//!
//! Three pure steps, each tested on its own:
//! 1. `ledger`: the [`Event`]s one change of a conversation makes (the room compares the conversation before and
//!    after a turn, an agent's command or the inbox's call, and appends what changed). Event ids are
//!    deterministic, so writing the same change twice stores it once (at-least-once delivery, idempotent ids).
//! 2. `facts`: one row of facts per conversation ([`facts::ConversationFacts`]), folded from its events.
//! 3. `figures`: every figure of the report over a date range in the site's timezone
//!    ([`crate::protocol::metrics::MetricsReport`]), from the facts rows, the goal events and the campaign events.
//!
//! The worker stores events and facts in D1 and only aggregates there; the definitions live here and in README
//! ("Metrics").

mod event;
pub mod facts;
pub mod figures;
pub mod ledger;

pub use self::event::{Actor, AnswerKind, ClosedBy, Event, EventKind};
