//! `baton train`: fits the signal models on the corpora of `train/` and writes `shared/src/signals/models.bin`;
//! `cross_validated` gives `baton eval` honest figures on the rows the models train on.

mod corpus;
mod fit;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use baton_shared::signals::Kind;
use baton_shared::signals::features;
use baton_shared::signals::model::{Model, Models};

use self::corpus::Example;
use self::fit::Settings;
use crate::Outcome;

pub use self::corpus::read as read_corpus;

/// Hash width of the features: 2^16 buckets keep collisions rare; only non-zero weights are stored.
pub const BITS: u32 = 16;

/// The training knobs of each signal, chosen by the cross-validated and held-out-repository figures of
/// `baton eval`: the thresholds trade precision for recall where the two differed most, and 1,500 weights per model
/// keep nearly all of the F1 of 3,000 at half the bytes (the bot question needs far fewer).
fn settings(kind: Kind) -> Settings {
    let base = Settings {
        positive_share: 0.5,
        hard_weight: 2.0,
        alpha: 0.3,
        beta: 1.0,
        l1: 1.5,
        l2: 1.0,
        epochs: 12,
        threshold: 0.6,
        max_weights: 1_500,
    };
    match kind {
        Kind::WantsHuman => Settings {
            threshold: 0.8,
            ..base
        },
        Kind::Frustrated | Kind::Sales => base,
        Kind::BotQuestion => Settings {
            threshold: 0.7,
            max_weights: 400,
            ..base
        },
    }
}

/// Fits every model on `examples`.
pub fn fit_all(examples: &[&Example]) -> Models {
    let models = Kind::ALL
        .into_iter()
        .map(|kind| fit_one(examples, kind))
        .collect();
    Models { bits: BITS, models }
}

fn fit_one(examples: &[&Example], kind: Kind) -> Model {
    let settings = settings(kind);
    let samples = fit::samples(examples, kind, BITS, &settings);
    fit::fit(kind, &samples, BITS, &settings)
}

/// `baton train [TRAIN_DIR] [OUT]`.
pub fn train(out: &mut dyn Write, dir: &Path, target: &Path) -> Outcome {
    let examples = read_corpus(dir)?;
    let all: Vec<&Example> = examples.iter().collect();
    let models = fit_all(&all);
    let bytes = models.encode();
    std::fs::write(target, &bytes)
        .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
    writeln!(out, "{} examples from {}", examples.len(), dir.display())?;
    for model in &models.models {
        let kind = Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == model.name)
            .unwrap_or(Kind::WantsHuman);
        let labelled = examples.iter().filter(|e| e.label(kind).is_some()).count();
        let positives = examples
            .iter()
            .filter(|e| e.label(kind) == Some(true))
            .count();
        writeln!(
            out,
            "{:<13} {labelled:>6} examples ({positives} positive), {:>5} weights kept",
            model.name,
            model.buckets.len()
        )?;
    }
    writeln!(out, "wrote {} ({} bytes)", target.display(), bytes.len())?;
    Ok(ExitCode::SUCCESS)
}

/// Folds in cross-validation.
const FOLDS: u64 = 5;

/// A message folded for comparison: lower case, letters and digits, single spaces.
fn folded(text: &str) -> String {
    let lower = text.to_lowercase();
    let kept: String = lower
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fold_of(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in folded(text).bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash % FOLDS
}

/// Whether `kind`'s model flags each of `texts` when trained without it: the texts are split in five folds (by a
/// hash of their folded text), and each fold is predicted by a model fitted on every example whose text is not in
/// that fold.
pub fn cross_validated(examples: &[Example], kind: Kind, texts: &[&str]) -> Vec<bool> {
    let mut flags = vec![false; texts.len()];
    for fold in 0..FOLDS {
        let held: BTreeSet<String> = texts
            .iter()
            .filter(|text| fold_of(text) == fold)
            .map(|text| folded(text))
            .collect();
        if held.is_empty() {
            continue;
        }
        let training: Vec<&Example> = examples
            .iter()
            .filter(|example| !held.contains(&folded(&example.text)))
            .collect();
        let model = fit_one(&training, kind);
        for (at, text) in texts.iter().enumerate() {
            if fold_of(text) == fold {
                flags[at] = model.score(&features::extract(text, BITS)) > 0.0;
            }
        }
    }
    flags
}

/// Whether `kind`'s model flags each row of `rows` (text, repository) when trained without any example of that
/// row's repository: how the models do on an assistant whose style they have never seen.
pub fn source_held_out(examples: &[Example], kind: Kind, rows: &[(&str, &str)]) -> Vec<bool> {
    let mut repositories: Vec<&str> = rows.iter().map(|(_, repo)| *repo).collect();
    repositories.sort_unstable();
    repositories.dedup();
    let mut flags = vec![false; rows.len()];
    for repository in repositories {
        let held: BTreeSet<String> = rows
            .iter()
            .filter(|(_, repo)| *repo == repository)
            .map(|(text, _)| folded(text))
            .collect();
        let training: Vec<&Example> = examples
            .iter()
            .filter(|example| {
                example.source != repository && !held.contains(&folded(&example.text))
            })
            .collect();
        let model = fit_one(&training, kind);
        for (at, (text, repo)) in rows.iter().enumerate() {
            if *repo == repository {
                flags[at] = model.score(&features::extract(text, BITS)) > 0.0;
            }
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    /// Training is deterministic and the embedded models are its output: a change to `train/`, the features or the
    /// settings without `baton train` fails here.
    #[test]
    fn the_embedded_models_are_what_baton_train_makes() {
        let examples = super::read_corpus(&crate::repo_path("train")).expect("train/ reads");
        let all: Vec<&super::Example> = examples.iter().collect();
        let trained = super::fit_all(&all);
        assert!(
            &trained == baton_shared::signals::models(),
            "shared/src/signals/models.bin is not what `baton train` makes from train/: run `cargo run --release -p baton-cli -- train`"
        );
    }
}
