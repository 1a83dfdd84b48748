//! Rule `import-cycle`: the top-level modules of a crate form a tree, never a web (STYLE.md, "Modules form a tree").
//!
//! A module depends on another when its production code names it: `use crate::faq::bytes` and `crate::faq::x()` in
//! code are edges to `faq`, `super::` and `self::` are resolved from the file's module (and inline `mod … {}`), and
//! in the crate root a bare `rooms::relay` is an edge to `rooms`. An item of the crate root itself (`crate::dispatch`)
//! is an edge to the node `crate`. Comments, strings and test code do not count. A file `a/b.rs` belongs to `a`.

use std::collections::{BTreeMap, BTreeSet};

use super::Finding;
use super::modules::{ModuleFile, production_files};
use super::source::{SourceFile, closing, is_ident, occurrences};

/// The crate root's own items, as a node of the graph.
pub const ROOT: &str = "crate";
/// Cycles reported per crate, shortest first; the rest are counted.
const REPORTED: usize = 30;
/// Bounds on the search, so that a very tangled crate still answers quickly.
const MAX_CYCLES: usize = 10_000;
const MAX_STEPS: usize = 2_000_000;

/// Where an edge was first seen.
#[derive(Debug, Clone)]
struct Site {
    file: String,
    line: usize,
}

type Graph = BTreeMap<String, BTreeMap<String, Site>>;

/// Every import cycle among the top-level modules of the crate in `src` (for example `shared/src`).
pub fn check(files: &[SourceFile], src: &str) -> Vec<Finding> {
    let modules = production_files(files, src);
    let graph = graph(&modules);
    let (mut cycles, complete) = cycles(&graph);
    cycles.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    let mut findings: Vec<Finding> = cycles
        .iter()
        .take(REPORTED)
        .map(|cycle| finding(&graph, cycle))
        .collect();
    if cycles.len() > REPORTED {
        let first = findings.first().map(|f| (f.file.clone(), f.line));
        let (file, line) = first.unwrap_or_default();
        findings.push(Finding {
            file,
            line,
            rule: "import-cycle",
            message: format!(
                "and {}{} more import cycles in {src} (the shortest are listed)",
                if complete { "" } else { "at least " },
                cycles.len() - REPORTED
            ),
        });
    }
    findings
}

fn finding(graph: &Graph, cycle: &[String]) -> Finding {
    let edges: Vec<(&String, &String, &Site)> = cycle
        .iter()
        .zip(cycle.iter().cycle().skip(1))
        .map(|(from, to)| (from, to, &graph[from][to]))
        .collect();
    let path: Vec<&str> = cycle
        .iter()
        .chain(cycle.first())
        .map(String::as_str)
        .collect();
    let sites: Vec<String> = edges
        .iter()
        .map(|(from, to, site)| format!("{from} → {to} at {}:{}", site.file, site.line))
        .collect();
    Finding {
        file: edges[0].2.file.clone(),
        line: edges[0].2.line,
        rule: "import-cycle",
        message: format!("import cycle {} ({})", path.join(" → "), sites.join("; ")),
    }
}

fn graph(files: &[ModuleFile]) -> Graph {
    let mut top_level: BTreeSet<String> = files
        .iter()
        .filter_map(|file| file.module.first().cloned())
        .collect();
    for file in files.iter().filter(|file| file.module.is_empty()) {
        let spans = inline_modules(&file.source.code);
        top_level.extend(
            spans
                .iter()
                .filter(|(_, _, module)| module.len() == 1)
                .map(|(_, _, module)| module[0].clone()),
        );
    }
    let mut graph = Graph::new();
    for file in files {
        let spans = inline_modules(&file.source.code);
        for (offset, from, segments) in paths(file, &spans, &top_level) {
            let Some(to) = resolve(&from, &segments) else {
                continue;
            };
            let to = if top_level.contains(&to) {
                to
            } else {
                ROOT.to_owned()
            };
            let from = from.first().cloned().unwrap_or_else(|| ROOT.to_owned());
            if from != to {
                graph
                    .entry(from)
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| Site {
                        file: file.path.to_owned(),
                        line: file.source.line(offset),
                    });
            }
        }
    }
    graph
}

/// `mod name { … }` blocks in a file: their byte range and their path inside the file, outermost first.
fn inline_modules(code: &str) -> Vec<(usize, usize, Vec<String>)> {
    let bytes = code.as_bytes();
    let mut spans: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for at in occurrences(code, "mod") {
        let name_start = skip_space(bytes, at + 3);
        let name_end = ident_end(bytes, name_start);
        let open = skip_space(bytes, name_end);
        if name_end == name_start || bytes.get(open) != Some(&b'{') {
            continue;
        }
        let close = closing(bytes, open).unwrap_or(bytes.len());
        let mut path: Vec<String> = spans
            .iter()
            .filter(|(start, end, _)| *start < at && at < *end)
            .map(|(_, _, path)| path.clone())
            .max_by_key(Vec::len)
            .unwrap_or_default();
        path.push(code[name_start..name_end].to_owned());
        spans.push((at, close, path));
    }
    spans
}

/// Every path that may name a module of this crate: its offset, the module it is written in, and its segments
/// (a `use` group gives one path per entry).
fn paths(
    file: &ModuleFile,
    spans: &[(usize, usize, Vec<String>)],
    top_level: &BTreeSet<String>,
) -> Vec<(usize, Vec<String>, Vec<String>)> {
    let bytes = file.source.code.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let starts_word = (bytes[at].is_ascii_alphabetic() || bytes[at] == b'_')
            && (at == 0 || !is_ident(bytes[at - 1]));
        if !starts_word {
            at += 1;
            continue;
        }
        let end = ident_end(bytes, at);
        let word = &file.source.code[at..end];
        let module = module_at(&file.module, spans, at);
        let anchored = matches!(word, "crate" | "super" | "self")
            || (module.is_empty() && top_level.contains(word));
        let after_path_separator = bytes[..at]
            .iter()
            .rev()
            .find(|byte| !byte.is_ascii_whitespace())
            .is_some_and(|byte| *byte == b':');
        let continues = bytes[skip_space(bytes, end)..].starts_with(b"::");
        if anchored && continues && !after_path_separator {
            let (trees, next) = path_tree(bytes, at);
            for (segments, offset) in trees {
                found.push((offset, module.clone(), segments));
            }
            at = next.max(end);
        } else {
            at = end;
        }
    }
    found
}

fn module_at(
    file_module: &[String],
    spans: &[(usize, usize, Vec<String>)],
    at: usize,
) -> Vec<String> {
    let inner = spans
        .iter()
        .filter(|(start, end, _)| *start < at && at < *end)
        .map(|(_, _, path)| path)
        .max_by_key(|path| path.len());
    file_module
        .iter()
        .chain(inner.into_iter().flatten())
        .cloned()
        .collect()
}

/// The paths written from `at`: `a::b::{c, d::e}` gives `a::b::c` and `a::b::d::e`, each with the offset of its
/// own entry (for its line); returns where they end.
fn path_tree(bytes: &[u8], mut at: usize) -> (Vec<(Vec<String>, usize)>, usize) {
    let start = at;
    let mut segments = Vec::new();
    loop {
        at = skip_space(bytes, at);
        match bytes.get(at) {
            Some(b'{') => {
                let close = closing(bytes, at).unwrap_or(bytes.len());
                let mut trees = Vec::new();
                let mut entry = at + 1;
                while entry < close {
                    entry = skip_space(bytes, entry);
                    if bytes
                        .get(entry)
                        .is_some_and(|byte| is_ident(*byte) || *byte == b'{')
                    {
                        let (subtrees, next) = path_tree(bytes, entry);
                        trees.extend(
                            subtrees
                                .into_iter()
                                .map(|(tree, offset)| ([segments.clone(), tree].concat(), offset)),
                        );
                        entry = next;
                    }
                    // Skip an alias (`as name`) or a glob up to the next entry.
                    while entry < close && bytes[entry] != b',' {
                        entry += 1;
                    }
                    entry += 1;
                }
                return (trees, close + 1);
            }
            Some(byte) if is_ident(*byte) => {
                let end = ident_end(bytes, at);
                segments.push(String::from_utf8_lossy(&bytes[at..end]).into_owned());
                let separator = skip_space(bytes, end);
                let next = skip_space(bytes, separator + 2);
                if bytes[separator..].starts_with(b"::") && bytes.get(next) != Some(&b'<') {
                    at = next;
                } else {
                    return (vec![(segments, start)], end);
                }
            }
            _ => return (vec![(segments, start)], at),
        }
    }
}

/// The top-level module (or root item) a path written in module `from` names, if any.
fn resolve(from: &[String], segments: &[String]) -> Option<String> {
    let mut absolute: Vec<&str> = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        match (index, segment.as_str()) {
            (0, "crate") => {}
            (0, "self") => absolute = from.iter().map(String::as_str).collect(),
            (0, "super") => {
                absolute = from.iter().map(String::as_str).collect();
                absolute.pop()?;
            }
            (_, "super") => {
                absolute.pop()?;
            }
            (_, "self") => {}
            (_, name) => absolute.push(name),
        }
    }
    absolute.first().map(|name| (*name).to_owned())
}

/// Elementary cycles, each starting at its smallest node; `false` when a bound stopped the search early.
fn cycles(graph: &Graph) -> (Vec<Vec<String>>, bool) {
    let nodes: Vec<&String> = graph
        .iter()
        .flat_map(|(from, edges)| std::iter::once(from).chain(edges.keys()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index: BTreeMap<&String, usize> = nodes
        .iter()
        .enumerate()
        .map(|(n, node)| (*node, n))
        .collect();
    let next: Vec<Vec<usize>> = nodes
        .iter()
        .map(|node| {
            graph
                .get(*node)
                .map(|edges| edges.keys().map(|to| index[to]).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut search = Search {
        next: &next,
        found: Vec::new(),
        steps: 0,
    };
    for start in 0..nodes.len() {
        let mut path = vec![start];
        search.from(start, &mut path);
    }
    let complete = search.found.len() < MAX_CYCLES && search.steps < MAX_STEPS;
    let cycles = search
        .found
        .into_iter()
        .map(|cycle| cycle.into_iter().map(|n| nodes[n].clone()).collect())
        .collect();
    (cycles, complete)
}

struct Search<'a> {
    next: &'a [Vec<usize>],
    found: Vec<Vec<usize>>,
    steps: usize,
}

impl Search<'_> {
    /// Extends `path` (which starts at its smallest node) through larger nodes, recording each way back.
    fn from(&mut self, node: usize, path: &mut Vec<usize>) {
        for &to in &self.next[node] {
            self.steps += 1;
            if self.found.len() >= MAX_CYCLES || self.steps >= MAX_STEPS {
                return;
            }
            if to == path[0] {
                self.found.push(path.clone());
            } else if to > path[0] && !path.contains(&to) {
                path.push(to);
                self.from(to, path);
                path.pop();
            }
        }
    }
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

fn ident_end(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|byte| is_ident(*byte)) {
        at += 1;
    }
    at
}
