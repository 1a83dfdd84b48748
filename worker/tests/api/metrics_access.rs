//! Who may read the metrics and how a bad request is told, and the CSV export, on the conversations
//! `metrics.rs` played.

use baton_shared::protocol::agent::AgentRole;
use baton_shared::protocol::metrics::{Figure, MetricsQuery, MetricsReport};
use baton_shared::protocol::paths;
use expect_test::expect;

use super::live::{admin_token, create_agent, get_as, operator_token, unique};
use super::metrics::{SITE, played, settled_report};
use super::{Answer, request};

fn report_path(query: &MetricsQuery) -> String {
    paths::metrics(SITE, &paths::metrics_query(query, None))
}

#[test]
fn the_csv_has_one_row_per_conversation_as_a_download() {
    let played = played();
    settled_report(&played.query());
    let path = paths::metrics_csv(SITE, &paths::metrics_query(&played.query(), None));
    let answer = get_as(&admin_token(SITE), &path);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let headers = format!(
        "{:?}\n{:?}\n{:?}",
        answer.header("Content-Type"),
        answer
            .header("Content-Disposition")
            .map(|value| played.anonymised(value)),
        answer.header("Cache-Control"),
    );
    expect![[r#"
        Some("text/csv; charset=utf-8")
        Some("attachment; filename=\"baton-metrics-YESTERDAY-TODAY.csv\"")
        Some("private, no-store")"#]]
    .assert_eq(&headers);
    // The conversation played just now has its times on the platform's clock: shown as such.
    let rows: Vec<String> = answer
        .body
        .split("\r\n")
        .map(|line| {
            let line = played.anonymised(line);
            match line.strip_prefix("answered,") {
                Some(rest) => {
                    let cells: Vec<&str> = rest.splitn(6, ',').collect();
                    format!(
                        "answered,(5 times on the platform clock),{}",
                        cells.last().unwrap_or(&"")
                    )
                }
                None => line,
            }
        })
        .collect();
    expect![[r#"
        [
            "conversation_id,started_at,handed_off_at,first_human_reply_at,first_human_reply_seconds,closed_at,intent,reason,team,agent,outcome,rating,campaign,variant,page_url,visitor_messages,ai_resolved,missed,converted,goal_value,repeat_contact",
            "answered,(5 times on the platform clock),support,asked_for_person,support,ana,resolved,4,,,http://localhost:3000/pricing,1,no,no,no,,no",
            "lead,YESTERDAYT16:01:00+00:00,YESTERDAYT16:01:00+00:00,,,,sales,lead_form,sales,,,,wholesale,,http://localhost:3000/wholesale,1,no,yes,no,,no",
            "came-back,YESTERDAYT15:00:00+00:00,,,,,,,,,,,,,http://localhost:3000/pricing,1,yes,no,no,,no",
            "left-on-fallback,YESTERDAYT14:00:00+00:00,,,,,,,,,,,,,http://localhost:3000/pricing,1,no,no,no,,yes",
            "converted,YESTERDAYT12:00:00+00:00,YESTERDAYT12:00:10+00:00,,,,sales,asked_for_person,sales,,,,,,http://localhost:3000/pricing,1,no,yes,yes,49,no",
            "missed,YESTERDAYT11:00:00+00:00,YESTERDAYT11:00:10+00:00,,,,support,asked_for_person,support,,,,,,http://localhost:3000/pricing,1,no,yes,no,,no",
            "resolved,YESTERDAYT10:00:00+00:00,,,,,,,,,,,,,http://localhost:3000/pricing,1,yes,no,no,,no",
            "",
        ]
    "#]].assert_debug_eq(&rows);
}

#[test]
fn staff_only_and_a_plain_agent_sees_only_their_teams() {
    let played = played();
    let query = played.query();
    settled_report(&query);
    let path = report_path(&query);
    let stranger = request("GET", &path, &[], None);
    let wrong_token = get_as("bat_metrics.not-a-real-secret", &path);
    let other_site_admin = get_as(&admin_token("live"), &path);
    let operator = get_as(&operator_token(), &path);
    let bo_name = unique("Bo");
    let bo = create_agent(SITE, &bo_name, &["support"], AgentRole::Agent);
    let sales_only = MetricsQuery {
        team: Some("sales".into()),
        ..query.clone()
    };
    let not_theirs = get_as(&bo.token, &report_path(&sales_only));
    let drill_not_theirs = get_as(
        &bo.token,
        &paths::metrics_conversations(
            SITE,
            &paths::metrics_query(&sales_only, Some(Figure::Handoffs)),
        ),
    );
    let lines: Vec<String> = [
        ("no token", stranger),
        ("an unknown token", wrong_token),
        ("another site's admin", other_site_admin),
        ("the operator", operator),
        ("a support agent asking for sales", not_theirs),
        ("the same, drilling down", drill_not_theirs),
    ]
    .iter()
    .map(|(who, answer)| format!("{who}: {}", answer.error_line().replace(&bo_name, "Bo")))
    .collect();
    expect![[r#"
        [
            "no token: 401 unauthorized: missing token: send `Authorization: Bearer <token>`",
            "an unknown token: 401 unauthorized: this agent token is not valid",
            "another site's admin: 403 forbidden: this agent token is for site \"live\", not \"metrics\"",
            "the operator: 403 forbidden: the operator token only creates sites and their admins; sign in as an admin of site \"metrics\" for this",
            "a support agent asking for sales: 403 forbidden: Bo is not in team \"sales\"; agents see the metrics of their own teams",
            "the same, drilling down: 403 forbidden: Bo is not in team \"sales\"; agents see the metrics of their own teams",
        ]
    "#]].assert_debug_eq(&lines);

    // The support agent's report holds only Customer Care's conversations; the admin's, all of them.
    let theirs = get_as(&bo.token, &path);
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    let theirs: MetricsReport = theirs.json();
    let conversations = get_as(
        &played.ana_token,
        &paths::metrics_conversations(
            SITE,
            &paths::metrics_query(&query, Some(Figure::Conversations)),
        ),
    );
    let listed: baton_shared::protocol::metrics::FigureConversations = conversations.json();
    let names: Vec<String> = listed
        .conversations
        .iter()
        .map(|row| played.name(&row.id))
        .collect();
    expect![[r#"conversations 2, handoffs {"support": 2}, missed 1; listed: answered missed"#]]
        .assert_eq(&format!(
            "conversations {}, handoffs {:?}, missed {}; listed: {}",
            theirs.conversations,
            theirs.handoffs.by_team,
            theirs.missed.count,
            names.join(" ")
        ));
}

#[test]
fn bad_parameters_are_refused_with_the_parameter_named() {
    let admin = admin_token(SITE);
    let ask =
        |query: &str| -> Answer { get_as(&admin, &format!("/v1/sites/{SITE}/metrics?{query}")) };
    let drill = |query: &str| -> Answer {
        get_as(
            &admin,
            &format!("/v1/sites/{SITE}/metrics/conversations?{query}"),
        )
    };
    let lines: Vec<String> = [
        ask("to=2026-11-30"),
        ask("from=2026-11-31&to=2026-12-01"),
        ask("from=2025-01-01&to=2026-11-30"),
        ask("from=2026-11-30&to=2026-11-01"),
        ask("from=2026-11-01&to=2026-11-30&team=legal"),
        ask("from=2026-11-01&to=2026-11-30&intent=refunds&interval=month"),
        drill("from=2026-11-01&to=2026-11-30&figure=bounces"),
        drill("from=2026-11-01&to=2026-11-30"),
        drill("from=nope&to=2026-11-30&figure=bounces"),
    ]
    .iter()
    .map(Answer::error_line)
    .collect();
    expect![[r#"
        [
            "400 invalid_field: from: is needed, a date YYYY-MM-DD",
            "400 invalid_field: from: must be a date YYYY-MM-DD, got \"2026-11-31\"",
            "400 invalid_field: to: the range must be at most 366 days, from and to included",
            "400 invalid_field: to: must be on or after `from` (2026-11-30)",
            "400 invalid_field: team: \"legal\" is not a team of site \"metrics\" (teams: sales, support)",
            "400 invalid_field: intent: must be one of sales, support, billing, technical, general, got \"refunds\"; interval: must be day or week, got \"month\"",
            "400 invalid_field: figure: must be one of conversations, ai_resolved, handoffs, missed, conversions_after_handoff, csat, repeat_contact, got \"bounces\"",
            "400 invalid_field: figure: is needed, one of conversations, ai_resolved, handoffs, missed, conversions_after_handoff, csat, repeat_contact",
            "400 invalid_field: from: must be a date YYYY-MM-DD, got \"nope\"; figure: must be one of conversations, ai_resolved, handoffs, missed, conversions_after_handoff, csat, repeat_contact, got \"bounces\"",
        ]
    "#]].assert_debug_eq(&lines);
}
