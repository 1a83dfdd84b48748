//! The configuration API on its own test site (`tests/sites/config-api.json`): drafts kept with their problems,
//! publishing and what visitors get after it, two publishes racing from one base, the history, diff and restore,
//! who may call each route, the body limit, and the `baton` command line's pull, push and publish against the
//! stack. The tests share the site, so each takes [`SITE_LOCK`] and works from the version it finds published.

use std::sync::{Mutex, MutexGuard};

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::AgentRole;
use baton_shared::protocol::site_config::{
    ConfigDiff, ConfigState, ConfigVersion, Draft, MAX_CONFIG_BYTES, PublishDraft, RestoreVersion,
    SaveDraft, VersionList, VersionSummary,
};
use baton_shared::protocol::{MessagesAppended, WidgetConfig, WidgetFaq, paths};
use expect_test::expect;
use serde::Serialize;
use serde_json::{Value, json};

use super::live::{admin_token, bearer, create_agent, operator_token};
use super::{Answer, request, say, start_conversation_on};

const SITE: &str = "config-api";

/// One test at a time changes the site's configuration.
static SITE_LOCK: Mutex<()> = Mutex::new(());

fn site_lock() -> MutexGuard<'static, ()> {
    SITE_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn send<T: Serialize>(method: &str, path: &str, token: &str, body: &T) -> Answer {
    let json = serde_json::to_string(body).expect("bodies serialise");
    let authorization = bearer(token);
    request(
        method,
        path,
        &[
            ("Authorization", &authorization),
            ("Content-Type", "application/json"),
        ],
        Some(&json),
    )
}

fn get(path: &str, token: &str) -> Answer {
    request("GET", path, &[("Authorization", &bearer(token))], None)
}

fn admin() -> String {
    admin_token(SITE)
}

fn state() -> ConfigState {
    let answer = get(&paths::site_config(SITE), &admin());
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// The published configuration as JSON, to edit, as a client reads it from the text (an `f32` as written).
fn published_json(state: &ConfigState) -> Value {
    let text = serde_json::to_string(&state.published.config).expect("configurations serialise");
    serde_json::from_str(&text).expect("and read back")
}

fn save_draft(config: &Value, base_version: u32) -> Answer {
    send(
        "PUT",
        &paths::config_draft(SITE),
        &admin(),
        &SaveDraft {
            config: config.clone(),
            base_version,
        },
    )
}

fn publish(note: &str, base_version: u32) -> Answer {
    send(
        "POST",
        &paths::config_publish(SITE),
        &admin(),
        &PublishDraft {
            note: note.into(),
            base_version,
        },
    )
}

fn widget_version() -> String {
    let answer = request("GET", &paths::widget_config(SITE), &[], None);
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json::<WidgetConfig>().version
}

/// What a new visitor is answered to `question`.
fn answer_to(question: &str) -> String {
    let chat = start_conversation_on(SITE, &[]);
    let appended: MessagesAppended = say(&chat, "q1", question).json();
    appended
        .messages
        .last()
        .map(|message| message.text.clone())
        .unwrap_or_default()
}

/// A diff's changes, one line each: `kind path`.
fn changes(diff: &ConfigDiff) -> String {
    diff.changes
        .iter()
        .map(|change| format!("{:?} {}\n", change.kind, change.path))
        .collect()
}

fn diff(from: &str, to: &str) -> Answer {
    get(&paths::config_diff(SITE, from, to), &admin())
}

#[test]
fn a_bad_draft_is_kept_with_its_problems_and_nothing_published_changes() {
    let _site = site_lock();
    let before = state();
    let widget_before = widget_version();
    let mut config = published_json(&before);
    config["id"] = json!("another-site");
    config["name"] = json!("");
    config["faq"][0]["answer"] = json!(" ");
    config["teams"][0]["reply_minutes"] = json!(0);
    let saved = save_draft(&config, before.published.version);
    assert_eq!(saved.status, 200, "{}", saved.body);
    let draft: Draft = saved.json();
    let problems: String = draft
        .problems
        .iter()
        .map(|problem| format!("{problem}\n"))
        .collect();
    expect![[r#"
        name: must not be empty
        teams[0].reply_minutes: must be between 1 and 10080 minutes
        faq[0].answer: must not be empty
        id: must be this site's id "config-api", got "another-site"
    "#]]
    .assert_eq(&problems);
    // Kept as it was sent, problems and all.
    let after = state();
    let kept = after.draft.expect("the draft is kept");
    assert_eq!(kept.config, config);
    assert_eq!(kept.problems, draft.problems);
    assert_eq!(kept.saved_by.name, format!("Admin of {SITE}"));
    // Publishing it is refused with every problem, and what visitors get is unchanged.
    let refused = publish("Broken", before.published.version);
    expect![[r#"
        400 invalid_field: name: must not be empty
        teams[0].reply_minutes: must be between 1 and 10080 minutes
        faq[0].answer: must not be empty
        id: must be this site's id "config-api", got "another-site""#]]
    .assert_eq(&refused.error_line());
    assert_eq!(state().published, before.published);
    assert_eq!(widget_version(), widget_before);
    // A body that is not an object is not a draft.
    let not_an_object = save_draft(&json!(["faq"]), before.published.version);
    expect!["400 invalid_field: config: must be a JSON object: the whole site configuration"]
        .assert_eq(&not_an_object.error_line());
    // Discarded, it is gone.
    let discarded = request(
        "DELETE",
        &paths::config_draft(SITE),
        &[("Authorization", &bearer(&admin()))],
        None,
    );
    assert_eq!(discarded.status, 200, "{}", discarded.body);
    assert_eq!(discarded.json::<ConfigState>().draft, None);
    assert_eq!(state().draft, None);
}

#[test]
fn publishing_changes_what_visitors_get_and_restoring_brings_it_back() {
    let _site = site_lock();
    let before = state();
    let base = before.published.version;
    let widget_before = widget_version();
    let old_answer = answer_to("How long does delivery take?");
    expect!["Orders arrive in 2 to 3 working days."].assert_eq(&old_answer);

    let mut config = published_json(&before);
    config["faq"][0]["answer"] = json!("Tomorrow, if you order by noon.");
    config["faq"]
        .as_array_mut()
        .expect("a list")
        .retain(|entry| entry["id"] != "returns");
    config["faq"].as_array_mut().expect("a list").push(json!({
        "id": "gift-cards",
        "question": "Do you sell gift cards?",
        "answer": "Yes, from 10 to 100 pounds."
    }));
    config["name"] = json!("Config Test Roasters Ltd");
    let saved = save_draft(&config, base);
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json::<Draft>().problems, Vec::new());

    // The diff from the published version to the draft, by field path.
    let to_draft = diff(&base.to_string(), "draft");
    assert_eq!(to_draft.status, 200, "{}", to_draft.body);
    let to_draft: ConfigDiff = to_draft.json();
    expect![[r#"
        Changed faq[0].answer
        Added faq[1]
        Removed faq[1]
        Changed name
    "#]]
    .assert_eq(&changes(&to_draft));
    assert_eq!(to_draft.to, "draft");

    let published = publish("Next-day delivery", base);
    assert_eq!(published.status, 201, "{}", published.body);
    let summary: VersionSummary = published.json();
    assert_eq!(summary.version, base + 1);
    assert_eq!(
        (summary.author.name.as_str(), summary.note.as_str()),
        ("Admin of config-api", "Next-day delivery")
    );
    assert_eq!(state().draft, None, "publishing clears the draft");
    assert_ne!(widget_version(), widget_before);
    // The widget's FAQ (instant answers) follows the published version too.
    let faq = request("GET", &paths::widget_faq(SITE), &[], None);
    assert_eq!(faq.status, 200, "{}", faq.body);
    let faq: WidgetFaq = faq.json();
    assert_eq!(faq.version, widget_version());
    assert_eq!(faq.faq[0].answer, "Tomorrow, if you order by noon.");
    expect!["Tomorrow, if you order by noon."]
        .assert_eq(&answer_to("How long does delivery take?"));

    // The history, newest first, down to the seeded configuration as version 1.
    let list: VersionList = get(&paths::config_versions(SITE), &admin()).json();
    assert_eq!(list.published, base + 1);
    assert_eq!(list.versions[0], summary);
    let oldest = list.versions.last().expect("a first version");
    assert_eq!(
        (
            oldest.version,
            oldest.author.id.as_str(),
            oldest.author.name.as_str()
        ),
        (1, "seed", "seed")
    );
    let numbers: Vec<u32> = list.versions.iter().map(|v| v.version).collect();
    let mut descending = numbers.clone();
    descending.sort_by(|a, b| b.cmp(a));
    assert_eq!(numbers, descending);

    // One version with its configuration; the diff between two versions is the draft's.
    let old: ConfigVersion = get(&paths::config_version(SITE, base), &admin()).json();
    assert_eq!(old.config, before.published.config);
    let between: ConfigDiff = diff(&base.to_string(), &(base + 1).to_string()).json();
    assert_eq!(between.changes, to_draft.changes);

    // Restoring the old version publishes a new one equal to it: visitors get the old answer again.
    let restored = send(
        "POST",
        &paths::config_restore(SITE, base),
        &admin(),
        &RestoreVersion {
            note: "Back to the old delivery times".into(),
            base_version: base + 1,
        },
    );
    assert_eq!(restored.status, 201, "{}", restored.body);
    let restored: VersionSummary = restored.json();
    assert_eq!(
        (restored.version, restored.restored_from),
        (base + 2, Some(base))
    );
    assert_eq!(state().published.config, before.published.config);
    assert_eq!(widget_version(), widget_before);
    assert_eq!(answer_to("How long does delivery take?"), old_answer);
    let same: ConfigDiff = diff(&base.to_string(), &(base + 2).to_string()).json();
    assert_eq!(same.changes, Vec::new());
}

#[test]
fn two_publishes_from_the_same_base_one_wins_the_other_is_told_409() {
    let _site = site_lock();
    let base = state().published.version;
    let mut config = published_json(&state());
    config["faq"][1]["answer"] = json!("Unopened bags can be returned within 60 days.");
    assert_eq!(save_draft(&config, base).status, 200);
    let racers: Vec<_> = (0..2)
        .map(|n| std::thread::spawn(move || publish(&format!("racer {n}"), base)))
        .collect();
    let mut statuses: Vec<u16> = racers
        .into_iter()
        .map(|racer| racer.join().expect("the racer ends").status)
        .collect();
    statuses.sort();
    assert_eq!(statuses, vec![201, 409]);
    assert_eq!(state().published.version, base + 1);

    // A draft started from the version before is refused by its base, and so is a restore.
    assert_eq!(save_draft(&config, base).status, 200);
    let stale = publish("From an old base", base);
    let stale = stale
        .error_line()
        .replace(&format!("version {}", base + 1), "version NEW")
        .replace(&format!("not {base}"), "not BASE");
    expect!["409 conflict: version NEW is published now, not BASE: someone published since you started; compare with version NEW, then publish again from it"].assert_eq(&stale);
    let stale_restore = send(
        "POST",
        &paths::config_restore(SITE, 1),
        &admin(),
        &RestoreVersion {
            note: String::new(),
            base_version: base,
        },
    );
    assert_eq!(stale_restore.status, 409, "{}", stale_restore.body);
    assert_eq!(state().published.version, base + 1);
    // With no draft at all, there is nothing to publish.
    request(
        "DELETE",
        &paths::config_draft(SITE),
        &[("Authorization", &bearer(&admin()))],
        None,
    );
    let nothing = publish("Nothing", base + 1);
    expect!["409 conflict: there is no draft to publish: save one first (PUT …/config/draft)"]
        .assert_eq(&nothing.error_line());
}

#[test]
fn every_config_route_is_for_the_site_admins_only() {
    let plain = create_agent(SITE, "Plain Agent", &["support"], AgentRole::Agent).token;
    let other_admin = admin_token("live");
    let unknown = format!("bat_{SITE}.not-a-real-secret");
    let operator = operator_token();
    let empty = json!({});
    let routes: Vec<(&str, String)> = vec![
        ("GET", paths::site_config(SITE)),
        ("PUT", paths::config_draft(SITE)),
        ("DELETE", paths::config_draft(SITE)),
        ("POST", paths::config_publish(SITE)),
        ("GET", paths::config_versions(SITE)),
        ("GET", paths::config_version(SITE, 1)),
        ("POST", paths::config_restore(SITE, 1)),
        ("GET", paths::config_diff(SITE, "1", "1")),
        ("POST", paths::config_webhook_test(SITE)),
    ];
    let table: String = routes
        .iter()
        .map(|(method, path)| {
            // Bodies only where the route takes one.
            let body = matches!(*method, "PUT" | "POST").then_some("{}");
            let nobody = request(method, path, &[("Content-Type", "application/json")], body);
            let as_token = |token: &str| match body {
                Some(_) => send(method, path, token, &empty).status,
                None => request(method, path, &[("Authorization", &bearer(token))], None).status,
            };
            format!(
                "{method} {}: none {}, unknown {}, agent {}, other site's admin {}, operator {}\n",
                path.trim_start_matches(&format!("/v1/sites/{SITE}")),
                nobody.status,
                as_token(&unknown),
                as_token(&plain),
                as_token(&other_admin),
                as_token(&operator),
            )
        })
        .collect();
    expect![[r#"
        GET /config: none 401, unknown 401, agent 403, other site's admin 403, operator 403
        PUT /config/draft: none 401, unknown 401, agent 403, other site's admin 403, operator 403
        DELETE /config/draft: none 401, unknown 401, agent 403, other site's admin 403, operator 403
        POST /config/publish: none 401, unknown 401, agent 403, other site's admin 403, operator 403
        GET /config/versions: none 401, unknown 401, agent 403, other site's admin 403, operator 403
        GET /config/versions/1: none 401, unknown 401, agent 403, other site's admin 403, operator 403
        POST /config/versions/1/restore: none 401, unknown 401, agent 403, other site's admin 403, operator 403
        GET /config/diff?from=1&to=1: none 401, unknown 401, agent 403, other site's admin 403, operator 403
        POST /config/webhooks/test: none 401, unknown 401, agent 403, other site's admin 403, operator 403
    "#]].assert_eq(&table);
    // A token in the URL is refused outright, even an admin's.
    let in_url = request(
        "GET",
        &format!("{}?token={}", paths::site_config(SITE), admin()),
        &[],
        None,
    );
    assert_eq!(in_url.status, 401, "{}", in_url.body);
}

#[test]
fn a_large_draft_is_kept_whole_and_one_over_the_limit_is_refused() {
    let _site = site_lock();
    let before = state();
    let mut config = published_json(&before);
    // About 850 KB of FAQ: many storage values' worth, kept in chunks and read back whole.
    let entries: Vec<Value> = (0..500)
        .map(|n| {
            json!({
                "id": format!("entry-{n}"),
                "question": format!("Question number {n} about our coffee?"),
                "answer": format!("Answer {n}: {}", "é ☕ long text ".repeat(95)),
            })
        })
        .collect();
    config["faq"] = Value::Array(entries);
    let size = serde_json::to_string(&config).expect("serialises").len();
    assert!(
        (800_000..MAX_CONFIG_BYTES).contains(&size),
        "the draft is {size} bytes"
    );
    let saved = save_draft(&config, before.published.version);
    assert_eq!(saved.status, 200, "{}", saved.error_line());
    assert_eq!(state().draft.expect("kept").config, config);

    let too_large = format!(
        "{{\"base_version\": 1, \"config\": {{\"name\": \"{}\"}}}}",
        "x".repeat(MAX_CONFIG_BYTES)
    );
    let refused = request(
        "PUT",
        &paths::config_draft(SITE),
        &[
            ("Authorization", &bearer(&admin())),
            ("Content-Type", "application/json"),
        ],
        Some(&too_large),
    );
    expect!["413 payload_too_large: request body is larger than the limit of 1048576 bytes"]
        .assert_eq(&refused.error_line());
    // The usual limit holds on the other routes.
    let big_note = PublishDraft {
        note: "n".repeat(20_000),
        base_version: before.published.version,
    };
    let refused_note = send("POST", &paths::config_publish(SITE), &admin(), &big_note);
    assert_eq!(refused_note.status, 413, "{}", refused_note.body);
    let discarded = request(
        "DELETE",
        &paths::config_draft(SITE),
        &[("Authorization", &bearer(&admin()))],
        None,
    );
    assert_eq!(discarded.status, 200);
}

#[test]
fn bad_versions_and_diff_parameters_are_named() {
    let _site = site_lock();
    let lines: Vec<String> = [
        paths::config_diff(SITE, "0", "abc"),
        format!("{}/diff?to=1", paths::site_config(SITE)),
        paths::config_diff(SITE, "1", "99999"),
        paths::config_version(SITE, 99_999),
        format!("{}/abc", paths::config_versions(SITE)),
    ]
    .iter()
    .map(|path| get(path, &admin()).error_line())
    .collect();
    expect![[r#"
        [
            "400 invalid_field: from: must be a version number (1 or more) or \"draft\", got \"0\"; to: must be a version number (1 or more) or \"draft\", got \"abc\"",
            "400 invalid_field: from: is missing: give a version number or \"draft\"",
            "404 not_found: there is no version 99999 of this site's configuration",
            "404 not_found: there is no version 99999 of this site's configuration",
            "404 not_found: there is no version \"abc\" of this site's configuration: versions are numbered from 1",
        ]
    "#]].assert_debug_eq(&lines);
}

/// `baton pull`, `push` and `publish` against the stack, as a team keeping its configuration in git would use them.
#[test]
fn the_command_line_pulls_pushes_and_publishes() {
    let _site = site_lock();
    let cli = std::env::var("BATON_CLI")
        .expect("BATON_CLI (the built `baton` binary) is set by `cargo xtask test`");
    let url = super::base_url();
    let file = std::env::temp_dir().join(format!("baton-config-{}.json", std::process::id()));
    let file_name = file.to_string_lossy().to_string();
    let baton = |args: &[&str]| {
        let output = std::process::Command::new(&cli)
            .args(args)
            .env("BATON_TOKEN", admin())
            .output()
            .expect("baton runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).to_string(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    let base = state().published.version;
    let (code, _, stderr) = baton(&["pull", "--url", &url, "--site", SITE, "--out", &file_name]);
    assert_eq!(code, Some(0), "{stderr}");
    let pulled: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("pulled")).expect("JSON");
    assert_eq!(pulled, published_json(&state()));
    assert_eq!(
        serde_json::from_value::<SiteConfig>(pulled.clone()).expect("a configuration"),
        state().published.config
    );

    // A broken edit: every problem by path, exit 1, and the draft kept.
    let mut broken = pulled.clone();
    broken["faq"][0]["question"] = json!("");
    std::fs::write(&file, serde_json::to_string_pretty(&broken).expect("JSON")).expect("written");
    let (code, stdout, _) = baton(&["push", &file_name, "--url", &url, "--site", SITE]);
    assert_eq!(code, Some(1));
    expect![[r#"
        faq[0].question: must not be empty
        1 problem: the draft is saved, but cannot be published until they are fixed
    "#]]
    .assert_eq(&stdout);

    let mut edited = pulled.clone();
    edited["faq"][0]["answer"] = json!("Two days, roasted to order.");
    std::fs::write(&file, serde_json::to_string_pretty(&edited).expect("JSON")).expect("written");
    let (code, stdout, stderr) = baton(&["push", &file_name, "--url", &url, "--site", SITE]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, format!("draft saved, base version {base}\n"));
    let (code, stdout, stderr) = baton(&[
        "publish", "--url", &url, "--site", SITE, "--note", "From git",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, format!("published version {}\n", base + 1));
    assert_eq!(
        answer_to("How long does delivery take?"),
        "Two days, roasted to order."
    );
    // Publishing again: there is no draft left, said plainly.
    let (code, _, stderr) = baton(&["publish", "--url", &url, "--site", SITE]);
    assert_eq!(code, Some(1));
    expect![[r#"
        there is no draft to publish on site "config-api": push one first (baton push FILE --url … --site …)
    "#]].assert_eq(&stderr);
    // A draft pushed, then someone restores a version before it is published: the publish is refused, plainly.
    let (code, stdout, stderr) = baton(&["push", &file_name, "--url", &url, "--site", SITE]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, format!("draft saved, base version {}\n", base + 1));
    // (This also leaves the site as it was for the other tests.)
    let restored = send(
        "POST",
        &paths::config_restore(SITE, base),
        &admin(),
        &RestoreVersion {
            note: "Undo the command line's test".into(),
            base_version: base + 1,
        },
    );
    assert_eq!(restored.status, 201, "{}", restored.body);
    let (code, _, stderr) = baton(&["publish", "--url", &url, "--site", SITE]);
    assert_eq!(code, Some(1));
    let stderr = stderr
        .replace(&format!("version {}", base + 2), "version NEW")
        .replace(&format!("not {}", base + 1), "not BASE");
    expect![[r#"
        not published: version NEW is published now, not BASE: someone published since you started; compare with version NEW, then publish again from it
        Someone published since your draft was started: pull the new version, apply your change to it, push and publish again.
    "#]].assert_eq(&stderr);
    let discarded = request(
        "DELETE",
        &paths::config_draft(SITE),
        &[("Authorization", &bearer(&admin()))],
        None,
    );
    assert_eq!(discarded.status, 200);
    let _ = std::fs::remove_file(&file);
}
