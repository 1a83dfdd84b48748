//! Each rule on small crates written in memory: a fixture that breaks it (so the rule can fail, with the message
//! the developer reads) and one that keeps it. `UPDATE_EXPECT=1 cargo test -p xtask` refreshes the snapshots.

use expect_test::{Expect, expect};

use super::rules::{self, Banned, Sizes};
use super::source::SourceFile;
use super::{
    CLOCK_READS, Finding, IMPURE_CODE, IMPURE_CRATES, ROUTER_PREFIXES, RULES, SIZES,
    check_repository, cycles,
};

/// Files from `path => text` pairs.
fn crate_of(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|(path, text)| SourceFile {
            path: (*path).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

#[track_caller]
fn check(findings: Vec<Finding>, expect: Expect) {
    let text: Vec<String> = findings.iter().map(Finding::to_string).collect();
    let text = if text.is_empty() {
        "no finding".to_owned()
    } else {
        text.join("\n")
    };
    expect.assert_eq(&text);
}

#[test]
fn two_modules_importing_each_other_are_a_cycle_with_both_edges_located() {
    let files = crate_of(&[
        ("s/src/lib.rs", "mod config;\nmod faq;\n"),
        (
            "s/src/config.rs",
            "//! Uses `crate::faq` in a comment only here.\nuse crate::faq::bytes::Index;\n",
        ),
        (
            "s/src/faq.rs",
            "mod bytes;\n\npub fn threshold() -> f32 {\n    crate::config::LIMIT\n}\n",
        ),
    ]);
    check(
        cycles::check(&files, "s/src"),
        expect![[
            r#"s/src/config.rs:2: import-cycle: import cycle config → faq → config (config → faq at s/src/config.rs:2; faq → config at s/src/faq.rs:4)"#
        ]],
    );
}

#[test]
fn groups_super_paths_and_longer_cycles_are_followed() {
    let files = crate_of(&[
        ("s/src/lib.rs", "mod a;\nmod b;\nmod c;\n"),
        // `a/inner.rs` is module `a::inner`: its `super::super::b` is `b`.
        ("s/src/a.rs", "mod inner;\n"),
        ("s/src/a/inner.rs", "use super::super::b::Thing;\n"),
        (
            "s/src/b.rs",
            "use crate::{\n    c::{self, Other},\n    b::Own,\n};\n",
        ),
        // A top-level module's `super::` is the crate root.
        ("s/src/c.rs", "use super::a::inner;\nuse super::*;\n"),
    ]);
    check(
        cycles::check(&files, "s/src"),
        expect![[
            r#"s/src/a/inner.rs:1: import-cycle: import cycle a → b → c → a (a → b at s/src/a/inner.rs:1; b → c at s/src/b.rs:2; c → a at s/src/c.rs:1)"#
        ]],
    );
}

#[test]
fn the_crate_roots_items_are_a_node_and_its_bare_module_paths_are_edges() {
    let files = crate_of(&[
        (
            "w/src/lib.rs",
            "mod rooms;\npub use rooms::Room;\n\nasync fn dispatch() {}\n\nfn load(name: &str) -> baton_shared::origin::Origin { todo!() }\n",
        ),
        ("w/src/rooms.rs", "use crate::{dispatch, load};\n"),
    ]);
    check(
        cycles::check(&files, "w/src"),
        expect![[
            r#"w/src/lib.rs:2: import-cycle: import cycle crate → rooms → crate (crate → rooms at w/src/lib.rs:2; rooms → crate at w/src/rooms.rs:1)"#
        ]],
    );
}

#[test]
fn test_code_comments_and_strings_make_no_edge() {
    let files = crate_of(&[
        (
            "s/src/lib.rs",
            "mod a;\nmod b;\n#[cfg(all(test, not(target_arch = \"wasm32\")))]\nmod properties;\n",
        ),
        (
            "s/src/a.rs",
            "use crate::b::Thing;\n#[cfg(test)]\nmod tests;\n",
        ),
        (
            "s/src/b.rs",
            concat!(
                "/* crate::a::x /* nested */ crate::a::y */\n",
                "const TEXT: &str = \"crate::a::z\";\n",
                "const RAW: &str = r#\"crate::a::\"w\"#;\n",
                "const QUOTE: char = '\"';\n",
                "const ESCAPED: &str = \"\\\"crate::a::q\\\"\";\n",
                "const APOSTROPHE: char = '\\'';\n",
                "const BYTES: &[u8] = b\"crate::a::b\";\n",
                "fn f<'a>(x: &'a str) -> &'a str { x }\n",
                "#[cfg(test)]\nmod inline {\n    use crate::a::Fixture;\n}\n",
                "#[test]\nfn t() { crate::a::check(); }\n",
            ),
        ),
        (
            "s/src/a/tests.rs",
            "use crate::b::Thing;\nuse crate::a::X;\n",
        ),
        (
            "s/src/properties.rs",
            "use crate::a::X;\nuse crate::b::Y;\n",
        ),
        ("s/src/properties/more.rs", "use crate::a::X;\n"),
    ]);
    check(cycles::check(&files, "s/src"), expect!["no finding"]);
}

#[test]
fn a_shared_manifest_with_impure_dependencies_fails_and_dev_dependencies_do_not() {
    let manifest = r#"[package]
name = "baton-shared"

[dependencies]
serde.workspace = true
js-sys = "0.3"
gloo-net = { workspace = true }

[target.'cfg(target_arch = "wasm32")'.dependencies]
getrandom = "0.3"

[dependencies.rand_core]
version = "0.6"

[dev-dependencies]
rand = "0.9"
proptest.workspace = true
"#;
    check(
        rules::manifest_dependencies("shared/Cargo.toml", manifest, IMPURE_CRATES),
        expect![[r#"
            shared/Cargo.toml:6: shared-dependency: depends on `js-sys`: a JavaScript binding (and its clock); `shared` is pure
            shared/Cargo.toml:7: shared-dependency: depends on `gloo-net`: browser I/O; `shared` is pure
            shared/Cargo.toml:10: shared-dependency: depends on `getrandom`: randomness; ids and nonces come in as arguments
            shared/Cargo.toml:12: shared-dependency: depends on `rand_core`: randomness; ids and nonces come in as arguments"#]],
    );
    let pure = "[dependencies]\nserde.workspace = true\nworkerd-free = \"1\"\n\n[dev-dependencies]\nrand = \"0.9\"\n";
    check(
        rules::manifest_dependencies("shared/Cargo.toml", pure, IMPURE_CRATES),
        expect!["no finding"],
    );
}

#[test]
fn a_banned_crate_that_comes_in_through_another_one_fails() {
    let tree = "baton-shared v0.1.0 (/repo/shared)\nserde v1.0.229\nuuid v1.0.0\ngetrandom v0.3.1\ngetrandom v0.3.1 (*)\nwasm-bindgen-shared v0.2.130\n";
    check(
        rules::tree_dependencies("shared/Cargo.toml", tree, IMPURE_CRATES),
        expect![[r#"
            shared/Cargo.toml:1: shared-dependency: depends on `getrandom` through another crate (cargo tree): randomness; ids and nonces come in as arguments
            shared/Cargo.toml:1: shared-dependency: depends on `wasm-bindgen-shared` through another crate (cargo tree): a JavaScript binding; `shared` is pure"#]],
    );
    check(
        rules::tree_dependencies("shared/Cargo.toml", "serde v1\njiff v0.2\n", IMPURE_CRATES),
        expect!["no finding"],
    );
}

#[test]
fn shared_code_that_reads_a_clock_or_uses_a_hash_map_fails_outside_tests() {
    let files = crate_of(&[
        ("shared/src/lib.rs", "pub mod faq;\n"),
        (
            "shared/src/faq.rs",
            concat!(
                "//! No `HashMap` here: comments do not count, nor do \"HashSet\" strings.\n",
                "use std::collections::{BTreeMap, HashMap};\n",
                "pub fn now() -> u64 { std::time::SystemTime::now(); Instant::now(); js_sys::Date::now() as u64 }\n",
                "pub struct MyHashSet; // a name that only contains one\n",
                "#[cfg(test)]\nmod tests {\n    use std::collections::HashSet;\n}\n",
            ),
        ),
        (
            "shared/src/faq/tests.rs",
            "use std::collections::HashMap;\n",
        ),
    ]);
    check(
        rules::banned_names("shared-purity", &files, "shared/src", &[], IMPURE_CODE),
        expect![[r#"
            shared/src/faq.rs:2: shared-purity: `HashMap`: randomly seeded, so its order differs from run to run; use a `BTreeMap`
            shared/src/faq.rs:3: shared-purity: `Date::now`: reads the clock; take `now_ms: u64` as an argument
            shared/src/faq.rs:3: shared-purity: `Instant::now`: reads the clock (and traps on wasm32); take `now_ms: u64` as an argument
            shared/src/faq.rs:3: shared-purity: `SystemTime`: reads the clock (and traps on wasm32); take `now_ms: u64` as an argument"#]],
    );
}

#[test]
fn the_worker_reads_the_time_in_its_clock_only() {
    let files = crate_of(&[
        ("worker/src/lib.rs", "mod clock;\nmod rooms;\n"),
        (
            "worker/src/clock.rs",
            "pub fn now_ms() -> u64 { worker::Date::now().as_millis() }\n",
        ),
        (
            "worker/src/rooms.rs",
            concat!(
                "// js_sys::Date::now() would be wrong here.\n",
                "fn a() -> u64 { js_sys::Date::now() as u64 }\n",
                "fn b() -> u64 { worker::Date::new(DateInit::Now).as_millis() }\n",
                "fn c(at: f64) -> js_sys::Date { js_sys::Date::new(&at.into()) }\n",
                "fn d() -> js_sys::Date { js_sys::Date::new_0() }\n",
            ),
        ),
    ]);
    check(
        rules::banned_names(
            "one-clock",
            &files,
            "worker/src",
            &["worker/src/clock.rs"],
            CLOCK_READS,
        ),
        expect![[r#"
            worker/src/rooms.rs:2: one-clock: `Date::now`: reads the time outside `clock.rs`; take the request's `now` from `clock::now_ms` and pass it down
            worker/src/rooms.rs:3: one-clock: `DateInit::Now`: reads the time outside `clock.rs`; take the request's `now` from `clock::now_ms` and pass it down
            worker/src/rooms.rs:5: one-clock: `Date::new_0`: reads the time outside `clock.rs`; take the request's `now` from `clock::now_ms` and pass it down"#]],
    );
}

#[test]
fn internal_paths_are_named_once_and_never_written_at_call_sites() {
    let files = crate_of(&[
        ("worker/src/lib.rs", "mod rooms;\n"),
        (
            "worker/src/rooms.rs",
            concat!(
                "const INTERNAL: &str = \"https://room.internal\";\n",
                "pub const CALL: &str = \"/call\";\n",
                "pub(crate) static LIVE: &str = \"/live\";\n",
                "const OLD: &str = \"/internal/call\";\n",
                "fn route(path: &str) {\n",
                "    match (method, path) {\n",
                "        (Method::Get, \"/internal/live\") => {}\n",
                "        (Method::Post, \"/seen\") => {}\n",
                "        _ => {}\n",
                "    }\n",
                "    let req = internal_request(Method::Post, \"/claim\", site_id, None)?;\n",
                "    let url = format!(\"{INTERNAL}{CALL}\");\n",
                "    let text = \"/ not a path\";\n",
                "    let key = \"conversation:/seen\";\n",
                "    let public = row(\"/v1/sites/{site}/widget\", Endpoint::WidgetConfig);\n",
                "}\n",
                "#[cfg(test)]\nmod tests {\n    const PATHS: &[&str] = &[\"/v1/health\", \"/internal/x\"];\n}\n",
            ),
        ),
    ]);
    check(
        rules::internal_paths(&files, "worker/src", ROUTER_PREFIXES),
        expect![[r#"
            worker/src/rooms.rs:4: internal-path: string path "/internal/call": `/internal…` paths are the old string router; send a typed call instead
            worker/src/rooms.rs:7: internal-path: string path "/internal/live": `/internal…` paths are the old string router; send a typed call instead
            worker/src/rooms.rs:8: internal-path: string path "/seen" at a call site: use the typed call (or a `const` naming the path once)
            worker/src/rooms.rs:11: internal-path: string path "/claim" at a call site: use the typed call (or a `const` naming the path once)"#]],
    );
}

#[test]
fn a_long_file_fails_unless_its_first_lines_say_why() {
    let long = "fn f() {}\n".repeat(SIZES.max_lines + 1);
    let explained =
        format!("//! The route table.\n//!\n//! long: the route table is one match.\n{long}");
    let late = format!("{}// long: too late to count\n", "\n".repeat(5));
    let files = crate_of(&[
        ("worker/src/lib.rs", &long),
        ("worker/src/routes.rs", &explained),
        ("worker/src/store.rs", &format!("{late}{long}")),
        ("worker/src/fits.rs", &"fn f() {}\n".repeat(SIZES.max_lines)),
        ("worker/src/tests.rs", &long),
        ("worker/src/rooms/tests/fixtures.rs", &long),
    ]);
    check(
        rules::file_sizes(&files, &SIZES),
        expect![[r#"
            worker/src/lib.rs:401: file-size: 401 lines (at most 400): split it by concern, or say why it is one file in a comment with `long:` in its first 5 lines
            worker/src/store.rs:401: file-size: 407 lines (at most 400): split it by concern, or say why it is one file in a comment with `long:` in its first 5 lines"#]],
    );
    let small = Sizes {
        max_lines: 2,
        header_lines: 1,
        marker: "why:",
    };
    check(
        rules::file_sizes(
            &crate_of(&[("x/src/a.rs", "// why: one table\n1\n2\n")]),
            &small,
        ),
        expect!["no finding"],
    );
}

#[test]
fn a_name_is_banned_with_its_family_but_not_a_longer_word() {
    let rand = Banned {
        name: "rand",
        why: "randomness",
    };
    let names = "rand v1\nrand_chacha v1\nrandom-words v1\nbrand v1\n";
    check(
        rules::tree_dependencies("Cargo.toml", names, &[rand]),
        expect![[r#"
            Cargo.toml:1: shared-dependency: depends on `rand` through another crate (cargo tree): randomness
            Cargo.toml:1: shared-dependency: depends on `rand_chacha` through another crate (cargo tree): randomness"#]],
    );
}

#[test]
fn every_rule_runs_on_the_folders_it_names() {
    let root = std::env::temp_dir().join(format!("baton-arch-{}", std::process::id()));
    let long = "fn f() {}\n".repeat(SIZES.max_lines + 1);
    let files: &[(&str, &str)] = &[
        ("shared/Cargo.toml", "[dependencies]\nserde = \"1\"\n"),
        ("shared/src/lib.rs", "mod a;\nmod b;\n"),
        (
            "shared/src/a.rs",
            "use crate::b::B;\npub type Index = std::collections::HashSet<u8>;\n",
        ),
        ("shared/src/b.rs", "use crate::a::Index;\n"),
        ("worker/src/lib.rs", "mod clock;\nmod store;\n"),
        (
            "worker/src/clock.rs",
            "pub fn now() -> f64 { js_sys::Date::now() }\n",
        ),
        (
            "worker/src/store.rs",
            "fn seen() { call(\"/seen\", js_sys::Date::now()); }\n",
        ),
        ("console/src/lib.rs", "mod app;\nmod team;\n"),
        ("console/src/app.rs", "use crate::team::Team;\n"),
        ("console/src/team.rs", "use crate::app::SignedIn;\n"),
        ("xtask/src/main.rs", &long),
        ("cli/src/main.rs", &long),
    ];
    for (path, text) in files {
        let path = root.join(path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).expect("a temporary folder");
        }
        std::fs::write(path, text).expect("a temporary file");
    }
    let findings = check_repository(&root, "baton-shared v0.1.0\ngetrandom v0.3.1\n");
    let _ = std::fs::remove_dir_all(&root);
    let findings = findings.expect("the temporary repository is readable");
    // Every rule found something, and `cargo xtask arch` prints each under its name.
    let rules: std::collections::BTreeSet<&str> =
        findings.iter().map(|finding| finding.rule).collect();
    assert_eq!(rules, RULES.iter().copied().collect());
    check(
        findings,
        expect![[r#"
            shared/src/a.rs:1: import-cycle: import cycle a → b → a (a → b at shared/src/a.rs:1; b → a at shared/src/b.rs:1)
            console/src/app.rs:1: import-cycle: import cycle app → team → app (app → team at console/src/app.rs:1; team → app at console/src/team.rs:1)
            shared/Cargo.toml:1: shared-dependency: depends on `getrandom` through another crate (cargo tree): randomness; ids and nonces come in as arguments
            shared/src/a.rs:2: shared-purity: `HashSet`: randomly seeded, so its order differs from run to run; use a `BTreeSet`
            worker/src/store.rs:1: one-clock: `Date::now`: reads the time outside `clock.rs`; take the request's `now` from `clock::now_ms` and pass it down
            worker/src/store.rs:1: internal-path: string path "/seen" at a call site: use the typed call (or a `const` naming the path once)
            xtask/src/main.rs:401: file-size: 401 lines (at most 400): split it by concern, or say why it is one file in a comment with `long:` in its first 5 lines"#]],
    );
}

#[test]
fn a_tangled_crate_lists_its_shortest_cycles_and_counts_the_rest() {
    let names = ["a", "b", "c", "d", "e", "f"];
    let mut files = vec![("s/src/lib.rs".to_owned(), String::new())];
    for name in names {
        let uses: Vec<String> = names
            .iter()
            .filter(|other| **other != name)
            .map(|other| format!("use crate::{other}::X;\n"))
            .collect();
        files.push((format!("s/src/{name}.rs"), uses.concat()));
    }
    let files: Vec<SourceFile> = files
        .into_iter()
        .map(|(path, text)| SourceFile { path, text })
        .collect();
    let findings = cycles::check(&files, "s/src");
    // Every elementary cycle of six modules that all import each other: 15 + 40 + 90 + 144 + 120.
    check(
        findings.into_iter().skip(29).collect(),
        expect![[r#"
            s/src/a.rs:4: import-cycle: import cycle a → e → d → a (a → e at s/src/a.rs:4; e → d at s/src/e.rs:4; d → a at s/src/d.rs:1)
            s/src/a.rs:1: import-cycle: and 379 more import cycles in s/src (the shortest are listed)"#]],
    );
}
