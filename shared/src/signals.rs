//! What a single visitor message says beyond its question: that the visitor wants a person, or that they are
//! frustrated. Each detector returns a [`Signal`] with its own confidence and the words that triggered it. Both
//! are built from general customer-service language, not from any evaluation phrasing.

use crate::text::{within_one_edit, words};

/// A detector's verdict on one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub flag: bool,
    /// Confidence in [0, 1] that the signal is present.
    pub confidence: f32,
    /// The words that raised it.
    pub evidence: Vec<String>,
}

impl Signal {
    /// Turns accumulated evidence strength into a confidence: each unit of strength closes most of the remaining gap.
    fn from_strength(strength: f32, evidence: Vec<String>) -> Signal {
        let confidence = 1.0 - (-strength).exp();
        Signal {
            flag: confidence >= 0.5,
            confidence,
            evidence,
        }
    }
}

/// Nouns for a human being at the company. "Support" and "customer service" are deliberately absent: asking how to
/// reach a department is not asking for a person in this chat.
const PERSON_NOUNS: &[&str] = &[
    "human",
    "person",
    "agent",
    "operator",
    "representative",
    "rep",
    "someone",
    "somebody",
    "assistant",
    "staff",
    "employee",
    "advisor",
    "adviser",
    "people",
    "humans",
    "agents",
    "operators",
    // French (folded: no accents or apostrophes).
    "humain",
    "humaine",
    "personne",
    "conseiller",
    "conseillere",
    "operateur",
    "quelquun",
];

/// Verbs of getting through to someone, or of asking for them.
const CONTACT_VERBS: &[&str] = &[
    "talk",
    "talking",
    "speak",
    "speaking",
    "chat",
    "chatting",
    "connect",
    "transfer",
    "reach",
    "contact",
    "escalate",
    "want",
    "wanna",
    "need",
    "get",
    "request",
    "prefer",
    "give",
    // French.
    "parler",
    "joindre",
    "contacter",
    "veux",
    "voudrais",
    "besoin",
    "passer",
];

/// Words that, right before a person noun, make it a department or a thing, not a person ("customer assistant" is
/// still a person, but "support agent portal" is rare enough to ignore).
const NOT_A_PERSON_AFTER: &[&str] = &["travel", "virtual", "ai", "digital", "real-estate"];

/// Does the visitor ask to be put through to a person?
pub fn wants_human(text: &str) -> Signal {
    let words = words(text);
    let mut evidence = Vec::new();
    let mut strength: f32 = 0.0;
    let person = words.iter().enumerate().find(|(index, word)| {
        let after_modifier = index
            .checked_sub(1)
            .is_some_and(|previous| NOT_A_PERSON_AFTER.contains(&words[previous].as_str()));
        !after_modifier && matches_any(word, PERSON_NOUNS)
    });
    let contact = words.iter().find(|word| matches_any(word, CONTACT_VERBS));
    if let Some((_, word)) = person {
        evidence.push(word.clone());
        strength += 0.6;
        if let Some(verb) = contact {
            evidence.push(verb.clone());
            strength += 2.4;
        }
        if words
            .iter()
            .any(|word| matches!(word.as_str(), "real" | "live" | "actual"))
        {
            strength += 1.0;
        }
    }
    // "Are you a bot?", "is this a robot": doubting the machine is a request for a person.
    if let Some(word) = words
        .iter()
        .find(|word| matches!(word.as_str(), "bot" | "robot" | "chatbot" | "machine"))
    {
        evidence.push(word.clone());
        strength += 0.8;
    }
    Signal::from_strength(strength, evidence)
}

/// Swearing and insults.
const PROFANITY: &[&str] = &[
    "damn",
    "damned",
    "goddamn",
    "goddamned",
    "bloody",
    "fuck",
    "fucking",
    "fucked",
    "shit",
    "shitty",
    "crap",
    "crappy",
    "hell",
    "wtf",
    // French.
    "merde",
    "putain",
    "nul",
    "nulle",
    "honteux",
    "scandaleux",
    "arnaque",
    "inadmissible",
    "stupid",
    "idiot",
    "idiots",
    "idiotic",
    "useless",
    "pathetic",
    "incompetent",
    "moron",
    "dumb",
    "sucks",
    "screw",
    "bullshit",
    "ffs",
];

/// Words of complaint and displeasure.
const COMPLAINT_WORDS: &[&str] = &[
    "complaint",
    "complaints",
    "complain",
    "complaining",
    "reclamation",
    "reclamations",
    "unhappy",
    "dissatisfied",
    "disappointed",
    "disappointing",
    "angry",
    "furious",
    "frustrated",
    "frustrating",
    "annoyed",
    "annoying",
    "unacceptable",
    "ridiculous",
    "terrible",
    "awful",
    "horrible",
    "worst",
    "disgusting",
    "outrageous",
    "scam",
    "fed",
    "sick",
    // French.
    "plainte",
    "decu",
    "decue",
    "mecontent",
    "mecontente",
    "furieux",
    "furieuse",
    "enerve",
    "inacceptable",
    "lamentable",
];

/// Does the visitor sound frustrated?
pub fn frustration(text: &str) -> Signal {
    let words = words(text);
    let mut evidence = Vec::new();
    let mut strength: f32 = 0.0;
    for word in &words {
        if PROFANITY.contains(&word.as_str()) {
            evidence.push(word.clone());
            strength += 1.2;
        } else if matches_any(word, COMPLAINT_WORDS) {
            evidence.push(word.clone());
            strength += 1.0;
        }
    }
    // "Make / file / lodge a claim against you": a formal complaint.
    let claim = words
        .iter()
        .position(|word| matches!(word.as_str(), "claim" | "claims"));
    if let Some(at) = claim {
        let nearby = &words[at.saturating_sub(4)..(at + 3).min(words.len())];
        if nearby.iter().any(|word| {
            matches!(
                word.as_str(),
                "file"
                    | "filing"
                    | "lodge"
                    | "lodging"
                    | "make"
                    | "making"
                    | "submit"
                    | "against"
                    | "customer"
                    | "consumer"
            )
        }) {
            evidence.push(words[at].clone());
            strength += 1.0;
        }
    }
    // "Not happy", "not helpful", "no help at all".
    for pair in words.windows(2) {
        if matches!(
            pair[0].as_str(),
            "not" | "never" | "isnt" | "arent" | "wasnt" | "dont"
        ) && matches!(
            pair[1].as_str(),
            "happy" | "helpful" | "satisfied" | "acceptable" | "working"
        ) {
            evidence.push(format!("{} {}", pair[0], pair[1]));
            strength += 0.8;
        }
    }
    // Shouting: three or more words in capitals, or most of a longer message.
    let letters_words: Vec<&str> = text
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .collect();
    let shouted = letters_words
        .iter()
        .filter(|word| {
            word.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !word.chars().any(char::is_lowercase)
        })
        .count();
    if shouted >= 3 && shouted * 2 >= letters_words.len() {
        evidence.push("capitals".into());
        strength += 0.9;
    }
    // Repeated punctuation: "!!!", "???", "?!?".
    let runs = text
        .as_bytes()
        .windows(3)
        .filter(|run| run.iter().all(|b| matches!(b, b'!' | b'?')))
        .count();
    if runs > 0 {
        evidence.push("repeated punctuation".into());
        strength += 0.5;
    }
    Signal::from_strength(strength, evidence)
}

/// Whether `word` is one of `list`, allowing one typo in words of five letters or more.
fn matches_any(word: &str, list: &[&str]) -> bool {
    list.iter().any(|candidate| {
        *candidate == word
            || (candidate.len() >= 5 && word.len() >= 5 && within_one_edit(word, candidate))
    })
}

#[cfg(test)]
mod tests;
