//! Events outside a conversation, from the visitor's beacons: what they did with campaigns, a lead form kept
//! without a conversation, a site goal. Their ids are deterministic too, so a beacon sent twice is stored once:
//! `campaign:{visitor}:{campaign}:{variant}:{what}:{at_ms}` (the browser's time of the event, which a resent batch
//! repeats), `lead:{lead}`, and `goal:{visitor}:{goal}:{second}` (the same goal from the same visitor within one
//! second is one goal: a double submit, or a beacon sent again).

use crate::handoff::ValidatedLead;
use crate::metrics::event::{Actor, Event, EventKind};
use crate::protocol::CampaignEvents;
use crate::protocol::metrics::TrackGoal;

/// The browser's campaign events (those it reports, `CampaignWhat::from_browser`), each at its own time but never
/// after the request's: a browser's clock running ahead does not put events in the future. The batch was checked
/// (`CampaignEvents::check`: times within a day of now).
pub fn campaign_events(site_id: &str, batch: &CampaignEvents, now_ms: u64) -> Vec<Event> {
    batch
        .events
        .iter()
        .filter(|event| event.what.from_browser())
        .map(|event| {
            let what = serde_json::to_value(event.what)
                .ok()
                .and_then(|what| what.as_str().map(str::to_string))
                .unwrap_or_default();
            Event {
                id: format!(
                    "campaign:{}:{}:{}:{what}:{}",
                    batch.visitor,
                    event.campaign,
                    event.variant.as_deref().unwrap_or("-"),
                    event.at_ms
                ),
                site_id: site_id.to_string(),
                conversation_id: None,
                visitor_id: Some(batch.visitor.clone()),
                at_ms: event.at_ms.min(now_ms),
                actor: Actor::Visitor,
                team: None,
                agent: None,
                kind: EventKind::Campaign {
                    campaign: event.campaign.clone(),
                    variant: event.variant.clone(),
                    held_out: event.held_out,
                    what: event.what,
                },
            }
        })
        .collect()
}

/// A lead form whose campaign names no team: kept without a conversation (one with a team starts a conversation,
/// whose `{conversation}:lead` event its room records).
pub fn lead(site_id: &str, lead_id: &str, lead: &ValidatedLead, now_ms: u64) -> Event {
    Event {
        id: format!("lead:{lead_id}"),
        site_id: site_id.to_string(),
        conversation_id: None,
        visitor_id: Some(lead.visitor.clone()),
        at_ms: now_ms,
        actor: Actor::Visitor,
        team: None,
        agent: None,
        kind: EventKind::Lead {
            campaign: lead.campaign.id.clone(),
            variant: lead.campaign.variant.clone(),
        },
    }
}

/// A site goal the page tracked (checked: one of the site's goals), with the conversation open in the widget.
pub fn goal(site_id: &str, goal: &TrackGoal, now_ms: u64) -> Event {
    Event {
        id: format!("goal:{}:{}:{}", goal.visitor, goal.goal, now_ms / 1_000),
        site_id: site_id.to_string(),
        conversation_id: goal.conversation_id.clone(),
        visitor_id: Some(goal.visitor.clone()),
        at_ms: now_ms,
        actor: Actor::Visitor,
        team: None,
        agent: None,
        kind: EventKind::Goal {
            goal: goal.goal.clone(),
            value: goal.value,
        },
    }
}
