//! Campaign figures per campaign and variant, and the holdout's row: views, clicks and dismissals from what the
//! browsers reported, leads from the ledger's lead events, conversations and handoffs from the conversations the
//! campaign started (in the range, within the report's filters), goals from the campaign's own goal events.
//! Views and the goal rate count visitors, not events: a visitor shown a bubble on ten pages is one view, and the
//! goal rate is the share of viewers who reached the goal (so never above 100 %), to compare with the holdout's.

use std::collections::BTreeMap;

use super::judge::Verdict;
use super::report::share;
use super::{Ledger, Request};
use crate::protocol::metrics::CampaignFigures;

/// One row's key: campaign, variant, held out.
type Key = (String, Option<String>, bool);

pub(super) fn figures(
    request: &Request,
    ledger: &Ledger,
    verdicts: &[Verdict],
) -> Vec<CampaignFigures> {
    let wanted = request.query.campaign.as_deref();
    let mut rows: BTreeMap<Key, CampaignFigures> = BTreeMap::new();
    for tally in &ledger.campaigns {
        if wanted.is_some_and(|wanted| wanted != tally.campaign) {
            continue;
        }
        let key = (
            tally.campaign.clone(),
            tally.variant.clone(),
            tally.held_out,
        );
        let row = rows.entry(key).or_default();
        row.views += tally.views;
        row.clicks += tally.clicks;
        row.dismissals += tally.dismissals;
        row.leads += tally.leads;
        row.goals += tally.goals;
        row.goal_rate = share(tally.reached.min(tally.views), tally.views);
    }
    for verdict in verdicts {
        let Some(campaign) = &verdict.facts.campaign else {
            continue;
        };
        let key = (campaign.clone(), verdict.facts.variant.clone(), false);
        let row = rows.entry(key).or_default();
        row.conversations += 1;
        if verdict.handed_off {
            row.handoffs += 1;
        }
    }
    let order = |key: &Key| -> (usize, usize) {
        let campaigns = &request.config.campaigns;
        let Some(index) = campaigns.iter().position(|campaign| campaign.id == key.0) else {
            return (campaigns.len(), 0);
        };
        let variant = match (&key.1, key.2) {
            (_, true) => usize::MAX,
            (None, false) => 0,
            (Some(variant), false) => {
                1 + campaigns[index]
                    .variants
                    .iter()
                    .position(|known| &known.id == variant)
                    .unwrap_or(campaigns[index].variants.len())
            }
        };
        (index, variant)
    };
    let mut keyed: Vec<(Key, CampaignFigures)> = rows.into_iter().collect();
    // A stable sort over keys already in order: unknown campaigns and variants keep their id order.
    keyed.sort_by_key(|(key, _)| order(key));
    keyed
        .into_iter()
        .map(|((id, variant, held_out), figures)| CampaignFigures {
            id,
            variant,
            held_out,
            ..figures
        })
        .collect()
}
