//! The campaigns' tests, one file per feature: validation, the evaluator's tables, bucketing, and the property that
//! no input makes the evaluator panic.

mod buckets;
mod clocks;
mod evaluator;
mod fixture;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
mod rules;
mod triggers;
mod validation;
