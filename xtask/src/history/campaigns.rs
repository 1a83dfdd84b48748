//! What visitors did with the site's campaigns in a made-up history.

use baton_shared::config::SiteConfig;
use baton_shared::metrics::{Actor, Event, EventKind};
use baton_shared::protocol::CampaignWhat;

use super::{Dice, HOUR, ID_PREFIX};

/// A few visitors' views of one of the site's campaigns around `at`: shown (a tenth held out), clicked or
/// dismissed, now and then its goal or a lead.
pub(super) fn events(
    site: &SiteConfig,
    dice: &mut Dice,
    events: &mut Vec<Event>,
    at: u64,
    n: usize,
) {
    let Some(campaign) = (!site.campaigns.is_empty()).then(|| dice.pick(&site.campaigns)) else {
        return;
    };
    let visitor = format!("{ID_PREFIX}browser-{n}");
    let held_out = dice.chance(10);
    let mut push = |what: CampaignWhat, offset: u64| {
        let kind = match what {
            CampaignWhat::Lead => EventKind::Lead {
                campaign: campaign.id.clone(),
                variant: None,
            },
            what => EventKind::Campaign {
                campaign: campaign.id.clone(),
                variant: None,
                held_out,
                what,
            },
        };
        events.push(Event {
            id: format!("{ID_PREFIX}campaign:{visitor}:{}:{offset}", kind.name()),
            site_id: site.id.clone(),
            conversation_id: None,
            visitor_id: Some(visitor.clone()),
            at_ms: at + offset,
            actor: Actor::Visitor,
            team: None,
            agent: None,
            kind,
        });
    };
    push(CampaignWhat::Shown, 0);
    if held_out {
        if dice.chance(4) {
            push(CampaignWhat::Goal, HOUR);
        }
        return;
    }
    match dice.below(100) {
        0..12 => push(CampaignWhat::Clicked, 20_000),
        12..40 => push(CampaignWhat::Dismissed, 8_000),
        _ => {}
    }
    if dice.chance(6) {
        push(CampaignWhat::Goal, HOUR);
    }
    if dice.chance(2) {
        push(CampaignWhat::Lead, 30_000);
    }
}
