//! Preparing a local state folder for the stack: site configurations into local KV, after checking them (a file
//! with problems is reported with every problem's field path and nothing is written, so a stored configuration is
//! never replaced by a broken one), and the ledger's SQL migrations applied to local D1.

use std::path::{Path, PathBuf};

use baton_shared::config::SiteConfig;
use baton_shared::protocol::agent::{AgentCreated, AgentRole, CreateAgent};
use baton_shared::protocol::paths;

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

/// The D1 binding of `wrangler.toml`, and the folder of its migrations.
const LEDGER_BINDING: &str = "BATON_DB";
const MIGRATIONS: &str = "migrations";

/// Applies `migrations/*.sql` to the local D1 database in `persist_dir` (`wrangler d1 migrations apply --local`,
/// which skips those already applied), so the worker finds its tables. wrangler takes seconds to start, so a stamp
/// beside the database remembers which migrations were applied, and when nothing is new nothing runs.
pub fn migrations(persist_dir: &Path) -> crate::Result<()> {
    let dir = crate::at(MIGRATIONS);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|error| format!("cannot list {}: {error}", dir.display()))?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    let applied = names.join("\n");
    // Inside wrangler's own D1 folder: clearing the database clears the stamp too.
    let stamp = persist_dir.join("v3/d1/baton-migrations-applied");
    if std::fs::read_to_string(&stamp).is_ok_and(|stamped| stamped == applied) {
        return Ok(());
    }
    run(
        command(&crate::at("node_modules/.bin/wrangler").to_string_lossy())
            .args([
                "d1",
                "migrations",
                "apply",
                LEDGER_BINDING,
                "--local",
                "--persist-to",
            ])
            .arg(persist_dir)
            // Not a terminal: wrangler takes "yes" for its confirmation.
            .stdin(std::process::Stdio::null()),
    )?;
    std::fs::write(&stamp, applied)
        .map_err(|error| format!("cannot write {}: {error}", stamp.display()))
}

/// Where `cargo xtask dev` keeps the demo agent's token (git-ignored, with the rest of `.dev/`).
pub const AGENT_TOKEN_FILE: &str = ".dev/agent-token";

/// Where `cargo xtask dev` keeps the local operator token (`BATON_ADMIN_TOKEN` of the dev stack; git-ignored).
pub const OPERATOR_TOKEN_FILE: &str = ".dev/operator-token";

/// The dev stack's operator token: made once, then reused.
pub fn operator_token() -> crate::Result<String> {
    let file = crate::at(OPERATOR_TOKEN_FILE);
    match std::fs::read_to_string(&file) {
        Ok(token) if !token.trim().is_empty() => Ok(token.trim().to_string()),
        _ => {
            let token = format!("op_{}", random_hex(24)?);
            write_secret(&file, &token)?;
            Ok(token)
        }
    }
}

/// The demo agent, an admin in every team of `site`, created through the API with the operator token once the
/// stack runs (accounts live in the site's directory Durable Object). Its token is kept in [`AGENT_TOKEN_FILE`] and
/// reused while the stack still accepts it, so a bookmarked sign-in keeps working.
pub fn demo_agent(
    base_url: &str,
    operator_token: &str,
    site: &SiteConfig,
) -> crate::Result<String> {
    let file = crate::at(AGENT_TOKEN_FILE);
    let http: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    if let Ok(token) = std::fs::read_to_string(&file) {
        let token = token.trim();
        let me = http
            .get(format!("{base_url}{}", paths::agent_me(&site.id)))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .map_err(|error| format!("asking the dev stack who the demo agent is: {error}"))?;
        if me.status() == 200 {
            return Ok(token.to_string());
        }
    }
    let body = CreateAgent {
        name: "Dana (demo agent)".into(),
        teams: site.teams.iter().map(|team| team.id.clone()).collect(),
        role: AgentRole::Admin,
    };
    let mut created = http
        .post(format!("{base_url}{}", paths::agents(&site.id)))
        .header("Authorization", &format!("Bearer {operator_token}"))
        .header("Content-Type", "application/json")
        .send(serde_json::to_string(&body).map_err(|error| error.to_string())?)
        .map_err(|error| format!("creating the demo agent: {error}"))?;
    let text = created
        .body_mut()
        .read_to_string()
        .map_err(|error| format!("creating the demo agent: {error}"))?;
    if created.status() != 201 {
        return Err(format!(
            "creating the demo agent: {} {text}",
            created.status()
        ));
    }
    let created: AgentCreated =
        serde_json::from_str(&text).map_err(|error| format!("creating the demo agent: {error}"))?;
    write_secret(&file, &created.token)?;
    Ok(created.token)
}

fn write_secret(file: &Path, secret: &str) -> crate::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    std::fs::write(file, format!("{secret}\n"))
        .map_err(|error| format!("cannot write {}: {error}", file.display()))
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
