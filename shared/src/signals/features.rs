//! What a signal model reads in one message: hashed word unigrams and bigrams, the character 3–5-grams of each
//! word (so that "representitive" and "représentant" share most of their features with the words they misspell or
//! translate), and a few lexicon features (`lexicon.rs`). `baton train` and the embedded models read the very same
//! features, so this file is the contract between them.

use super::lexicon;
use crate::text::words;

/// One feature of a message: its hash bucket, and where it came from (for evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    pub bucket: u32,
    pub origin: Origin,
}

/// What raised a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The word at this index of `Features::words` (its unigram, its bigram with the word before, its n-grams).
    Word(usize),
    /// A lexicon cue (`lexicon.rs`).
    Cue(&'static str),
    /// The message's length.
    Length,
}

/// The features of a message. Word features share the weight `value` (together they have unit length, so long
/// messages do not score higher for being long); cues and the length weigh [`CUE_VALUE`] whatever the length, so a
/// swear word counts as much in a long request as in a short one.
#[derive(Debug, Clone, Default)]
pub struct Features {
    pub features: Vec<Feature>,
    pub value: f32,
    /// The folded words, which `Origin::Word` indexes.
    pub words: Vec<String>,
}

/// The weight of a cue or length feature.
pub const CUE_VALUE: f32 = 0.5;

impl Features {
    /// The weight of one of this message's features.
    pub fn value_of(&self, feature: &Feature) -> f32 {
        match feature.origin {
            Origin::Word(_) => self.value,
            Origin::Cue(_) | Origin::Length => CUE_VALUE,
        }
    }
}

/// Words longer than this contribute their first characters only to character n-grams.
const LONGEST_WORD: usize = 24;
/// Messages longer than this many words are read up to it.
const MOST_WORDS: usize = 80;

/// The features of `text` hashed into `2^bits` buckets.
pub fn extract(text: &str, bits: u32) -> Features {
    let mut words = words(text);
    words.truncate(MOST_WORDS);
    let mask = (1u32 << bits) - 1;
    let mut features = Vec::with_capacity(words.len() * 12 + 8);
    let mut push = |tag: u8, parts: &[&str], origin: Origin| {
        features.push(Feature {
            bucket: hash(tag, parts) & mask,
            origin,
        });
    };
    let tokens: Vec<&str> = words.iter().map(|word| token(word)).collect();
    for (at, word) in tokens.iter().enumerate() {
        push(b'w', &[word], Origin::Word(at));
        let previous = if at == 0 { "^" } else { tokens[at - 1] };
        push(b'b', &[previous, word], Origin::Word(at));
        if *word != NUMBER {
            let padded: Vec<char> = std::iter::once('<')
                .chain(word.chars().take(LONGEST_WORD))
                .chain(std::iter::once('>'))
                .collect();
            let mut gram = String::new();
            for n in 3..=5 {
                for window in padded.windows(n) {
                    gram.clear();
                    gram.extend(window);
                    push(b'c', &[&gram], Origin::Word(at));
                }
            }
        }
    }
    if let Some(last) = tokens.last() {
        push(b'b', &[last, "$"], Origin::Word(tokens.len() - 1));
    }
    for name in lexicon::cues(text, &words) {
        push(b'l', &[name], Origin::Cue(name));
    }
    let length = match words.len() {
        0..=1 => "1",
        2 => "2",
        3..=5 => "3-5",
        6..=10 => "6-10",
        _ => "11+",
    };
    push(b'n', &[length], Origin::Length);
    let word_features = features
        .iter()
        .filter(|feature| matches!(feature.origin, Origin::Word(_)))
        .count();
    let value = 1.0 / (word_features.max(1) as f32).sqrt();
    Features {
        features,
        value,
        words,
    }
}

/// Any word with a digit reads as this token: order numbers and prices say nothing about the signal.
const NUMBER: &str = "0";

fn token(word: &str) -> &str {
    if word.chars().any(|c| c.is_ascii_digit()) {
        NUMBER
    } else {
        word
    }
}

/// FNV-1a over a tag and the parts (separated by a space).
fn hash(tag: u8, parts: &[&str]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut eat = |byte: u8| {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    };
    eat(tag);
    for (at, part) in parts.iter().enumerate() {
        if at > 0 {
            eat(b' ');
        }
        part.bytes().for_each(&mut eat);
    }
    hash
}
