//! Building what the worker serves: the worker bundle (worker-build → `worker/build/`) and the widget
//! and the agent console (cargo → wasm-bindgen → wasm-opt → `public/widget/`, `public/console/app/`), then the size
//! report and its budgets.

mod chat_pack;
mod short_names;

use std::path::Path;

use crate::process::{self, command};
use crate::size;
use crate::tools::{self, WASM_TARGET, WIDGET_NIGHTLY, find_in_path};

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
    // Minified as the glue is (comments and spaces out): every page view downloads it.
    process::run(
        command(&esbuild())
            .arg(crate::at("widget/style.css"))
            .args(["--minify", "--log-level=warning"])
            .arg(format!("--outfile={}", out.join("widget.css").display())),
    )
}

fn build_console() -> crate::Result<()> {
    println!("xtask: building the agent console");
    build_wasm("baton-console", &[], &crate::at(CONSOLE_OUT))
}

/// Builds a browser wasm crate such as the console: cargo release for wasm32 (with `cargo_args`, e.g. features) →
/// wasm-bindgen `--target web` → wasm-opt `-Oz`, leaving `{name}.js` and `{name}_bg.wasm` in `out`.
pub fn build_wasm(package: &str, cargo_args: &[&str], out: &Path) -> crate::Result<()> {
    let name = package.replace('-', "_");
    process::run(
        command("cargo")
            .args(["build", "--release", "--target", WASM_TARGET, "-p", package])
            .args(cargo_args),
    )?;
    let wasm = crate::at(&format!("target/{WASM_TARGET}/release/{name}.wasm"));
    let bindgen_dir = crate::at(&format!("target/{name}-bindgen"));
    bindgen(&wasm, &bindgen_dir, &[])?;
    std::fs::create_dir_all(out)
        .map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    optimise(
        &bindgen_dir.join(format!("{name}_bg.wasm")),
        &["-Oz"],
        &out.join(format!("{name}_bg.wasm")),
    )?;
    copy(
        &bindgen_dir.join(format!("{name}.js")),
        &out.join(format!("{name}.js")),
    )
}

/// Builds the widget for the smallest download a page view pays, into `out`:
/// - with the pinned nightly ([`WIDGET_NIGHTLY`]) rebuilding the standard library for size and aborting on panic
///   without a message, in a target folder of its own (so the stable builds' caches stay warm); with no source
///   locations for panics (`-Zlocation-detail=none`) and `Debug` formatting that writes nothing (`-Zfmt-debug=none`):
///   a trap says nothing either way, and the widget shows and logs only `Display` text (page load −3.2 KB, chat
///   open −4.6 KB brotli, measured at 7ba0667);
/// - with the `split` feature, linked with relocations, then cut by `wasm-split-cli` at the widget's `#[lazy]`
///   functions (`widget/src/chat.rs`): `baton_widget_bg.wasm` is what every page view loads, `split_*.wasm` and
///   `chunk_*.wasm` what the chat fetches when first needed, `__wasm_split.js` the glue that fetches them (and that
///   the main module's glue imports, so it is part of every page view too);
/// - the chat panel and the chunks in one download, `chat.wasm`, the loader rewritten to take them from it as
///   `chat_pack.mjs` reads them (`build/chat_pack.rs`);
/// - wasm-bindgen on the main module (keeping the function table the chunks link against), and wasm-opt
///   `-Os --converge` on every module, which came out smaller than `-Oz` on this code; esbuild minifies the glue;
/// - the names the main module and its glue share shortened in both (`build/short_names.rs`).
pub fn build_widget_wasm(cargo_args: &[&str], out: &Path) -> crate::Result<()> {
    let name = "baton_widget";
    let target_dir = crate::at("target/widget-nightly");
    process::run(
        command("cargo")
            .arg(format!("+{WIDGET_NIGHTLY}"))
            .args([
                "build",
                "--release",
                "--target",
                WASM_TARGET,
                "-p",
                "baton-widget",
            ])
            .args([
                "-Zbuild-std=std,panic_abort",
                "-Zbuild-std-features=optimize_for_size",
            ])
            .args(["--features", "split", "--target-dir"])
            .arg(&target_dir)
            .args(cargo_args)
            .env(
                "RUSTFLAGS",
                "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Clink-args=--emit-relocs",
            ),
    )?;
    let split_dir = crate::at("target/baton_widget-split");
    let bindgen_dir = crate::at("target/baton_widget-bindgen");
    for dir in [&split_dir, &bindgen_dir, out] {
        empty_dir(dir)?;
    }
    process::run(
        command(&tools::wasm_split_cli().to_string_lossy())
            .args(["--target", "web", "--out-name", name])
            .arg(target_dir.join(format!("{WASM_TARGET}/release/{name}.wasm")))
            .arg(&split_dir),
    )?;
    bindgen(
        &split_dir.join(format!("{name}.wasm")),
        &bindgen_dir,
        &["--keep-lld-exports", "--out-name", name],
    )?;
    let level = ["-Os", "--converge"];
    optimise(
        &bindgen_dir.join(format!("{name}_bg.wasm")),
        &level,
        &out.join(format!("{name}_bg.wasm")),
    )?;
    minify(
        &bindgen_dir.join(format!("{name}.js")),
        &out.join(format!("{name}.js")),
    )?;
    let mut to_pack = Vec::new();
    for file in files_in(&split_dir)? {
        let file_name = file.file_name().unwrap_or_default().to_string_lossy();
        if chat_pack::packed(&file_name) {
            let optimised = split_dir.join(format!("optimised_{file_name}"));
            optimise(&file, &level, &optimised)?;
            to_pack.push((file_name.into_owned(), read(&optimised)?));
        } else if file_name.starts_with("split_") {
            optimise(&file, &level, &out.join(&*file_name))?;
        }
    }
    let loader = read_text(&split_dir.join("__wasm_split.js"))?;
    let (pack, loader) = chat_pack::pack(&to_pack, &loader)?;
    write(&out.join(chat_pack::PACK), &pack)?;
    let packed_loader = split_dir.join("__wasm_split.packed.js");
    write(&packed_loader, loader.as_bytes())?;
    minify(&packed_loader, &out.join("__wasm_split.js"))?;
    minify(
        &crate::at("widget").join(chat_pack::READER),
        &out.join(chat_pack::READER),
    )?;
    let renamed = short_names::shorten(
        &out.join(format!("{name}_bg.wasm")),
        &out.join(format!("{name}.js")),
        &out.join("__wasm_split.js"),
    )?;
    println!("xtask: {renamed} names the widget's main module and its glue share, shortened");
    Ok(())
}

/// The JavaScript glue wasm-bindgen and wasm-split-cli write, minified by esbuild (imports, exports and the import
/// object's names stay as they are): every page view downloads both files.
fn minify(input: &Path, output: &Path) -> crate::Result<()> {
    process::run(
        command(&esbuild())
            .arg(input)
            .args(["--minify", "--format=esm", "--log-level=warning"])
            // wasm-bindgen's import object names `./__wasm_split.js` twice (for the same module): harmless.
            .arg("--log-override:duplicate-object-key=silent")
            .arg(format!("--outfile={}", output.display())),
    )
}

/// wasm-bindgen `--target web`, without the name and producers sections, into `out_dir`.
fn bindgen(wasm: &Path, out_dir: &Path, extra: &[&str]) -> crate::Result<()> {
    process::run(
        command("wasm-bindgen")
            .arg(wasm)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--remove-name-section",
                "--remove-producers-section",
            ])
            .args(extra)
            .arg("--out-dir")
            .arg(out_dir),
    )
}

/// wasm-opt at `level` with the features Rust's wasm32 output uses.
fn optimise(input: &Path, level: &[&str], output: &Path) -> crate::Result<()> {
    process::run(
        command(&wasm_opt())
            .arg(input)
            .args(level)
            .args([
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "-o",
            ])
            .arg(output),
    )
}

/// The widget's modules, as [`build_widget_wasm`] leaves them in `dir`: the main module first, then the chat's.
pub fn widget_modules(dir: &Path) -> crate::Result<Vec<std::path::PathBuf>> {
    let mut modules: Vec<_> = files_in(dir)?
        .into_iter()
        .filter(|file| {
            file.extension()
                .is_some_and(|extension| extension == "wasm")
        })
        .collect();
    modules.sort_by_key(|file| !file.ends_with("baton_widget_bg.wasm"));
    Ok(modules)
}

fn files_in(dir: &Path) -> crate::Result<Vec<std::path::PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    let mut files = entries
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    files.sort();
    Ok(files)
}

/// Makes `dir` exist and hold nothing, so no module of an earlier build is served with this one.
fn empty_dir(dir: &Path) -> crate::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .map_err(|error| format!("cannot empty {}: {error}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))
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

fn read(path: &Path) -> crate::Result<Vec<u8>> {
    std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn read_text(path: &Path) -> crate::Result<String> {
    String::from_utf8(read(path)?).map_err(|_| format!("{} is not UTF-8", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> crate::Result<()> {
    std::fs::write(path, bytes).map_err(|error| format!("cannot write {}: {error}", path.display()))
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
