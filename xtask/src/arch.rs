//! `cargo xtask arch` (and the first step of `cargo xtask test`): the architecture invariants of ARCHITECTURE.md and
//! STYLE.md checked on the source text, in well under a second and before anything is built. Each finding names
//! `file:line`, its rule and what to do:
//!
//! - `import-cycle`: the top-level modules of `shared`, `worker`, `console`, `widget` (and `web`) import each other
//!   in no cycle (see `arch/cycles.rs` for what counts as an import).
//! - `shared-dependency`: `baton-shared` depends on no browser, worker, UI or randomness crate, neither in its
//!   manifest nor through another crate (`cargo tree`).
//! - `shared-purity`: `shared`'s production code names no clock and no randomly seeded collection.
//! - `one-clock`: the worker reads the time in `worker/src/clock.rs` only (clippy's `disallowed-methods` in
//!   `worker/clippy.toml` says the same at compile time).
//! - `internal-path`: no string paths for the calls between the worker and its Durable Objects (`arch/rules.rs`);
//!   the public API's `/v1/…` paths, written once in the route table, are not internal.
//! - `file-size`: no source file over 400 lines unless its first lines say why (`//! long: …`).
//!
//! Test code is exempt from all but `file-size` (`tests.rs`, `tests/` and `#[cfg(test)]` items are left out).

mod cycles;
mod modules;
mod rules;
mod source;
#[cfg(test)]
mod tests;

use std::path::Path;

use rules::{Banned, Sizes};
use source::SourceFile;

/// Crates whose top-level modules must not import each other in a cycle (a folder that does not exist is skipped).
const LAYERED: &[&str] = &[
    "shared/src",
    "worker/src",
    "console/src",
    "widget/src",
    "web/src",
];

const SHARED_MANIFEST: &str = "shared/Cargo.toml";
const SHARED_SRC: &str = "shared/src";
/// Crates `baton-shared` must not depend on, with or without a suffix (`gloo` also means `gloo-net`).
const IMPURE_CRATES: &[Banned] = &[
    Banned {
        name: "web-sys",
        why: "a browser binding; `shared` is pure",
    },
    Banned {
        name: "js-sys",
        why: "a JavaScript binding (and its clock); `shared` is pure",
    },
    Banned {
        name: "wasm-bindgen",
        why: "a JavaScript binding; `shared` is pure",
    },
    Banned {
        name: "worker",
        why: "the Cloudflare runtime; only the worker does I/O",
    },
    Banned {
        name: "leptos",
        why: "a UI framework; only the widget and the console render",
    },
    Banned {
        name: "gloo",
        why: "browser I/O; `shared` is pure",
    },
    Banned {
        name: "rand",
        why: "randomness; ids and nonces come in as arguments",
    },
    Banned {
        name: "getrandom",
        why: "randomness; ids and nonces come in as arguments",
    },
];
/// Names `shared`'s production code must not use.
const IMPURE_CODE: &[Banned] = &[
    Banned {
        name: "SystemTime",
        why: "reads the clock (and traps on wasm32); take `now_ms: u64` as an argument",
    },
    Banned {
        name: "Instant::now",
        why: "reads the clock (and traps on wasm32); take `now_ms: u64` as an argument",
    },
    Banned {
        name: "Date::now",
        why: "reads the clock; take `now_ms: u64` as an argument",
    },
    Banned {
        name: "HashMap",
        why: "randomly seeded, so its order differs from run to run; use a `BTreeMap`",
    },
    Banned {
        name: "HashSet",
        why: "randomly seeded, so its order differs from run to run; use a `BTreeSet`",
    },
];

const WORKER_SRC: &str = "worker/src";
/// The worker's one clock: the only file that may read the time.
const WORKER_CLOCK: &str = "worker/src/clock.rs";
/// Ways to read the time in the worker (`js_sys::Date::now`, `worker::Date::now`, `Date::new_0`, `DateInit::Now`).
const CLOCK_READS: &[Banned] = &[
    Banned {
        name: "Date::now",
        why: "reads the time outside `clock.rs`; take the request's `now` from `clock::now_ms` and pass it down",
    },
    Banned {
        name: "Date::new_0",
        why: "reads the time outside `clock.rs`; take the request's `now` from `clock::now_ms` and pass it down",
    },
    Banned {
        name: "DateInit::Now",
        why: "reads the time outside `clock.rs`; take the request's `now` from `clock::now_ms` and pass it down",
    },
];
/// Path prefixes of the old string router, refused in any string literal of the worker.
const ROUTER_PREFIXES: &[&str] = &["/internal"];

/// Folders whose `.rs` files must stay small.
const SIZED: &[&str] = &[
    "shared/src",
    "worker/src",
    "widget/src",
    "console/src",
    "web/src",
    "xtask/src",
];
const SIZES: Sizes = Sizes {
    max_lines: 400,
    header_lines: 5,
    marker: "long:",
};

/// A broken invariant: where, which rule, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub file: String,
    pub line: usize,
    pub rule: &'static str,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.rule, self.message
        )
    }
}

/// The rules, in the order they run and report.
const RULES: &[&str] = &[
    "import-cycle",
    "shared-dependency",
    "shared-purity",
    "one-clock",
    "internal-path",
    "file-size",
];

/// Every check on the repository; prints each rule's findings, and fails when there is any.
pub fn run() -> crate::Result<()> {
    // Without `cargo tree` the other rules still run; its failure is a finding of its own.
    let (tree, tree_failed) = match shared_tree() {
        Ok(tree) => (tree, None),
        Err(message) => (
            String::new(),
            Some(Finding {
                file: SHARED_MANIFEST.to_owned(),
                line: 1,
                rule: "shared-dependency",
                message: format!("cannot list the crates it depends on: {message}"),
            }),
        ),
    };
    let mut findings = check_repository(crate::root(), &tree)?;
    findings.extend(tree_failed);
    let mut broken = Vec::new();
    for rule in RULES {
        let found: Vec<&Finding> = findings
            .iter()
            .filter(|finding| finding.rule == *rule)
            .collect();
        if found.is_empty() {
            println!("architecture rule {rule}: holds");
            continue;
        }
        println!("architecture rule {rule}: {} finding(s)", found.len());
        for finding in found {
            println!("  {finding}");
        }
        broken.push(*rule);
    }
    if broken.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} architecture finding(s) ({}); the rules are described in xtask/src/arch.rs",
            findings.len(),
            broken.join(", ")
        ))
    }
}

/// The findings of every rule on the repository at `root`, in rule order; `shared_tree` is what [`shared_tree`]
/// printed for it.
fn check_repository(root: &Path, shared_tree: &str) -> crate::Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for src in LAYERED {
        findings.extend(cycles::check(&load(root, src)?, src));
    }

    let manifest = std::fs::read_to_string(root.join(SHARED_MANIFEST))
        .map_err(|error| format!("cannot read {SHARED_MANIFEST}: {error}"))?;
    findings.extend(rules::manifest_dependencies(
        SHARED_MANIFEST,
        &manifest,
        IMPURE_CRATES,
    ));
    findings.extend(rules::tree_dependencies(
        SHARED_MANIFEST,
        shared_tree,
        IMPURE_CRATES,
    ));
    let shared = load(root, SHARED_SRC)?;
    findings.extend(rules::banned_names(
        "shared-purity",
        &shared,
        SHARED_SRC,
        &[],
        IMPURE_CODE,
    ));

    let worker = load(root, WORKER_SRC)?;
    findings.extend(rules::banned_names(
        "one-clock",
        &worker,
        WORKER_SRC,
        &[WORKER_CLOCK],
        CLOCK_READS,
    ));
    findings.extend(rules::internal_paths(&worker, WORKER_SRC, ROUTER_PREFIXES));

    let mut sized = Vec::new();
    for dir in SIZED {
        sized.extend(load(root, dir)?);
    }
    findings.extend(rules::file_sizes(&sized, &SIZES));
    Ok(findings)
}

/// `baton-shared`'s normal and build dependencies on every target, one `name version` a line. Reads Cargo.lock
/// only: nothing is built or downloaded.
fn shared_tree() -> crate::Result<String> {
    crate::process::output(crate::process::command("cargo").args([
        "tree",
        "-p",
        "baton-shared",
        "--target",
        "all",
        "-e",
        "normal,build",
        "--prefix",
        "none",
    ]))
    .ok_or_else(|| "cargo tree -p baton-shared failed".to_owned())
}

/// Every `.rs` file under `dir` (relative to `root`), sorted by path; none when the folder does not exist.
fn load(root: &Path, dir: &str) -> crate::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    let mut pending = vec![root.join(dir)];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                let relative = path.strip_prefix(root).unwrap_or(&path);
                let relative: Vec<String> = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.push(SourceFile {
                    path: relative.join("/"),
                    text,
                });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
