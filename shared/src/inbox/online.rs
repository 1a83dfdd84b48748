//! Who is online for campaigns' staffing: the teams with an agent whose console beat lately, and whether anyone's
//! did (a site without teams has agents in none).

use super::{is_online, teams_online};
use crate::protocol::agent::AgentPresence;

/// Who is online now, as the site inbox tells it: the teams with an agent online, and whether any agent is (a site
/// without teams has agents in none).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Online {
    pub teams: Vec<String>,
    pub anyone: bool,
}

/// How fresh a heartbeat must be for campaigns' staffing: stricter than [`is_online`]'s three heartbeats, since
/// a campaign promises someone is there right now.
pub const STAFFING_FRESH_MS: u64 = 30_000;

/// [`Online`] from the consoles' presence: agents online whose console beat within [`STAFFING_FRESH_MS`].
pub fn online(presence: &[AgentPresence], now_ms: u64) -> Online {
    let fresh: Vec<AgentPresence> = presence
        .iter()
        .filter(|agent| {
            is_online(agent, now_ms)
                && now_ms.saturating_sub(agent.last_seen_ms) <= STAFFING_FRESH_MS
        })
        .cloned()
        .collect();
    Online {
        teams: teams_online(&fresh, now_ms),
        anyone: !fresh.is_empty(),
    }
}
