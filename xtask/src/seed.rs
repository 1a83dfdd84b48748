//! Putting site configurations into a local KV store, after checking them: a file with problems is reported with
//! every problem's field path and nothing is written, so a stored configuration is never replaced by a broken one.

use std::path::{Path, PathBuf};

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::{AgentProfile, AgentRole};
use baton_shared::signing;

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
    put(persist_dir, entries)
}

/// Where `cargo xtask dev` keeps the demo agent's token (git-ignored, with the rest of `.dev/`).
pub const AGENT_TOKEN_FILE: &str = ".dev/agent-token";

/// Seeds the demo agent: an admin in every team of `site`, signed in with the token in [`AGENT_TOKEN_FILE`] (made
/// once, then reused so a bookmarked sign-in keeps working). Like the worker, KV holds only the token's digest.
pub fn demo_agent(persist_dir: &Path, site: &SiteConfig) -> crate::Result<String> {
    let file = crate::at(AGENT_TOKEN_FILE);
    let token = match std::fs::read_to_string(&file) {
        Ok(token) if token.trim().starts_with("bat_") => token.trim().to_string(),
        _ => {
            let token = format!("bat_{}", random_hex(24)?);
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
            }
            std::fs::write(&file, format!("{token}\n"))
                .map_err(|error| format!("cannot write {AGENT_TOKEN_FILE}: {error}"))?;
            token
        }
    };
    let agent = AgentProfile {
        id: "demo-agent".into(),
        site_id: site.id.clone(),
        name: "Dana (demo agent)".into(),
        teams: site.teams.iter().map(|team| team.id.clone()).collect(),
        role: AgentRole::Admin,
        created_at_ms: 0,
    };
    let profile = serde_json::to_string(&agent).map_err(|error| error.to_string())?;
    let list = serde_json::to_string(&[&agent]).map_err(|error| error.to_string())?;
    put(
        persist_dir,
        vec![
            serde_json::json!({ "key": format!("agent:{}", signing::token_digest(&token)), "value": profile }),
            serde_json::json!({ "key": format!("agents:{}", site.id), "value": list }),
        ],
    )?;
    Ok(token)
}

fn random_hex(bytes: usize) -> crate::Result<String> {
    use std::io::Read;
    let mut buffer = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut buffer))
        .map_err(|error| format!("cannot read /dev/urandom: {error}"))?;
    Ok(buffer.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Writes key/value entries to the local KV namespace with one `wrangler kv bulk put`.
fn put(persist_dir: &Path, entries: Vec<serde_json::Value>) -> crate::Result<()> {
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
