//! Deterministic bucketing: the same visitor always lands in the same holdout and variant of a campaign, in the
//! browser and natively alike (plain `u64` arithmetic, no platform hasher, no randomness).

use super::model::Campaign;

/// The number of buckets: holdout and variants are shared out in hundredths of a percent.
pub const BUCKETS: u32 = 10_000;

/// A number in `0..10_000` fixed for a visitor and a campaign: the holdout takes the first `holdout_percent` ×
/// 100, and the variants share the rest by weight.
///
/// The hash is FNV-1a 64 over the bytes of `visitor`, a zero byte and the bytes of `campaign`, followed by the
/// MurmurHash3 64-bit finaliser (so that ids differing only in their last characters spread over every bucket),
/// taken modulo 10,000. It is part of the format: changing it moves visitors between variants.
pub fn bucket(visitor: &str, campaign: &str) -> u32 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for &byte in visitor
        .as_bytes()
        .iter()
        .chain(&[0])
        .chain(campaign.as_bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^= hash >> 33;
    (hash % u64::from(BUCKETS)) as u32
}

/// Where a visitor falls in a campaign: in the holdout, or in a variant (`None` when the campaign has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment<'a> {
    pub held_out: bool,
    pub variant: Option<&'a str>,
}

/// The visitor's assignment in `campaign`: held out when its bucket is below `holdout_percent` × 100; otherwise
/// the variants share the remaining buckets in proportion to their weights, in list order.
pub fn assign<'a>(campaign: &'a Campaign, visitor: &str) -> Assignment<'a> {
    let bucket = bucket(visitor, &campaign.id);
    let holdout = u32::from(campaign.holdout_percent.min(100)) * 100;
    if bucket < holdout {
        return Assignment {
            held_out: true,
            variant: None,
        };
    }
    let total: u64 = campaign
        .variants
        .iter()
        .map(|variant| u64::from(variant.weight))
        .sum();
    let span = u64::from(BUCKETS - holdout);
    let position = u64::from(bucket - holdout);
    let mut cumulative = 0;
    let variant = campaign.variants.iter().find_map(|variant| {
        cumulative += u64::from(variant.weight);
        // `position / span < cumulative / total`, without division.
        (position * total < cumulative * span).then_some(variant.id.as_str())
    });
    Assignment {
        held_out: false,
        variant,
    }
}
