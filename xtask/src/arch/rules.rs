//! The rules that look for forbidden names: a pure `shared` (rules `shared-dependency`, `shared-purity`), one clock
//! in the worker (`one-clock`), typed internal calls (`internal-path`), and small files (`file-size`). Each takes
//! its data (folders, names, reasons) from `arch.rs` and the files as text, so a test can feed it any fixture.

use super::Finding;
use super::modules::production_files;
use super::source::{SourceFile, occurrences};

/// A name a rule forbids, and why: the reason is part of the message.
#[derive(Debug)]
pub struct Banned {
    pub name: &'static str,
    pub why: &'static str,
}

impl Banned {
    /// A crate name matches its own name and the crates of its family (`gloo` matches `gloo-net`, `rand` matches
    /// `rand_core`).
    fn matches_crate(&self, name: &str) -> bool {
        name.strip_prefix(self.name)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_']))
    }
}

/// Rule `shared-dependency` on a manifest: every dependency that is built into the library (`[dependencies]`,
/// `[build-dependencies]`, their `[target.….dependencies]` forms), not the dev-dependencies.
pub fn manifest_dependencies(path: &str, manifest: &str, banned: &[Banned]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut section = String::new();
    for (index, line) in manifest.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if let Some(header) = line.strip_prefix('[') {
            section = header.trim_end_matches(']').trim().to_owned();
            // `[dependencies.name]` names the crate in the header.
            if let Some((table, name)) = section.rsplit_once('.')
                && is_built_in(table)
            {
                findings.extend(banned_crate(path, index + 1, name, banned));
            }
            continue;
        }
        if !is_built_in(&section) {
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let name = key
            .split('.')
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches('"');
        findings.extend(banned_crate(path, index + 1, name, banned));
    }
    findings
}

fn is_built_in(section: &str) -> bool {
    let table = section.rsplit('.').next().unwrap_or_default();
    (table == "dependencies" || table == "build-dependencies")
        && (section == table || section.starts_with("target."))
}

fn banned_crate(path: &str, line: usize, name: &str, banned: &[Banned]) -> Option<Finding> {
    let rule = banned.iter().find(|rule| rule.matches_crate(name))?;
    Some(Finding {
        file: path.to_owned(),
        line,
        rule: "shared-dependency",
        message: format!("depends on `{name}`: {}", rule.why),
    })
}

/// Rule `shared-dependency` on the output of `cargo tree --prefix none` (one `name version` per line): the crates
/// that come in through another one.
pub fn tree_dependencies(manifest: &str, tree: &str, banned: &[Banned]) -> Vec<Finding> {
    let mut names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let rule = banned.iter().find(|rule| rule.matches_crate(name))?;
            Some(Finding {
                file: manifest.to_owned(),
                line: 1,
                rule: "shared-dependency",
                message: format!(
                    "depends on `{name}` through another crate (cargo tree): {}",
                    rule.why
                ),
            })
        })
        .collect()
}

/// Names that production code under `src` must not use, except in the files of `allowed`.
pub fn banned_names(
    rule: &'static str,
    files: &[SourceFile],
    src: &str,
    allowed: &[&str],
    banned: &[Banned],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for file in production_files(files, src) {
        if allowed.contains(&file.path) {
            continue;
        }
        for name in banned {
            for at in occurrences(&file.source.code, name.name) {
                findings.push(Finding {
                    file: file.path.to_owned(),
                    line: file.source.line(at),
                    rule,
                    message: format!("`{}`: {}", name.name, name.why),
                });
            }
        }
    }
    findings.sort();
    // A name twice on one line is one finding.
    findings.dedup();
    findings
}

/// Rule `internal-path`: in production code under `src`, a string literal that is a path (`"/` then a letter) is
/// the whole value of a `const` or `static`, never written at a call site or in a `match` arm: internal calls
/// between the worker and its Durable Objects are typed (one enum of calls per object), so a path, where one is
/// still needed (a WebSocket upgrade, the one endpoint a typed call is posted to), is named once. Literals starting
/// with one of `prefixes` (the old string router's `/internal`) are refused even there.
pub fn internal_paths(files: &[SourceFile], src: &str, prefixes: &[&str]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for file in production_files(files, src) {
        let code = file.source.code.as_bytes();
        for literal in &file.source.strings {
            let text = literal.text.as_str();
            // The public API's paths (`/v1/…`) are written in the route table; the rule is about internal calls.
            let is_public = text == "/v1" || text.starts_with("/v1/");
            let is_path = !is_public
                && text.starts_with('/')
                && text[1..].starts_with(|c: char| c.is_ascii_alphabetic());
            let message = if let Some(prefix) = prefixes.iter().find(|p| text.starts_with(**p)) {
                format!(
                    "string path \"{text}\": `{prefix}…` paths are the old string router; send a typed call instead"
                )
            } else if is_path && !is_named_constant(code, literal.start, literal.end) {
                format!(
                    "string path \"{text}\" at a call site: use the typed call (or a `const` naming the path once)"
                )
            } else {
                continue;
            };
            findings.push(Finding {
                file: file.path.to_owned(),
                line: file.source.line(literal.start),
                rule: "internal-path",
                message,
            });
        }
    }
    findings
}

/// `[pub] const NAME: &str = "…";` (or `static`): the literal is the whole value of a named constant.
fn is_named_constant(code: &[u8], start: usize, end: usize) -> bool {
    let statement_start = code[..start]
        .iter()
        .rposition(|byte| matches!(byte, b';' | b'{' | b'}'))
        .map_or(0, |n| n + 1);
    let before = String::from_utf8_lossy(&code[statement_start..start]);
    let mut words = before.split_whitespace().peekable();
    if words.peek().is_some_and(|word| word.starts_with("pub")) {
        words.next();
    }
    let declared = words
        .next()
        .is_some_and(|word| word == "const" || word == "static");
    let ends_there = code[end..]
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|byte| *byte == b';');
    declared && before.trim_end().ends_with('=') && ends_there
}

/// How long a file may be, and how it says why it is longer.
#[derive(Debug)]
pub struct Sizes {
    pub max_lines: usize,
    /// The explanation must be a comment in this many first lines…
    pub header_lines: usize,
    /// …containing this word.
    pub marker: &'static str,
}

/// Rule `file-size`: every `.rs` file under the given folders (tests excepted: `tests.rs`, `tests/`).
pub fn file_sizes(files: &[SourceFile], sizes: &Sizes) -> Vec<Finding> {
    files
        .iter()
        .filter(|file| {
            !file.path.ends_with("/tests.rs")
                && !file.path.contains("/tests/")
                && file.path.ends_with(".rs")
        })
        .filter_map(|file| {
            let lines = file.text.lines().count();
            let explained = file.text.lines().take(sizes.header_lines).any(|line| {
                line.trim_start().starts_with("//") && line.contains(sizes.marker)
            });
            (lines > sizes.max_lines && !explained).then(|| Finding {
                file: file.path.clone(),
                line: sizes.max_lines + 1,
                rule: "file-size",
                message: format!(
                    "{lines} lines (at most {}): split it by concern, or say why it is one file in a comment \
                     with `{}` in its first {} lines",
                    sizes.max_lines, sizes.marker, sizes.header_lines
                ),
            })
        })
        .collect()
}
