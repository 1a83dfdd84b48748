//! Building what the worker serves: the worker bundle (worker-build → `worker/build/`) and the widget
//! (cargo → wasm-bindgen → wasm-opt → `public/widget/`), then the size report and its budgets.

use std::path::Path;

use crate::process::{self, command};
use crate::size;
use crate::tools::{WASM_TARGET, find_in_path};

/// Where the built widget is served from (git-ignored).
pub const WIDGET_OUT: &str = "public/widget";

pub fn run() -> crate::Result<size::Report> {
    build_loader()?;
    build_widget()?;
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
    process::run(command("cargo").args([
        "build",
        "--release",
        "--target",
        WASM_TARGET,
        "-p",
        "baton-widget",
    ]))?;
    let bindgen_dir = crate::at("target/widget-bindgen");
    let wasm = crate::at(&format!("target/{WASM_TARGET}/release/baton_widget.wasm"));
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
    let out = crate::at(WIDGET_OUT);
    std::fs::create_dir_all(&out)
        .map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    process::run(
        command(&wasm_opt())
            .arg(bindgen_dir.join("baton_widget_bg.wasm"))
            .args([
                "-Oz",
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
            .arg(out.join("baton_widget_bg.wasm")),
    )?;
    copy(
        &bindgen_dir.join("baton_widget.js"),
        &out.join("baton_widget.js"),
    )?;
    copy(&crate::at("widget/style.css"), &out.join("widget.css"))
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
