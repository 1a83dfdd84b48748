//! `baton eval` and `baton eval-run`: the matcher measured on the evaluation sets, with the product's defaults.

mod signals;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use baton_shared::config::FaqEntry;
use baton_shared::faq::{
    ANSWER_THRESHOLD, CALIBRATION, Calibration, FaqIndex, Hit, margin_feature,
};
use baton_shared::intent::{self, IntentGuess};
use baton_shared::signals as detectors;
use baton_shared::signals::Signal;

use crate::Outcome;
use crate::eval_data::{Query, read_faq, read_lines};

/// The matching sets, in report order.
const MATCHING_SETS: &[&str] = &["banking77", "bitext", "clinc150_oos"];
const KS: &[u32] = &[0, 3, 10];

/// What the matcher said about one query.
struct Prediction {
    ranked: Vec<(String, f32)>,
    confidence: f32,
    decline: bool,
}

fn predict(entries: &[FaqEntry], index: &FaqIndex, text: &str) -> Prediction {
    let hits = index.search(text, 5);
    let ranked: Vec<(String, f32)> = hits
        .iter()
        .map(|hit| (entries[hit.entry].id.clone(), hit.score))
        .collect();
    let confidence = CALIBRATION.confidence(&hits);
    Prediction {
        ranked,
        confidence,
        decline: confidence < ANSWER_THRESHOLD,
    }
}

/// Scores of one set at one K.
#[derive(Default)]
struct SetScores {
    in_scope: usize,
    top1: usize,
    top3: usize,
    answered_right: usize,
    oos: usize,
    oos_declined: usize,
    /// (confidence, is in scope) for the AUROC.
    scored: Vec<(f32, bool)>,
    /// (confidence, top-1 right) for the reliability table.
    calibration: Vec<(f32, bool)>,
}

fn score_set(entries: &[FaqEntry], queries: &[Query]) -> SetScores {
    let index = FaqIndex::build(entries);
    let mut scores = SetScores::default();
    for query in queries {
        let prediction = predict(entries, &index, &query.text);
        let top1_right = query
            .gold
            .as_ref()
            .is_some_and(|gold| prediction.ranked.first().is_some_and(|(id, _)| id == gold));
        scores.calibration.push((prediction.confidence, top1_right));
        scores.scored.push((prediction.confidence, !query.is_oos));
        if query.is_oos {
            scores.oos += 1;
            scores.oos_declined += usize::from(prediction.decline);
            continue;
        }
        scores.in_scope += 1;
        scores.top1 += usize::from(top1_right);
        let gold = query.gold.as_deref().unwrap_or_default();
        scores.top3 += usize::from(prediction.ranked.iter().take(3).any(|(id, _)| id == gold));
        scores.answered_right += usize::from(top1_right && !prediction.decline);
    }
    scores
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.1}", 100.0 * part as f64 / whole as f64)
    }
}

/// Probability that a random in-scope query gets a higher confidence than a random out-of-scope one.
fn auroc(scored: &[(f32, bool)]) -> Option<f64> {
    let positives: Vec<f32> = scored
        .iter()
        .filter(|(_, pos)| *pos)
        .map(|(c, _)| *c)
        .collect();
    let negatives: Vec<f32> = scored
        .iter()
        .filter(|(_, pos)| !*pos)
        .map(|(c, _)| *c)
        .collect();
    if positives.is_empty() || negatives.is_empty() {
        return None;
    }
    let mut wins = 0.0;
    for p in &positives {
        for n in &negatives {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    Some(wins / (positives.len() * negatives.len()) as f64)
}

pub fn table(out: &mut dyn Write, dir: &Path) -> Outcome {
    writeln!(
        out,
        "FAQ matching (top-1 / top-3 over in-scope queries; answer threshold {ANSWER_THRESHOLD})"
    )?;
    writeln!(
        out,
        "{:<14} {:>3} {:>7} {:>7} {:>9} {:>9} {:>7}",
        "set", "K", "top-1", "top-3", "in-scope", "oos-rec", "AUROC"
    )?;
    let mut calibration = Vec::new();
    for set in MATCHING_SETS {
        let queries: Vec<Query> = read_lines(&dir.join(set).join("queries_dev.jsonl"))?;
        for k in KS {
            let entries = read_faq(&dir.join(set).join(format!("faq_k{k}.json")))?;
            let scores = score_set(&entries, &queries);
            let (in_scope, oos_recall, auc) = if scores.oos > 0 {
                (
                    percent(scores.answered_right, scores.in_scope),
                    percent(scores.oos_declined, scores.oos),
                    auroc(&scores.scored).map_or("-".into(), |auc| format!("{auc:.3}")),
                )
            } else {
                ("-".into(), "-".into(), "-".into())
            };
            writeln!(
                out,
                "{set:<14} {k:>3} {:>7} {:>7} {in_scope:>9} {oos_recall:>9} {auc:>7}",
                percent(scores.top1, scores.in_scope),
                percent(scores.top3, scores.in_scope),
            )?;
            if *k == 10 {
                calibration.extend(scores.calibration);
            }
        }
    }
    print_reliability(
        out,
        "K=10, all sets, out-of-scope counted wrong",
        &calibration,
    )?;
    signals::bitext_table(out, dir)?;
    let corpus = crate::train::read_corpus(&crate::repo_path("train"))?;
    signals::realworld_table(
        out,
        dir,
        "5-fold cross-validated: each fold predicted by models trained on train/ without it",
        &|kind, rows| {
            let texts: Vec<&str> = rows.iter().map(|row| row.text.as_str()).collect();
            Ok(crate::train::cross_validated(&corpus, kind, &texts))
        },
    )?;
    signals::realworld_table(
        out,
        dir,
        "each repository predicted by models trained without any of its rows",
        &|kind, rows| {
            let rows: Vec<(&str, &str)> = rows
                .iter()
                .map(|row| {
                    (
                        row.text.as_str(),
                        row.source.split('@').next().unwrap_or_default(),
                    )
                })
                .collect();
            Ok(crate::train::source_held_out(&corpus, kind, &rows))
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Confidence bins against the share of right top-1 answers (all sets at K = 10, out-of-scope queries count as wrong).
fn print_reliability(
    out: &mut dyn Write,
    title: &str,
    calibration: &[(f32, bool)],
) -> std::io::Result<()> {
    writeln!(
        out,
        "\nreliability ({title}): confidence bin, queries, mean confidence, accuracy"
    )?;
    let mut weighted_gap = 0.0;
    for bin in 0..10 {
        let low = bin as f32 / 10.0;
        let high = low + 0.1;
        let members: Vec<&(f32, bool)> = calibration
            .iter()
            .filter(|(confidence, _)| {
                *confidence >= low && (*confidence < high || (bin == 9 && *confidence <= 1.0))
            })
            .collect();
        if members.is_empty() {
            continue;
        }
        let mean = members.iter().map(|(c, _)| f64::from(*c)).sum::<f64>() / members.len() as f64;
        let accuracy =
            members.iter().filter(|(_, right)| *right).count() as f64 / members.len() as f64;
        weighted_gap += (mean - accuracy).abs() * members.len() as f64;
        writeln!(
            out,
            "  {low:.1}-{high:.1} {:>6} {mean:>8.3} {accuracy:>8.3}",
            members.len()
        )?;
    }
    writeln!(
        out,
        "  expected calibration error: {:.3}",
        weighted_gap / calibration.len().max(1) as f64
    )
}

/// `baton calibrate`: fits the logistic [`Calibration`] on every set at every K (out-of-scope queries count as
/// wrong answers) and prints the weights to put in `shared/src/faq.rs`, with the reliability they give.
pub fn calibrate(out: &mut dyn Write, dir: &Path) -> Outcome {
    let mut samples: Vec<(f32, f32, bool)> = Vec::new();
    for set in MATCHING_SETS {
        let queries: Vec<Query> = read_lines(&dir.join(set).join("queries_dev.jsonl"))?;
        for k in KS {
            let entries = read_faq(&dir.join(set).join(format!("faq_k{k}.json")))?;
            let index = FaqIndex::build(&entries);
            for query in &queries {
                let hits: Vec<Hit> = index.search(&query.text, 2);
                let Some(top) = hits.first() else {
                    continue;
                };
                let runner_up = hits.get(1).map_or(0.0, |hit| hit.score);
                let right = query.gold.as_deref() == Some(entries[top.entry].id.as_str());
                samples.push((top.score, margin_feature(top.score, runner_up), right));
            }
        }
    }
    // Plain batch gradient descent on the log loss: three weights, a few thousand steps, deterministic.
    let mut weights = [0.0f64; 3];
    for _ in 0..4_000 {
        let mut gradient = [0.0f64; 3];
        for (top, margin, right) in &samples {
            let features = [1.0, f64::from(*top), f64::from(*margin)];
            let z: f64 = weights.iter().zip(features).map(|(w, x)| w * x).sum();
            let error = 1.0 / (1.0 + (-z).exp()) - f64::from(u8::from(*right));
            for (g, x) in gradient.iter_mut().zip(features) {
                *g += error * x;
            }
        }
        for (w, g) in weights.iter_mut().zip(gradient) {
            *w -= 2.0 * g / samples.len() as f64;
        }
    }
    let fitted = Calibration {
        bias: weights[0] as f32,
        top_score: weights[1] as f32,
        margin: weights[2] as f32,
    };
    writeln!(
        out,
        "fitted on {} runs with a match: {fitted:?}",
        samples.len()
    )?;
    let scored: Vec<(f32, bool)> = samples
        .iter()
        .map(|(top, margin, right)| {
            let z = fitted.bias + fitted.top_score * top + fitted.margin * margin;
            (1.0 / (1.0 + (-z).exp()), *right)
        })
        .collect();
    print_reliability(out, "K=0, 3 and 10, all sets, runs with a match", &scored)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_lines(out: &mut dyn Write, faq_path: &Path, queries_path: &Path) -> Outcome {
    let entries = read_faq(faq_path)?;
    let queries: Vec<Query> = read_lines(queries_path)?;
    let index = FaqIndex::build(&entries);
    for query in &queries {
        let prediction = predict(&entries, &index, &query.text);
        let ranked: Vec<serde_json::Value> = prediction
            .ranked
            .iter()
            .map(|(id, score)| serde_json::json!({ "id": id, "score": score }))
            .collect();
        let reading = detectors::read(&query.text);
        let line = serde_json::json!({
            "qid": query.qid,
            "ranked": ranked,
            "confidence": prediction.confidence,
            "decline": prediction.decline,
            "intent": intent_json(&intent::classify(&query.text, &intent::Exemplars::default())),
            "wants_human": signal_json(&reading.wants_human),
            "frustrated": signal_json(&reading.frustrated),
            "sales": signal_json(&reading.sales),
            "bot_question": signal_json(&reading.bot_question),
        });
        writeln!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn signal_json(signal: &Signal) -> serde_json::Value {
    serde_json::json!({ "flag": signal.flag, "confidence": signal.confidence })
}

/// Eval FAQ files carry no tags, so intent comes from the built-in lexicon alone.
fn intent_json(guess: &IntentGuess) -> serde_json::Value {
    serde_json::json!({ "label": guess.intent.name(), "confidence": guess.confidence })
}
