//! `cargo xtask dev` seeds the demo site through the configuration API, as a team's `baton push` and `baton publish`
//! would: once the stack runs, `sites/demo.json` is published as a new version when it differs from the published
//! one (the first configuration call records what KV held as version 1, authored `seed`). So the studio's history
//! shows every change of the file, and the published version, KV and the history always agree; a version published
//! from the console stays in the history when the file replaces it. A draft in progress is never overwritten.

use baton_shared::config::SiteConfig;
use baton_shared::protocol::paths;
use baton_shared::protocol::site_config::{
    ConfigState, Draft, PublishDraft, SaveDraft, VersionSummary,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What publishing the file did.
pub enum Published {
    /// The published configuration is the file already.
    Unchanged,
    /// A draft is in progress, so the file was left alone.
    DraftKept,
    /// The file is now this version.
    Version(u32),
}

/// Publishes the site file `file` (relative to the repository) through the API at `base_url`, as an admin.
pub fn site_file(base_url: &str, admin_token: &str, file: &str) -> crate::Result<Published> {
    let json = std::fs::read_to_string(crate::at(file))
        .map_err(|error| format!("cannot read {file}: {error}"))?;
    let config = SiteConfig::from_json(&json).map_err(|errors| format!("{file}: {errors:?}"))?;
    let site = config.id.clone();
    let state: ConfigState = call(
        base_url,
        admin_token,
        "GET",
        &paths::site_config(&site),
        None::<&()>,
    )?;
    if state.published.config == config {
        return Ok(Published::Unchanged);
    }
    if state.draft.is_some() {
        return Ok(Published::DraftKept);
    }
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|error| format!("{file}: {error}"))?;
    let base_version = state.published.version;
    let draft: Draft = call(
        base_url,
        admin_token,
        "PUT",
        &paths::config_draft(&site),
        Some(&SaveDraft {
            config: value,
            base_version,
        }),
    )?;
    if !draft.problems.is_empty() {
        return Err(format!(
            "{file}: the worker finds problems: {:?}",
            draft.problems
        ));
    }
    let summary: VersionSummary = call(
        base_url,
        admin_token,
        "POST",
        &paths::config_publish(&site),
        Some(&PublishDraft {
            note: format!("cargo xtask dev: {file}"),
            base_version,
        }),
    )?;
    Ok(Published::Version(summary.version))
}

fn call<B: Serialize, R: DeserializeOwned>(
    base_url: &str,
    token: &str,
    method: &str,
    path: &str,
    body: Option<&B>,
) -> crate::Result<R> {
    let http: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let body = match body {
        Some(body) => serde_json::to_string(body).map_err(|error| error.to_string())?,
        None => String::new(),
    };
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{base_url}{path}"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|error| error.to_string())?;
    let mut response = http
        .run(request)
        .map_err(|error| format!("{method} {path}: {error}"))?;
    let text = response
        .body_mut()
        .with_config()
        .limit(4 << 20)
        .read_to_string()
        .map_err(|error| format!("{method} {path}: {error}"))?;
    if !response.status().is_success() {
        return Err(format!("{method} {path}: {} {text}", response.status()));
    }
    serde_json::from_str(&text).map_err(|error| format!("{method} {path}: {error}: {text}"))
}
