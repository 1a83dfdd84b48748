//! The handoff signals measured: precision, recall, F1 and the false-positive rate on hard negatives, on the Bitext
//! handoff dev sets and on the real assistants' data of `realworld/`, overall and per source repository.

use std::io::Write;
use std::path::Path;

use baton_shared::signals::{self, Kind};

use crate::Failure;
use crate::eval_data::{Labelled, read_lines};

/// Counts of one detector on one set.
#[derive(Default, Clone)]
pub struct Tally {
    tp: usize,
    fp: usize,
    missed: usize,
    hard: usize,
    hard_fp: usize,
}

impl Tally {
    pub fn add(&mut self, flagged: bool, label: bool, hard_negative: bool) {
        match (flagged, label) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.missed += 1,
            (false, false) => {}
        }
        if hard_negative {
            self.hard += 1;
            self.hard_fp += usize::from(flagged);
        }
    }

    pub fn f1(&self) -> f64 {
        let (precision, recall) = self.precision_recall();
        2.0 * precision * recall / (precision + recall).max(f64::EPSILON)
    }

    fn precision_recall(&self) -> (f64, f64) {
        (
            self.tp as f64 / (self.tp + self.fp).max(1) as f64,
            self.tp as f64 / (self.tp + self.missed).max(1) as f64,
        )
    }

    pub fn line(&self, name: &str) -> String {
        let (precision, recall) = self.precision_recall();
        let hard = if self.hard == 0 {
            "-".to_string()
        } else {
            format!(
                "{:.1} % ({}/{})",
                100.0 * self.hard_fp as f64 / self.hard as f64,
                self.hard_fp,
                self.hard
            )
        };
        format!(
            "{name:<50} {precision:>9.3} {recall:>7.3} {:>6.3}   {hard}",
            self.f1()
        )
    }
}

/// The header of a signal table.
pub const HEADER: &str = "                                                   precision  recall     F1   FP on hard negatives";

/// What the shipped build flags for one signal.
pub fn shipped(kind: Kind, text: &str) -> bool {
    match kind {
        Kind::WantsHuman => signals::wants_human(text).flag,
        Kind::Frustrated => signals::frustration(text).flag,
        Kind::Sales => signals::sales_moment(text).flag,
        Kind::BotQuestion => signals::bot_question(text).flag,
    }
}

/// The Bitext dev sets (never trained on), scored with the shipped build.
pub fn bitext_table(out: &mut dyn Write, dir: &Path) -> Result<(), Failure> {
    writeln!(
        out,
        "\nhandoff signals, Bitext dev (shipped build)\n{HEADER}"
    )?;
    for (name, file, signal) in [
        ("wants a human", "wants_human_dev.jsonl", Kind::WantsHuman),
        ("frustrated", "frustrated_dev.jsonl", Kind::Frustrated),
    ] {
        let rows: Vec<Labelled> = read_lines(&dir.join("handoff").join(file))?;
        let mut tally = Tally::default();
        for row in &rows {
            tally.add(
                shipped(signal, &row.text),
                row.label == 1,
                row.hard_negative,
            );
        }
        writeln!(out, "{}", tally.line(name))?;
    }
    Ok(())
}

/// The three files of `realworld/`: (printed name, file, signal).
pub const REALWORLD: [(&str, &str, Kind); 3] = [
    ("wants a human", "wants_human.jsonl", Kind::WantsHuman),
    ("frustrated", "frustrated.jsonl", Kind::Frustrated),
    ("sales moment", "sales.jsonl", Kind::Sales),
];

/// Whether a signal flags each row: the shipped build, or models trained without the row.
pub type Flags<'a> = dyn Fn(Kind, &[Labelled]) -> Result<Vec<bool>, Failure> + 'a;

/// The `realworld/` sets: each row flagged by `flags(signal, rows)` (the shipped build, or cross-validated
/// predictions where the build trains on these rows), overall, by language and per source repository.
pub fn realworld_table(
    out: &mut dyn Write,
    dir: &Path,
    title: &str,
    flags: &Flags<'_>,
) -> Result<(), Failure> {
    writeln!(out, "\nhandoff signals, realworld ({title})\n{HEADER}")?;
    for (name, file, kind) in REALWORLD {
        let rows: Vec<Labelled> = read_lines(&dir.join("realworld").join(file))?;
        let flagged = flags(kind, &rows)?;
        let mut all = Tally::default();
        let mut by_group: Vec<(String, Tally, usize)> = Vec::new();
        for (row, flagged) in rows.iter().zip(&flagged) {
            all.add(*flagged, row.label == 1, row.hard_negative);
            let repo = row.source.split('@').next().unwrap_or_default();
            for group in [format!("  lang {}", row.lang), format!("  {repo}")] {
                let at = match by_group.iter().position(|(known, _, _)| *known == group) {
                    Some(at) => at,
                    None => {
                        by_group.push((group, Tally::default(), 0));
                        by_group.len() - 1
                    }
                };
                by_group[at]
                    .1
                    .add(*flagged, row.label == 1, row.hard_negative);
                by_group[at].2 += usize::from(row.label == 1);
            }
        }
        writeln!(out, "{}", all.line(name))?;
        by_group.sort_by(|a, b| a.0.cmp(&b.0));
        for (group, tally, positives) in &by_group {
            if *positives >= 5 {
                writeln!(out, "{}", tally.line(&format!("{group} ({positives} pos)")))?;
            }
        }
    }
    Ok(())
}
