//! Writing a history into a stack's local D1, as the worker's ledger would have (`worker/src/ledger.rs`: the
//! events with their columns and JSON, the facts rows with theirs): SQL files of multi-row inserts, each statement
//! under D1's 100 KB limit, run by `wrangler d1 execute --local --file`. What an earlier history left is deleted
//! first (its ids start with `history-`), so seeding again replaces it.

use std::path::Path;

use baton_shared::metrics::facts::ConversationFacts;
use baton_shared::metrics::{Event, EventKind};

use super::{History, ID_PREFIX};
use crate::process::{command, run};

/// D1 refuses statements over 100 KB.
const STATEMENT_BYTES: usize = 90_000;
/// One `wrangler d1 execute` per file of about this size (wrangler takes seconds to start).
const FILE_BYTES: usize = 8_000_000;

/// Writes `history` for `site_id` into the local D1 of `persist_dir` (whose migrations must be applied).
pub fn seed(persist_dir: &Path, site_id: &str, history: &History) -> crate::Result<()> {
    let mut statements = vec![format!(
        "DELETE FROM events WHERE site_id = {site} AND id LIKE '{ID_PREFIX}%';\n\
         DELETE FROM conversation_facts WHERE site_id = {site} AND conversation_id LIKE '{ID_PREFIX}%';\n",
        site = text(site_id)
    )];
    let events: Vec<String> = history
        .events
        .iter()
        .map(event_row)
        .collect::<Result<_, _>>()?;
    statements.extend(inserts(
        "INSERT OR IGNORE INTO events (site_id, id, conversation_id, visitor_id, at_ms, actor, kind, team, agent, \
         campaign, variant, data) VALUES ",
        &events,
    ));
    let facts: Vec<String> = history
        .facts
        .iter()
        .map(facts_row)
        .collect::<Result<_, _>>()?;
    statements.extend(inserts(
        "INSERT OR REPLACE INTO conversation_facts (site_id, conversation_id, started_ms, visitor_id, email, team, \
         agent, intent, campaign, facts) VALUES ",
        &facts,
    ));
    let dir = crate::at("target/history-sql");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let mut files = vec![String::new()];
    for statement in statements {
        if files
            .last()
            .is_some_and(|file| file.len() + statement.len() > FILE_BYTES)
        {
            files.push(String::new());
        }
        if let Some(file) = files.last_mut() {
            file.push_str(&statement);
        }
    }
    for (index, sql) in files.iter().enumerate() {
        let file = dir.join(format!("{index:03}.sql"));
        std::fs::write(&file, sql)
            .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
        run(
            command(&crate::at("node_modules/.bin/wrangler").to_string_lossy())
                .args([
                    "d1",
                    "execute",
                    "BATON_DB",
                    "--local",
                    "--yes",
                    "--persist-to",
                ])
                .arg(persist_dir)
                .arg("--file")
                .arg(&file)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null()),
        )?;
    }
    Ok(())
}

/// Multi-row inserts of `rows`, each statement under [`STATEMENT_BYTES`].
fn inserts(head: &str, rows: &[String]) -> Vec<String> {
    let mut statements = Vec::new();
    let mut statement = String::new();
    for row in rows {
        if !statement.is_empty() && statement.len() + row.len() + 2 > STATEMENT_BYTES {
            statement.push_str(";\n");
            statements.push(std::mem::take(&mut statement));
        }
        statement.push_str(if statement.is_empty() { head } else { ", " });
        statement.push_str(row);
    }
    if !statement.is_empty() {
        statement.push_str(";\n");
        statements.push(statement);
    }
    statements
}

/// A SQL string literal.
fn text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn optional(value: Option<&str>) -> String {
    value.map_or_else(|| "NULL".to_string(), text)
}

/// A unit variant's name as serde writes it.
fn name_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn json<T: serde::Serialize>(value: &T) -> crate::Result<String> {
    serde_json::to_string(value).map_err(|error| format!("writing history JSON: {error}"))
}

/// The columns `worker/src/ledger.rs` writes for an event.
fn event_row(event: &Event) -> crate::Result<String> {
    let (campaign, variant) = match &event.kind {
        EventKind::ConversationStarted {
            campaign, variant, ..
        } => (campaign.as_deref(), variant.as_deref()),
        EventKind::Lead { campaign, variant }
        | EventKind::Campaign {
            campaign, variant, ..
        } => (Some(campaign.as_str()), variant.as_deref()),
        _ => (None, None),
    };
    Ok(format!(
        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
        text(&event.site_id),
        text(&event.id),
        optional(event.conversation_id.as_deref()),
        optional(event.visitor_id.as_deref()),
        event.at_ms,
        text(&name_of(&event.actor)),
        text(event.kind.name()),
        optional(event.team.as_deref()),
        optional(event.agent.as_deref()),
        optional(campaign),
        optional(variant),
        text(&json(event)?),
    ))
}

/// The columns `worker/src/ledger.rs` writes for a conversation's facts.
fn facts_row(facts: &ConversationFacts) -> crate::Result<String> {
    let intent = facts
        .handoff
        .as_ref()
        .and_then(|handoff| handoff.intent)
        .map(|intent| intent.name());
    Ok(format!(
        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
        text(&facts.site_id),
        text(&facts.conversation_id),
        facts.started_ms,
        optional(facts.visitor_id.as_deref()),
        optional(facts.email.as_deref()),
        optional(facts.team.as_deref()),
        optional(facts.agent.as_deref()),
        optional(intent),
        optional(facts.campaign.as_deref()),
        text(&json(facts)?),
    ))
}
