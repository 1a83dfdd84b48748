//! A site created by the operator (`POST /v1/sites`) starts its configuration history at once: its starter is
//! version 1, authored by its first admin, so its admins publish from base version 1 with no seeding step; creating
//! it again is refused before any account is made.

use baton_shared::protocol::agent::{AgentList, CreateSite, SiteCreated};
use baton_shared::protocol::paths;
use baton_shared::protocol::site_config::{
    ConfigState, PublishDraft, SaveDraft, VersionList, VersionSummary,
};
use serde_json::json;

use super::live::{bearer, operator_token};
use super::{post_json, request};

fn create(id: &str, admin_name: &str) -> super::Answer {
    post_json(
        paths::SITES,
        &[("Authorization", &bearer(&operator_token()))],
        &CreateSite {
            id: id.into(),
            name: "Pedal Works".into(),
            allowed_origins: vec!["https://pedal.example".into()],
            admin_name: admin_name.into(),
        },
    )
}

#[test]
fn a_created_site_starts_its_history_at_version_1_by_its_first_admin() {
    let id = format!("created-{}", std::process::id());
    let created = create(&id, "  Priya ");
    assert_eq!(created.status, 201, "{}", created.body);
    let created: SiteCreated = created.json();
    let admin = bearer(&created.admin.token);

    let versions: VersionList = request(
        "GET",
        &paths::config_versions(&id),
        &[("Authorization", &admin)],
        None,
    )
    .json();
    assert_eq!(versions.published, 1);
    let summaries: Vec<String> = versions
        .versions
        .iter()
        .map(|summary| {
            format!(
                "{} by {} ({}): {}",
                summary.version,
                summary.author.name,
                summary.author.id == created.admin.agent.id,
                summary.note
            )
        })
        .collect();
    assert_eq!(summaries, ["1 by Priya (true): Site created"]);

    // The studio's first publish, from base version 1.
    let state: ConfigState = request(
        "GET",
        &paths::site_config(&id),
        &[("Authorization", &admin)],
        None,
    )
    .json();
    assert_eq!((state.published.version, state.draft), (1, None));
    assert_eq!(state.published.config.name, "Pedal Works");
    let mut config = serde_json::to_value(&state.published.config).expect("serialises");
    config["faq"] =
        json!([{"id": "parking", "question": "Where can I park?", "answer": "Behind the shop."}]);
    let saved = request(
        "PUT",
        &paths::config_draft(&id),
        &[
            ("Authorization", &admin),
            ("Content-Type", "application/json"),
        ],
        Some(
            &serde_json::to_string(&SaveDraft {
                config,
                base_version: 1,
            })
            .expect("serialises"),
        ),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let published = post_json(
        &paths::config_publish(&id),
        &[("Authorization", &admin)],
        &PublishDraft {
            note: "First FAQ".into(),
            base_version: 1,
        },
    );
    assert_eq!(published.status, 201, "{}", published.body);
    assert_eq!(published.json::<VersionSummary>().version, 2);

    // Creating it again is refused, and makes no second admin.
    let again = create(&id, "Mallory");
    assert_eq!(
        again.error_line(),
        format!("409 conflict: site \"{id}\" already exists")
    );
    let agents: AgentList = request(
        "GET",
        &paths::agents(&id),
        &[("Authorization", &admin)],
        None,
    )
    .json();
    let names: Vec<&str> = agents
        .agents
        .iter()
        .map(|agent| agent.name.as_str())
        .collect();
    assert_eq!(names, ["Priya"]);
}

#[test]
fn creating_a_site_needs_the_operator_and_names_each_bad_field() {
    let no_token = post_json(paths::SITES, &[], &json!({}));
    assert_eq!(no_token.status, 401, "{}", no_token.body);
    let wrong = post_json(
        paths::SITES,
        &[("Authorization", &bearer("bat_demo.not-a-token"))],
        &json!({}),
    );
    assert_eq!(wrong.status, 403, "{}", wrong.body);
    let bad = post_json(
        paths::SITES,
        &[("Authorization", &bearer(&operator_token()))],
        &CreateSite {
            id: "no spaces".into(),
            name: String::new(),
            allowed_origins: vec!["ftp://x".into()],
            admin_name: " ".into(),
        },
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    let line = bad.error_line();
    for path in ["id:", "admin_name:", "name:", "allowed_origins[0]:"] {
        assert!(line.contains(path), "{path} in {line}");
    }
}
