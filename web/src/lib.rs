//! Baton's one web client, shared by the widget (the visitor's side) and the agent console: where the API and its
//! sockets are ([`ApiBase`]), a WebSocket that keeps itself connected ([`Socket`]: a fresh ticket before every
//! (re)connect, growing delays between attempts, resuming after the last message shown with `since`,
//! stopping for good on the worker's word ([`Ended`])), and a conversation's messages merged by sequence number
//! ([`messages`]), and JSON through the browser's own parser ([`json`]).
//!
//! Everything but the socket itself is plain Rust with native unit tests. Only what the widget already links is used here
//! (no Leptos, no HTTP client), so the visitor's download does not grow.

mod address;
mod backoff;
mod ended;
pub mod json;
pub mod messages;
pub mod preview;
mod socket;

pub use address::ApiBase;
pub use ended::{Ended, Refusal};
pub use socket::{Frames, Handlers, Socket, SocketPlan};

#[cfg(test)]
mod tests;
