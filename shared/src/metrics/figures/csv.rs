//! The export (`GET …/metrics.csv`): one row per conversation the report counts, RFC 4180 (quoted where needed,
//! CRLF line ends), times in the site's timezone with their offset. Visitors wrote some of these cells (the page
//! address) and agents or site owners others, so a cell a spreadsheet would run as a formula (starting with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'` and stays text.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::protocol::metrics::ConversationRow;

/// The header row, in order.
pub const CSV_COLUMNS: [&str; 21] = [
    "conversation_id",
    "started_at",
    "handed_off_at",
    "first_human_reply_at",
    "first_human_reply_seconds",
    "closed_at",
    "intent",
    "reason",
    "team",
    "agent",
    "outcome",
    "rating",
    "campaign",
    "variant",
    "page_url",
    "visitor_messages",
    "ai_resolved",
    "missed",
    "converted",
    "goal_value",
    "repeat_contact",
];

/// The whole file: the header, then each row.
pub fn csv(rows: &[ConversationRow], timezone: &str) -> String {
    let timezone = TimeZone::get(timezone).unwrap_or(TimeZone::UTC);
    let time = |at_ms: Option<u64>| -> String {
        at_ms
            .and_then(|at_ms| Timestamp::from_millisecond(i64::try_from(at_ms).ok()?).ok())
            .map(|at| {
                at.to_zoned(timezone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let flag = |value: bool| if value { "yes" } else { "no" }.to_owned();
    let mut out = String::new();
    push_line(
        &mut out,
        CSV_COLUMNS.iter().map(|column| (*column).to_owned()),
    );
    for row in rows {
        push_line(
            &mut out,
            [
                row.id.clone(),
                time(Some(row.started_at_ms)),
                time(row.handed_off_at_ms),
                time(row.first_human_reply_at_ms),
                row.first_human_reply_ms
                    .map(|ms| format!("{:.1}", ms as f64 / 1_000.0))
                    .unwrap_or_default(),
                time(row.closed_at_ms),
                text(&row.intent),
                text(&row.reason),
                text(&row.team),
                text(&row.agent),
                text(&row.outcome),
                row.rating
                    .map(|rating| rating.to_string())
                    .unwrap_or_default(),
                text(&row.campaign),
                text(&row.variant),
                text(&row.page_url),
                row.visitor_messages.to_string(),
                flag(row.ai_resolved),
                flag(row.missed),
                flag(row.converted),
                row.goal_value
                    .map(|value| value.to_string())
                    .unwrap_or_default(),
                flag(row.repeat_contact),
            ],
        );
    }
    out
}

fn push_line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|cell| escape(&cell)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One cell: made inert for spreadsheets, then quoted when it holds a comma, a quote or a line break.
fn escape(cell: &str) -> String {
    let inert = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if inert.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", inert.replace('"', "\"\""))
    } else {
        inert
    }
}
