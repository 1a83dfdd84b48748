//! The query: its parameters read with each problem named, the filters, and a plain agent's scope.

use expect_test::expect;

use super::{Script, check_query, site, week};
use crate::metrics::figures::Scope;
use crate::protocol::metrics::{Figure, MetricsQuery};
use crate::vocab::{HandoffReason, Intent};

#[track_caller]
fn check_pairs(query: &str, expect: expect_test::Expect) {
    let pairs = query.split('&').filter_map(|pair| pair.split_once('='));
    let read = match MetricsQuery::from_pairs(pairs) {
        Ok(query) => format!("{query:?}"),
        Err(errors) => errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    expect.assert_eq(&read);
}

#[test]
fn query_parameters_are_read_with_each_problem_named() {
    check_pairs(
        "from=2026-11-01&to=2026-11-30&team=sales&intent=billing&interval=week&unknown=1",
        expect![[
            r#"MetricsQuery { from: "2026-11-01", to: "2026-11-30", team: Some("sales"), agent: None, intent: Some("billing"), campaign: None, interval: Week }"#
        ]],
    );
    check_pairs(
        "to=2026-11-30",
        expect!["from: is needed, a date YYYY-MM-DD"],
    );
    check_pairs(
        "from=2026-11-31&to=yesterday",
        expect![[r#"
            from: must be a date YYYY-MM-DD, got "2026-11-31"
            to: must be a date YYYY-MM-DD, got "yesterday""#]],
    );
    check_pairs(
        "from=2026-11-30&to=2026-11-01",
        expect!["to: must be on or after `from` (2026-11-30)"],
    );
    check_pairs(
        "from=2025-11-29&to=2026-11-30",
        expect!["to: the range must be at most 366 days, from and to included"],
    );
    // 366 days, both included, is the longest range.
    assert!(MetricsQuery::from_pairs([("from", "2025-11-30"), ("to", "2026-11-30")]).is_ok());
    check_pairs(
        "from=2026-11-01&to=2026-11-02&intent=refunds&interval=month&agent=",
        expect![[r#"
            agent: must be 1 to 100 characters
            intent: must be one of sales, support, billing, technical, general, got "refunds"
            interval: must be day or week, got "month""#]],
    );
    let figure = |value| Figure::from_param(value).map_err(|error| error.problem);
    assert_eq!(figure(Some("missed")), Ok(Figure::Missed));
    expect![[r#"
        Err(
            "must be one of conversations, ai_resolved, handoffs, missed, conversions_after_handoff, csat, repeat_contact, got \"bounces\"",
        )
    "#]]
    .assert_debug_eq(&figure(Some("bounces")));
}

#[test]
fn a_team_must_be_the_site_and_a_plain_agent_only_their_own() {
    let config = site();
    let query = MetricsQuery {
        team: Some("sales".into()),
        ..week()
    };
    assert_eq!(Scope::Site.check_team(&query, &config), Ok(true));
    assert_eq!(
        Scope::Teams(vec!["sales".into()]).check_team(&query, &config),
        Ok(true)
    );
    assert_eq!(
        Scope::Teams(vec!["support".into()]).check_team(&query, &config),
        Ok(false)
    );
    let unknown = MetricsQuery {
        team: Some("legal".into()),
        ..week()
    };
    let error = Scope::Site
        .check_team(&unknown, &config)
        .expect_err("no such team");
    assert_eq!(
        (error.path.as_str(), error.problem.as_str()),
        (
            "team",
            "\"legal\" is not a team of site \"shop\" (teams: sales, support)"
        )
    );
}

fn two_teams() -> Script {
    let mut script = Script::default();
    script
        .chat("sales-1", "v1", "2026-11-02 10:00")
        .asks("2026-11-02 10:00")
        .handed_to_sales("2026-11-02 10:00")
        .agent_replies("2026-11-02 10:01", "ana");
    script
        .chat("support-1", "v2", "2026-11-02 11:00")
        .asks("2026-11-02 11:00")
        .handoff(
            "2026-11-02 11:00",
            HandoffReason::AskedForPerson,
            "support",
            Intent::Billing,
        )
        .agent_replies("2026-11-02 11:02", "bo");
    script
        .chat("ai-1", "v3", "2026-11-02 12:00")
        .asks("2026-11-02 12:00")
        .answered("2026-11-02 12:00");
    script
}

#[test]
fn filters_narrow_every_figure_to_the_conversations_they_select() {
    let script = two_teams();
    let by = |team: Option<&str>, agent: Option<&str>, intent: Option<&str>| MetricsQuery {
        team: team.map(str::to_owned),
        agent: agent.map(str::to_owned),
        intent: intent.map(str::to_owned),
        ..week()
    };
    check_query(
        &script,
        &by(Some("support"), None, None),
        &Scope::Site,
        expect![[r#"
            conversations 1
            ai_resolved 0 (0.0)
            handoffs 1 (1.0) by reason {"asked_for_person": 1} by team {"support": 1} by intent {"billing": 1}
            first human reply: 1 replied, median 2.0 min p90 2.0 min, business hours median 2.0 min p90 2.0 min
            missed 0 (0.0)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 0 (0.0)
            conversations: support-1
            handoffs: support-1
        "#]],
    );
    for query in [by(None, Some("ana"), None), by(None, None, Some("sales"))] {
        let (report, drill) =
            super::report_at(&script.ledger(), &query, &Scope::Site, "2026-12-08 12:00");
        assert_eq!(report.conversations, 1, "{query:?}");
        assert!(
            drill.starts_with("conversations: sales-1\n"),
            "{query:?}: {drill}"
        );
    }
}

#[test]
fn a_plain_agent_sees_only_their_teams_conversations() {
    let script = two_teams();
    check_query(
        &script,
        &week(),
        &Scope::Teams(vec!["sales".into()]),
        expect![[r#"
            conversations 1
            ai_resolved 0 (0.0)
            handoffs 1 (1.0) by reason {"sales_moment": 1} by team {"sales": 1} by intent {"sales": 1}
            first human reply: 1 replied, median 1.0 min p90 1.0 min, business hours median 1.0 min p90 1.0 min
            missed 0 (0.0)
            converted after handoff 0 (0.0) value 0.0; without handoff 0 (0.0) value 0.0
            csat 0 responses, mean None, response rate 0.0, distribution [0, 0, 0, 0, 0], ai only (0, None), with a person (0, None)
            repeat contact 0 (0.0)
            conversations: sales-1
            handoffs: sales-1
        "#]],
    );
}
