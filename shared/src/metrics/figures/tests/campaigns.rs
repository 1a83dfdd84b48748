//! Campaign figures per variant and for the holdout: visitors, not events, so goal rates stay rates.

use expect_test::expect;

use super::{Script, report_at, week};
use crate::metrics::figures::Scope;
use crate::protocol::CampaignWhat::{Clicked, Dismissed, Goal, Lead, Shown};
use crate::vocab::{HandoffReason, Intent};

#[test]
fn campaigns_count_views_by_visitor_and_the_holdout_apart() {
    let mut script = Script::default();
    // Variant a: shown to v1 on three pages and to v2; v1 clicks and chats, v2 dismisses it.
    for when in ["2026-11-02 10:00", "2026-11-02 10:05", "2026-11-02 10:10"] {
        script.campaign("v1", Some("a"), false, Shown, when);
    }
    script.campaign("v2", Some("a"), false, Shown, "2026-11-02 11:00");
    script.campaign("v1", Some("a"), false, Clicked, "2026-11-02 10:10");
    script.campaign("v2", Some("a"), false, Dismissed, "2026-11-02 11:01");
    script
        .chat_from(
            "from-a",
            "v1",
            "2026-11-02 10:10",
            None,
            Some(("club", "a")),
        )
        .asks("2026-11-02 10:11")
        .handed_to_sales("2026-11-02 10:11")
        .agent_replies("2026-11-02 10:12", "ana");
    // v1 reaches the campaign's goal twice: one visitor of two.
    script.campaign("v1", Some("a"), false, Goal, "2026-11-03 10:00");
    script.campaign("v1", Some("a"), false, Goal, "2026-11-04 10:00");
    // Variant b: shown to v3, who sends its lead form.
    script.campaign("v3", Some("b"), false, Shown, "2026-11-02 12:00");
    script.campaign("v3", Some("b"), false, Lead, "2026-11-02 12:01");
    // The holdout: three visitors who would have seen it, one of whom reached the goal anyway.
    for visitor in ["h1", "h2", "h3"] {
        script.campaign(visitor, None, true, Shown, "2026-11-02 13:00");
    }
    script.campaign("h2", None, true, Goal, "2026-11-05 13:00");
    let (report, _) = report_at(&script.ledger(), &week(), &Scope::Site, "2026-12-08 12:00");
    let rows: Vec<String> = report
        .campaigns
        .iter()
        .map(|row| {
            format!(
                "{} {} held_out={} views={} clicks={} dismissals={} leads={} conversations={} handoffs={} goals={} goal_rate={:?}",
                row.id,
                row.variant.as_deref().unwrap_or("-"),
                row.held_out,
                row.views,
                row.clicks,
                row.dismissals,
                row.leads,
                row.conversations,
                row.handoffs,
                row.goals,
                row.goal_rate
            )
        })
        .collect();
    expect![[r#"
        [
            "club a held_out=false views=2 clicks=1 dismissals=1 leads=0 conversations=1 handoffs=1 goals=2 goal_rate=0.5",
            "club b held_out=false views=1 clicks=0 dismissals=0 leads=1 conversations=0 handoffs=0 goals=0 goal_rate=0.0",
            "club - held_out=true views=3 clicks=0 dismissals=0 leads=0 conversations=0 handoffs=0 goals=1 goal_rate=0.3333",
        ]
    "#]]
    .assert_debug_eq(&rows);
}

#[test]
fn a_campaign_handoff_without_a_visitor_message_counts_for_the_campaign_only() {
    let mut script = Script::default();
    // A `handoff` campaign opens the conversation already handed to Sales; the visitor never writes.
    script
        .chat_from(
            "opened",
            "v1",
            "2026-11-02 10:00",
            None,
            Some(("club", "b")),
        )
        .handoff(
            "2026-11-02 10:00",
            HandoffReason::Campaign,
            "sales",
            Intent::Sales,
        );
    let (report, _) = report_at(&script.ledger(), &week(), &Scope::Site, "2026-12-08 12:00");
    assert_eq!((report.conversations, report.handoffs.count), (0, 0));
    let row = &report.campaigns[0];
    assert_eq!((row.conversations, row.handoffs), (1, 1));
}
