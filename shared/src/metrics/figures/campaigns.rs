//! Campaign figures per campaign and variant, and the holdout's row: views, clicks and dismissals from what the
//! browsers reported, leads from the ledger's lead events, conversations and handoffs from the conversations the
//! campaign started (in the range, within the report's filters), goals from the campaign's own goal events.
//! Views and the goal rate count visitors, not events: a visitor shown a bubble on ten pages is one view, and the
//! goal rate is the share of viewers who reached the goal (so never above 100 %), to compare with the holdout's.

use std::collections::{BTreeMap, BTreeSet};

use super::judge::Verdict;
use super::report::share;
use super::{Ledger, Request};
use crate::protocol::CampaignWhat;
use crate::protocol::metrics::CampaignFigures;

/// One row's key: campaign, variant, held out.
type Key = (String, Option<String>, bool);

#[derive(Default)]
struct Tally {
    viewers: BTreeSet<String>,
    /// Views by visitors without an id, counted per event.
    anonymous_views: u64,
    goal_visitors: BTreeSet<String>,
    figures: CampaignFigures,
}

pub(super) fn figures(
    request: &Request,
    ledger: &Ledger,
    verdicts: &[Verdict],
) -> Vec<CampaignFigures> {
    let wanted = request.query.campaign.as_deref();
    let mut rows: BTreeMap<Key, Tally> = BTreeMap::new();
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
        match tally.what {
            CampaignWhat::Shown => match &tally.visitor_id {
                Some(visitor) => {
                    row.viewers.insert(visitor.clone());
                }
                None => row.anonymous_views += tally.count,
            },
            CampaignWhat::Clicked => row.figures.clicks += tally.count,
            CampaignWhat::Dismissed => row.figures.dismissals += tally.count,
            CampaignWhat::Lead => row.figures.leads += tally.count,
            CampaignWhat::Goal => {
                row.figures.goals += tally.count;
                row.goal_visitors.extend(tally.visitor_id.clone());
            }
            // Counted from the conversations themselves, below.
            CampaignWhat::Conversation | CampaignWhat::Handoff => {}
        }
    }
    for verdict in verdicts {
        let Some(campaign) = &verdict.facts.campaign else {
            continue;
        };
        let key = (campaign.clone(), verdict.facts.variant.clone(), false);
        let row = rows.entry(key).or_default();
        row.figures.conversations += 1;
        if verdict.handed_off {
            row.figures.handoffs += 1;
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
    let mut keyed: Vec<(Key, Tally)> = rows.into_iter().collect();
    // A stable sort over keys already in order: unknown campaigns and variants keep their id order.
    keyed.sort_by_key(|(key, _)| order(key));
    keyed
        .into_iter()
        .map(|((id, variant, held_out), tally)| {
            let views = tally.viewers.len() as u64 + tally.anonymous_views;
            let reached = tally.viewers.intersection(&tally.goal_visitors).count() as u64;
            CampaignFigures {
                id,
                variant,
                held_out,
                views,
                goal_rate: share(reached, views),
                ..tally.figures
            }
        })
        .collect()
}
