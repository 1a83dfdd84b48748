//! `cargo xtask test`: every check and test, in order from fastest to slowest, each counted; ends with
//! `N passed, N failed` and a non-zero exit on any failure.

use std::process::Command;

use crate::process::command;
use crate::stack::{Logs, Stack};
use crate::tally::Tally;
use crate::tools::{self, CHROMEDRIVER, CHROMIUM, WASM_TARGET};
use crate::{build, dev_stop, seed};

mod restart;

use self::restart::restart_test;

/// The test stack's port, beside `dev`'s 8787 so both can run at once.
const TEST_PORT: u16 = 8788;
/// Where the API tests run their stand-in for an OpenAI-compatible model.
const MODEL_SERVER_PORT: u16 = 8790;
/// The test stack's identity secret of the demo site (`BATON_IDENTITY_SECRET_DEMO`).
const IDENTITY_SECRET: &str = "test-identity-secret";
/// The test stack's admin token (`BATON_ADMIN_TOKEN`), with which the tests create agents.
const ADMIN_TOKEN: &str = "test-admin-token";
/// The live test site's webhook secret (`BATON_WEBHOOK_SECRET_LIVE`).
const WEBHOOK_SECRET: &str = "test-webhook-secret";
/// Where the API tests receive webhooks (the live test site's `webhooks[].url`).
const WEBHOOK_PORT: u16 = 8792;
/// The API tests' stand-in for Turnstile's siteverify, on loopback (worker/tests/api/turnstile.rs).
const TURNSTILE_PORT: u16 = 8793;
/// The `guarded` test site's Turnstile secret (`BATON_TURNSTILE_SECRET_GUARDED`).
const TURNSTILE_SECRET: &str = "test-turnstile-secret";
/// Fresh local KV state for every test run.
const TEST_STATE: &str = "target/test-state";
/// The test stack's log; a stack restarted under a test logs to [`RESTARTED_LOG`] instead, so this one survives.
const TEST_LOG: &str = "target/wrangler-test.log";
const RESTARTED_LOG: &str = "target/wrangler-test-restarted.log";
/// Crates that must never enter `baton-shared`: it has to stay pure and portable.
const FORBIDDEN_IN_SHARED: &[&str] = &[
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "worker",
    "leptos",
    "gloo",
    "gloo-net",
];

/// Every check and test; with `only` (`api` or `e2e`), just the build and that suite against the local stack, for
/// a quicker loop while working on it (`e2e` with `files`, e.g. `tests/campaigns.test.mjs`: only those spec
/// files); with `dev`, just the checks that `cargo xtask dev` stops cleanly, on the worker already built.
pub fn run(only: Option<&str>, files: &[String]) -> crate::Result<()> {
    if only == Some("dev") {
        let mut tally = Tally::default();
        dev_stops(&mut tally);
        return tally.report();
    }
    let mut tally = Tally::default();
    if only.is_none() {
        step("architecture checks (cargo xtask arch): no build needed");
        tally.check("architecture", crate::arch::run());
    }
    tools::ensure(tools::Need::Test)?;
    let (api, e2e) = match only {
        None => (true, true),
        Some("api") => (true, false),
        Some("e2e") => (false, true),
        Some(other) => return Err(format!("unknown suite \"{other}\"; use api, e2e or dev")),
    };
    if only.is_none() {
        checks_and_unit_tests(&mut tally);
    }

    step("cargo xtask build (worker, widget, size budgets)");
    let built = build::run().map(|_| ());
    let build_ok = built.is_ok();
    tally.check("build and size budgets", built);

    if build_ok && only.is_none() {
        dev_stops(&mut tally);
    }

    if build_ok {
        match start_test_stack() {
            Ok(stack) => {
                if api {
                    // The API tests run the `baton` command line against the stack too.
                    tally.check(
                        "cargo build -p baton-cli (for the API tests)",
                        crate::process::run(command("cargo").args(["build", "-p", "baton-cli"])),
                    );
                    tally.tests(
                        "API tests against the worker in workerd",
                        &mut api_tests(&stack.base_url),
                    );
                }
                if e2e {
                    tally.tests(
                        "end-to-end tests in Chromium (Playwright)",
                        command("node")
                            .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
                            .args(if files.is_empty() {
                                e2e_files()
                            } else {
                                files.to_vec()
                            })
                            .env("BATON_API_URL", &stack.base_url)
                            .env("TMPDIR", browser_tmp())
                            .env("CHROMIUM", CHROMIUM)
                            .env("BATON_ADMIN_TOKEN", ADMIN_TOKEN),
                    );
                }
                if api && api_filter().is_none() {
                    restart_test(&mut tally, stack);
                }
            }
            Err(message) => tally.check("local workerd stack", Err(message)),
        }
    } else {
        tally.check(
            "API and end-to-end tests",
            Err("skipped: the build failed".into()),
        );
    }

    tally.report()
}

/// `cargo xtask dev` (this binary, not building) ended each way it can be, on a spare port: one check per ending.
fn dev_stops(tally: &mut Tally) {
    step("cargo xtask dev stops everything it started, however it is ended");
    for ending in dev_stop::ENDINGS {
        tally.check(&format!("dev stops on {ending}"), dev_stop::check(*ending));
    }
}

/// Format, lints, the supply-chain policy (`deny.toml`), unit tests, purity of `baton-shared`, and the widget's own
/// tests in Chromium.
fn checks_and_unit_tests(tally: &mut Tally) {
    step("cargo fmt --check");
    tally.check(
        "format",
        crate::process::run(command("cargo").args(["fmt", "--all", "--check"])),
    );
    step("cargo clippy --all-targets -- -D warnings (native and wasm32)");
    tally.check(
        "clippy",
        crate::process::run(command("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])),
    );
    tally.check(
        "clippy wasm32",
        crate::process::run(command("cargo").args([
            "clippy",
            "-p",
            "baton-widget",
            "-p",
            "baton-console",
            "-p",
            "baton-worker",
            "-p",
            "baton-shared",
            "-p",
            "baton-wasm-bench",
            "-p",
            "baton-web",
            "--all-targets",
            "--target",
            WASM_TARGET,
            "--",
            "-D",
            "warnings",
        ])),
    );

    // The widget as `cargo xtask build` builds it: with its chat in `#[lazy]` functions (`split`).
    tally.check(
        "clippy wasm32 widget split",
        crate::process::run(command("cargo").args([
            "clippy",
            "-p",
            "baton-widget",
            "--lib",
            "--features",
            "split",
            "--target",
            WASM_TARGET,
            "--",
            "-D",
            "warnings",
        ])),
    );

    step("cargo deny check licenses bans sources (deny.toml)");
    tally.check("licenses, duplicate crates and sources", supply_chain());

    tally.tests(
        "native unit tests",
        command("cargo").args(["test", "--workspace", "--lib", "--bins"]),
    );

    step("baton-shared builds for wasm32 and depends on no browser or worker crate");
    tally.check(
        "shared for wasm32",
        crate::process::run(command("cargo").args([
            "build",
            "-p",
            "baton-shared",
            "--target",
            WASM_TARGET,
        ])),
    );
    tally.check("shared purity", shared_is_pure());

    tally.tests(
        "widget in headless Chromium (wasm-bindgen-test)",
        command("cargo")
            .args([
                "test",
                "-p",
                "baton-widget",
                "--target",
                WASM_TARGET,
                "--test",
                "web",
            ])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("TMPDIR", browser_tmp()),
    );
}

/// A temporary folder for the browsers the tests start, emptied first: Chromium keeps a profile folder (some 90 MB)
/// in the temporary folder and leaves it behind when it is killed rather than closed, which over many runs filled
/// the machine's disk.
fn browser_tmp() -> std::path::PathBuf {
    let folder = crate::at("target/browser-tmp");
    let _ = std::fs::remove_dir_all(&folder);
    if let Err(error) = std::fs::create_dir_all(&folder) {
        eprintln!("xtask: cannot make {}: {error}", folder.display());
        return std::env::temp_dir();
    }
    folder
}

/// `deny.toml`'s policy on every crate of every target. cargo-deny reads the whole graph, which names crates built
/// only for other platforms (macOS, Windows); `cargo fetch` puts those in cargo's cache, once (later a no-op that
/// needs no network), so that cargo-deny itself runs offline. Advisories, which need the network, are not checked.
fn supply_chain() -> crate::Result<()> {
    crate::process::run(command("cargo").args(["fetch", "--locked", "--quiet"]))?;
    crate::process::run(command("cargo").args([
        "deny",
        "--offline",
        "check",
        "licenses",
        "bans",
        "sources",
    ]))
}

fn step(name: &str) {
    println!("\n== {name}");
}

fn shared_is_pure() -> crate::Result<()> {
    let tree = crate::process::output(command("cargo").args([
        "tree",
        "-p",
        "baton-shared",
        "--target",
        WASM_TARGET,
        "-e",
        "normal,build",
        "--prefix",
        "none",
    ]))
    .ok_or("cargo tree -p baton-shared failed")?;
    let found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| FORBIDDEN_IN_SHARED.contains(name))
        .collect();
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("baton-shared depends on {}", found.join(", ")))
    }
}

/// The API test binary with everything the tests need to know about the stack.
fn api_tests(base_url: &str) -> Command {
    let mut tests = command("cargo");
    tests
        .args(["test", "-p", "baton-worker", "--test", "api"])
        .env("BATON_API_URL", base_url)
        // The tests read what the worker stored through wrangler, from the same local KV.
        .env("BATON_KV_STATE", crate::at(TEST_STATE))
        .env("WRANGLER", crate::at("node_modules/.bin/wrangler"))
        .env("BATON_MODEL_SERVER_PORT", MODEL_SERVER_PORT.to_string())
        .env("BATON_IDENTITY_SECRET_DEMO", IDENTITY_SECRET)
        .env("BATON_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("BATON_WEBHOOK_SECRET_LIVE", WEBHOOK_SECRET)
        .env("BATON_WEBHOOK_PORT", WEBHOOK_PORT.to_string())
        .env("BATON_TURNSTILE_PORT", TURNSTILE_PORT.to_string())
        .env("BATON_TURNSTILE_SECRET_GUARDED", TURNSTILE_SECRET)
        .env("BATON_CLI", crate::at("target/debug/baton"));
    if let Some(filter) = api_filter() {
        tests.args(["--", &filter]);
    }
    tests
}

/// `BATON_API_TESTS=site_config cargo xtask test api`: only the API tests whose name holds the filter (and not the
/// restart test), for a quicker loop on one feature.
fn api_filter() -> Option<String> {
    std::env::var("BATON_API_TESTS")
        .ok()
        .filter(|filter| !filter.is_empty())
}

fn start_test_stack() -> crate::Result<Stack> {
    let state = crate::at(TEST_STATE);
    crate::stack::clear_state(&state)?;
    let mut sites = seed::site_files("sites")?;
    sites.extend(seed::site_files("tests/sites")?);
    seed::sites(&state, &sites)?;
    // An earlier run's, which a run without the restart tests would leave beside this run's log.
    let _ = std::fs::remove_file(crate::at(RESTARTED_LOG));
    launch_test_stack(&[], Logs::File(TEST_LOG))
}

/// `wrangler dev` for the tests on the state in [`TEST_STATE`], as it is, with `extra` vars, logging to `logs`.
fn launch_test_stack(extra: &[(String, String)], logs: Logs) -> crate::Result<Stack> {
    let state = crate::at(TEST_STATE);
    step(&format!(
        "starting the worker (wrangler's dev server) on 127.0.0.1:{TEST_PORT} (log: {})",
        logs.path().unwrap_or("the terminal")
    ));
    let mut vars: Vec<(&str, String)> = vec![
        // The API tests' OpenAI-compatible server on loopback (worker/tests/api/model_server.rs).
        (
            "BATON_AI_BASE_URL",
            format!("http://127.0.0.1:{MODEL_SERVER_PORT}/v1"),
        ),
        ("BATON_AI_API_KEY", "test-key".into()),
        ("BATON_AI_TIMEOUT_MS", "1500".into()),
        // The demo site's identity secret, which the API tests sign visitor tokens with.
        ("BATON_IDENTITY_SECRET_DEMO", IDENTITY_SECRET.into()),
        // Lets tests set the time of a request (`X-Baton-Now`), for business hours.
        ("BATON_TEST_CLOCK", "header".into()),
        // `GET /v1/__tally`: what the worker did per site (`worker/tests/api/tally.rs`).
        ("BATON_TALLY", "on".into()),
        ("BATON_ADMIN_TOKEN", ADMIN_TOKEN.into()),
        ("BATON_WEBHOOK_SECRET_LIVE", WEBHOOK_SECRET.into()),
        // Links in webhooks point here, never at a request's Host.
        ("BATON_PUBLIC_URL", format!("http://127.0.0.1:{TEST_PORT}")),
        (
            "BATON_TURNSTILE_VERIFY_URL",
            format!("http://127.0.0.1:{TURNSTILE_PORT}/siteverify"),
        ),
        ("BATON_TURNSTILE_SECRET_GUARDED", TURNSTILE_SECRET.into()),
        // Low enough for a test to fill a conversation (agent replies are not rate limited).
        ("BATON_MAX_CONVERSATION_MESSAGES", "120".into()),
    ];
    vars.extend(
        extra
            .iter()
            .map(|(name, value)| (name.as_str(), value.clone())),
    );
    Stack::start(TEST_PORT, &state, logs, &vars)
}

/// The end-to-end spec files, `tests/*.test.mjs`, in name order.
fn e2e_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(crate::at("tests"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/{name}"))
        .collect();
    files.sort();
    files
}
