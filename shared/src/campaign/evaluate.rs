//! The evaluator. TODO(campaigns helper): implement; signatures are the contract the widget and studio code against.

use super::{Campaign, CampaignLimits, History, Moment, Pick, Staffed, Verdict, Visit};

/// The campaign to show now, if any, and why each other one is not shown. `visitor` is the browser's anonymous id
/// (variant and holdout bucketing); `now_ms` the current time.
pub fn evaluate(
    campaigns: &[Campaign],
    limits: &CampaignLimits,
    visit: &Visit,
    history: &History,
    staffed: &Staffed,
    moment: &Moment,
    visitor: &str,
    now_ms: u64,
) -> Verdict {
    let _ = (
        campaigns, limits, visit, history, staffed, moment, visitor, now_ms,
    );
    todo!("campaign evaluator")
}

/// Which campaigns' goals `event` reaches now: those viewed (or held out) within their goal's `within_days` and
/// not converted since that view; each with the variant the visitor saw.
pub fn goals_reached(
    campaigns: &[Campaign],
    history: &History,
    event: &str,
    visitor: &str,
    now_ms: u64,
) -> Vec<Pick> {
    let _ = (campaigns, history, event, visitor, now_ms);
    todo!("goals")
}

/// A number in 0..10_000 fixed for a visitor and a campaign: the holdout takes the first `holdout_percent` ×
/// 100, and the variants share the rest by weight.
pub fn bucket(visitor: &str, campaign: &str) -> u32 {
    let _ = (visitor, campaign);
    todo!("bucket")
}
