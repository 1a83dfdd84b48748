//! Installing what the build and the tests need, and skipping what is already there at the right version: the
//! wasm32 target, the widget's pinned nightly, wasm-bindgen-cli, worker-build, the pinned npm tools, and for the tests cargo-deny and Debian's
//! Chromium. A tool at another version is replaced (`cargo install --force`).

use std::path::PathBuf;

use crate::process::{command, output, run};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The widget alone is built with this nightly, pinned by date: it rebuilds the standard library for size
/// (`-Zbuild-std` with `optimize_for_size`) and aborts on panic without formatting a message (`immediate-abort`),
/// which together take about a tenth off every page view's download. It needs only `rust-src`: the standard library
/// for wasm32 is built from source, so no prebuilt `rust-std` for the target is needed.
pub const WIDGET_NIGHTLY: &str = "nightly-2026-05-19";
/// `wasm-split-cli` (crate `wasm_split_cli_support`, feature `build-binary`) splits the widget at its Leptos `#[lazy]`
/// functions. It has no `--version`, so it is installed into a folder named after its version.
const WASM_SPLIT_VERSION: &str = "0.2.4";
/// Must equal the `wasm-bindgen` crate version pinned in Cargo.toml (and so in Cargo.lock): the CLI refuses a module
/// built by another version. [`ensure`] checks the lockfile before anything is built.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
const WORKER_BUILD_VERSION: &str = "0.8.7";
/// `cargo deny check licenses bans sources` against `deny.toml`, in `cargo xtask test`: the newest release when it was
/// pinned; it needs Rust 1.88 or later, and installs with `--locked`.
const CARGO_DENY_VERSION: &str = "0.20.2";
/// npm packages whose installed versions must match package.json; otherwise `npm ci` runs.
const NPM_PINS: &[(&str, &str)] = &[
    ("wrangler", "4.86.0"),
    ("binaryen", "132.0.0"),
    ("playwright-core", "1.65.1"),
    ("axe-core", "4.10.3"),
];
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Which command is asking: only the tests need a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Build,
    Test,
}

pub fn ensure(need: Need) -> crate::Result<()> {
    wasm_target()?;
    widget_nightly()?;
    wasm_split()?;
    bindgen_matches_lockfile()?;
    cargo_tool(
        "wasm-bindgen",
        "wasm-bindgen-cli",
        WASM_BINDGEN_VERSION,
        false,
    )?;
    cargo_tool("worker-build", "worker-build", WORKER_BUILD_VERSION, true)?;
    npm_tools()?;
    if need == Need::Test {
        cargo_tool("cargo-deny", "cargo-deny", CARGO_DENY_VERSION, true)?;
        chromium()?;
    }
    Ok(())
}

/// Fails, before anything is installed or built, when Cargo.lock's `wasm-bindgen` is not the CLI version that xtask
/// installs.
fn bindgen_matches_lockfile() -> crate::Result<()> {
    let lockfile = std::fs::read_to_string(crate::at("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    match locked_version(&lockfile, "wasm-bindgen") {
        Some(locked) if locked != WASM_BINDGEN_VERSION => Err(format!(
            "Cargo.lock has wasm-bindgen {locked} but xtask installs wasm-bindgen-cli {WASM_BINDGEN_VERSION}: \
             change the pin in Cargo.toml and WASM_BINDGEN_VERSION in xtask/src/tools.rs together"
        )),
        _ => Ok(()),
    }
}

/// The version of `package` in a Cargo.lock (the first, if it holds several).
fn locked_version<'a>(lockfile: &'a str, package: &str) -> Option<&'a str> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lockfile.lines();
    lines.find(|line| line.trim() == name_line)?;
    lines
        .next()?
        .trim()
        .strip_prefix("version = \"")?
        .strip_suffix('"')
}

fn wasm_target() -> crate::Result<()> {
    let installed =
        output(command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    println!("xtask: installing the {WASM_TARGET} target");
    run(command("rustup").args(["target", "add", WASM_TARGET]))
}

fn widget_nightly() -> crate::Result<()> {
    let toolchain = format!("+{WIDGET_NIGHTLY}");
    let components =
        output(command("rustup").args([&toolchain, "component", "list", "--installed"]))
            .unwrap_or_default();
    if components.lines().any(|line| line.trim() == "rust-src") {
        return Ok(());
    }
    println!("xtask: installing Rust {WIDGET_NIGHTLY} with rust-src for the widget (once)");
    run(command("rustup").args([
        "toolchain",
        "install",
        WIDGET_NIGHTLY,
        "--profile",
        "minimal",
        "--component",
        "rust-src",
    ]))
}

/// Where `wasm-split-cli` is installed: `$CARGO_HOME/baton-tools/wasm-split-cli-{version}/bin`.
pub fn wasm_split_cli() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
        PathBuf::from,
    );
    cargo_home
        .join("baton-tools")
        .join(format!("wasm-split-cli-{WASM_SPLIT_VERSION}"))
        .join("bin/wasm-split-cli")
}

fn wasm_split() -> crate::Result<()> {
    let binary = wasm_split_cli();
    if binary.is_file() {
        return Ok(());
    }
    let root = binary
        .parent()
        .and_then(std::path::Path::parent)
        .ok_or("wasm-split-cli's install folder has no parent")?;
    println!("xtask: installing wasm-split-cli {WASM_SPLIT_VERSION} (a few minutes, once)");
    run(command("cargo")
        .args([
            "install",
            "wasm_split_cli_support",
            "--version",
            WASM_SPLIT_VERSION,
        ])
        .args(["--features", "build-binary", "--locked", "--root"])
        .arg(root))
}

/// `cargo install` a tool unless `<binary> --version` already reports `version`. Another version, or a binary that
/// does not run, is replaced: `--force` reinstalls even when cargo's own records say the version is there.
fn cargo_tool(binary: &str, package: &str, version: &str, locked: bool) -> crate::Result<()> {
    let reported = output(command(binary).arg("--version")).unwrap_or_default();
    if reports_version(&reported, version) {
        return Ok(());
    }
    let found = reported.trim();
    let found = if found.is_empty() { "none" } else { found };
    println!("xtask: installing {package} {version} (found: {found}; a few minutes, once)");
    let mut install = command("cargo");
    install.args(["install", package, "--version", version, "--force"]);
    // wasm-bindgen-cli's own lockfile wants a crate version the registry lacks, so it is installed unlocked.
    if locked {
        install.arg("--locked");
    }
    run(&mut install)
}

/// Whether `--version` output (`wasm-bindgen 0.2.130`, `cargo-deny 0.20.2`) names exactly `version`.
fn reports_version(reported: &str, version: &str) -> bool {
    reported.split_whitespace().any(|word| word == version)
}

fn npm_tools() -> crate::Result<()> {
    let missing: Vec<&str> = NPM_PINS
        .iter()
        .filter(|(name, version)| installed_npm_version(name).as_deref() != Some(*version))
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("xtask: npm ci (missing or stale: {})", missing.join(", "));
    run(command("npm").args(["ci", "--no-audit", "--no-fund"]))
}

fn installed_npm_version(name: &str) -> Option<String> {
    let manifest =
        std::fs::read_to_string(crate::at(&format!("node_modules/{name}/package.json"))).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&manifest).ok()?;
    manifest.get("version")?.as_str().map(String::from)
}

fn chromium() -> crate::Result<()> {
    if std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    println!("xtask: installing Debian's chromium and chromium-driver");
    let is_root = output(command("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut apt = if is_root {
            command("apt-get")
        } else {
            let mut sudo = command("sudo");
            sudo.arg("apt-get");
            sudo
        };
        apt.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut apt)
    };
    apt(&["update"])?;
    apt(&[
        "install",
        "-y",
        "--no-install-recommends",
        "chromium",
        "chromium-driver",
    ])
}

/// Absolute path of a program on PATH (worker-build wants absolute paths for its tools).
pub fn find_in_path(program: &str) -> crate::Result<PathBuf> {
    std::env::split_paths(&crate::process::search_path())
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| format!("{program} is not on PATH"))
}

#[cfg(test)]
mod tests {
    use super::{WASM_BINDGEN_VERSION, locked_version, reports_version};

    #[test]
    fn the_wasm_bindgen_cli_installed_is_the_locked_crate() {
        let lockfile = std::fs::read_to_string(crate::at("Cargo.lock")).expect("Cargo.lock");
        assert_eq!(
            locked_version(&lockfile, "wasm-bindgen"),
            Some(WASM_BINDGEN_VERSION)
        );
        assert_eq!(locked_version(&lockfile, "no-such-crate"), None);
    }

    #[test]
    fn a_tool_at_another_version_is_reinstalled() {
        assert!(reports_version("wasm-bindgen 0.2.130\n", "0.2.130"));
        assert!(!reports_version("wasm-bindgen 0.2.129\n", "0.2.130"));
        assert!(!reports_version("wasm-bindgen 0.2.1300\n", "0.2.130"));
        // Missing or broken: no output at all.
        assert!(!reports_version("", "0.2.130"));
    }
}
