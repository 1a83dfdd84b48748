//! The signal models: logistic regressions over the hashed features of `features.rs`, trained by `baton train` and
//! embedded as `models.bin`. Each keeps only its strongest weights, quantised to one signed byte with one scale per
//! model, so all of them together weigh a few kilobytes in the widget.
//!
//! `models.bin`: `BSG1`, hash bits (u8), model count (u8), then per model: name length (u8) and name, bias (f32),
//! scale (f32), weight count (u32), the buckets as LEB128 gaps from the previous one, the weights (i8). Numbers are
//! little-endian. The bias already includes the decision threshold: a model flags when its score is positive.

use super::features::Features;

/// One model: a sparse, quantised weight vector over hash buckets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    pub name: String,
    pub bias: f32,
    pub scale: f32,
    /// Ascending.
    pub buckets: Vec<u32>,
    pub weights: Vec<i8>,
}

impl Model {
    /// The weight of one bucket.
    pub fn weight(&self, bucket: u32) -> f32 {
        self.buckets
            .binary_search(&bucket)
            .map_or(0.0, |at| f32::from(self.weights[at]) * self.scale)
    }

    /// The score of a message's features: positive means the signal is there.
    pub fn score(&self, features: &Features) -> f32 {
        let sum: f32 = features
            .features
            .iter()
            .map(|feature| self.weight(feature.bucket) * features.value_of(feature))
            .sum();
        self.bias + sum
    }
}

/// The models of one file, with the hash width their features use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Models {
    pub bits: u32,
    pub models: Vec<Model>,
}

const MAGIC: &[u8; 4] = b"BSG1";

impl Models {
    pub fn get(&self, name: &str) -> Option<&Model> {
        self.models.iter().find(|model| model.name == name)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(u8::try_from(self.bits).unwrap_or(u8::MAX));
        out.push(u8::try_from(self.models.len()).unwrap_or(u8::MAX));
        for model in &self.models {
            out.push(u8::try_from(model.name.len()).unwrap_or(u8::MAX));
            out.extend(model.name.as_bytes());
            out.extend(model.bias.to_le_bytes());
            out.extend(model.scale.to_le_bytes());
            out.extend(
                u32::try_from(model.buckets.len())
                    .unwrap_or(u32::MAX)
                    .to_le_bytes(),
            );
            let mut previous = 0;
            for bucket in &model.buckets {
                let mut gap = bucket - previous;
                previous = *bucket;
                loop {
                    let low = (gap & 0x7f) as u8;
                    gap >>= 7;
                    if gap == 0 {
                        out.push(low);
                        break;
                    }
                    out.push(low | 0x80);
                }
            }
            out.extend(model.weights.iter().map(|weight| weight.to_le_bytes()[0]));
        }
        out
    }

    /// Reads `models.bin`; `None` when the bytes are not a model file.
    pub fn decode(bytes: &[u8]) -> Option<Models> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(4)? != MAGIC {
            return None;
        }
        let bits = u32::from(reader.byte()?);
        let count = reader.byte()?;
        let mut models = Vec::new();
        for _ in 0..count {
            let name_len = usize::from(reader.byte()?);
            let name = String::from_utf8(reader.take(name_len)?.to_vec()).ok()?;
            let bias = f32::from_le_bytes(reader.take(4)?.try_into().ok()?);
            let scale = f32::from_le_bytes(reader.take(4)?.try_into().ok()?);
            let len = usize::try_from(u32::from_le_bytes(reader.take(4)?.try_into().ok()?)).ok()?;
            let mut buckets = Vec::with_capacity(len);
            let mut bucket = 0u32;
            for _ in 0..len {
                let mut gap = 0u32;
                let mut shift = 0;
                loop {
                    let byte = reader.byte()?;
                    gap |= u32::from(byte & 0x7f).checked_shl(shift)?;
                    shift += 7;
                    if byte & 0x80 == 0 {
                        break;
                    }
                }
                bucket = bucket.checked_add(gap)?;
                buckets.push(bucket);
            }
            let weights = reader
                .take(len)?
                .iter()
                .map(|byte| i8::from_le_bytes([*byte]))
                .collect();
            models.push(Model {
                name,
                bias,
                scale,
                buckets,
                weights,
            });
        }
        (reader.at == bytes.len()).then_some(Models { bits, models })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(slice)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|slice| slice[0])
    }
}
