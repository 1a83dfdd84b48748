//! General customer-service vocabulary that the signal models read as features (`cues`), written from language
//! knowledge, not from any evaluation phrasing. A cue only adds evidence: what it weighs is learned by `baton train`.

use crate::text::within_one_edit;

/// Nouns for a human being at the company (French folded: no accents or apostrophes).
const PERSON_NOUNS: &[&str] = &[
    "human",
    "humans",
    "person",
    "people",
    "agent",
    "agents",
    "operator",
    "operators",
    "representative",
    "rep",
    "someone",
    "somebody",
    "staff",
    "employee",
    "advisor",
    "adviser",
    "supervisor",
    "manager",
    "humain",
    "humaine",
    "personne",
    "conseiller",
    "conseillere",
    "operateur",
    "operatrice",
    "quelquun",
    "responsable",
    "agente",
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
    "put",
    "get",
    "gimme",
    "parler",
    "joindre",
    "contacter",
    "passer",
    "discuter",
    "transferer",
    "mettre",
];

/// Words that, right before a person noun, make it a thing rather than a person at the company.
const NOT_A_PERSON_AFTER: &[&str] = &["travel", "virtual", "ai", "digital", "estate", "insurance"];

/// Words for the machine the visitor is talking to.
const MACHINE_WORDS: &[&str] = &[
    "bot",
    "robot",
    "chatbot",
    "machine",
    "ai",
    "automated",
    "automatic",
    "ia",
    "program",
    "computer",
    "ordinateur",
    "automatique",
];

/// Swearing and insults.
const PROFANITY: &[&str] = &[
    "damn",
    "damned",
    "goddamn",
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
    "joke",
    "clowns",
    "foutez",
    "bordel",
];

/// Words of complaint and displeasure.
const COMPLAINT_WORDS: &[&str] = &[
    "complaint",
    "complaints",
    "complain",
    "complaining",
    "reclamation",
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
    "again",
    "still",
    "encore",
    "toujours",
];

/// Words of anger.
const ANGER_WORDS: &[&str] = &[
    "angry",
    "anger",
    "mad",
    "furious",
    "rage",
    "livid",
    "pissed",
    "incensed",
    "temper",
    "fuming",
    "irritated",
    "outraged",
    "colere",
    "enerve",
    "enervee",
    "vener",
    "furax",
    "rage",
    "agace",
];

/// Insults aimed at the assistant or the company.
const INSULTS: &[&str] = &[
    "ugly",
    "hideous",
    "gross",
    "grotesque",
    "lame",
    "shithead",
    "loser",
    "garbage",
    "trash",
    "rubbish",
    "clown",
    "liar",
    "liars",
    "thieves",
    "moche",
    "con",
    "conne",
    "debile",
    "abruti",
    "nuls",
    "menteur",
    "voleurs",
    "incapable",
    "incapables",
];

/// Words of being given the same thing again.
const REPEAT_WORDS: &[&str] = &[
    "same",
    "again",
    "repeat",
    "repeating",
    "different",
    "else",
    "other",
    "already",
    "meme",
    "encore",
    "autre",
    "repete",
    "deja",
];

/// Words that are positive unless negated ("not helpful").
const GOOD_WORDS: &[&str] = &[
    "happy",
    "helpful",
    "satisfied",
    "acceptable",
    "working",
    "good",
    "ok",
];
const NEGATIONS: &[&str] = &[
    "not", "never", "isnt", "arent", "wasnt", "dont", "no", "pas", "jamais",
];

/// Words of buying: prices, plans, quotes, trials.
const SALES_WORDS: &[&str] = &[
    "price",
    "prices",
    "pricing",
    "cost",
    "costs",
    "quote",
    "quotation",
    "demo",
    "plan",
    "plans",
    "trial",
    "enterprise",
    "discount",
    "license",
    "licence",
    "seats",
    "buy",
    "purchase",
    "tier",
    "upgrade",
    "subscribe",
    "sales",
    "prix",
    "tarif",
    "tarifs",
    "devis",
    "essai",
    "abonnement",
    "acheter",
    "offre",
    "remise",
];

/// The names of the cues present in a message (`words` are its folded words).
pub(super) fn cues(text: &str, words: &[String]) -> Vec<&'static str> {
    let mut cues = Vec::new();
    let person = words.iter().enumerate().any(|(at, word)| {
        let after_modifier = at
            .checked_sub(1)
            .is_some_and(|previous| NOT_A_PERSON_AFTER.contains(&words[previous].as_str()));
        !after_modifier && matches_any(word, PERSON_NOUNS)
    });
    let contact = words.iter().any(|word| matches_any(word, CONTACT_VERBS));
    let has = |list: &[&str]| words.iter().any(|word| list.contains(&word.as_str()));
    for (present, name) in [
        (person, "person"),
        (contact, "contact"),
        (person && contact, "person+contact"),
        (
            has(&["real", "live", "actual", "vrai", "vraie", "reel", "reelle"]) && person,
            "real person",
        ),
        (has(MACHINE_WORDS), "machine"),
        (has(PROFANITY), "profanity"),
        (has(ANGER_WORDS), "anger"),
        (has(INSULTS), "insult"),
        (has(REPEAT_WORDS), "repeat"),
        (
            words.iter().any(|word| matches_any(word, COMPLAINT_WORDS)) || formal_claim(words),
            "complaint",
        ),
        (negated_good(words), "not good"),
        (shouted(text), "shouting"),
        (repeated_punctuation(text), "repeated punctuation"),
        (has(SALES_WORDS), "sales"),
        (text.trim_end().ends_with('?'), "question"),
    ] {
        if present {
            cues.push(name);
        }
    }
    cues
}

/// "Make / file / lodge a claim against you": a formal complaint.
fn formal_claim(words: &[String]) -> bool {
    words.iter().enumerate().any(|(at, word)| {
        matches!(word.as_str(), "claim" | "claims")
            && words[at.saturating_sub(4)..(at + 3).min(words.len())]
                .iter()
                .any(|near| {
                    matches!(
                        near.as_str(),
                        "file" | "filing" | "lodge" | "lodging" | "make" | "submit" | "against"
                    )
                })
    })
}

fn negated_good(words: &[String]) -> bool {
    words
        .windows(2)
        .any(|pair| NEGATIONS.contains(&pair[0].as_str()) && GOOD_WORDS.contains(&pair[1].as_str()))
}

/// Three or more words in capitals, and most of the message.
fn shouted(text: &str) -> bool {
    let lettered: Vec<&str> = text
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .collect();
    let shouted = lettered
        .iter()
        .filter(|word| {
            word.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !word.chars().any(char::is_lowercase)
        })
        .count();
    shouted >= 3 && shouted * 2 >= lettered.len()
}

/// "!!!", "???", "?!?".
fn repeated_punctuation(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|run| run.iter().all(|b| matches!(b, b'!' | b'?')))
}

/// Whether `word` is one of `list`, allowing one typo in words of five letters or more.
fn matches_any(word: &str, list: &[&str]) -> bool {
    list.iter().any(|candidate| {
        *candidate == word
            || (candidate.len() >= 5 && word.len() >= 5 && within_one_edit(word, candidate))
    })
}
