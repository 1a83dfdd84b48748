//! The evaluator: which campaign to show now, if any, and why each other one is not shown; and which campaigns' goals
//! a tracked event reaches. Pure and cheap: the widget calls it on every scroll tick with up to 100 campaigns, the
//! studio's simulator on hand-written visits.
//!
//! Decisions worth knowing (see also the module docs of `gates.rs` and `trigger.rs`):
//! - A campaign's reasons are tested in the order of [`WhyNot`]'s variants and the first one is reported.
//! - Among the campaigns nothing holds back, the highest `priority` shows; ties go to the earlier one in the list;
//!   the others are `Outranked`.
//! - `Moment::Show { id, force }` (`Baton('show', id)`) shows that campaign whatever its trigger, ahead of any
//!   priority. Without `force` every other rule applies; with `force` pages, audience, staffing, the quiet time
//!   after a chat, frequency, dismissal, conversion and the site limits are skipped, never status, schedule,
//!   business hours, an open panel or a person in the conversation. For the other campaigns the moment is a `Tick`,
//!   and if the requested one cannot show, the best of them may.
//! - A held-out visitor's pick is still the pick (`held_out: true`): the widget shows nothing and records the view
//!   in the campaign's history (`views`, `last_view_ms`, `held_out`), which holds it back from then on like a
//!   view, but not in `shown_ms`, so the site limits do not count it: on a later check the control visitor gets
//!   what they would have got without the campaign.

mod gates;
mod trigger;

use super::audience::within_days;
use super::bucket::assign;
use super::model::{Campaign, CampaignLimits, CampaignStatus};
use super::pages::path_of;
use super::visit::{History, Moment, Pick, Staffed, Verdict, Visit, WhyNot};

use self::gates::{Gate, Request};

/// Everything a check looks at besides the campaign itself.
struct Context<'a> {
    limits: &'a CampaignLimits,
    visit: &'a Visit,
    history: &'a History,
    staffed: &'a Staffed,
    moment: &'a Moment,
    now_ms: u64,
    /// The page's path, taken out of `visit.url` once per check.
    path: &'a str,
    /// Campaigns shown in this visit, and in the last 24 hours (`campaign_limits`), counted once per check.
    shown_this_visit: usize,
    shown_today: usize,
}

/// The campaign to show now, if any, and why each other one is not shown, every campaign listed exactly once
/// (`show`, or `not_shown` in configuration order). `visitor` is the browser's anonymous id (variant and holdout
/// bucketing); `now_ms` the current time; `moment` what just happened (`Tick` when nothing did).
///
/// `recheck_in_ms` is the shortest positive wait until a time-based trigger (dwell, site time, inactivity,
/// waiting for a person) of a campaign held back by nothing but its trigger comes due, so the widget sets one timer
/// instead of polling.
#[allow(
    clippy::too_many_arguments,
    reason = "the signature is the contract the widget and the studio code against"
)]
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
    let context = Context {
        limits,
        visit,
        history,
        staffed,
        moment,
        now_ms,
        path: path_of(&visit.url),
        shown_this_visit: history
            .shown_ms
            .iter()
            .filter(|&&shown_ms| shown_ms >= visit.visit_started_ms)
            .count(),
        shown_today: history
            .shown_ms
            .iter()
            .filter(|&&shown_ms| within_days(shown_ms, 1, now_ms))
            .count(),
    };
    let mut gates: Vec<Gate> = Vec::with_capacity(campaigns.len());
    let mut winner: Option<(usize, bool)> = None;
    let mut recheck_in_ms: Option<u64> = None;
    for (index, campaign) in campaigns.iter().enumerate() {
        let request = match moment {
            Moment::Show { id, force } if *id == campaign.id => {
                if *force {
                    Request::Forced
                } else {
                    Request::Shown
                }
            }
            _ => Request::None,
        };
        let gate = gates::check(campaign, &context, request);
        match gate {
            Gate::Open => {
                let requested = request != Request::None;
                let better = match winner {
                    None => true,
                    Some((best, best_requested)) => {
                        !best_requested
                            && (requested || campaign.priority > campaigns[best].priority)
                    }
                };
                if better {
                    winner = Some((index, requested));
                }
            }
            Gate::Waiting {
                due_ms: Some(due_ms),
            } if due_ms > now_ms => {
                let wait = due_ms - now_ms;
                recheck_in_ms = Some(recheck_in_ms.map_or(wait, |soonest| soonest.min(wait)));
            }
            Gate::Waiting { .. } | Gate::Closed(_) => {}
        }
        gates.push(gate);
    }
    let shown = winner.map(|(index, _)| index);
    let not_shown = campaigns
        .iter()
        .zip(&gates)
        .enumerate()
        .filter(|(index, _)| Some(*index) != shown)
        .map(|(_, (campaign, gate))| {
            let why = match gate {
                Gate::Open => WhyNot::Outranked,
                Gate::Waiting { .. } => WhyNot::NotTriggered,
                Gate::Closed(why) => why.clone(),
            };
            (campaign.id.clone(), why)
        })
        .collect();
    Verdict {
        show: shown.map(|index| pick(&campaigns[index], visitor)),
        not_shown,
        recheck_in_ms,
    }
}

/// `campaign` as the visitor gets it: their variant, or the holdout.
fn pick(campaign: &Campaign, visitor: &str) -> Pick {
    let assignment = assign(campaign, visitor);
    Pick {
        id: campaign.id.clone(),
        variant: assignment.variant.map(str::to_owned),
        held_out: assignment.held_out,
    }
}

/// Which campaigns' goals `event` (`Baton('track', event)`) reaches now: live or paused campaigns whose
/// `goal.event` is `event`, viewed (or held out) within the goal's `within_days`, and not converted since that view;
/// each with the variant the visitor was given and whether they were held out (as their history records it).
pub fn goals_reached(
    campaigns: &[Campaign],
    history: &History,
    event: &str,
    visitor: &str,
    now_ms: u64,
) -> Vec<Pick> {
    campaigns
        .iter()
        .filter(|campaign| {
            matches!(
                campaign.status,
                CampaignStatus::Live | CampaignStatus::Paused
            )
        })
        .filter_map(|campaign| {
            let goal = campaign.goal.as_ref().filter(|goal| goal.event == event)?;
            let clocks = history.campaigns.get(&campaign.id)?;
            let viewed_ms = clocks.last_view_ms?;
            let converted_since = clocks
                .converted_ms
                .is_some_and(|converted_ms| converted_ms >= viewed_ms);
            if !within_days(viewed_ms, goal.within_days, now_ms) || converted_since {
                return None;
            }
            let assignment = assign(campaign, visitor);
            Some(Pick {
                id: campaign.id.clone(),
                variant: if clocks.held_out {
                    None
                } else {
                    assignment.variant.map(str::to_owned)
                },
                held_out: clocks.held_out,
            })
        })
        .collect()
}
