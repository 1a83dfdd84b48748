//! What keeps the conversation an agent sees in step with the worker: the frames its socket receives, and which of
//! two handoff packages to show when a fetch and a frame disagree.

use baton_shared::handoff::HandoffPackage;
use baton_shared::protocol::AgentLiveEvent;
use baton_shared::protocol::live::LiveEvent;

/// What the conversation's socket sends an agent: the frames both sides get, and the agents' own (the package
/// changed: the model's summary arrived).
#[derive(serde::Deserialize)]
#[serde(untagged)]
pub(super) enum Frame {
    Live(LiveEvent),
    Agent(Box<AgentLiveEvent>),
}

/// Of the package shown and one fetched, the one that says more: a later handoff's, else the one with the model's
/// summary. A fetch can answer from a copy older than a frame already shown (KV is eventually consistent).
pub(super) fn fresher(
    shown: Option<HandoffPackage>,
    fetched: Option<HandoffPackage>,
) -> Option<HandoffPackage> {
    match (shown, fetched) {
        (Some(shown), Some(fetched))
            if shown.handed_off_at_ms > fetched.handed_off_at_ms
                || (shown.handed_off_at_ms == fetched.handed_off_at_ms
                    && shown.ai_summary.is_some()
                    && fetched.ai_summary.is_none()) =>
        {
            Some(shown)
        }
        (shown, None) => shown,
        (_, fetched) => fetched,
    }
}

#[cfg(test)]
mod tests;
