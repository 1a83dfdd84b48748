//! `baton`: the site owner's and the developer's command line.
//!
//! - `baton check site.json`: every problem of a configuration, exit 1 if any.
//! - `baton ask site.json "question"`: what Baton would answer, with the top matches and their scores.
//! - `baton eval [DIR]`: the metrics table on the evaluation sets (default `../shared/eval`).
//! - `baton calibrate [DIR]`: refits the confidence calibration on the evaluation sets.
//! - `baton train [TRAIN_DIR]`: fits the signal models on `train/` and writes `shared/src/signals/models.bin`.
//! - `baton eval-run --faq FAQ.json --queries Q.jsonl`: one JSON line of predictions per query.
//! - `baton pull`, `baton push FILE`, `baton publish` (`remote.rs`): a site's configuration kept in git, through a
//!   worker's configuration API, with an admin's token from `BATON_TOKEN`.

mod eval;
mod eval_data;
mod remote;
mod train;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use baton_shared::config::SiteConfig;
use baton_shared::faq::FaqIndex;
use baton_shared::handoff::{self, Situation, Texts};
use baton_shared::signals;

const USAGE: &str = "usage:
  baton check SITE.json
  baton ask SITE.json \"QUESTION\"
  baton eval [DIR]
  baton calibrate [DIR]
  baton train [TRAIN_DIR]
  baton eval-run --faq FAQ.json --queries QUERIES.jsonl
  baton pull --url URL --site SITE [--out FILE]
  baton push FILE --url URL --site SITE
  baton publish --url URL --site SITE [--note TEXT]
(pull, push and publish read an admin's token from BATON_TOKEN)";

/// Why a command stopped early.
pub enum Failure {
    /// Bad arguments or input, in a sentence for the user.
    Message(String),
    /// Writing the output failed.
    Output(std::io::Error),
    /// The worker refused or there was nothing to do (`baton publish` with no draft): a sentence, exit 1.
    Refused(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Message(message)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Output(error)
    }
}

pub type Outcome = Result<ExitCode, Failure>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let outcome = match args.as_slice() {
        ["check", file] => check(&mut out, file),
        ["ask", file, question] => ask(&mut out, file, question),
        ["eval"] => eval::table(&mut out, &default_eval_dir()),
        ["eval", dir] => eval::table(&mut out, std::path::Path::new(dir)),
        ["calibrate"] => eval::calibrate(&mut out, &default_eval_dir()),
        ["calibrate", dir] => eval::calibrate(&mut out, std::path::Path::new(dir)),
        ["train"] => train::train(&mut out, &repo_path("train"), &repo_path(MODELS_FILE)),
        ["train", dir] => {
            train::train(&mut out, std::path::Path::new(dir), &repo_path(MODELS_FILE))
        }
        ["eval-run", "--faq", faq, "--queries", queries]
        | ["eval-run", "--queries", queries, "--faq", faq] => eval::run_lines(
            &mut out,
            std::path::Path::new(faq),
            std::path::Path::new(queries),
        ),
        [command @ ("pull" | "push" | "publish"), rest @ ..] => {
            match remote::parse(command, rest) {
                Ok(parsed) => remote::run(&mut out, parsed),
                Err(message) => Err(Failure::Message(format!("{message}\n{USAGE}"))),
            }
        }
        _ => Err(Failure::Message(USAGE.to_string())),
    };
    let outcome = outcome.and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match outcome {
        Ok(code) => code,
        // The reader went away (`baton eval-run … | head`): a normal end, not an error.
        Err(Failure::Output(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(Failure::Output(error)) => {
            eprintln!("cannot write the output: {error}");
            ExitCode::from(2)
        }
        Err(Failure::Message(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(Failure::Refused(message)) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Where `baton train` writes the signal models.
const MODELS_FILE: &str = "shared/src/signals/models.bin";

/// A path inside the repository.
pub fn repo_path(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

/// `../shared/eval` beside the repository.
fn default_eval_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval")
}

fn read(file: &str) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|error| format!("cannot read {file}: {error}"))
}

fn check(out: &mut dyn Write, file: &str) -> Outcome {
    match SiteConfig::from_json(&read(file)?) {
        Ok(config) => {
            writeln!(
                out,
                "{file}: ok: site \"{}\" ({}), {} FAQ entries, {} allowed origins",
                config.id,
                config.name,
                config.faq.len(),
                config.allowed_origins.len()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for error in &errors {
                writeln!(out, "{file}: {error}")?;
            }
            writeln!(
                out,
                "{} problem{}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            )?;
            Ok(ExitCode::FAILURE)
        }
    }
}

fn ask(out: &mut dyn Write, file: &str, question: &str) -> Outcome {
    let config = SiteConfig::from_json(&read(file)?).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|error| format!("{file}: {error}"))
            .collect();
        lines.join("\n")
    })?;
    let index = FaqIndex::for_site(&config);
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        });
    let teams: Vec<&str> = config.teams.iter().map(|team| team.id.as_str()).collect();
    let outcome = handoff::decide(&Situation {
        config: &config,
        index: &index,
        transcript: &[],
        visitor_text: question,
        now_ms,
        teams_online: &teams,
        fields_known: &[],
        visitor_chose_person: false,
        faq_similarity: None,
        team: None,
    });
    writeln!(
        out,
        "decision (now, every team online): {:?}",
        outcome.decision
    )?;
    writeln!(out, "confidence: {:.2}", outcome.confidence)?;
    let text = Texts::for_locale(&config.locale).render(&config, &outcome.decision, None);
    writeln!(out, "  {}", text.replace('\n', "\n  "))?;
    let guess = &outcome.intent;
    writeln!(
        out,
        "intent: {} ({:.2}) evidence: {}",
        guess.intent.name(),
        guess.confidence,
        guess.evidence.join(", ")
    )?;
    let reading = signals::read(question);
    for (name, signal) in [
        ("wants a human", reading.wants_human),
        ("frustrated", reading.frustrated),
        ("sales moment", reading.sales),
        ("asks if a bot", reading.bot_question),
    ] {
        writeln!(
            out,
            "{name}: {} ({:.2}) evidence: {}",
            signal.flag,
            signal.confidence,
            signal.evidence.join(", ")
        )?;
    }
    writeln!(out, "top matches:")?;
    for hit in index.search(question, 5) {
        writeln!(
            out,
            "  {:.3}  {:<24} evidence: {}",
            hit.score,
            config.faq[hit.entry].id,
            hit.matched_terms.join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
