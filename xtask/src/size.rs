//! The size report printed by every build, and the budgets it must stay within (kept here, in one place), with
//! the time budgets `cargo xtask bench` checks.

use std::fmt;
use std::io::Write;

use crate::process::command;

/// A limit on the compressed size of a group of files. A file name ending in `*` stands for every measured file
/// it starts (the widget's split modules are named by wasm-split-cli with a hash).
struct Budget {
    name: &'static str,
    files: &'static [&'static str],
    compression: Compression,
    max_bytes: usize,
}

#[derive(Debug, Clone, Copy)]
enum Compression {
    Gzip,
    Brotli,
}

/// The demo site's widget configuration (`GET /v1/sites/demo/widget`, in the wire encoding the widget asks for),
/// measured with the static files: every page view downloads it (from the worker, not from the assets; here it is
/// built from `sites/demo.json` as the worker builds it).
const WIDGET_CONFIG: &str = "GET /v1/sites/demo/widget (sites/demo.json, wire encoding)";

/// The demo site's FAQ with its compiled index (`GET /v1/sites/demo/widget/faq`, in the wire encoding), built as
/// the worker builds it: the chat's module asks for it, so it counts in chat open, not in page load.
const WIDGET_FAQ: &str = "GET /v1/sites/demo/widget/faq (sites/demo.json, wire encoding)";

/// What every page view of a site with the widget downloads before the visitor touches the chat: the loader, the
/// widget's main module and its JavaScript, the stylesheet and the configuration. The launcher, the campaign
/// engine and the `Baton(…)` commands work from these.
const PAGE_LOAD: &[&str] = &[
    "public/loader.js",
    "public/widget/baton_widget_bg.wasm",
    "public/widget/baton_widget.js",
    // Imported by `baton_widget.js` (it holds the split modules' loader).
    "public/widget/__wasm_split.js",
    "public/widget/widget.css",
    WIDGET_CONFIG,
];

/// Every size budget of the product.
const BUDGETS: &[Budget] = &[
    Budget {
        name: "loader",
        files: &["public/loader.js"],
        compression: Compression::Gzip,
        max_bytes: 1_024,
    },
    Budget {
        name: "page load",
        files: PAGE_LOAD,
        compression: Compression::Brotli,
        // Issue 18's goal, 80 KB, is this budget, read as 80,000 B (not 81,920): met. Before it, the widget was
        // one module of 354 KB with everything in it (its budget was 346 KiB of wasm, js and css). The pinned nightly with a size-optimised
        // standard library and immediate abort took 28 KB off, parsing campaign instants without jiff 30 KB, and
        // the split at the chat (`widget/src/chat.rs`) moved the panel, sending, instant answers, the live
        // socket's code and the campaign card out: 177,988 B with the demo configuration. The configuration in the
        // wire encoding (`shared/src/protocol/wire.rs`) instead of JSON took serde_json's decoding of it out of the
        // main module: 157,725 B. The launcher and the widget's frame built with the DOM's own calls (the chat's
        // modules mount their Leptos views into them) took the Leptos renderer out: 139,325 B. The rest of the
        // JSON through the browser's own parser (`web/src/json.rs`) took serde_json out: 131,719 B. The split
        // loader the glue imports is counted since, and both are minified: 130,821 B. The page-load half's state
        // in watched values (`widget/src/watched.rs`) instead of Leptos's signals and effects took Leptos's
        // reactive system out, the browser's `fetch` (`widget/src/fetch.rs`) gloo-net, and base64 of a few lines
        // (`shared/src/protocol/wire/base64.rs`) its crate: 108,379 B. No JSON decoded with serde at page load
        // (the staffing answer and the visit's `localStorage` copies in the wire encoding, `identify`'s object read
        // field by field) took serde-wasm-bindgen's decoder out: 97,836 B. The visitor's attributes and campaign
        // history in a `TextMap` (`shared/src/vocab/text_map.rs`, a sorted list) instead of two `BTreeMap`s: 92,916
        // B. JSON written as text by a serializer of its own (`web/src/json/text.rs`) instead of serde-wasm-bindgen's
        // (and its hash map of field names), and one copy of the watched values' hooks for every type: 90,763 B.
        // The campaigns read from the site's configuration and the site moved into place, not copied: 89,488 B.
        // The futures boxed before they are spawned and one copy of the watched values' lookup: 89,270 B. No
        // `join` in `Baton('identify')`'s checks: 88,847 B. The FAQ and its index in an answer of their own
        // (`GET …/widget/faq`), fetched with the chat's module: 86,025 B. The names the main module and its
        // glue share (wasm-bindgen's hashed import names, the closures' entry points) shortened in both
        // (`build/short_names.rs`): 80,501 B. The handoff rules and fallback, which only instant answers read, with
        // the FAQ, and nothing to drop the instant answers in the page-load half: 80,029 B. The stylesheet minified:
        // 79,563 B. The chat's modules packed in one download (`build/chat_pack.rs`), which the split loader
        // takes them from (a few lines more of it): 79,697 B. The lead form's answers kept in the wire encoding (the
        // chat reads them with its decoder, not serde-wasm-bindgen's): 79,897 B.
        // The chat's lists and conditional parts as plain reactive closures instead of `For` and `Show` moved a few
        // functions the chat and the campaign card now share into the main module: 79,920 B; 79,833 B since; 79,889 B
        // with the strings' table picked by one function the chat's views share (`Strings::for_site`); 79,783 B since.
        // No source locations for panics and no `Debug` text (`-Zlocation-detail=none -Zfmt-debug=none`,
        // `build.rs`): 76,556 B.
        // What is left is mostly the campaign engine, the configuration's decoding, wasm-bindgen's glue and
        // core/alloc.
        max_bytes: 80_000,
    },
    Budget {
        name: "chat open",
        files: &[
            "public/loader.js",
            "public/widget/baton_widget_bg.wasm",
            "public/widget/baton_widget.js",
            "public/widget/widget.css",
            WIDGET_CONFIG,
            WIDGET_FAQ,
            "public/widget/__wasm_split.js",
            "public/widget/chat.wasm",
            "public/widget/chat_pack.mjs",
        ],
        compression: Compression::Brotli,
        // Page load plus the chat's modules, fetched on hover, focus, a campaign or `Baton('open')`. Issue 18's
        // goal is 170 KB (174,080 B): NOT met (321,263 B at the split, 299,748 B with the configuration in the wire
        // encoding, 288,068 B with the launcher out of Leptos, 275,446 B without serde_json, 273,842 B with the
        // glue minified, 260,477 B with the page-load half out of Leptos's reactive system, 259,727 B with no JSON
        // decoded at page load, 254,789 B with `TextMap`, 253,870 B with JSON written as text, 254,323 B with the
        // code that copies the site in the chat's module, 253,772 B with the futures boxed, 253,289 B without
        // `join`, 256,004 B with the FAQ fetched by the chat (its own answer, its loading and the studio preview's
        // message), 250,480 B with the shared names shortened, 249,529 B with the handoff rules moved and the
        // stylesheet minified, 249,554 B since; 243,485 B with the chat's modules packed in one download,
        // `chat.wasm`, and its reader `chat_pack.mjs` (`build/chat_pack.rs`); 231,034 B with the chat's answers, socket
        // events, session and lead-form copies in the wire encoding (no serde-wasm-bindgen in the chat's modules); 225,579 B with the lists and conditional parts as plain
        // reactive closures instead of `For` and `Show` (no keyed diffing, index sets or per-list memos: the message
        // and reply lists are rebuilt in place, item by item); 219,729 B with the items of every list, and the optional parts
        // rebuilt with the chat, as `AnyView` (one copy of the list's and the option's rebuild instead of one per view
        // type); 220,432 B with the message lists rebuilt only when their items change
        // (memos of their keys), not at every change of the chat; 214,876 B with the panel's actions as calls on the
        // conversation and what it derives as `ChatView`'s methods (`actions.rs`), the strings as `SiteStrings`, not
        // Leptos callbacks and derived signals (each type of those is code of its own in the chat's module); 211,887 B
        // with the elements the chat focuses or scrolls found by selector (`frame::part`), not through Leptos node
        // references, the form's problems kept like its values (one signal type) and the live socket's values in
        // the widget's own cells; 211,341 B with message bodies made with the DOM's own calls by a directive
        // (`use:markdown`), not a Leptos view type per Markdown element; 206,789 B with no source locations for
        // panics and no `Debug` text; one
        // module, it was the same 354 KB as page load). The pack holds every chunk,
        // also those the chat shares only with the campaign card or the JSON copies' module. Only a campaign shown
        // adds its card's module (`split_campaign_card_*`), reported apart. The budget (208 KiB; 256 KiB until
        // 211,341 B, 216 KiB until 206,789 B) keeps what was gained from coming back; the goal is checked on the
        // report's `chat open weight`.
        max_bytes: 208 * 1_024,
    },
];

/// The campaign evaluator's p99 time per check with 50 campaigns in Chromium's wasm, in microseconds
/// (`cargo xtask bench campaigns`). The widget checks on scroll ticks, on the main thread: a check must stay a
/// small part of a 16 ms frame. Measured at 55 µs (p50 5 µs; Chromium's timer ticks in 5 µs) on the shared 2-core
/// build machine while other builds ran; the budget leaves room for slower phones, not for a slower evaluator.
pub const CAMPAIGN_CHECK_P99_US: f64 = 250.0;

/// What recording the metrics ledger may add to a visitor message's latency at p50, in milliseconds (`cargo xtask
/// bench ledger`: the message route with the ledger on, minus the same with it off). The request waits only for
/// the outbox keys in the storage write it makes anyway; the send to D1 happens after the answer.
pub const LEDGER_RECORDING_P50_MS: f64 = 1.0;

/// From a click on the launcher to a usable chat (the send button enabled), p50 in ms, on a cold cache with the
/// network throttled to 10 Mbps / 40 ms in Chromium, the launcher clicked without a hover first (`cargo xtask bench
/// first-open`). Issue 18's goal.
pub const CLICK_TO_INTERACTIVE_P50_MS: f64 = 400.0;

/// Long tasks (over 50 ms) allowed on the host page while the visitor scrolls with 50 live campaigns
/// (`cargo xtask bench long-tasks`): the widget must never block the page it is on.
pub const LONG_TASKS_WHILE_SCROLLING: usize = 0;

/// The metrics report's p95 latency over 100,000 ledger events, in ms (`cargo xtask bench metrics`: a month of
/// the demo site's history in local D1, the whole month asked for, on workerd directly). Issue 16's goal.
pub const METRICS_REPORT_P95_MS: f64 = 200.0;

/// Files measured in the report, in print order; the widget's folder is measured whole after its first four.
const MEASURED: &[&str] = &[
    "public/loader.js",
    "public/widget/baton_widget_bg.wasm",
    "public/widget/baton_widget.js",
    "public/widget/widget.css",
    "public/console/app/baton_console_bg.wasm",
    "public/console/app/baton_console.js",
    "worker/build/index_bg.wasm",
    "worker/build/index.js",
];

pub struct Report {
    files: Vec<FileSize>,
    /// wrangler's own figure for the worker upload, e.g. "Total Upload: 420.12 KiB / gzip: 160.01 KiB".
    worker_upload: String,
}

struct FileSize {
    path: String,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

impl FileSize {
    fn of(path: String, bytes: &[u8]) -> FileSize {
        FileSize {
            path,
            raw: bytes.len(),
            gzip: gzip_len(bytes),
            brotli: brotli_len(bytes),
        }
    }
}

pub fn measure() -> crate::Result<Report> {
    let worker_upload = worker_upload()?;
    let mut paths: Vec<String> = MEASURED[..4].iter().map(|path| path.to_string()).collect();
    for module in crate::build::widget_modules(&crate::at(crate::build::WIDGET_OUT))?
        .into_iter()
        .skip(1)
        .chain([
            crate::at("public/widget/__wasm_split.js"),
            crate::at("public/widget/chat_pack.mjs"),
        ])
    {
        let name = module.file_name().unwrap_or_default().to_string_lossy();
        paths.push(format!("public/widget/{name}"));
    }
    paths.extend(MEASURED[4..].iter().map(|path| path.to_string()));
    let mut files = paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(crate::at(&path))
                .map_err(|error| format!("cannot read {path}: {error}"))?;
            Ok(FileSize::of(path, &bytes))
        })
        .collect::<crate::Result<Vec<_>>>()?;
    let (widget_config, widget_faq) = demo_widget_answers()?;
    files.push(FileSize::of(WIDGET_CONFIG.to_string(), &widget_config));
    files.push(FileSize::of(WIDGET_FAQ.to_string(), &widget_faq));
    Ok(Report {
        files,
        worker_upload,
    })
}

/// The demo site's widget configuration (without a country) and FAQ as the worker answers the widget: in the wire
/// encoding the widget asks for (`baton_shared::protocol::wire`).
fn demo_widget_answers() -> crate::Result<(Vec<u8>, Vec<u8>)> {
    let json = std::fs::read_to_string(crate::at("sites/demo.json"))
        .map_err(|error| format!("cannot read sites/demo.json: {error}"))?;
    let config = baton_shared::config::SiteConfig::from_json(&json)
        .map_err(|error| format!("sites/demo.json: {error:?}"))?;
    Ok((
        baton_shared::protocol::WidgetConfig::for_site(&config, &json).to_wire(),
        baton_shared::protocol::WidgetFaq::for_site(&config, &json).to_wire(),
    ))
}

impl Report {
    /// The sum of `files` (`*` patterns included) in `compression`.
    fn total(&self, files: &[&str], compression: Compression) -> usize {
        self.files
            .iter()
            .filter(|file| {
                files.iter().any(|pattern| match pattern.strip_suffix('*') {
                    Some(prefix) => file.path.starts_with(prefix),
                    None => file.path == *pattern,
                })
            })
            .map(|file| match compression {
                Compression::Gzip => file.gzip,
                Compression::Brotli => file.brotli,
            })
            .sum()
    }

    /// What a visitor downloads: on every page view, and in all once the chat is open; Brotli.
    pub fn weight_lines(&self) -> Vec<String> {
        let page_load = self.total(PAGE_LOAD, Compression::Brotli);
        let chat_open = self.total(BUDGETS[2].files, Compression::Brotli);
        let card = self.total(
            &["public/widget/split_campaign_card_*"],
            Compression::Brotli,
        );
        vec![
            format!("page load weight: {page_load} B Brotli (goal ≤ 80,000 B)"),
            format!(
                "chat open weight: {chat_open} B Brotli (goal ≤ 174,080 B); a campaign shown adds {card} B"
            ),
        ]
    }

    pub fn check_budgets(&self) -> crate::Result<()> {
        let over: Vec<String> = BUDGETS
            .iter()
            .filter_map(|budget| {
                let total = self.total(budget.files, budget.compression);
                (total > budget.max_bytes).then(|| {
                    format!(
                        "{} is {total} B {:?}, over its budget of {} B",
                        budget.name, budget.compression, budget.max_bytes
                    )
                })
            })
            .collect();
        if over.is_empty() {
            Ok(())
        } else {
            Err(over.join("; "))
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "\nsize report (bytes)                      raw       gzip     brotli"
        )?;
        for file in &self.files {
            writeln!(
                f,
                "  {:<34} {:>9} {:>10} {:>10}",
                shortened(&file.path),
                file.raw,
                file.gzip,
                file.brotli
            )?;
        }
        for budget in BUDGETS {
            let total = self.total(budget.files, budget.compression);
            let verdict = if total <= budget.max_bytes {
                "ok"
            } else {
                "OVER"
            };
            writeln!(
                f,
                "  budget {:<27} {total:>9} B {:?} of {} B: {verdict}",
                budget.name, budget.compression, budget.max_bytes
            )?;
        }
        for line in self.weight_lines() {
            writeln!(f, "  {line}")?;
        }
        writeln!(
            f,
            "  worker upload (wrangler deploy --dry-run): {}\n",
            self.worker_upload
        )
    }
}

/// A split module's name without its 20-digit hash, so the report's columns line up.
fn shortened(path: &str) -> String {
    match path.rsplit_once('_') {
        Some((stem, hash)) if path.contains("/split_") && hash.len() > 16 => {
            format!("{stem}_….wasm")
        }
        _ => path.to_string(),
    }
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |compressed| compressed.len())
}

pub fn brotli_len(bytes: &[u8]) -> usize {
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params);
    compressed.len()
}

/// Asks wrangler what it would upload; offline, no account needed. Failing here means `wrangler deploy` would too.
fn worker_upload() -> crate::Result<String> {
    let mut dry_run = command(&crate::at("node_modules/.bin/wrangler").to_string_lossy());
    dry_run
        .args(["deploy", "--dry-run", "--outdir"])
        .arg(crate::at("target/wrangler-dry-run"));
    let printed = dry_run
        .output()
        .map_err(|error| format!("cannot run wrangler deploy --dry-run: {error}"))?;
    let stdout = String::from_utf8_lossy(&printed.stdout);
    stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("Total Upload: "))
        .filter(|_| printed.status.success())
        .map(String::from)
        .ok_or_else(|| {
            format!(
                "wrangler deploy --dry-run failed ({}):\n{stdout}{}",
                printed.status,
                String::from_utf8_lossy(&printed.stderr)
            )
        })
}

/// Visitor messages answered per second through the local stack (`cargo xtask bench messages`: wrangler's proxy and
/// workerd on this machine, the load generator's 32 visitors too, the `none` provider). Issue 18's goal.
pub const MESSAGES_PER_SECOND_GOAL: f64 = 500.0;

/// A message's p99 latency under that load, in milliseconds. Issue 18's goal.
pub const LOADED_P99_MS_GOAL: f64 = 150.0;
