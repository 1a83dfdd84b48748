//! `baton`: the site owner's and the developer's command line.
//!
//! - `baton check site.json`: every problem of a configuration, exit 1 if any.
//! - `baton ask site.json "question"`: what Baton would answer, with the top matches and their scores.
//! - `baton eval [DIR]`: the metrics table on the evaluation sets (default `../shared/eval`).
//! - `baton eval-run --faq FAQ.json --queries Q.jsonl`: one JSON line of predictions per query.

mod eval;
mod eval_data;

use std::process::ExitCode;

use baton_shared::answer;
use baton_shared::config::SiteConfig;
use baton_shared::faq;

const USAGE: &str = "usage:
  baton check SITE.json
  baton ask SITE.json \"QUESTION\"
  baton eval [DIR]
  baton eval-run --faq FAQ.json --queries QUERIES.jsonl";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["check", file] => check(file),
        ["ask", file, question] => ask(file, question),
        ["eval"] => eval::table(&default_eval_dir()),
        ["eval", dir] => eval::table(std::path::Path::new(dir)),
        ["eval-run", "--faq", faq, "--queries", queries]
        | ["eval-run", "--queries", queries, "--faq", faq] => {
            eval::run_lines(std::path::Path::new(faq), std::path::Path::new(queries))
        }
        _ => Err(USAGE.to_string()),
    };
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// `../shared/eval` beside the repository.
fn default_eval_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval")
}

fn read(file: &str) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|error| format!("cannot read {file}: {error}"))
}

fn check(file: &str) -> Result<ExitCode, String> {
    match SiteConfig::from_json(&read(file)?) {
        Ok(config) => {
            println!(
                "{file}: ok: site \"{}\" ({}), {} FAQ entries, {} allowed origins",
                config.id,
                config.name,
                config.faq.len(),
                config.allowed_origins.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for error in &errors {
                println!("{file}: {error}");
            }
            println!(
                "{} problem{}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

fn ask(file: &str, question: &str) -> Result<ExitCode, String> {
    let config = SiteConfig::from_json(&read(file)?).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|error| format!("{file}: {error}"))
            .collect();
        lines.join("\n")
    })?;
    let reply = answer::reply(&config, question);
    match &reply.source.faq_entry_id {
        Some(id) => println!("answer: {id} (confidence {:.2})", reply.source.confidence),
        None => println!("fallback (no confident match)"),
    }
    println!("  {}", reply.text);
    println!("top matches:");
    for found in faq::ranked(&config.faq, question).iter().take(5) {
        println!(
            "  {:.3}  {:<24} evidence: {}",
            found.score,
            found.entry.id,
            found.matched_terms.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
