//! What the console shows, as plain data merged purely (tested natively): the inbox grouped into queues, unread
//! counts, waiting times, the labels of intents and handoff reasons, and what a `#…` link asks for. Merging a
//! conversation's messages by sequence number and reading why a socket stopped for good are `baton_web`'s.

use baton_shared::intent::Intent;
use baton_shared::protocol::agent::{AgentProfile, InboxItem, ItemState, agent_token_site};

/// One list in the inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    pub title: String,
    pub items: Vec<InboxItem>,
}

/// The inbox as the agent reads it: their own conversations first, then each team's waiting queue (oldest first),
/// then what colleagues have, then what was closed today.
pub fn queues(items: &[InboxItem], agent: &AgentProfile, teams: &[(String, String)]) -> Vec<Queue> {
    let mut sorted: Vec<InboxItem> = items.to_vec();
    sorted.sort_by_key(|item| (item.waiting_since_ms(), item.conversation_id.clone()));
    let mine: Vec<InboxItem> = sorted
        .iter()
        .filter(|item| matches!(&item.state, ItemState::Assigned { agent_id, .. } if *agent_id == agent.id))
        .cloned()
        .collect();
    let mut queues = vec![Queue {
        title: "Mine".into(),
        items: mine,
    }];
    for (team_id, team_name) in teams {
        if !agent.serves(Some(team_id)) {
            continue;
        }
        queues.push(Queue {
            title: format!("{team_name} queue"),
            items: sorted
                .iter()
                .filter(|item| {
                    item.state == ItemState::Waiting && item.team.as_deref() == Some(team_id)
                })
                .cloned()
                .collect(),
        });
    }
    let unteamed: Vec<InboxItem> = sorted
        .iter()
        .filter(|item| {
            item.state == ItemState::Waiting
                && !teams.iter().any(|(id, _)| item.team.as_deref() == Some(id))
        })
        .cloned()
        .collect();
    if !unteamed.is_empty() {
        queues.push(Queue {
            title: "Queue".into(),
            items: unteamed,
        });
    }
    queues.push(Queue {
        title: "With colleagues".into(),
        items: sorted
            .iter()
            .filter(|item| matches!(&item.state, ItemState::Assigned { agent_id, .. } if *agent_id != agent.id))
            .cloned()
            .collect(),
    });
    queues.push(Queue {
        title: "Closed".into(),
        items: sorted
            .iter()
            .filter(|item| matches!(item.state, ItemState::Closed { .. }))
            .cloned()
            .collect(),
    });
    queues
}

/// Replaces or adds an item (the inbox socket sends whole items).
pub fn upsert(items: &mut Vec<InboxItem>, item: InboxItem) {
    match items
        .iter_mut()
        .find(|known| known.conversation_id == item.conversation_id)
    {
        Some(known) => *known = item,
        None => items.push(item),
    }
}

/// Messages the agents have not read.
pub fn unread(item: &InboxItem) -> u64 {
    item.last_seq.saturating_sub(item.read_seq)
}

/// The unread count of open conversations the agent has or can take, for the tab title.
pub fn unread_total(items: &[InboxItem], agent: &AgentProfile) -> u64 {
    items
        .iter()
        .filter(|item| match &item.state {
            ItemState::Waiting => true,
            ItemState::Assigned { agent_id, .. } => *agent_id == agent.id,
            ItemState::Closed { .. } => false,
        })
        .map(unread)
        .sum()
}

/// "waiting 4 min", "waiting 1 h 05 min", or "opens in 2 h" for a conversation queued for the next opening.
pub fn waiting(item: &InboxItem, now_ms: u64) -> String {
    let since = item.waiting_since_ms();
    if since > now_ms {
        return format!("opens in {}", duration(since - now_ms));
    }
    match &item.state {
        ItemState::Closed { .. } => "closed".into(),
        _ if item.first_reply_at_ms.is_some() => "answered".into(),
        _ => format!("waiting {}", duration(now_ms - since)),
    }
}

fn duration(ms: u64) -> String {
    let minutes = ms / 60_000;
    match minutes {
        0 => format!("{} s", ms / 1_000),
        1..=59 => format!("{minutes} min"),
        _ => format!("{} h {:02} min", minutes / 60, minutes % 60),
    }
}

pub fn intent_label(intent: Intent) -> &'static str {
    match intent {
        Intent::Sales => "sales",
        Intent::Support => "support",
        Intent::Billing => "billing",
        Intent::Technical => "technical",
        Intent::General => "general",
    }
}

/// What the address bar's `#…` asks for: `#token=…` (sign in; the older `#site=…&token=…` too) and
/// `#conversation=ID` (open it; webhooks link there).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Link {
    pub token: Option<String>,
    pub site: Option<String>,
    pub conversation: Option<String>,
    /// The hash without the token, for the address bar and history: the token is a secret.
    pub clean_hash: String,
}

/// Reads a location hash (with or without its `#`).
pub fn read_link(hash: &str) -> Link {
    let mut link = Link::default();
    let mut kept = Vec::new();
    for pair in hash.trim_start_matches('#').split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = value.trim();
        let slot = match name {
            "token" => {
                // Never kept, even when empty: it is the one secret a link carries.
                link.token = (!value.is_empty()).then(|| value.to_string());
                continue;
            }
            "site" => &mut link.site,
            "conversation" => &mut link.conversation,
            _ => {
                if !pair.is_empty() {
                    kept.push(pair);
                }
                continue;
            }
        };
        if !value.is_empty() {
            *slot = Some(value.to_string());
        }
        kept.push(pair);
    }
    link.clean_hash = kept.join("&");
    link
}

/// The site to sign in to: the one the token names (`bat_{site}.{secret}`), else the one given beside it (older
/// tokens do not name theirs).
pub fn sign_in_site(token: &str, given: Option<&str>) -> Result<String, &'static str> {
    if let Some(site) = agent_token_site(token.trim()) {
        return Ok(site.to_string());
    }
    match given.map(str::trim) {
        Some(site) if !site.is_empty() => Ok(site.to_string()),
        _ => Err("This token does not name its site: enter the site id too."),
    }
}

#[cfg(test)]
mod tests;
