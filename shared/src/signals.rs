//! What a single visitor message says beyond its question: that the visitor wants a person, is frustrated, is at a
//! sales moment, or asks whether they are talking to a machine. Each is a small learned model (`model.rs`) over the
//! message's hashed words, character n-grams and lexicon cues (`features.rs`, `lexicon.rs`), trained by
//! `baton train` on the corpora in `train/` and embedded as `models.bin`. Each verdict is a [`Signal`] with its
//! confidence and the words that raised it.

pub mod features;
mod lexicon;
pub mod model;

use std::sync::LazyLock;

use self::features::{Features, Origin};
use self::model::{Model, Models};
use crate::text::{FRENCH_STOP_WORDS, STOP_WORDS};

/// The embedded models (`baton train` writes the file).
static MODELS: LazyLock<Models> =
    LazyLock::new(|| Models::decode(include_bytes!("signals/models.bin")).unwrap_or_default());

/// The embedded models, for `baton eval` and the tests.
pub fn models() -> &'static Models {
    &MODELS
}

/// The signals the models read, by name in `models.bin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    WantsHuman,
    Frustrated,
    Sales,
    BotQuestion,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::WantsHuman,
        Kind::Frustrated,
        Kind::Sales,
        Kind::BotQuestion,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::WantsHuman => "wants_human",
            Kind::Frustrated => "frustrated",
            Kind::Sales => "sales",
            Kind::BotQuestion => "bot_question",
        }
    }
}

/// A detector's verdict on one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub flag: bool,
    /// Confidence in [0, 1] that the signal is present; the flag is raised from 0.5.
    pub confidence: f32,
    /// The words (or cues) that raised it, strongest first.
    pub evidence: Vec<String>,
}

/// Every signal of one message, its features extracted once.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub wants_human: Signal,
    pub frustrated: Signal,
    pub sales: Signal,
    pub bot_question: Signal,
}

/// Reads every signal of `text`.
pub fn read(text: &str) -> Reading {
    let features = features::extract(text, MODELS.bits);
    let signal = |kind: Kind| detect(MODELS.get(kind.name()), &features);
    Reading {
        wants_human: signal(Kind::WantsHuman),
        frustrated: signal(Kind::Frustrated),
        sales: signal(Kind::Sales),
        bot_question: signal(Kind::BotQuestion),
    }
}

/// Does the visitor ask to be put through to a person?
pub fn wants_human(text: &str) -> Signal {
    one(Kind::WantsHuman, text)
}

/// Does the visitor sound frustrated?
pub fn frustration(text: &str) -> Signal {
    one(Kind::Frustrated, text)
}

/// Is this a sales moment: prices, quotes, demos, plans, buying?
pub fn sales_moment(text: &str) -> Signal {
    one(Kind::Sales, text)
}

/// Does the visitor ask whether they are talking to a machine ("are you a bot?")?
pub fn bot_question(text: &str) -> Signal {
    one(Kind::BotQuestion, text)
}

fn one(kind: Kind, text: &str) -> Signal {
    detect(
        MODELS.get(kind.name()),
        &features::extract(text, MODELS.bits),
    )
}

/// At most this many words or cues are given as evidence.
const EVIDENCE: usize = 3;

fn detect(model: Option<&Model>, features: &Features) -> Signal {
    let Some(model) = model else {
        return Signal {
            flag: false,
            confidence: 0.0,
            evidence: Vec::new(),
        };
    };
    let score = model.score(features);
    let confidence = 1.0 / (1.0 + (-score).exp());
    let flag = score > 0.0;
    if !flag {
        // Evidence is given for a raised flag only.
        return Signal {
            flag,
            confidence,
            evidence: Vec::new(),
        };
    }
    // Each word's (or cue's) share of the score, for the evidence.
    let mut shares: Vec<(String, f32)> = Vec::new();
    for feature in &features.features {
        let label = match feature.origin {
            // Little words weigh through their n-grams but explain nothing to an agent.
            Origin::Word(at) if is_stop_word(&features.words[at]) => continue,
            Origin::Word(at) => features.words[at].clone(),
            Origin::Cue(name) => name.to_string(),
            Origin::Length => continue,
        };
        let weight = model.weight(feature.bucket) * features.value_of(feature);
        match shares.iter_mut().find(|(known, _)| *known == label) {
            Some((_, share)) => *share += weight,
            None => shares.push((label, weight)),
        }
    }
    shares.retain(|(_, share)| *share > 0.05);
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Signal {
        flag,
        confidence,
        evidence: shares
            .into_iter()
            .take(EVIDENCE)
            .map(|(label, _)| label)
            .collect(),
    }
}

fn is_stop_word(word: &str) -> bool {
    word.len() < 3 || STOP_WORDS.contains(&word) || FRENCH_STOP_WORDS.contains(&word)
}

#[cfg(test)]
mod tests;
