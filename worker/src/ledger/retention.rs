//! What the ledger forgets. Erasure removes a visitor's personal fields (`ledger::PERSONAL_EVENT_FIELDS` of their
//! events' JSON, `PERSONAL_FACT_FIELDS` of their conversations' facts and the facts' `email` column) and keeps
//! everything else, so every count stays. The daily sweep (the worker's Cron Trigger, `lib.rs`) does the same to
//! what is older than each site's `retention_days`, and deletes what is older than its `metrics_retention_days`.

use baton_shared::metrics::ledger::{
    PERSONAL_EVENT_FIELDS, PERSONAL_FACT_FIELDS, PERSONAL_KINDS, Retention,
};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Env, console_log};

use super::{Ledger, d1_error, number, retried};
use crate::error::ApiError;
use crate::store::{self, Kv};

/// Rows deleted per statement, so that no statement runs long on a large site.
const DELETE_ROUNDS_OF: u32 = 5_000;
/// At most this many rounds per table and site in one sweep; what is left goes the next day.
const MAX_ROUNDS: u32 = 40;
/// Conversation ids per statement (D1 binds at most 100 parameters).
const IDS_PER_STATEMENT: usize = 50;

#[derive(Deserialize)]
struct ConversationRow {
    conversation_id: String,
}

#[derive(Deserialize)]
struct SiteRow {
    site_id: String,
}

/// A visitor's erasure: the conversations given, and those whose facts hold `email` (the email index may have
/// forgotten a conversation the ledger still ties to it). Returns how many events lost personal fields.
pub async fn erase(
    env: &Env,
    site_id: &str,
    conversation_ids: &[String],
    email: Option<&str>,
) -> Result<u64, ApiError> {
    let ledger = Ledger::from_env(env)?;
    let db = ledger.db();
    let mut found = Vec::new();
    if let Some(email) = email {
        let query = db
            .prepare(
                "SELECT conversation_id FROM conversation_facts INDEXED BY facts_by_lower_email \
                 WHERE site_id = ?1 AND lower(email) = lower(?2)",
            )
            .bind(&[site_id.into(), email.trim().into()])?;
        let rows: Vec<ConversationRow> = retried(|| query.all()).await?.results()?;
        found.extend(
            rows.into_iter()
                .map(|row| row.conversation_id)
                .filter(|id| !conversation_ids.contains(id)),
        );
    }
    let mut events = 0;
    for ids in conversation_ids
        .iter()
        .chain(&found)
        .collect::<Vec<_>>()
        .chunks(IDS_PER_STATEMENT)
    {
        let list = placeholders(2, ids.len());
        let mut binds: Vec<JsValue> = vec![site_id.into()];
        binds.extend(ids.iter().map(|id| JsValue::from_str(id)));
        // Each statement is tried again on its own (a statement is all or nothing). A retried strip counts only
        // what it changed itself: should an attempt have committed and still been reported failed, the count
        // returned is short by what that attempt stripped (the ledger itself is right either way).
        let strip = db
            .prepare(format!(
                // INDEXED BY: as `CONVERSATION_EVENTS` in `ledger.rs`, else every event of the site is read.
                "UPDATE events INDEXED BY events_by_conversation SET data = json_remove(data, {fields}) \
                 WHERE site_id = ?1 AND conversation_id IN ({list}) AND ({present})",
                fields = json_paths(PERSONAL_EVENT_FIELDS),
                present = any_present("data", PERSONAL_EVENT_FIELDS),
            ))
            .bind(&binds)?;
        events += changes(&retried(|| strip.run()).await?);
        let strip_facts = db
            .prepare(format!(
                "UPDATE conversation_facts SET email = NULL, facts = json_remove(facts, {fields}) \
                 WHERE site_id = ?1 AND conversation_id IN ({list})",
                fields = json_paths(PERSONAL_FACT_FIELDS),
            ))
            .bind(&binds)?;
        retried(|| strip_facts.run()).await?;
    }
    Ok(events)
}

/// What one sweep did to one site.
#[derive(Debug, Default)]
pub struct Swept {
    pub deleted_events: u64,
    pub deleted_facts: u64,
    pub stripped_events: u64,
    pub stripped_facts: u64,
}

/// The daily sweep at `now_ms` (the Cron Trigger's time): every site with rows in the ledger, by its own
/// retention (the defaults for a site no longer configured).
pub async fn sweep(env: &Env, now_ms: u64) -> Result<(), ApiError> {
    let ledger = Ledger::from_env(env)?;
    let kv = Kv::from_env(env)?;
    let sites: Vec<SiteRow> = ledger
        .db()
        .prepare("SELECT DISTINCT site_id FROM events")
        .all()
        .await
        .map_err(d1_error)?
        .results()?;
    for SiteRow { site_id } in sites {
        let retention = match store::site(&kv, &site_id).await? {
            Some(site) => Retention::of(&site.config, now_ms),
            None => Retention::of_unknown_site(now_ms),
        };
        let swept = sweep_site(&ledger, &site_id, retention).await?;
        console_log!("ledger sweep of site {site_id}: {swept:?}");
    }
    Ok(())
}

async fn sweep_site(
    ledger: &Ledger,
    site_id: &str,
    retention: Retention,
) -> Result<Swept, ApiError> {
    let db = ledger.db();
    let site: JsValue = site_id.into();
    let mut swept = Swept::default();
    let deletes = [
        (
            "DELETE FROM events WHERE (site_id, id) IN (SELECT site_id, id FROM events \
             WHERE site_id = ?1 AND at_ms < ?2 LIMIT ?3)",
            &mut swept.deleted_events,
        ),
        (
            "DELETE FROM conversation_facts WHERE (site_id, conversation_id) IN \
             (SELECT site_id, conversation_id FROM conversation_facts \
             WHERE site_id = ?1 AND json_extract(facts, '$.last_event_ms') < ?2 LIMIT ?3)",
            &mut swept.deleted_facts,
        ),
    ];
    for (delete, count) in deletes {
        for _ in 0..MAX_ROUNDS {
            let binds = [
                site.clone(),
                number(retention.delete_before_ms),
                DELETE_ROUNDS_OF.into(),
            ];
            let result = db
                .prepare(delete)
                .bind(&binds)?
                .run()
                .await
                .map_err(d1_error)?;
            let deleted = changes(&result);
            *count += deleted;
            if deleted < u64::from(DELETE_ROUNDS_OF) {
                break;
            }
        }
    }
    let kinds = PERSONAL_KINDS
        .iter()
        .map(|kind| format!("'{kind}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let strip_before = number(retention.strip_before_ms);
    let stripped = db
        .prepare(format!(
            "UPDATE events SET data = json_remove(data, {fields}) \
             WHERE site_id = ?1 AND kind IN ({kinds}) AND at_ms < ?2 AND ({present})",
            fields = json_paths(PERSONAL_EVENT_FIELDS),
            present = any_present("data", PERSONAL_EVENT_FIELDS),
        ))
        .bind(&[site.clone(), strip_before.clone()])?
        .run()
        .await
        .map_err(d1_error)?;
    swept.stripped_events = changes(&stripped);
    let stripped = db
        .prepare(format!(
            "UPDATE conversation_facts SET email = NULL, facts = json_remove(facts, {fields}) \
             WHERE site_id = ?1 AND json_extract(facts, '$.last_event_ms') < ?2 AND ({present})",
            fields = json_paths(PERSONAL_FACT_FIELDS),
            present = any_present("facts", PERSONAL_FACT_FIELDS),
        ))
        .bind(&[site, strip_before])?
        .run()
        .await
        .map_err(d1_error)?;
    swept.stripped_facts = changes(&stripped);
    Ok(swept)
}

/// `'$.email', '$.text'`: the JSON paths of top-level fields (constant names, never input).
fn json_paths(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|field| format!("'$.{field}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `json_extract(data, '$.email') IS NOT NULL OR …`.
fn any_present(column: &str, fields: &[&str]) -> String {
    fields
        .iter()
        .map(|field| format!("json_extract({column}, '$.{field}') IS NOT NULL"))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// `?2, ?3, …`: `count` numbered parameters from `first`.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|at| format!("?{at}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn changes(result: &worker::D1Result) -> u64 {
    result
        .meta()
        .ok()
        .flatten()
        .and_then(|meta| meta.changes)
        .unwrap_or(0) as u64
}
