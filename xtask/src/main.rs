//! Baton's automation, one binary instead of shell scripts (`cargo xtask …`, alias in `.cargo/config.toml`).
//!
//! - `dev`: install what is missing, build, seed the demo site, run the worker on local workerd at 127.0.0.1:8787
//!   until SIGINT, SIGTERM or SIGHUP (`--port N`, `--state DIR`, `--no-build` for the check that it stops cleanly).
//! - `build`: build the worker and the widget, print the size report, fail over budget.
//! - `test` (= `ci`): every check and test, the architecture checks first; ends with `N passed, N failed`.
//! - `arch`: the architecture checks alone (import cycles, a pure `shared`, one clock, typed internal calls, file
//!   sizes): each finding as `file:line: rule: message`.
//! - `bench`: the benchmarks (matching, campaigns, messages, the ledger's recording, live, long tasks), with p50/p99.
//! - `fuzz [SECONDS]`: each fuzz target for a bounded time.

mod arch;
mod bench;
mod bench_metrics;
mod build;
mod dev;
mod dev_stop;
mod fuzz;
mod history;
mod live_load;
mod load;
mod process;
mod publish;
mod recording;
mod seed;
mod size;
mod stack;
mod tally;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What went wrong in a task, in a sentence for the person at the terminal.
pub type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("dev") => dev::Config::parse(&args[1..]).and_then(|config| dev::run(&config)),
        Some("build") => tools::ensure(tools::Need::Build).and_then(|()| build::run().map(|_| ())),
        Some("arch") => arch::run(),
        Some("test" | "ci") => {
            test::run(args.get(1).map(String::as_str), &args[2.min(args.len())..])
        }
        Some("bench") => bench::run(args.get(1).map(String::as_str)),
        Some("fuzz") => fuzz::run_all(args.get(1).map(String::as_str)),
        _ => {
            eprintln!(
                "usage: cargo xtask <dev [--port N] [--state DIR] [--no-build] [--history] | build | test [api | e2e [FILE…] | dev] | arch | ci | bench [matching | campaigns | messages | ledger | live | long-tasks | metrics] | fuzz [SECONDS]>"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of this crate).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
}

/// A path under the repository root.
pub fn at(relative: &str) -> PathBuf {
    root().join(relative)
}
