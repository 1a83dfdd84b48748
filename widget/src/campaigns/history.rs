//! The visitor's campaign history as localStorage keeps it: what each campaign did (views, dismissals, clicks,
//! goals) for the evaluator's frequency clocks and `campaign` audience rules, and when campaigns were shown for the
//! site limits. Changes are plain functions, tested natively; the history is capped so it never grows without end.

use baton_shared::campaign::{CampaignHistory, History};

/// The most campaigns remembered; the least recently active are forgotten first.
pub const MAX_CAMPAIGNS: usize = 100;
/// Shows older than this no longer count for any site limit (`per_day`).
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// What happened to a campaign, for its clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Shown (or, for a held-out visitor, would have been).
    Viewed {
        held_out: bool,
    },
    Dismissed,
    /// Clicked, or its lead form sent.
    Engaged,
    /// Its goal was reached.
    Converted,
}

/// Applies `change` to campaign `id` at `now_ms`, then caps the history.
pub fn apply(history: &mut History, id: &str, change: Change, now_ms: u64) {
    let campaign = history.campaigns.get_or_default(id);
    match change {
        Change::Viewed { held_out } => {
            campaign.views += 1;
            campaign.last_view_ms = Some(now_ms);
            campaign.held_out = held_out;
            if !held_out {
                history.shown_ms.push(now_ms);
            }
        }
        Change::Dismissed => campaign.dismissed_ms = Some(now_ms),
        Change::Engaged => campaign.engaged_ms = Some(now_ms),
        Change::Converted => campaign.converted_ms = Some(now_ms),
    }
    trim(history, now_ms);
}

/// Keeps the last day of shows and the [`MAX_CAMPAIGNS`] most recently active campaigns.
pub fn trim(history: &mut History, now_ms: u64) {
    history
        .shown_ms
        .retain(|shown| now_ms.saturating_sub(*shown) < DAY_MS);
    while history.campaigns.len() > MAX_CAMPAIGNS {
        let oldest = history
            .campaigns
            .iter()
            .min_by_key(|(_, campaign)| latest(campaign))
            .map(|(id, _)| id.clone());
        match oldest {
            Some(id) => history.campaigns.remove(&id),
            None => break,
        };
    }
}

fn latest(campaign: &CampaignHistory) -> u64 {
    [
        campaign.last_view_ms,
        campaign.dismissed_ms,
        campaign.engaged_ms,
        campaign.converted_ms,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(0)
}

#[cfg(test)]
mod tests;
