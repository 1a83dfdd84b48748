//! The metrics reports' reads of the ledger in D1 (binding `BATON_DB`), and **the only code that reads it for
//! reports**. It only fetches and counts: the facts of the conversations started in a range and of those started
//! just after it (what the definitions look ahead to), the goals, and the campaign events counted per variant.
//! Every figure is computed from these by `baton_shared::metrics::figures`, whose definitions README ("Metrics")
//! writes out.
//!
//! **Few rows, few bytes.** Handing a Worker thousands of rows costs far more than the query itself (each row
//! becomes an object, then a Rust value), so each conversation is one short JSON array of only the fields the
//! figures read (`reports/packed.rs`), computed by SQLite when its facts are written, and the arrays are packed
//! per hour of their start with `group_concat`: a month of 15,000 conversations is some 700 rows of text. An
//! hour's pack stays far below D1's 2 MB limit on a value unless a site starts thousands of conversations in one
//! hour.
//!
//! The four queries go in one batch: one round trip. The three big ones (the conversations, those just after, the
//! campaign events) read covering indexes only (`migrations/0003_report_rows.sql`, `0002_reports.sql`), never the
//! rows; the goals filter on `(site_id, kind, at_ms)`, an index of `migrations/0001_ledger.sql`.

mod packed;

use baton_shared::metrics::figures::{CampaignTally, Ledger, Range};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1Result, Env};

use self::packed::{PackedFacts, PackedGoal};
use crate::error::ApiError;
use crate::ledger::retried;

/// The D1 binding's name, as in `wrangler.toml`.
const DATABASE: &str = "BATON_DB";

/// The conversations started in `[?2, ?3)`, packed per hour: each its `report_row`, the array `PackedFacts` reads,
/// which SQLite computes when the facts are written and keeps in the index (`migrations/0003_report_rows.sql`).
/// Those started just after a report's range are read with it too, for who came back and when (`Contact`).
const FACTS: &str = "SELECT '[' || group_concat(report_row, ',') || ']' AS pack \
    FROM conversation_facts INDEXED BY facts_report_rows \
    WHERE site_id = ?1 AND started_ms >= ?2 AND started_ms < ?3 GROUP BY started_ms / 3600000";
/// Goals (`PackedGoal`), packed per day.
const GOALS: &str = "SELECT json_group_array(json_array(at_ms, visitor_id, conversation_id, \
    json_extract(data, '$.goal'), json_extract(data, '$.value'))) AS pack \
    FROM events WHERE site_id = ?1 AND kind = 'goal' AND at_ms >= ?2 AND at_ms < ?3 GROUP BY at_ms / 86400000";
/// Campaign and lead events counted per visitor, then per campaign, variant and holdout: views and goal reach
/// are distinct visitors. `?4` narrows to one campaign (or none).
const CAMPAIGNS: &str = "WITH e AS (SELECT campaign, variant, \
    CASE kind WHEN 'lead' THEN 'lead' ELSE campaign_what END AS what, campaign_held_out AS held_out, visitor_id \
    FROM events INDEXED BY events_for_campaigns \
    WHERE site_id = ?1 AND kind IN ('campaign', 'lead') AND at_ms >= ?2 AND at_ms < ?3 \
    AND (?4 IS NULL OR campaign = ?4)), \
    v AS (SELECT campaign, variant, held_out, sum(what = 'shown') AS shown, sum(what = 'clicked') AS clicked, \
    sum(what = 'dismissed') AS dismissed, sum(what = 'lead') AS leads, sum(what = 'goal') AS goals \
    FROM e GROUP BY campaign, variant, held_out, visitor_id) \
    SELECT campaign, variant, held_out, sum(shown > 0) AS views, sum(clicked) AS clicks, \
    sum(dismissed) AS dismissals, sum(leads) AS leads, sum(goals) AS goals, \
    sum(shown > 0 AND goals > 0) AS reached FROM v WHERE campaign IS NOT NULL \
    GROUP BY campaign, variant, held_out";

/// The ledger, read for reports.
pub struct Reports {
    db: D1Database,
}

/// One pack: a JSON array of rows.
#[derive(Deserialize)]
struct Pack {
    pack: String,
}

#[derive(Deserialize)]
struct CampaignRow {
    campaign: String,
    variant: Option<String>,
    held_out: f64,
    views: f64,
    clicks: f64,
    dismissals: f64,
    leads: f64,
    goals: f64,
    reached: f64,
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
                .prepare(FACTS)
                .bind(&[site.clone(), end.clone(), ahead.clone()])?,
            self.db
                .prepare(GOALS)
                .bind(&[site.clone(), start.clone(), ahead])?,
            self.db
                .prepare(CAMPAIGNS)
                .bind(&[site, start, end, campaign])?,
        ];
        let results = retried(|| self.db.batch(statements.clone())).await?;
        let [facts, later, goals, campaigns] =
            <[D1Result; 4]>::try_from(results).map_err(|_| {
                ApiError::Internal("D1 answered a batch of 4 with another count".into())
            })?;
        Ok(Ledger {
            conversations: unpack::<PackedFacts>(&facts)?
                .into_iter()
                .map(PackedFacts::into_facts)
                .collect(),
            later: unpack::<PackedFacts>(&later)?
                .into_iter()
                .map(PackedFacts::into_contact)
                .collect(),
            goals: unpack::<PackedGoal>(&goals)?
                .into_iter()
                .map(PackedGoal::into_goal)
                .collect(),
            campaigns: rows::<CampaignRow>(&campaigns)?
                .into_iter()
                .map(|row| CampaignTally {
                    campaign: row.campaign,
                    variant: row.variant,
                    held_out: row.held_out != 0.0,
                    views: row.views as u64,
                    clicks: row.clicks as u64,
                    dismissals: row.dismissals as u64,
                    leads: row.leads as u64,
                    goals: row.goals as u64,
                    reached: row.reached as u64,
                })
                .collect(),
        })
    }
}

fn rows<T: DeserializeOwned>(result: &D1Result) -> Result<Vec<T>, ApiError> {
    if let Some(error) = result.error() {
        return Err(ApiError::Internal(format!("D1: {error}")));
    }
    Ok(result.results()?)
}

/// Every row of every pack of a result.
fn unpack<T: DeserializeOwned>(result: &D1Result) -> Result<Vec<T>, ApiError> {
    let mut all = Vec::new();
    for Pack { pack } in rows::<Pack>(result)? {
        let rows: Vec<T> = serde_json::from_str(&pack).map_err(|error| {
            ApiError::Internal(format!("a pack of ledger rows does not parse: {error}"))
        })?;
        all.extend(rows);
    }
    Ok(all)
}

/// Milliseconds as a JavaScript number: exact below 2^53, some 285,000 years after 1970.
fn number(ms: u64) -> JsValue {
    JsValue::from_f64(ms as f64)
}
