//! Building what the worker serves: the worker bundle (worker-build → `worker/build/`) and the widget
//! and the agent console (cargo → wasm-bindgen → wasm-opt → `public/widget/`, `public/console/app/`), then the size
//! report and its budgets.

use std::path::Path;

use crate::process::{self, command};
use crate::size;
use crate::tools::{WASM_TARGET, WIDGET_NIGHTLY, find_in_path};

/// Where the built widget is served from (git-ignored).
pub const WIDGET_OUT: &str = "public/widget";
/// Where the built console is served from (git-ignored; `public/console/index.html` loads it).
pub const CONSOLE_OUT: &str = "public/console/app";

pub fn run() -> crate::Result<size::Report> {
    build_loader()?;
    build_widget()?;
    build_console()?;
    build_worker()?;
    let report = size::measure()?;
    print!("{report}");
    report.check_budgets()?;
    Ok(report)
}

/// The loader is written readable in `widget/loader.js` and served minified: every host page downloads it.
fn build_loader() -> crate::Result<()> {
    process::run(
        command(&esbuild())
            .arg(crate::at("widget/loader.js"))
            .args(["--minify", "--target=es2019", "--log-level=warning"])
            .arg(format!(
                "--outfile={}",
                crate::at("public/loader.js").display()
            )),
    )
}

fn build_widget() -> crate::Result<()> {
    println!("xtask: building the widget");
    let out = crate::at(WIDGET_OUT);
    build_widget_wasm(&[], &out)?;
    copy(&crate::at("widget/style.css"), &out.join("widget.css"))
}

fn build_console() -> crate::Result<()> {
    println!("xtask: building the agent console");
    build_wasm("baton-console", &[], &crate::at(CONSOLE_OUT))
}

/// Builds a browser wasm crate such as the console: cargo release for wasm32 (with `cargo_args`, e.g. features) →
/// wasm-bindgen `--target web` → wasm-opt `-Oz`, leaving `{name}.js` and `{name}_bg.wasm` in `out`.
pub fn build_wasm(package: &str, cargo_args: &[&str], out: &Path) -> crate::Result<()> {
    build_browser_wasm(package, cargo_args, out, Flavour::Stable)
}

/// Builds the widget like [`build_wasm`], but for the smallest download every page view pays: with the pinned nightly
/// ([`WIDGET_NIGHTLY`]) rebuilding the standard library for size and aborting on panic without a message, into a
/// target folder of its own (so the stable builds' caches stay warm), and wasm-opt `-Os --converge`, which came out
/// smaller than `-Oz` on this module.
pub fn build_widget_wasm(cargo_args: &[&str], out: &Path) -> crate::Result<()> {
    build_browser_wasm("baton-widget", cargo_args, out, Flavour::WidgetNightly)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Stable,
    WidgetNightly,
}

fn build_browser_wasm(
    package: &str,
    cargo_args: &[&str],
    out: &Path,
    flavour: Flavour,
) -> crate::Result<()> {
    let name = package.replace('-', "_");
    let mut cargo = command("cargo");
    let target_dir = match flavour {
        Flavour::Stable => crate::at("target"),
        Flavour::WidgetNightly => {
            let toolchain = format!("+{WIDGET_NIGHTLY}");
            cargo
                .arg(toolchain)
                .env("RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort");
            crate::at("target/widget-nightly")
        }
    };
    cargo.args(["build", "--release", "--target", WASM_TARGET, "-p", package]);
    if flavour == Flavour::WidgetNightly {
        cargo.args([
            "-Zbuild-std=std,panic_abort",
            "-Zbuild-std-features=optimize_for_size",
        ]);
    }
    process::run(cargo.arg("--target-dir").arg(&target_dir).args(cargo_args))?;
    let bindgen_dir = crate::at(&format!("target/{name}-bindgen"));
    let wasm = target_dir.join(format!("{WASM_TARGET}/release/{name}.wasm"));
    process::run(
        command("wasm-bindgen")
            .arg(&wasm)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--remove-name-section",
                "--remove-producers-section",
            ])
            .arg("--out-dir")
            .arg(&bindgen_dir),
    )?;
    std::fs::create_dir_all(out)
        .map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    let level: &[&str] = match flavour {
        Flavour::Stable => &["-Oz"],
        Flavour::WidgetNightly => &["-Os", "--converge"],
    };
    process::run(
        command(&wasm_opt())
            .arg(bindgen_dir.join(format!("{name}_bg.wasm")))
            .args(level)
            .args([
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
            ])
            .args([
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "-o",
            ])
            .arg(out.join(format!("{name}_bg.wasm"))),
    )?;
    copy(
        &bindgen_dir.join(format!("{name}.js")),
        &out.join(format!("{name}.js")),
    )
}

fn build_worker() -> crate::Result<()> {
    println!("xtask: building the worker");
    let wasm_bindgen = find_in_path("wasm-bindgen")?;
    process::run(
        command("worker-build")
            .arg("--release")
            .current_dir(crate::at("worker"))
            // With all three set, worker-build uses these local binaries and makes no network call.
            .env("WASM_BINDGEN_BIN", wasm_bindgen)
            .env("WASM_OPT_BIN", wasm_opt())
            .env("ESBUILD_BIN", esbuild()),
    )
}

/// esbuild as installed with wrangler's npm dependencies.
fn esbuild() -> String {
    crate::at("node_modules/@esbuild/linux-x64/bin/esbuild")
        .to_string_lossy()
        .into_owned()
}

/// binaryen 132 from npm: Debian's older wasm-opt breaks the worker build.
fn wasm_opt() -> String {
    crate::at("node_modules/.bin/wasm-opt")
        .to_string_lossy()
        .into_owned()
}

fn copy(from: &Path, to: &Path) -> crate::Result<()> {
    std::fs::copy(from, to).map(|_| ()).map_err(|error| {
        format!(
            "cannot copy {} to {}: {error}",
            from.display(),
            to.display()
        )
    })
}
