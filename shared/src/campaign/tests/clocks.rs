//! Each campaign's own clocks (frequency, dismissal, conversion), the site-wide limits, and goals.

use expect_test::expect;
use serde_json::{Value, json};

use super::fixture::{Case, DAY, NOW, SECOND, campaign, table};
use crate::campaign::{CampaignHistory, goals_reached};

/// The plain campaign with `frequency`, for a visitor whose history of it is `clocks`.
fn with(frequency: Value, clocks: CampaignHistory) -> String {
    let mut case = Case::one(json!({ "frequency": frequency }));
    *case.clocks("c") = clocks;
    case.short()
}

fn viewed(views: u32) -> CampaignHistory {
    CampaignHistory {
        views,
        last_view_ms: (views > 0).then_some(NOW - 2 * DAY),
        ..CampaignHistory::default()
    }
}

#[test]
fn frequency_dismissal_and_goal_clocks() {
    let show =
        |show: Value| json!({ "show": show, "after_dismiss_days": 7, "after_goal_days": 90 });
    let dismissed = |ago_ms: u64| CampaignHistory {
        dismissed_ms: Some(NOW - ago_ms),
        ..viewed(1)
    };
    let converted = |ago_ms: u64| CampaignHistory {
        converted_ms: Some(NOW - ago_ms),
        ..viewed(1)
    };
    let always = |dismiss_days: u32| json!({"show": "always", "after_dismiss_days": dismiss_days, "after_goal_days": dismiss_days});
    expect![[r#"
        once, never seen                shown
        once, seen                      not shown — frequency
        once, held out                  not shown — frequency
        until_engaged, seen 3 times     shown
        until_engaged, clicked          not shown — frequency
        max 2, seen once                shown
        max 2, seen twice               not shown — frequency
        always, seen 50 times           shown
        dismissed 6 days ago (7)        not shown — dismissed
        dismissed 8 days ago (7)        shown
        dismissed on this page (0)      not shown — dismissed
        dismissed on the last page (0)  shown
        converted 89 days ago (90)      not shown — converted
        converted 91 days ago (90)      shown
        converted on this page (0)      not shown — converted
        converted on the last page (0)  shown
    "#]]
    .assert_eq(&table(vec![
        ("once, never seen", with(show(json!("once")), viewed(0))),
        ("once, seen", with(show(json!("once")), viewed(1))),
        (
            "once, held out",
            with(
                show(json!("once")),
                CampaignHistory {
                    held_out: true,
                    ..viewed(1)
                },
            ),
        ),
        (
            "until_engaged, seen 3 times",
            with(show(json!("until_engaged")), viewed(3)),
        ),
        (
            "until_engaged, clicked",
            with(
                show(json!("until_engaged")),
                CampaignHistory {
                    engaged_ms: Some(NOW - DAY),
                    ..viewed(1)
                },
            ),
        ),
        ("max 2, seen once", with(show(json!({"max": 2})), viewed(1))),
        (
            "max 2, seen twice",
            with(show(json!({"max": 2})), viewed(2)),
        ),
        (
            "always, seen 50 times",
            with(show(json!("always")), viewed(50)),
        ),
        (
            "dismissed 6 days ago (7)",
            with(always(7), dismissed(6 * DAY)),
        ),
        (
            "dismissed 8 days ago (7)",
            with(always(7), dismissed(8 * DAY)),
        ),
        (
            "dismissed on this page (0)",
            with(always(0), dismissed(10 * SECOND)),
        ),
        (
            "dismissed on the last page (0)",
            with(always(0), dismissed(60 * SECOND)),
        ),
        (
            "converted 89 days ago (90)",
            with(show(json!("always")), converted(89 * DAY)),
        ),
        (
            "converted 91 days ago (90)",
            with(show(json!("always")), converted(91 * DAY)),
        ),
        (
            "converted on this page (0)",
            with(always(0), converted(10 * SECOND)),
        ),
        (
            "converted on the last page (0)",
            with(always(0), converted(60 * SECOND)),
        ),
    ]));
}

/// Three campaigns, with campaigns shown at `shown` (ms before now), the visit started 5 minutes ago.
fn limited(per_session: u32, per_day: u32, shown: &[u64]) -> String {
    let mut case = Case::new(vec![campaign("c", json!({}))]);
    case.limits.per_session = per_session;
    case.limits.per_day = per_day;
    case.history.shown_ms = shown.iter().map(|ago| NOW - ago).collect();
    case.short()
}

#[test]
fn site_limits() {
    expect![[r#"
        per_session 1, none shown        shown
        per_session 1, one this visit    not shown — site_limit
        per_session 1, one last visit    shown
        per_session 2, one this visit    shown
        per_day 3, three today           not shown — site_limit
        per_day 3, one of them 25 h ago  shown
        per_session 1, forced            shown
    "#]]
    .assert_eq(&table(vec![
        ("per_session 1, none shown", limited(1, 3, &[])),
        (
            "per_session 1, one this visit",
            limited(1, 3, &[60 * SECOND]),
        ),
        (
            "per_session 1, one last visit",
            limited(1, 3, &[3_600 * SECOND]),
        ),
        (
            "per_session 2, one this visit",
            limited(2, 3, &[60 * SECOND]),
        ),
        (
            "per_day 3, three today",
            limited(5, 3, &[20 * 3_600 * SECOND, 3_600 * SECOND, 1_800 * SECOND]),
        ),
        (
            "per_day 3, one of them 25 h ago",
            limited(5, 3, &[25 * 3_600 * SECOND, 3_600 * SECOND, 1_800 * SECOND]),
        ),
        ("per_session 1, forced", {
            let mut case = Case::new(vec![campaign("c", json!({}))]);
            case.limits.per_session = 1;
            case.history.shown_ms = vec![NOW - 60 * SECOND];
            case.moment = crate::campaign::Moment::Show {
                id: "c".into(),
                force: true,
            };
            case.short()
        }),
    ]));
}

#[test]
fn goals_are_reached_within_their_days_of_a_view() {
    let goal = |id: &str, status: &str| {
        campaign(
            id,
            json!({"status": status, "goal": {"event": "signup", "within_days": 7},
            "variants": [{"id": "a", "weight": 1, "content": {"text": "A"}}, {"id": "b", "weight": 1, "content": {"text": "B"}}]}),
        )
    };
    let campaigns = vec![
        goal("recent", "live"),
        goal("paused", "paused"),
        goal("draft", "draft"),
        goal("old", "live"),
        goal("never", "live"),
        goal("converted", "live"),
        goal("again", "live"),
        goal("control", "live"),
        campaign("other-goal", json!({"goal": {"event": "purchase"}})),
    ];
    let mut case = Case::new(Vec::new());
    let recent = viewed(1);
    for id in ["recent", "paused", "draft", "other-goal"] {
        *case.clocks(id) = recent.clone();
    }
    case.clocks("old").last_view_ms = Some(NOW - 8 * DAY);
    *case.clocks("converted") = CampaignHistory {
        converted_ms: Some(NOW - DAY),
        ..viewed(1)
    };
    *case.clocks("again") = CampaignHistory {
        converted_ms: Some(NOW - 3 * DAY),
        ..viewed(1)
    };
    *case.clocks("control") = CampaignHistory {
        held_out: true,
        ..viewed(1)
    };
    let reached = goals_reached(&campaigns, &case.history, "signup", &case.visitor, NOW);
    let lines: String = reached
        .iter()
        .map(|pick| {
            format!(
                "{} variant={:?} held_out={}\n",
                pick.id, pick.variant, pick.held_out
            )
        })
        .collect();
    expect![[r#"
        recent variant=Some("a") held_out=false
        paused variant=Some("b") held_out=false
        again variant=Some("b") held_out=false
        control variant=None held_out=true
    "#]]
    .assert_eq(&lines);
}
