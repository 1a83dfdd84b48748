//! The second half of the policy: a reason to hand off becomes a decision once the time and who is online are
//! known. It picks the team, the fields still to collect, and whether anyone can take the conversation now.

use super::{Decision, Handoff, Situation, is_open, next_opening};
use crate::config::{FieldKind, Team};
use crate::vocab::{HandoffReason, Intent};

/// Picks the team (the one the visitor asked for, else the intent's), then checks what must be collected and
/// whether anyone can take the conversation now.
pub(super) fn route(situation: &Situation<'_>, reason: HandoffReason, intent: Intent) -> Decision {
    let teams = &situation.config.teams;
    let team = situation
        .team
        .filter(|team| *team < teams.len())
        .or_else(|| team_for(teams, intent));
    let handoff = Handoff {
        reason,
        team,
        intent,
    };
    route_to(situation, handoff, Fields::ForIntent)
}

/// Which pre-chat fields a handoff collects before a person joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fields {
    /// Those its intent requires (`required_for`), and an email when nobody can reply now.
    ForIntent,
    /// Only an email when nobody can reply now: a campaign hands over at once, to the team it names.
    ReplyAddress,
}

/// The decision for a handoff whose team is already chosen.
pub(super) fn route_to(situation: &Situation<'_>, handoff: Handoff, fields: Fields) -> Decision {
    let config = situation.config;
    let team = handoff.team;
    let missing: Vec<usize> = config
        .pre_chat
        .fields
        .iter()
        .enumerate()
        .filter(|(_, field)| {
            fields == Fields::ForIntent
                && field.required_for.contains(&handoff.intent)
                && !situation.fields_known.contains(&field.id.as_str())
        })
        .map(|(position, _)| position)
        .collect();
    let open = config.business_hours.is_empty() || is_open(config, situation.now_ms);
    let staffed = team.is_some_and(|team| {
        situation
            .teams_online
            .contains(&config.teams[team].id.as_str())
    });
    if !(open && staffed) {
        // Nobody can reply now: an email is needed to reply later, whatever the intent requires.
        let mut fields = missing;
        let email = config
            .pre_chat
            .fields
            .iter()
            .position(|field| field.kind == FieldKind::Email);
        if let Some(email) = email
            && !fields.contains(&email)
            && !situation
                .fields_known
                .contains(&config.pre_chat.fields[email].id.as_str())
        {
            fields.insert(0, email);
        }
        let next_opening_ms = if open {
            None
        } else {
            next_opening(config, situation.now_ms)
        };
        return Decision::AfterHours {
            next_opening_ms,
            fields,
            handoff,
        };
    }
    if missing.is_empty() {
        Decision::HandOff(handoff)
    } else {
        Decision::CollectContext {
            fields: missing,
            handoff,
        }
    }
}

/// The first team serving the intent, else the first team.
fn team_for(teams: &[Team], intent: Intent) -> Option<usize> {
    teams
        .iter()
        .position(|team| team.intents.contains(&intent))
        .or(if teams.is_empty() { None } else { Some(0) })
}
