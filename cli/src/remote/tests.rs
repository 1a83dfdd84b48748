use baton_shared::protocol::site_config::{ConfigProblem, Draft, VersionAuthor};
use expect_test::{Expect, expect};

use super::*;

#[track_caller]
fn check_parse(command: &str, args: &[&str], expect: Expect) {
    let parsed = match parse(command, args) {
        Ok(remote) => format!("{remote:?}"),
        Err(message) => format!("error: {message}"),
    };
    expect.assert_eq(&parsed);
}

#[test]
fn arguments_in_any_order_and_what_is_missing_is_said() {
    check_parse(
        "pull",
        &[
            "--site",
            "shop",
            "--url",
            "http://127.0.0.1:8787/",
            "--out",
            "site.json",
        ],
        expect![[
            r#"Pull { target: Target { url: "http://127.0.0.1:8787", site: "shop" }, out: Some("site.json") }"#
        ]],
    );
    check_parse(
        "push",
        &["site.json", "--url", "http://w", "--site", "shop"],
        expect![[
            r#"Push { target: Target { url: "http://w", site: "shop" }, file: "site.json" }"#
        ]],
    );
    check_parse(
        "publish",
        &[
            "--url",
            "http://w",
            "--site",
            "shop",
            "--note",
            "New prices",
        ],
        expect![[
            r#"Publish { target: Target { url: "http://w", site: "shop" }, note: "New prices" }"#
        ]],
    );
    check_parse(
        "push",
        &["--url", "http://w", "--site", "shop"],
        expect!["error: baton push needs the configuration file to push"],
    );
    check_parse(
        "pull",
        &["--url", "http://w"],
        expect!["error: baton pull needs --site (the site's id)"],
    );
    check_parse(
        "publish",
        &["--url", "http://w", "--site", "shop", "--out", "x"],
        expect!["error: baton publish has no option --out"],
    );
    check_parse(
        "pull",
        &["--url", "http://w", "--site", "shop", "--token", "bat_x"],
        expect![
            "error: the token is not an argument (it would show in your shell history): set BATON_TOKEN"
        ],
    );
    check_parse(
        "pull",
        &["--url", "http://w?token=bat_x", "--site", "shop"],
        expect!["error: --url is the worker's address alone, with no query"],
    );
}

fn draft(problems: &[(&str, &str)]) -> Draft {
    Draft {
        config: serde_json::json!({}),
        problems: problems
            .iter()
            .map(|(path, problem)| ConfigProblem {
                path: path.to_string(),
                problem: problem.to_string(),
            })
            .collect(),
        saved_by: VersionAuthor {
            id: "a1".into(),
            name: "Ana".into(),
        },
        saved_at_ms: 0,
        base_version: 4,
    }
}

#[test]
fn push_prints_every_problem_by_path_or_the_base_version() {
    let (report, clean) = push_report(&draft(&[]));
    assert!(clean);
    expect![[r#"
        draft saved, base version 4
    "#]]
    .assert_eq(&report);
    let (report, clean) = push_report(&draft(&[
        ("faq[0].question", "must not be empty"),
        ("teams[1].id", "duplicates teams[0].id \"sales\""),
    ]));
    assert!(!clean);
    expect![[r#"
        faq[0].question: must not be empty
        teams[1].id: duplicates teams[0].id "sales"
        2 problems: the draft is saved, but cannot be published until they are fixed
    "#]]
    .assert_eq(&report);
}

#[test]
fn refusals_are_explained_plainly() {
    let conflict =
        r#"{"error": {"code": "conflict", "message": "version 5 is published now, not 4"}}"#;
    let lines = [
        refusal(409, conflict),
        refusal(
            401,
            r#"{"error": {"code": "unauthorized", "message": "this agent token is not valid"}}"#,
        ),
        refusal(502, "Bad gateway"),
    ]
    .join("\n");
    expect![[r#"
        not published: version 5 is published now, not 4
        Someone published since your draft was started: pull the new version, apply your change to it, push and publish again.
        not signed in: this agent token is not valid (check BATON_TOKEN)
        the worker answered 502: Bad gateway"#]]
    .assert_eq(&lines);
}

#[test]
fn a_position_the_worker_found_is_given_in_the_file_itself() {
    // The worker read the draft written again with its keys in name order; the file has its own layout.
    let file = "{\n  \"id\": \"shop\",\n  \"name\": \"Shop\",\n  \"colour\": 1\n}\n";
    let from_worker = vec![
        ConfigProblem {
            path: "line 2, column 10".into(),
            problem: "unknown field `colour`".into(),
        },
        ConfigProblem {
            path: "id".into(),
            problem: "must be this site's id \"cafe\", got \"shop\"".into(),
        },
    ];
    let lines: Vec<String> = with_file_positions(from_worker, file)
        .iter()
        .map(|problem| {
            format!(
                "{}: {}",
                problem.path,
                problem.problem.split(',').next().unwrap_or("")
            )
        })
        .collect();
    expect![[r#"
        [
            "line 4, column 10: unknown field `colour`",
            "id: must be this site's id \"cafe\"",
        ]
    "#]]
    .assert_debug_eq(&lines);
}
