//! The size report printed by every build, and the budgets it must stay within (kept here, in one place), with
//! the time budgets `cargo xtask bench` checks.

use std::fmt;
use std::io::Write;

use crate::process::command;

/// A limit on the compressed size of a group of files.
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

/// Every size budget of the product.
const BUDGETS: &[Budget] = &[
    Budget {
        name: "loader",
        files: &["public/loader.js"],
        compression: Compression::Gzip,
        max_bytes: 1_024,
    },
    Budget {
        name: "widget (wasm + js + css)",
        files: &[
            "public/widget/baton_widget_bg.wasm",
            "public/widget/baton_widget.js",
            "public/widget/widget.css",
        ],
        compression: Compression::Brotli,
        // The skeleton was ~108 KB Brotli; instant answers (matcher, policy, configuration decoding) took it to
        // ~153 KB and the complete panel (forms, quick replies, Markdown, i18n, offline queue) to ~212 KB; the
        // live socket, agent names, read receipts and the rating (issue 5) to ~223 KB (228,107 B); socket tickets
        // and the Turnstile check (issue 12) to 231,365 B, which took the budget from 225 to 227 KiB. Issue 14
        // took it to 249,271 B: the four learned signal models and their features (+13.4 KB; the models alone are
        // 8.5 KB, and the widget must run them to answer only what the worker would), the FAQ paraphrase lexicon
        // (+2.1 KB), and clarifying choices as quick replies with the protocol's other additions (+4.6 KB); hence
        // 246 KiB.
        // Issue 15 (campaigns) took it to 348,015 B (347,824 B with the worker and evaluator branches merged):
        // the campaign model in the widget configuration (+25.3 KB, already on main before the widget ran
        // campaigns), the browser runtime (visit, history, listeners, staffing, event batches, the campaign card
        // in four formats, lead forms, click-to-chat; +35.2 KB) and the shared evaluator with its page, audience
        // and schedule rules (+38.2 KB, of which 34.9 KB is jiff's RFC 3339 parser for `schedule.starts`/`ends`:
        // measured by stubbing that one parse, the widget is 313,121 B); hence 340 KiB, the smallest whole KiB
        // above it. Parsing those instants without jiff in the widget would let this budget come down to about
        // 306 KiB. Closing issue 15's gaps took it from 348,052 B to 349,868 B: click-to-chat's team and the
        // pre-chat form filled in from a lead form's answers (read from localStorage, valid values only, consent
        // remembered by its text); hence 342 KiB. Issue 16's goal beacon (`Baton('track', goal, {value})` to
        // `POST …/goals`) and the visitor id on new conversations took it to 350,967 B; hence 343 KiB.
        // Issue 17's studio preview (the widget takes the draft's configuration from the console on the worker's
        // own `/studio-preview/` page, and keeps the draft's FAQ answers in the browser there) added 879 B (the
        // guard, a message listener, and not sending what the draft answered); issue 18's two form fixes (a field
        // checked when the visitor leaves it, not on display; the form stepping aside behind a link once a person
        // joins) and the host's important resets added 1,542 B; hence 346 KiB.
        // Product goal (issue 4): everything on first open ≤ 90 KB, NOT met; issue 18 (the widget's weight) moves
        // instant answers out of the page-load module. This budget only stops further growth until then.
        max_bytes: 346 * 1_024,
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

/// Long tasks (over 50 ms) allowed on the host page while the visitor scrolls with 50 live campaigns
/// (`cargo xtask bench long-tasks`): the widget must never block the page it is on.
pub const LONG_TASKS_WHILE_SCROLLING: usize = 0;

/// The metrics report's p95 latency over 100,000 ledger events, in ms (`cargo xtask bench metrics`: a month of
/// the demo site's history in local D1, the whole month asked for, on workerd directly). Issue 16's goal.
pub const METRICS_REPORT_P95_MS: f64 = 200.0;

/// Files measured in the report, in print order.
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
    path: &'static str,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

pub fn measure() -> crate::Result<Report> {
    let worker_upload = worker_upload()?;
    let files = MEASURED
        .iter()
        .map(|path| {
            let bytes = std::fs::read(crate::at(path))
                .map_err(|error| format!("cannot read {path}: {error}"))?;
            Ok(FileSize {
                path,
                raw: bytes.len(),
                gzip: gzip_len(&bytes),
                brotli: brotli_len(&bytes),
            })
        })
        .collect::<crate::Result<Vec<_>>>()?;
    Ok(Report {
        files,
        worker_upload,
    })
}

impl Report {
    fn compressed(&self, path: &str, compression: Compression) -> usize {
        self.files
            .iter()
            .find(|file| file.path == path)
            .map_or(0, |file| match compression {
                Compression::Gzip => file.gzip,
                Compression::Brotli => file.brotli,
            })
    }

    /// The static files a visitor downloads on first open (loader, widget wasm, js and css), Brotli.
    pub fn first_open_line(&self) -> String {
        let loader = self.compressed("public/loader.js", Compression::Brotli);
        let widget: usize = BUDGETS[1]
            .files
            .iter()
            .map(|path| self.compressed(path, Compression::Brotli))
            .sum();
        format!(
            "first open, static files: loader {loader} B + widget (wasm, js, css) {widget} B = {} B Brotli (goal ≤ 92,160 B)",
            loader + widget
        )
    }

    pub fn check_budgets(&self) -> crate::Result<()> {
        let over: Vec<String> = BUDGETS
            .iter()
            .filter_map(|budget| {
                let total: usize = budget
                    .files
                    .iter()
                    .map(|path| self.compressed(path, budget.compression))
                    .sum();
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
                file.path, file.raw, file.gzip, file.brotli
            )?;
        }
        for budget in BUDGETS {
            let total: usize = budget
                .files
                .iter()
                .map(|path| self.compressed(path, budget.compression))
                .sum();
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
        writeln!(
            f,
            "  worker upload (wrangler deploy --dry-run): {}\n",
            self.worker_upload
        )
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
