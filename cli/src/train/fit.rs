//! Fitting one signal model: logistic regression by FTRL-Proximal (per-feature learning rates, L1 and L2), which
//! leaves most weights exactly zero, then quantising the rest to one signed byte. Deterministic: examples are
//! visited in an order shuffled by a fixed-seed generator, and every sum runs in the same order.

use baton_shared::signals::Kind;
use baton_shared::signals::features::{self, Features};
use baton_shared::signals::model::Model;

use super::corpus::Example;

/// The knobs of one model's training.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Positives weigh this share of the negatives' total weight.
    pub positive_share: f64,
    /// A hard negative counts this many times an ordinary one.
    pub hard_weight: f64,
    pub alpha: f64,
    pub beta: f64,
    pub l1: f64,
    pub l2: f64,
    pub epochs: usize,
    /// The probability from which the model flags (folded into the bias).
    pub threshold: f64,
    /// At most this many weights are kept (the largest).
    pub max_weights: usize,
}

/// One example ready for training.
pub struct Sample {
    pub features: Features,
    pub label: bool,
    pub weight: f64,
}

/// The samples of `kind` among `examples` (those with a known label), with their weights.
pub fn samples(examples: &[&Example], kind: Kind, bits: u32, settings: &Settings) -> Vec<Sample> {
    let known: Vec<(&Example, bool)> = examples
        .iter()
        .filter_map(|example| example.label(kind).map(|label| (*example, label)))
        .collect();
    let weight_of = |example: &Example, label: bool| {
        if !label && example.is_hard(kind) {
            settings.hard_weight
        } else {
            1.0
        }
    };
    let positives: f64 = known
        .iter()
        .filter(|(_, label)| *label)
        .map(|(example, label)| weight_of(example, *label))
        .sum();
    let negatives: f64 = known
        .iter()
        .filter(|(_, label)| !*label)
        .map(|(example, label)| weight_of(example, *label))
        .sum();
    let positive_scale = settings.positive_share * negatives / positives.max(1.0);
    known
        .into_iter()
        .map(|(example, label)| Sample {
            features: features::extract(&example.text, bits),
            label,
            weight: weight_of(example, label) * if label { positive_scale } else { 1.0 },
        })
        .collect()
}

/// A small linear congruential generator: the shuffle is the same on every machine.
struct Shuffle(u64);

impl Shuffle {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

/// Fits `kind`'s model on `samples`: once on every feature, then again on the `max_weights` strongest of the first
/// fit (so the bias and the kept weights make up for the ones dropped).
pub fn fit(kind: Kind, samples: &[Sample], bits: u32, settings: &Settings) -> Model {
    let size = 1usize << bits;
    let (first, _) = ftrl(kind, samples, size, settings, None);
    let mut magnitudes: Vec<f64> = first.iter().map(|weight| weight.abs()).collect();
    magnitudes.sort_by(|a, b| b.total_cmp(a));
    let cut = magnitudes.get(settings.max_weights).copied().unwrap_or(0.0);
    let kept: Vec<bool> = first.iter().map(|weight| weight.abs() > cut).collect();
    let (weights, bias) = ftrl(kind, samples, size, settings, Some(&kept));
    quantise(kind, &weights, bias, settings.threshold)
}

/// FTRL-Proximal over `samples`, on the buckets of `kept` only when given; the weights and the bias.
fn ftrl(
    kind: Kind,
    samples: &[Sample],
    size: usize,
    settings: &Settings,
    kept: Option<&[bool]>,
) -> (Vec<f64>, f64) {
    let l1_of = |slot: usize| {
        if slot == size || kept.is_some() {
            0.0
        } else {
            settings.l1
        }
    };
    // FTRL state per bucket, and the bias (last slot, never L1-penalised).
    let mut z = vec![0.0f64; size + 1];
    let mut n = vec![0.0f64; size + 1];
    let weight = |z: f64, n: f64, l1: f64, settings: &Settings| {
        if z.abs() <= l1 {
            0.0
        } else {
            -(z - z.signum() * l1) / ((settings.beta + n.sqrt()) / settings.alpha + settings.l2)
        }
    };
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let mut shuffle = Shuffle(0x5eed_u64 ^ kind.name().len() as u64);
    let mut active: Vec<(usize, f64)> = Vec::new();
    for _ in 0..settings.epochs {
        for at in (1..order.len()).rev() {
            let other = shuffle.below(at + 1);
            order.swap(at, other);
        }
        for &index in &order {
            let sample = &samples[index];
            active.clear();
            active.extend(
                sample
                    .features
                    .features
                    .iter()
                    .filter(|feature| kept.is_none_or(|kept| kept[feature.bucket as usize]))
                    .map(|feature| {
                        (
                            feature.bucket as usize,
                            f64::from(sample.features.value_of(feature)),
                        )
                    }),
            );
            active.push((size, 1.0));
            let mut score = 0.0;
            for (slot, value) in &active {
                let l1 = l1_of(*slot);
                score += weight(z[*slot], n[*slot], l1, settings) * value;
            }
            let probability = 1.0 / (1.0 + (-score.clamp(-35.0, 35.0)).exp());
            let error = (probability - f64::from(u8::from(sample.label))) * sample.weight;
            for (slot, value) in &active {
                let l1 = l1_of(*slot);
                let current = weight(z[*slot], n[*slot], l1, settings);
                let gradient = error * value;
                let sigma =
                    ((n[*slot] + gradient * gradient).sqrt() - n[*slot].sqrt()) / settings.alpha;
                z[*slot] += gradient - sigma * current;
                n[*slot] += gradient * gradient;
            }
        }
    }
    let weights: Vec<f64> = (0..size)
        .map(|slot| weight(z[slot], n[slot], l1_of(slot), settings))
        .collect();
    (weights, weight(z[size], n[size], 0.0, settings))
}

/// Keeps the non-zero weights as signed bytes with one scale, and folds the threshold into the bias.
fn quantise(kind: Kind, weights: &[f64], bias: f64, threshold: f64) -> Model {
    let largest = weights
        .iter()
        .fold(0.0f64, |most, weight| most.max(weight.abs()));
    let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
    let mut buckets = Vec::new();
    let mut bytes = Vec::new();
    for (bucket, weight) in weights.iter().enumerate() {
        let quantised = (weight / scale).round();
        if quantised != 0.0 {
            buckets.push(u32::try_from(bucket).unwrap_or(u32::MAX));
            bytes.push(quantised.clamp(-127.0, 127.0) as i8);
        }
    }
    let logit = (threshold / (1.0 - threshold)).ln();
    Model {
        name: kind.name().to_string(),
        bias: (bias - logit) as f32,
        scale: scale as f32,
        buckets,
        weights: bytes,
    }
}
