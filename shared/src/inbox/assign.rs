//! Auto-assign: who gets a conversation the moment it is handed over, on sites that assign automatically. Agents
//! online for the conversation's team take turns (round-robin, by a cursor kept in the inbox), and only an agent with
//! a console open can be given one, since only the console's socket says who they are.

use super::{Inbox, is_online};
use crate::protocol::agent::{AgentPresence, AgentProfile, ItemState};

/// What auto-assign decides with: the site's setting and the consoles open now.
#[derive(Debug, Clone, Copy)]
pub struct AutoAssign<'a> {
    /// The site's `handoff.auto_assign`.
    pub enabled: bool,
    /// The agent behind each open console (an agent with two consoles appears twice).
    pub seats: &'a [AgentProfile],
    /// Everyone with a console open, once each.
    pub presence: &'a [AgentPresence],
    pub now_ms: u64,
}

impl Inbox {
    /// Gives a waiting conversation to the next online agent of its team, when the site assigns automatically;
    /// returns the agent it went to. The turn passes even when the chosen agent cannot take it after all.
    pub fn auto_assign(
        &mut self,
        conversation_id: &str,
        auto_assign: &AutoAssign,
    ) -> Option<AgentProfile> {
        let item = self.item(conversation_id)?;
        if !auto_assign.enabled || item.state != ItemState::Waiting {
            return None;
        }
        let team = item.team.clone();
        let agent_id = self
            .next_agent(team.as_deref(), auto_assign.presence, auto_assign.now_ms)?
            .agent_id
            .clone();
        let profile = auto_assign
            .seats
            .iter()
            .find(|seat| seat.id == agent_id)?
            .clone();
        self.claim(conversation_id, &profile).ok()?;
        Some(profile)
    }

    /// Round-robin: the next online agent serving `team`, by a cursor that advances with every assignment.
    pub fn next_agent<'a>(
        &mut self,
        team: Option<&str>,
        presence: &'a [AgentPresence],
        now_ms: u64,
    ) -> Option<&'a AgentPresence> {
        let mut candidates: Vec<&AgentPresence> = presence
            .iter()
            .filter(|agent| {
                is_online(agent, now_ms)
                    && team.is_none_or(|team| agent.teams.iter().any(|own| own == team))
            })
            .collect();
        candidates.sort_by(|a, b| a.agent_id.cmp(&b.agent_id));
        candidates.dedup_by(|a, b| a.agent_id == b.agent_id);
        if candidates.is_empty() {
            return None;
        }
        let chosen = candidates[self.assigned_count % candidates.len()];
        self.assigned_count += 1;
        Some(chosen)
    }
}

#[cfg(test)]
mod tests;
