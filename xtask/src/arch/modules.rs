//! The files of one crate as modules: each production file with its module path (`src/rooms/inbox.rs` is
//! `rooms::inbox`), test code left out (`tests.rs`, `tests/`, and modules declared under `#[cfg(test)]`).

use std::collections::BTreeMap;

use super::source::{Source, SourceFile};

/// A production file of a crate, read.
#[derive(Debug)]
pub struct ModuleFile<'a> {
    pub path: &'a str,
    /// The module path from the crate root: empty for `lib.rs` and `main.rs`.
    pub module: Vec<String>,
    pub source: Source,
}

/// The production files among `files` under the crate source folder `src` (for example `shared/src`), in the
/// order given. Binaries under `src/bin/` are other crates and are left out.
pub fn production_files<'a>(files: &'a [SourceFile], src: &str) -> Vec<ModuleFile<'a>> {
    let prefix = format!("{}/", src.trim_end_matches('/'));
    let read: Vec<ModuleFile> = files
        .iter()
        .filter_map(|file| {
            let relative = file.path.strip_prefix(&prefix)?;
            Some(ModuleFile {
                path: &file.path,
                module: module_path(relative)?,
                source: Source::read(&file.text),
            })
        })
        .collect();
    let declared_for_tests: BTreeMap<&[String], &[String]> = read
        .iter()
        .map(|file| (file.module.as_slice(), file.source.test_modules.as_slice()))
        .collect();
    let is_test = |module: &[String]| {
        (1..=module.len()).any(|depth| {
            let name = &module[depth - 1];
            name == "tests"
                || declared_for_tests
                    .get(&module[..depth - 1])
                    .is_some_and(|names| names.contains(name))
        })
    };
    let tests: Vec<bool> = read.iter().map(|file| is_test(&file.module)).collect();
    read.into_iter()
        .zip(tests)
        .filter_map(|(file, test)| (!test).then_some(file))
        .collect()
}

/// `lib.rs` → ``; `a.rs` and `a/mod.rs` → `a`; `a/b.rs` → `a::b`; `bin/…` → none.
fn module_path(relative: &str) -> Option<Vec<String>> {
    let relative = relative.strip_suffix(".rs")?;
    if relative.starts_with("bin/") {
        return None;
    }
    if relative == "lib" || relative == "main" {
        return Some(Vec::new());
    }
    let mut module: Vec<String> = relative.split('/').map(str::to_owned).collect();
    if module.last().is_some_and(|last| last == "mod") {
        module.pop();
    }
    Some(module)
}
