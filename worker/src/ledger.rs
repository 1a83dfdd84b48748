//! The metrics ledger in D1 (binding `BATON_DB`), and **the only code that writes it**: events appended with
//! `INSERT OR IGNORE` (their ids are deterministic, so a retried write stores nothing twice), then the touched
//! conversations' facts folded again from all their events (`ConversationFacts::from_events`) and upserted with
//! the columns reports filter on. The tables are `migrations/0001_ledger.sql`.
//!
//! Who calls it: a conversation's room flushes its outbox here in the background (`rooms/conversation/ledger.rs`),
//! so the visitor never waits on D1; the beacons (campaign events, leads, goals) write directly. `retention.rs`
//! holds erasure and the retention sweep.

mod retention;
#[cfg(test)]
mod tests;

use baton_shared::metrics::facts::ConversationFacts;
use baton_shared::metrics::{Event, EventKind};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

pub use self::retention::{erase, sweep};
use crate::calls::tally::{self, Op};
use crate::error::ApiError;

/// The D1 binding's name, as in `wrangler.toml`.
pub const LEDGER_BINDING: &str = "BATON_DB";

/// At most this many statements go in one batch (one transaction).
const BATCH: usize = 50;

const INSERT_EVENTS: &str = "INSERT OR IGNORE INTO events \
    (site_id, id, conversation_id, visitor_id, at_ms, actor, kind, team, agent, campaign, variant, data) VALUES ";
/// The columns of an event's row ([`event_row`]).
const EVENT_COLUMNS: usize = 12;
/// Events per `INSERT`: D1 binds at most 100 parameters to a statement. One statement per event would be one query
/// per event for D1 to run (and, locally, to validate); eight rows in one is an eighth of that.
const EVENTS_PER_INSERT: usize = 100 / EVENT_COLUMNS;
/// `INDEXED BY`: `events` is `WITHOUT ROWID`, and without statistics SQLite prefers its primary key (`site_id`,
/// `id`) on `site_id` alone, which reads every event of the site for one conversation's (seen in `EXPLAIN QUERY
/// PLAN` on a copy of the benchmark's ledger, and as a scan of the whole file at each room's first send).
const CONVERSATION_EVENTS: &str = "SELECT data FROM events INDEXED BY events_by_conversation \
    WHERE site_id = ?1 AND conversation_id = ?2";
const UPSERT_FACTS: &str = "INSERT INTO conversation_facts \
    (site_id, conversation_id, started_ms, visitor_id, email, team, agent, intent, campaign, facts) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
    ON CONFLICT (site_id, conversation_id) DO UPDATE SET started_ms = excluded.started_ms, \
    visitor_id = excluded.visitor_id, email = excluded.email, team = excluded.team, agent = excluded.agent, \
    intent = excluded.intent, campaign = excluded.campaign, facts = excluded.facts";

/// The ledger's database.
pub struct Ledger {
    db: D1Database,
}

/// One row of `SELECT data …`.
#[derive(Deserialize)]
struct DataRow {
    data: String,
}

impl Ledger {
    pub fn from_env(env: &Env) -> Result<Ledger, ApiError> {
        Ok(Ledger {
            db: env.d1(LEDGER_BINDING)?,
        })
    }

    /// Appends `events` (each stored once, whatever was stored before) and folds again the facts of every
    /// conversation they belong to: for a conversation's room, its one writer, which sends one batch at a time.
    ///
    /// `known` is every event of the conversation the room knows D1 holds (what the last send returned), or `None`
    /// when it does not know (a room just woken, or a send that failed). Known, the send is one query: the events
    /// appended and the facts folded from the known events and these, in one batch (one transaction). Not known,
    /// it is two: the events appended and the conversation's events read back in one batch, then its facts.
    /// Returns every event D1 now holds for the conversation, for the next send's `known` (`None` when `events`
    /// span several conversations or more than a batch). Only the room changes its conversation's facts: goals and
    /// campaign events, which others append, change none (`ConversationFacts::apply`).
    pub async fn record(
        &self,
        events: &[Event],
        known: Option<Vec<Event>>,
    ) -> Result<Option<Vec<Event>>, ApiError> {
        let mut conversations: Vec<(&str, &str)> = events
            .iter()
            .filter_map(|event| Some((event.site_id.as_str(), event.conversation_id.as_deref()?)))
            .collect();
        conversations.sort_unstable();
        conversations.dedup();
        if let [(site_id, conversation_id)] = conversations[..]
            && events.len().div_ceil(EVENTS_PER_INSERT) < BATCH
            && events
                .iter()
                .all(|event| event.conversation_id.as_deref() == Some(conversation_id))
        {
            let mut statements = self.insert_statements(events)?;
            if let Some(mut all) = known {
                // A send retried after its outbox failed to clear holds events D1 already has.
                let fresh: Vec<Event> = events
                    .iter()
                    .filter(|event| !all.iter().any(|known| known.id == event.id))
                    .cloned()
                    .collect();
                all.extend(fresh);
                if let Some(facts) = ConversationFacts::from_events(&all) {
                    statements.push(self.facts_statement(&facts)?);
                }
                tally::count(site_id, Op::D1Query);
                self.db.batch(statements).await.map_err(d1_error)?;
                return Ok(Some(all));
            }
            statements.push(self.conversation_events_statement(site_id, conversation_id)?);
            tally::count(site_id, Op::D1Query);
            let results = self.db.batch(statements).await.map_err(d1_error)?;
            let rows: Vec<DataRow> = match results.last() {
                Some(read) => read.results()?,
                None => Vec::new(),
            };
            let all = parse_events(&rows)?;
            self.put_folded(&all).await?;
            return Ok(Some(all));
        }
        self.append(events).await?;
        for (site_id, conversation_id) in conversations {
            self.refold(site_id, conversation_id).await?;
        }
        Ok(None)
    }

    /// Appends `events`, each stored once whatever was stored before; the beacons' events (campaigns, leads,
    /// goals), which change no conversation's facts.
    pub async fn append(&self, events: &[Event]) -> Result<(), ApiError> {
        for chunk in chunked(self.insert_statements(events)?) {
            // `INSERT OR IGNORE` of deterministic ids: safe to run again. Each attempt is a query.
            retried(|| {
                if let Some(event) = events.first() {
                    tally::count(&event.site_id, Op::D1Query);
                }
                self.db.batch(chunk.clone())
            })
            .await?;
        }
        Ok(())
    }

    /// The `INSERT`s of `events`, [`EVENTS_PER_INSERT`] rows each.
    fn insert_statements(&self, events: &[Event]) -> Result<Vec<D1PreparedStatement>, ApiError> {
        let mut statements = Vec::with_capacity(events.len().div_ceil(EVENTS_PER_INSERT));
        for rows in events.chunks(EVENTS_PER_INSERT) {
            let mut binds = Vec::with_capacity(rows.len() * EVENT_COLUMNS);
            for event in rows {
                binds.extend(event_row(event)?);
            }
            statements.push(self.db.prepare(insert_sql(rows.len())).bind(&binds)?);
        }
        Ok(statements)
    }

    /// Folds a conversation's facts again from all its events, and stores them (nothing when it has no start).
    pub async fn refold(&self, site_id: &str, conversation_id: &str) -> Result<(), ApiError> {
        let events = self.conversation_events(site_id, conversation_id).await?;
        self.put_folded(&events).await
    }

    /// Stores the facts folded from a conversation's events (nothing when it has no start).
    async fn put_folded(&self, events: &[Event]) -> Result<(), ApiError> {
        let Some(facts) = ConversationFacts::from_events(events) else {
            return Ok(());
        };
        self.put_facts(&facts).await
    }

    fn conversation_events_statement(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<D1PreparedStatement, ApiError> {
        Ok(self
            .db
            .prepare(CONVERSATION_EVENTS)
            .bind(&[site_id.into(), conversation_id.into()])?)
    }

    /// Every event of a conversation, as stored.
    async fn conversation_events(
        &self,
        site_id: &str,
        conversation_id: &str,
    ) -> Result<Vec<Event>, ApiError> {
        tally::count(site_id, Op::D1Query);
        let rows: Vec<DataRow> = self
            .conversation_events_statement(site_id, conversation_id)?
            .all()
            .await
            .map_err(d1_error)?
            .results()?;
        parse_events(&rows)
    }

    async fn put_facts(&self, facts: &ConversationFacts) -> Result<(), ApiError> {
        let statement = self.facts_statement(facts)?;
        tally::count(&facts.site_id, Op::D1Query);
        statement.run().await.map_err(d1_error)?;
        Ok(())
    }

    /// The upsert of a conversation's facts, with the columns reports filter on.
    fn facts_statement(&self, facts: &ConversationFacts) -> Result<D1PreparedStatement, ApiError> {
        let intent = facts
            .handoff
            .as_ref()
            .and_then(|handoff| handoff.intent)
            .map(|intent| name_of(&intent))
            .transpose()?
            .flatten();
        let row = [
            facts.site_id.as_str().into(),
            facts.conversation_id.as_str().into(),
            number(facts.started_ms),
            optional(facts.visitor_id.as_deref()),
            optional(facts.email.as_deref()),
            optional(facts.team.as_deref()),
            optional(facts.agent.as_deref()),
            optional(intent.as_deref()),
            optional(facts.campaign.as_deref()),
            crate::calls::to_json(facts)?.into(),
        ];
        Ok(self.db.prepare(UPSERT_FACTS).bind(&row)?)
    }

    /// The database, for erasure and the retention sweep (`retention.rs`).
    fn db(&self) -> &D1Database {
        &self.db
    }
}

fn parse_events(rows: &[DataRow]) -> Result<Vec<Event>, ApiError> {
    rows.iter()
        .map(|row| {
            serde_json::from_str(&row.data).map_err(|error| {
                ApiError::Internal(format!("a ledger event does not parse: {error}"))
            })
        })
        .collect()
}

/// `INSERT OR IGNORE … VALUES (?1, …, ?12), (?13, …, ?24), …` for `rows` events.
fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(INSERT_EVENTS);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        let first = row * EVENT_COLUMNS + 1;
        let values: Vec<String> = (first..first + EVENT_COLUMNS)
            .map(|parameter| format!("?{parameter}"))
            .collect();
        sql.push('(');
        sql.push_str(&values.join(", "));
        sql.push(')');
    }
    sql
}

/// An event's row: the columns reports filter on, and the whole event as JSON.
fn event_row(event: &Event) -> Result<[JsValue; EVENT_COLUMNS], ApiError> {
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
    Ok([
        event.site_id.as_str().into(),
        event.id.as_str().into(),
        optional(event.conversation_id.as_deref()),
        optional(event.visitor_id.as_deref()),
        number(event.at_ms),
        name_of(&event.actor)?.unwrap_or_default().into(),
        event.kind.name().into(),
        optional(event.team.as_deref()),
        optional(event.agent.as_deref()),
        optional(campaign),
        optional(variant),
        crate::calls::to_json(event)?.into(),
    ])
}

/// A unit variant's name as serde writes it (`"visitor"`, `"sales"`).
fn name_of<T: serde::Serialize>(value: &T) -> Result<Option<String>, ApiError> {
    let value = serde_json::to_value(value)
        .map_err(|error| ApiError::Internal(format!("naming a ledger value: {error}")))?;
    Ok(value.as_str().map(str::to_string))
}

fn optional(text: Option<&str>) -> JsValue {
    text.map_or(JsValue::NULL, JsValue::from_str)
}

/// Milliseconds as a JavaScript number: exact below 2^53, some 285,000 years after 1970.
fn number(ms: u64) -> JsValue {
    JsValue::from_f64(ms as f64)
}

fn chunked(statements: Vec<D1PreparedStatement>) -> Vec<Vec<D1PreparedStatement>> {
    let mut chunks = Vec::new();
    let mut statements = statements.into_iter().peekable();
    while statements.peek().is_some() {
        chunks.push(statements.by_ref().take(BATCH).collect());
    }
    chunks
}

/// A query that is safe to run twice, run again after an error D1 calls transient ([`is_transient`]): at most
/// [`ATTEMPTS`] times in all, [`RETRY_AFTER_MS`] apart, the gap doubling. For the requests someone waits on
/// (erasure, the beacons' events, the reports), where one busy moment of the database would otherwise be an error to
/// the caller. On Cloudflare, D1 retries read-only queries itself (twice) and leaves writes to the application; the
/// local simulator retries nothing, and the reports' reads meet the tests' own reads of the same file there.
pub(crate) async fn retried<T, F, Run>(mut run: Run) -> Result<T, ApiError>
where
    Run: FnMut() -> F,
    F: std::future::Future<Output = worker::Result<T>>,
{
    let mut wait_ms = RETRY_AFTER_MS;
    for _ in 1..ATTEMPTS {
        match run().await {
            Err(error) if is_transient(&cause_of(&error)) => {
                worker::console_warn!(
                    "D1 failed, trying again in {wait_ms} ms: {}",
                    cause_of(&error)
                );
                worker::Delay::from(std::time::Duration::from_millis(wait_ms)).await;
                wait_ms *= 2;
            }
            other => return other.map_err(d1_error),
        }
    }
    run().await.map_err(d1_error)
}

/// What a failed D1 call says: D1's cause when workers-rs recognised a D1 error, else the error's text (workers-rs
/// passes `all()`'s errors, and a lost connection's, through as JavaScript errors).
fn cause_of(error: &worker::Error) -> String {
    match error {
        worker::Error::D1(d1) => d1.cause(),
        other => other.to_string(),
    }
}

/// Attempts of [`retried`] in all.
const ATTEMPTS: u32 = 4;
/// The first wait of [`retried`].
const RETRY_AFTER_MS: u64 = 100;

/// Whether a D1 error's cause is one D1's documentation (best practices, "Retry queries") says to retry, or the
/// local simulator's busy database (another process, such as `wrangler d1 execute --local`, holding the file).
fn is_transient(cause: &str) -> bool {
    const TRANSIENT: &[&str] = &[
        "Network connection lost",
        "storage caused object to be reset",
        "reset because its code was updated",
        "internal error",
        "SQLITE_BUSY",
        "database is locked",
    ];
    TRANSIENT.iter().any(|transient| cause.contains(transient))
}

/// D1's own message is in the error's cause; keep it for the log.
fn d1_error(error: worker::Error) -> ApiError {
    match error {
        worker::Error::D1(d1) => ApiError::Internal(format!("D1: {}", d1.cause())),
        other => ApiError::Internal(format!("D1: {other}")),
    }
}
