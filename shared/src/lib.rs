//! Baton's pure core, compiled into both the widget (wasm32 in the browser) and the worker (wasm32 on workerd).
//!
//! Nothing here performs I/O, reads a clock or draws random numbers: time and ids arrive as arguments, so every
//! decision is a plain function that the tests can call natively. `cargo xtask test` proves the crate builds for
//! wasm32 and depends on no browser or worker crate.

pub mod campaign;
pub mod config;
pub mod conversation;
pub mod faq;
pub mod grounding;
pub mod handoff;
pub mod identity;
pub mod inbox;
pub mod intent;
pub mod markdown;
pub mod metrics;
pub mod origin;
pub mod protocol;
pub mod signals;
pub mod signing;
pub mod summary;
mod text;
pub mod turn;
pub mod vocab;
pub mod webhook;
mod widget_config;

pub use widget_config::fnv1a64;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
