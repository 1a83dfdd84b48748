//! The metrics reports' reads of the ledger in D1 (binding `BATON_DB`), and **the only code that reads it for
//! reports**. It only fetches and counts: the facts rows of the conversations started in a range, a thin row of
//! those started just after it (what the definitions look ahead to), the goals, and the campaign events grouped by
//! campaign, variant, holdout, what and visitor. Every figure is computed from these by
//! `baton_shared::metrics::figures`, whose definitions README ("Metrics") writes out.
//!
//! The four queries go in one batch: one round trip to the database. Each filters on `(site_id, started_ms)` or
//! `(site_id, kind, at_ms)`, the indexes of `migrations/0001_ledger.sql`.

use baton_shared::metrics::facts::ConversationFacts;
use baton_shared::metrics::figures::{CampaignTally, Contact, GoalRecord, Ledger, Range};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1Result, Env};

use crate::error::ApiError;

/// The D1 binding's name, as in `wrangler.toml`.
const DATABASE: &str = "BATON_DB";

const FACTS: &str = "SELECT facts FROM conversation_facts \
    WHERE site_id = ?1 AND started_ms >= ?2 AND started_ms < ?3";
const LATER: &str = "SELECT conversation_id, visitor_id, email, started_ms, \
    json_extract(facts, '$.visitor_messages') AS visitor_messages, \
    json_extract(facts, '$.handoff.at_ms') AS handoff_ms \
    FROM conversation_facts WHERE site_id = ?1 AND started_ms >= ?2 AND started_ms < ?3";
const GOALS: &str = "SELECT at_ms, visitor_id, conversation_id, \
    json_extract(data, '$.goal') AS goal, json_extract(data, '$.value') AS value \
    FROM events WHERE site_id = ?1 AND kind = 'goal' AND at_ms >= ?2 AND at_ms < ?3";
/// Leads are counted as campaign events of their own (`what` = `lead`). `?4` narrows to one campaign (or none).
const CAMPAIGNS: &str = "SELECT campaign, variant, \
    CASE kind WHEN 'lead' THEN 'lead' ELSE json_extract(data, '$.what') END AS what, \
    coalesce(json_extract(data, '$.held_out'), 0) AS held_out, visitor_id, count(*) AS count \
    FROM events WHERE site_id = ?1 AND kind IN ('campaign', 'lead') AND at_ms >= ?2 AND at_ms < ?3 \
    AND (?4 IS NULL OR campaign = ?4) \
    GROUP BY campaign, variant, what, held_out, visitor_id";

/// The ledger, read for reports.
pub struct Reports {
    db: D1Database,
}

#[derive(Deserialize)]
struct FactsRow {
    facts: String,
}

#[derive(Deserialize)]
struct LaterRow {
    conversation_id: String,
    visitor_id: Option<String>,
    email: Option<String>,
    started_ms: f64,
    visitor_messages: Option<f64>,
    handoff_ms: Option<f64>,
}

#[derive(Deserialize)]
struct GoalRow {
    at_ms: f64,
    visitor_id: Option<String>,
    conversation_id: Option<String>,
    goal: Option<String>,
    value: Option<f64>,
}

#[derive(Deserialize)]
struct CampaignRow {
    campaign: Option<String>,
    variant: Option<String>,
    what: Option<String>,
    held_out: f64,
    visitor_id: Option<String>,
    count: f64,
}

impl Reports {
    pub fn from_env(env: &Env) -> Result<Reports, ApiError> {
        Ok(Reports {
            db: env.d1(DATABASE)?,
        })
    }

    /// What one report of `range` is computed from: the range's conversations, those up to `lookahead_ms` after
    /// it (thin rows), the goals from its start to `lookahead_ms` after its end, and its campaign events (of
    /// `campaign` only, when given).
    pub async fn ledger(
        &self,
        site_id: &str,
        range: &Range,
        lookahead_ms: u64,
        campaign: Option<&str>,
    ) -> Result<Ledger, ApiError> {
        let (start, end, ahead) = (
            number(range.start_ms),
            number(range.end_ms),
            number(range.end_ms + lookahead_ms),
        );
        let site = JsValue::from_str(site_id);
        let campaign = campaign.map_or(JsValue::NULL, JsValue::from_str);
        let statements = vec![
            self.db
                .prepare(FACTS)
                .bind(&[site.clone(), start.clone(), end.clone()])?,
            self.db
                .prepare(LATER)
                .bind(&[site.clone(), end.clone(), ahead.clone()])?,
            self.db
                .prepare(GOALS)
                .bind(&[site.clone(), start.clone(), ahead])?,
            self.db
                .prepare(CAMPAIGNS)
                .bind(&[site, start, end, campaign])?,
        ];
        let results = self.db.batch(statements).await.map_err(d1_error)?;
        let [facts, later, goals, campaigns] =
            <[D1Result; 4]>::try_from(results).map_err(|_| {
                ApiError::Internal("D1 answered a batch of 4 with another count".into())
            })?;
        Ok(Ledger {
            conversations: rows::<FactsRow>(&facts)?
                .into_iter()
                .map(|row| {
                    serde_json::from_str::<ConversationFacts>(&row.facts).map_err(|error| {
                        ApiError::Internal(format!("a conversation's facts do not parse: {error}"))
                    })
                })
                .collect::<Result<_, _>>()?,
            later: rows::<LaterRow>(&later)?
                .into_iter()
                .map(|row| Contact {
                    conversation_id: row.conversation_id,
                    visitor_id: row.visitor_id,
                    email: row.email,
                    started_ms: ms(row.started_ms),
                    visitor_messages: row.visitor_messages.map_or(0, |count| count as u32),
                    handoff_ms: row.handoff_ms.map(ms),
                })
                .collect(),
            goals: rows::<GoalRow>(&goals)?
                .into_iter()
                .map(|row| GoalRecord {
                    at_ms: ms(row.at_ms),
                    visitor_id: row.visitor_id,
                    conversation_id: row.conversation_id,
                    goal: row.goal.unwrap_or_default(),
                    value: row.value,
                })
                .collect(),
            campaigns: rows::<CampaignRow>(&campaigns)?
                .into_iter()
                .filter_map(|row| {
                    Some(CampaignTally {
                        campaign: row.campaign?,
                        variant: row.variant,
                        held_out: row.held_out != 0.0,
                        what: serde_json::from_value(serde_json::Value::String(row.what?)).ok()?,
                        visitor_id: row.visitor_id,
                        count: row.count as u64,
                    })
                })
                .collect(),
        })
    }
}

fn rows<T: for<'de> Deserialize<'de>>(result: &D1Result) -> Result<Vec<T>, ApiError> {
    if let Some(error) = result.error() {
        return Err(ApiError::Internal(format!("D1: {error}")));
    }
    Ok(result.results()?)
}

/// Milliseconds as a JavaScript number: exact below 2^53, some 285,000 years after 1970.
fn number(ms: u64) -> JsValue {
    JsValue::from_f64(ms as f64)
}

/// A JavaScript number of milliseconds back (SQLite's integers reach us as numbers).
fn ms(number: f64) -> u64 {
    number.max(0.0) as u64
}

/// D1's own message is in the error's cause; keep it for the log.
fn d1_error(error: worker::Error) -> ApiError {
    match error {
        worker::Error::D1(d1) => ApiError::Internal(format!("D1: {}", d1.cause())),
        other => ApiError::Internal(format!("D1: {other}")),
    }
}
