//! Putting site configurations into a local KV store, after checking them: a file with problems is reported with
//! every problem's field path and nothing is written, so a stored configuration is never replaced by a broken one.

use std::path::{Path, PathBuf};

use baton_shared::config::SiteConfig;

use crate::process::{command, run};

/// Every site file `{folder}/*.json`, in name order: `sites/` holds the demo site and any a site owner adds to try
/// locally; `tests/sites/` the sites only the tests use.
pub fn site_files(folder: &str) -> crate::Result<Vec<PathBuf>> {
    let dir = crate::at(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|error| format!("cannot list {}: {error}", dir.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Validates every file, then writes them all to the local KV namespace under `site:{id}` (the key the worker's
/// `store.rs` reads; the API tests fail if the two ever disagree).
pub fn sites(persist_dir: &Path, files: &[PathBuf]) -> crate::Result<()> {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let shown = file
            .strip_prefix(crate::root())
            .unwrap_or(file)
            .display()
            .to_string();
        let json = std::fs::read_to_string(file)
            .map_err(|error| format!("cannot read {shown}: {error}"))?;
        match SiteConfig::from_json(&json) {
            Ok(config) => entries
                .push(serde_json::json!({ "key": format!("site:{}", config.id), "value": json })),
            Err(errors) => {
                problems.extend(errors.iter().map(|error| format!("  {shown}: {error}")))
            }
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "site configuration has problems, nothing was seeded:\n{}",
            problems.join("\n")
        ));
    }
    let bulk = crate::at("target/seed-kv.json");
    std::fs::create_dir_all(crate::at("target"))
        .map_err(|error| format!("cannot create target/: {error}"))?;
    std::fs::write(&bulk, serde_json::Value::Array(entries).to_string())
        .map_err(|error| format!("cannot write {}: {error}", bulk.display()))?;
    run(
        command(&crate::at("node_modules/.bin/wrangler").to_string_lossy())
            .args(["kv", "bulk", "put"])
            .arg(&bulk)
            .args(["--binding", "BATON_KV", "--local", "--persist-to"])
            .arg(persist_dir),
    )
}
