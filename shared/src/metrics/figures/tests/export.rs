//! The CSV export: one row per conversation the report counts, escaped, and inert in a spreadsheet.

use expect_test::expect;

use super::{Script, at, site, week};
use crate::metrics::ClosedBy;
use crate::metrics::figures::{Range, Request, Scope, csv, rows};
use crate::protocol::live::CloseOutcome;

#[test]
fn the_csv_has_a_row_per_conversation_escaped_and_formula_safe() {
    let mut script = Script::default();
    script
        .chat_from(
            "c1",
            "v1",
            "2026-11-02 10:00",
            Some("https://shop.example/a,b?\"q\""),
            Some(("club", "a")),
        )
        .asks("2026-11-02 10:00")
        .handed_to_sales("2026-11-02 10:00")
        .agent_replies("2026-11-02 10:00:30", "=HYPERLINK(\"http://evil\")")
        .closed(
            "2026-11-02 10:10",
            Some(CloseOutcome::Converted),
            ClosedBy::Agent,
        )
        .rated("2026-11-02 10:11", 4);
    script.goal("v1", None, "2026-11-03 09:00", 49.5);
    script
        .chat_from("c2", "v2", "2026-11-03 10:00", Some("-1+2"), None)
        .asks("2026-11-03 10:00")
        .answered("2026-11-03 10:00");
    // Never written in: not a row.
    script.chat("c3", "v3", "2026-11-03 11:00");
    let ledger = script.ledger();
    let config = site();
    let query = week();
    let range = Range::new(&query, &config.timezone).expect("a range");
    let request = Request {
        config: &config,
        query: &query,
        range: &range,
        scope: &Scope::Site,
        now_ms: at("2026-12-01 00:00"),
    };
    let text = csv(&rows(&request, &ledger), &config.timezone);
    assert!(text.ends_with("\r\n"));
    expect![[r#"
        conversation_id,started_at,handed_off_at,first_human_reply_at,first_human_reply_seconds,closed_at,intent,reason,team,agent,outcome,rating,campaign,variant,page_url,visitor_messages,ai_resolved,missed,converted,goal_value,repeat_contact
        c2,2026-11-03T10:00:00+00:00,,,,,,,,,,,,,'-1+2,1,yes,no,no,,no
        c1,2026-11-02T10:00:00+00:00,2026-11-02T10:00:00+00:00,2026-11-02T10:00:30+00:00,30.0,2026-11-02T10:10:00+00:00,sales,sales_moment,sales,"'=HYPERLINK(""http://evil"")",converted,4,club,a,"https://shop.example/a,b?""q""",1,no,no,yes,49.5,no
    "#]]
    .assert_eq(&text.replace("\r\n", "\n"));
}
