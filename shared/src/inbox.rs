//! The site inbox's rules, as plain data: queues per team, claims (first wins), transfers, presence, the expected
//! wait from recent first replies; auto-assign ([`assign`]), missed chats and retention ([`missed`]), and the
//! inbox's clock ([`clock`]). The worker's site inbox Durable Object holds one [`Inbox`] per site, feeds these
//! functions and only performs what they decide.

use serde::{Deserialize, Serialize};

use crate::protocol::agent::{
    AgentPresence, AgentProfile, AgentRole, HEARTBEAT_MS, InboxItem, ItemState, PresenceStatus,
};
use crate::protocol::live::CloseOutcome;

mod assign;
mod clock;
mod missed;
mod online;

pub use self::assign::AutoAssign;
pub use self::clock::InboxClock;
pub use self::missed::{
    MISSED_PER_ROUND, MISSED_ROUND_GAP_MS, Waits, missed_notice, missed_notice_to_visitor,
};
pub use self::online::{Online, STAFFING_FRESH_MS, online};

/// How many recent first-reply times the wait estimate uses.
const REPLY_SAMPLES: usize = 20;
/// Closed items stay visible this long, then leave the inbox (the archive keeps them).
const CLOSED_KEPT_MS: u64 = 24 * 60 * 60 * 1_000;

/// What a console is told when its inbox socket cannot be opened (no ticket, or one used or expired).
pub const LIVE_TICKET_REFUSED: &str = "the inbox socket needs a fresh ticket: POST …/socket-tickets with {\"inbox\": true}, then open it with ?ticket=";

/// Every handed-over conversation of one site that is open or recently closed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<InboxItem>,
    /// Recent times from handoff (or opening) to an agent's first reply, in ms, newest last.
    #[serde(default)]
    pub reply_times_ms: Vec<u64>,
    /// Round-robin cursor: how many conversations were auto-assigned.
    #[serde(default)]
    pub assigned_count: usize,
    /// When the alarm's last round marked conversations missed (the next round waits a moment after it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missed_round_at_ms: Option<u64>,
}

/// Where a new handoff stands in its queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    /// 1 for the next conversation an agent of the team takes.
    pub position: usize,
    /// The estimate shown to the visitor.
    pub expected_wait_ms: u64,
}

/// Why a claim was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimRefused {
    NotInInbox,
    OtherTeam { team: String },
    AlreadyClaimed { agent_name: String },
    Closed,
}

impl std::fmt::Display for ClaimRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClaimRefused::NotInInbox => write!(f, "this conversation was never handed over"),
            ClaimRefused::OtherTeam { team } => {
                write!(
                    f,
                    "this conversation is in the \"{team}\" queue, which is not one of your teams"
                )
            }
            ClaimRefused::AlreadyClaimed { agent_name } => {
                write!(f, "{agent_name} already took this conversation")
            }
            ClaimRefused::Closed => write!(f, "this conversation is closed"),
        }
    }
}

/// Why a transfer was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferRefused {
    NotInInbox,
    /// A closed conversation stays closed.
    Closed,
    /// Only the agent who has the conversation, or an admin, moves it.
    NotYours {
        agent_name: Option<String>,
    },
    /// The chosen agent does not serve the team it would land in (or is disabled).
    AgentNotInTeam {
        agent_name: String,
        team: String,
    },
}

impl std::fmt::Display for TransferRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransferRefused::NotInInbox => write!(f, "this conversation was never handed over"),
            TransferRefused::Closed => {
                write!(
                    f,
                    "this conversation is closed; a transfer does not reopen it"
                )
            }
            TransferRefused::NotYours {
                agent_name: Some(name),
            } => write!(
                f,
                "{name} has this conversation; only they or an admin can transfer it"
            ),
            TransferRefused::NotYours { agent_name: None } => write!(
                f,
                "this conversation is waiting in its queue; claim it before transferring it"
            ),
            TransferRefused::AgentNotInTeam { agent_name, team } => write!(
                f,
                "{agent_name} cannot take it: they are not in the \"{team}\" team (or their account is disabled)"
            ),
        }
    }
}

impl Inbox {
    pub fn item(&self, conversation_id: &str) -> Option<&InboxItem> {
        self.items
            .iter()
            .find(|item| item.conversation_id == conversation_id)
    }

    fn item_mut(&mut self, conversation_id: &str) -> Option<&mut InboxItem> {
        self.items
            .iter_mut()
            .find(|item| item.conversation_id == conversation_id)
    }

    /// Adds a handoff, or updates the conversation's item when it was handed over before: an agent who has it
    /// keeps it, and a closed conversation opens again.
    pub fn hand_over(&mut self, mut item: InboxItem) -> &InboxItem {
        let position = match self
            .items
            .iter()
            .position(|known| known.conversation_id == item.conversation_id)
        {
            Some(position) => {
                let known = &self.items[position];
                if let ItemState::Assigned { .. } = known.state {
                    item.state = known.state.clone();
                    item.first_reply_at_ms = known.first_reply_at_ms;
                    item.handed_off_at_ms = known.handed_off_at_ms;
                }
                item.read_seq = known.read_seq;
                self.items[position] = item;
                position
            }
            None => {
                self.items.push(item);
                self.items.len() - 1
            }
        };
        &self.items[position]
    }

    /// The conversation's place among those waiting for its team, oldest first (1-based).
    pub fn position(&self, conversation_id: &str) -> Option<usize> {
        let item = self.item(conversation_id)?;
        if item.state != ItemState::Waiting {
            return None;
        }
        let ahead = self
            .items
            .iter()
            .filter(|other| {
                other.state == ItemState::Waiting
                    && other.first_reply_at_ms.is_none()
                    && other.team == item.team
                    && (other.waiting_since_ms(), &other.conversation_id)
                        < (item.waiting_since_ms(), &item.conversation_id)
            })
            .count();
        Some(ahead + 1)
    }

    /// The expected wait at `position`: the median of recent first replies once there are three, else the team's
    /// promised reply time; one such wait per conversation ahead.
    pub fn expected_wait_ms(&self, position: usize, team_reply_minutes: u32) -> u64 {
        let typical = if self.reply_times_ms.len() >= 3 {
            let mut sorted = self.reply_times_ms.clone();
            sorted.sort_unstable();
            sorted[sorted.len() / 2]
        } else {
            u64::from(team_reply_minutes) * 60_000
        };
        typical.saturating_mul(position.max(1) as u64)
    }

    /// The queue place and wait of a waiting conversation.
    pub fn queued(&self, conversation_id: &str, team_reply_minutes: u32) -> Option<Queued> {
        let position = self.position(conversation_id)?;
        Some(Queued {
            position,
            expected_wait_ms: self.expected_wait_ms(position, team_reply_minutes),
        })
    }

    /// First claim wins: the item must be waiting (or already the claimer's) and in one of the agent's teams.
    pub fn claim(
        &mut self,
        conversation_id: &str,
        agent: &AgentProfile,
    ) -> Result<&InboxItem, ClaimRefused> {
        let item = self
            .item_mut(conversation_id)
            .ok_or(ClaimRefused::NotInInbox)?;
        if !agent.serves(item.team.as_deref()) {
            return Err(ClaimRefused::OtherTeam {
                team: item.team.clone().unwrap_or_default(),
            });
        }
        match &item.state {
            ItemState::Closed { .. } => return Err(ClaimRefused::Closed),
            ItemState::Assigned {
                agent_id,
                agent_name,
            } if *agent_id != agent.id => {
                return Err(ClaimRefused::AlreadyClaimed {
                    agent_name: agent_name.clone(),
                });
            }
            ItemState::Assigned { .. } | ItemState::Waiting => {}
        }
        item.state = ItemState::Assigned {
            agent_id: agent.id.clone(),
            agent_name: agent.name.clone(),
        };
        Ok(item)
    }

    /// Moves a conversation to another team's queue (waiting), or straight to an agent.
    pub fn transfer(
        &mut self,
        conversation_id: &str,
        by: &AgentProfile,
        team: Option<String>,
        to_agent: Option<&AgentProfile>,
    ) -> Result<&InboxItem, TransferRefused> {
        let item = self
            .item_mut(conversation_id)
            .ok_or(TransferRefused::NotInInbox)?;
        match &item.state {
            ItemState::Closed { .. } => return Err(TransferRefused::Closed),
            ItemState::Assigned { agent_id, .. } if *agent_id == by.id => {}
            _ if by.role == AgentRole::Admin => {}
            ItemState::Assigned { agent_name, .. } => {
                return Err(TransferRefused::NotYours {
                    agent_name: Some(agent_name.clone()),
                });
            }
            ItemState::Waiting => return Err(TransferRefused::NotYours { agent_name: None }),
        }
        let target_team = team.or_else(|| item.team.clone());
        if let Some(agent) = to_agent
            && (agent.disabled || !agent.serves(target_team.as_deref()))
        {
            return Err(TransferRefused::AgentNotInTeam {
                agent_name: agent.name.clone(),
                team: target_team.unwrap_or_default(),
            });
        }
        item.team = target_team;
        item.state = match to_agent {
            Some(agent) => ItemState::Assigned {
                agent_id: agent.id.clone(),
                agent_name: agent.name.clone(),
            },
            None => ItemState::Waiting,
        };
        Ok(item)
    }

    /// An agent replied: the first reply ends the wait and feeds the estimate.
    pub fn agent_replied(&mut self, conversation_id: &str, now_ms: u64) {
        let Some(item) = self.item_mut(conversation_id) else {
            return;
        };
        if item.first_reply_at_ms.is_some() {
            return;
        }
        item.first_reply_at_ms = Some(now_ms);
        let waited = now_ms.saturating_sub(item.waiting_since_ms());
        self.reply_times_ms.push(waited);
        if self.reply_times_ms.len() > REPLY_SAMPLES {
            self.reply_times_ms.remove(0);
        }
    }

    /// Records the latest message and what the agents have read.
    pub fn seen(&mut self, conversation_id: &str, last_seq: u64, read_seq: Option<u64>) {
        if let Some(item) = self.item_mut(conversation_id) {
            item.last_seq = item.last_seq.max(last_seq);
            if let Some(read) = read_seq {
                item.read_seq = item.read_seq.max(read);
            }
        }
    }

    pub fn close(&mut self, conversation_id: &str, outcome: CloseOutcome) -> Option<&InboxItem> {
        let item = self.item_mut(conversation_id)?;
        item.state = ItemState::Closed { outcome };
        Some(item)
    }

    /// Removes a conversation's item (erasure); returns how many went (0 or 1).
    pub fn forget(&mut self, conversation_id: &str) -> u64 {
        let before = self.items.len();
        self.items
            .retain(|item| item.conversation_id != conversation_id);
        (before - self.items.len()) as u64
    }

    /// Drops closed items older than a day.
    pub fn prune(&mut self, now_ms: u64) {
        self.items.retain(|item| {
            !matches!(item.state, ItemState::Closed { .. })
                || now_ms.saturating_sub(item.handed_off_at_ms) < CLOSED_KEPT_MS
        });
    }

    /// The items an agent sees: those of their teams (all, for an admin).
    pub fn visible_to(&self, agent: &AgentProfile) -> Vec<InboxItem> {
        self.items
            .iter()
            .filter(|item| agent.serves(item.team.as_deref()))
            .cloned()
            .collect()
    }
}

/// An agent counts as online while their status is online and their console beat within three heartbeats.
pub fn is_online(agent: &AgentPresence, now_ms: u64) -> bool {
    agent.status == PresenceStatus::Online
        && now_ms.saturating_sub(agent.last_seen_ms) <= 3 * HEARTBEAT_MS
}

/// Everyone with a console open, once each, from the presence of each console in turn: a console replaces the one
/// counted so far for its agent when it is online or was seen later.
pub fn presence_of(consoles: impl IntoIterator<Item = AgentPresence>) -> Vec<AgentPresence> {
    let mut agents: Vec<AgentPresence> = Vec::new();
    for console in consoles {
        match agents
            .iter_mut()
            .find(|known| known.agent_id == console.agent_id)
        {
            Some(known) => {
                if console.status == PresenceStatus::Online
                    || console.last_seen_ms > known.last_seen_ms
                {
                    *known = console;
                }
            }
            None => agents.push(console),
        }
    }
    agents
}

/// The team ids with at least one online agent.
pub fn teams_online(presence: &[AgentPresence], now_ms: u64) -> Vec<String> {
    let mut teams: Vec<String> = presence
        .iter()
        .filter(|agent| is_online(agent, now_ms))
        .flat_map(|agent| agent.teams.iter().cloned())
        .collect();
    teams.sort();
    teams.dedup();
    teams
}

#[cfg(test)]
mod tests;
