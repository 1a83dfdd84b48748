//! The evaluator's tables: schedule and business hours, staffing, priority and ties, `Baton('show')` with and
//! without `force`, the recheck timer, and the "why not" list.

use expect_test::{Expect, expect};
use serde_json::json;

use super::fixture::{Case, DAY, NOW, SECOND, campaign, table};
use crate::campaign::Moment;

#[track_caller]
fn check(rows: Vec<(&str, String)>, expect: Expect) {
    expect.assert_eq(&table(rows));
}

/// `Case::one` with `fields`, changed by `setup`, on one line.
fn one(fields: serde_json::Value, setup: impl FnOnce(&mut Case)) -> String {
    let mut case = Case::one(fields);
    setup(&mut case);
    case.short()
}

#[test]
fn schedule_and_business_hours() {
    let from_to = |starts: &str, ends: &str| json!({"schedule": {"starts": starts, "ends": ends}});
    let hours = |hours: &str| json!({"schedule": {"hours": hours}});
    check(
        vec![
            (
                "before it starts",
                one(
                    from_to("2027-01-20T00:00:00Z", "2027-02-01T00:00:00Z"),
                    |_| {},
                ),
            ),
            (
                "within",
                one(
                    from_to("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"),
                    |_| {},
                ),
            ),
            (
                "at its end",
                one(
                    from_to("2027-01-01T00:00:00Z", "2027-01-14T08:00:00Z"),
                    |_| {},
                ),
            ),
            (
                "after it ends",
                one(
                    from_to("2026-12-01T00:00:00Z", "2027-01-01T00:00:00+01:00"),
                    |_| {},
                ),
            ),
            ("hours open, open", one(hours("open"), |_| {})),
            (
                "hours open, closed",
                one(hours("open"), |case| case.staffed.open = false),
            ),
            ("hours closed, open", one(hours("closed"), |_| {})),
            (
                "hours closed, closed",
                one(hours("closed"), |case| case.staffed.open = false),
            ),
            (
                "hours open, staffing unknown",
                one(hours("open"), |case| case.staffed.unknown = true),
            ),
            (
                "hours any, staffing unknown",
                one(hours("any"), |case| case.staffed.unknown = true),
            ),
            ("draft", one(json!({"status": "draft"}), |_| {})),
            ("paused", one(json!({"status": "paused"}), |_| {})),
            ("archived", one(json!({"status": "archived"}), |_| {})),
        ],
        expect![[r#"
            before it starts              not shown — not_started
            within                        shown
            at its end                    not shown — ended
            after it ends                 not shown — ended
            hours open, open              shown
            hours open, closed            not shown — outside_hours
            hours closed, open            not shown — outside_hours
            hours closed, closed          shown
            hours open, staffing unknown  not shown — staffing
            hours any, staffing unknown   shown
            draft                         not shown — not_live
            paused                        not shown — not_live
            archived                      not shown — not_live
        "#]],
    );
}

#[test]
fn staffing_by_team_or_anyone() {
    let staffing = |staffing: &str, from: Option<&str>| json!({"staffing": staffing, "content": {"from": from, "text": "Hi"}});
    let online = |teams: &[&str]| {
        let teams: Vec<String> = teams.iter().map(|team| team.to_string()).collect();
        move |case: &mut Case| case.staffed.teams_online = teams
    };
    check(
        vec![
            (
                "people_online, sales, sales online",
                one(staffing("people_online", Some("sales")), online(&["sales"])),
            ),
            (
                "people_online, sales, support online",
                one(
                    staffing("people_online", Some("sales")),
                    online(&["support"]),
                ),
            ),
            (
                "people_online, Anna, support online",
                one(
                    staffing("people_online", Some("Anna")),
                    online(&["support"]),
                ),
            ),
            (
                "people_online, no team, * online",
                one(staffing("people_online", None), online(&["*"])),
            ),
            (
                "people_online, no team, nobody",
                one(staffing("people_online", None), online(&[])),
            ),
            (
                "nobody_online, sales, support online",
                one(
                    staffing("nobody_online", Some("sales")),
                    online(&["support"]),
                ),
            ),
            (
                "nobody_online, sales, sales online",
                one(staffing("nobody_online", Some("sales")), online(&["sales"])),
            ),
            (
                "nobody_online, no team, nobody",
                one(staffing("nobody_online", None), online(&[])),
            ),
            (
                "nobody_online, unknown",
                one(staffing("nobody_online", None), |case| {
                    case.staffed = Default::default();
                    case.staffed.unknown = true;
                }),
            ),
            (
                "any, unknown",
                one(staffing("any", Some("sales")), |case| {
                    case.staffed = Default::default();
                    case.staffed.unknown = true;
                }),
            ),
        ],
        expect![[r#"
            people_online, sales, sales online    shown
            people_online, sales, support online  not shown — staffing
            people_online, Anna, support online   shown
            people_online, no team, * online      shown
            people_online, no team, nobody        not shown — staffing
            nobody_online, sales, support online  shown
            nobody_online, sales, sales online    not shown — staffing
            nobody_online, no team, nobody        shown
            nobody_online, unknown                not shown — staffing
            any, unknown                          shown
        "#]],
    );
}

#[test]
fn the_highest_priority_shows_and_ties_go_to_the_earlier() {
    let ranked = |priority: i32| json!({ "priority": priority });
    let mut case = Case::new(vec![
        campaign("low", ranked(1)),
        campaign("high", ranked(10)),
        campaign("tied", ranked(10)),
        campaign(
            "waiting",
            json!({"priority": 100, "trigger": {"kind": "dwell", "seconds": 40}}),
        ),
        campaign(
            "elsewhere",
            json!({"priority": 100, "pages": {"rules": [{"op": "equals", "value": "/"}]}}),
        ),
        campaign("negative", ranked(-5)),
    ]);
    expect![[r#"
        low: not shown — outranked
        high: shown
        tied: not shown — outranked
        waiting: not shown — not_triggered
        elsewhere: not shown — page_not_matched
        negative: not shown — outranked
        recheck in 10000 ms
    "#]]
    .assert_eq(&case.run());
    case.campaigns.retain(|campaign| campaign.id != "high");
    expect![[r#"
        low: not shown — outranked
        tied: shown
        waiting: not shown — not_triggered
        elsewhere: not shown — page_not_matched
        negative: not shown — outranked
        recheck in 10000 ms
    "#]]
    .assert_eq(&case.run());
}

#[test]
fn baton_show_with_and_without_force() {
    let mut case = Case::new(vec![
        campaign("top", json!({"priority": 50})),
        campaign(
            "promo",
            json!({"trigger": {"kind": "manual"}, "pages": {"rules": [{"op": "equals", "value": "/"}]}}),
        ),
        campaign("offer", json!({"trigger": {"kind": "manual"}})),
        campaign(
            "old",
            json!({"trigger": {"kind": "manual"}, "status": "paused"}),
        ),
        campaign(
            "audience",
            json!({"trigger": {"kind": "exit_intent"}, "audience": {"visitor": "new"}}),
        ),
    ]);
    case.clocks("offer").views = 1;
    let mut rows = Vec::new();
    for (label, id, force) in [
        ("show promo (another page)", "promo", false),
        ("show promo, forced", "promo", true),
        ("show offer (seen once)", "offer", false),
        ("show offer, forced", "offer", true),
        ("show old (paused), forced", "old", true),
        ("show audience (not new)", "audience", false),
        ("show audience, forced", "audience", true),
    ] {
        case.moment = Moment::Show {
            id: id.into(),
            force,
        };
        rows.push((label, case.run().trim_end().replace('\n', "; ")));
    }
    case.visit.chat.panel_open = true;
    rows.push((
        "show offer, forced, panel open",
        case.run().trim_end().replace('\n', "; "),
    ));
    check(
        rows,
        expect![[r#"
            show promo (another page)       top: shown; promo: not shown — page_not_matched; offer: not shown — frequency; old: not shown — not_live; audience: not shown — audience_not_matched
            show promo, forced              top: not shown — outranked; promo: shown; offer: not shown — frequency; old: not shown — not_live; audience: not shown — audience_not_matched
            show offer (seen once)          top: shown; promo: not shown — page_not_matched; offer: not shown — frequency; old: not shown — not_live; audience: not shown — audience_not_matched
            show offer, forced              top: not shown — outranked; promo: not shown — page_not_matched; offer: shown; old: not shown — not_live; audience: not shown — audience_not_matched
            show old (paused), forced       top: shown; promo: not shown — page_not_matched; offer: not shown — frequency; old: not shown — not_live; audience: not shown — audience_not_matched
            show audience (not new)         top: shown; promo: not shown — page_not_matched; offer: not shown — frequency; old: not shown — not_live; audience: not shown — audience_not_matched
            show audience, forced           top: not shown — outranked; promo: not shown — page_not_matched; offer: not shown — frequency; old: not shown — not_live; audience: shown
            show offer, forced, panel open  top: not shown — chat_open; promo: not shown — page_not_matched; offer: not shown — chat_open; old: not shown — not_live; audience: not shown — chat_open
        "#]],
    );
}

#[test]
fn recheck_names_the_soonest_time_based_trigger() {
    let mut case = Case::new(vec![
        campaign(
            "dwell-40",
            json!({"trigger": {"kind": "dwell", "seconds": 40}}),
        ),
        campaign(
            "idle-5",
            json!({"trigger": {"kind": "inactivity", "seconds": 5}}),
        ),
        campaign(
            "idle-3-elsewhere",
            json!({"trigger": {"kind": "inactivity", "seconds": 3},
            "pages": {"rules": [{"op": "equals", "value": "/"}]}}),
        ),
        campaign(
            "visit-301",
            json!({"trigger": {"kind": "site_time", "seconds": 301}}),
        ),
        campaign(
            "scroll",
            json!({"trigger": {"kind": "scroll", "percent": 90}}),
        ),
    ]);
    expect![[r#"
        dwell-40: not shown — not_triggered
        idle-5: not shown — not_triggered
        idle-3-elsewhere: not shown — page_not_matched
        visit-301: not shown — not_triggered
        scroll: not shown — not_triggered
        recheck in 1000 ms
    "#]]
    .assert_eq(&case.run());
    case.visit.visit_started_ms = NOW - 400 * SECOND;
    expect![[r#"
        dwell-40: not shown — not_triggered
        idle-5: not shown — not_triggered
        idle-3-elsewhere: not shown — page_not_matched
        visit-301: shown
        scroll: not shown — not_triggered
        recheck in 4000 ms
    "#]]
    .assert_eq(&case.run());
}

#[test]
fn every_campaign_says_why_not_in_order() {
    let mut case = Case::new(vec![
        campaign(
            "draft",
            json!({"status": "draft", "pages": {"rules": [{"op": "equals", "value": "/"}]}}),
        ),
        campaign(
            "later",
            json!({"schedule": {"starts": "2027-06-01T00:00:00Z"}}),
        ),
        campaign(
            "past",
            json!({"schedule": {"ends": "2027-01-01T00:00:00Z"}}),
        ),
        campaign("closed-hours", json!({"schedule": {"hours": "closed"}})),
        campaign(
            "home",
            json!({"pages": {"rules": [{"op": "equals", "value": "/"}]}, "audience": {"visitor": "new"}}),
        ),
        campaign(
            "newcomers",
            json!({"audience": {"visitor": "new"}, "staffing": "nobody_online"}),
        ),
        campaign("offline", json!({"staffing": "nobody_online"})),
        campaign("once", json!({})),
        campaign("closed", json!({"frequency": {"show": "always"}})),
        campaign("bought", json!({"frequency": {"show": "always"}})),
        campaign(
            "scrolled",
            json!({"trigger": {"kind": "scroll", "percent": 80}}),
        ),
        campaign("winner", json!({"priority": 2})),
        campaign("runner-up", json!({"priority": 1})),
    ]);
    case.clocks("once").views = 1;
    case.clocks("closed").dismissed_ms = Some(NOW - DAY);
    case.clocks("bought").converted_ms = Some(NOW - DAY);
    expect![[r#"
        draft: not shown — not_live
        later: not shown — not_started
        past: not shown — ended
        closed-hours: not shown — outside_hours
        home: not shown — page_not_matched
        newcomers: not shown — audience_not_matched
        offline: not shown — staffing
        once: not shown — frequency
        closed: not shown — dismissed
        bought: not shown — converted
        scrolled: not shown — not_triggered
        winner: shown
        runner-up: not shown — outranked
    "#]]
    .assert_eq(&case.run());
}
