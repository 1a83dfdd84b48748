//! Turning short, messy visitor text into comparable terms: case and diacritic folding, tokenising, stop words and a
//! light English stemmer. Deliberately small for now; the matcher's quality work builds on this file.

pub(crate) mod lexicon;
mod stem;

/// Words that carry no meaning for matching a question to an FAQ entry.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "am", "an", "and", "are", "as", "at", "be", "been", "by", "did", "do", "does", "for",
    "from", "had", "has", "have", "hello", "hi", "i", "im", "in", "is", "it", "its", "me", "my",
    "of", "on", "or", "our", "please", "so", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "to", "us", "was", "we", "were", "whats", "with", "you", "your",
];

/// French words that carry no meaning for matching (after folding: no accents).
pub(crate) const FRENCH_STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "c", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du",
    "elle", "en", "est", "et", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "m", "ma",
    "me", "mes", "mon", "n", "ne", "nos", "notre", "nous", "on", "ou", "par", "pour", "qu", "s",
    "sa", "se", "ses", "son", "sont", "sur", "t", "ta", "te", "tes", "ton", "tu", "un", "une",
    "vos", "votre", "vous", "y", "bonjour", "merci", "svp",
];

/// The words of `text`, folded (lowercase, no accents, no apostrophes) but not stemmed or filtered.
pub(crate) fn words(text: &str) -> Vec<String> {
    let folded: String = text.chars().flat_map(fold).collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(String::from)
        .collect()
}

/// Whether two words are at most one edit apart (insertion, deletion, substitution or swap of neighbours), for
/// typo tolerance on words of five letters or more.
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return true;
    }
    if a.len().min(b.len()) < 4 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (rest_a, rest_b) = (&a[prefix..], &b[prefix..]);
    match rest_a.len().cmp(&rest_b.len()) {
        std::cmp::Ordering::Equal => {
            rest_a[1..] == rest_b[1..]
                || (rest_a.len() >= 2
                    && rest_a[0] == rest_b[1]
                    && rest_a[1] == rest_b[0]
                    && rest_a[2..] == rest_b[2..])
        }
        std::cmp::Ordering::Greater => rest_a[1..] == *rest_b,
        std::cmp::Ordering::Less => *rest_a == rest_b[1..],
    }
}

/// The distinct terms of `text`, in order of first appearance.
pub(crate) fn terms(text: &str) -> Vec<String> {
    terms_in(text, Language::English)
}

/// The language whose rules turn words into terms: stop words, stemmer, elisions, synonym lexicon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    English,
    French,
}

impl Language {
    /// The language of a locale such as `fr` or `fr-CA`; English for anything else.
    pub fn for_locale(locale: &str) -> Language {
        if locale == "fr" || locale.starts_with("fr-") {
            Language::French
        } else {
            Language::English
        }
    }
}

/// The distinct terms of `text` under `language`'s rules, in order of first appearance.
pub(crate) fn terms_in(text: &str, language: Language) -> Vec<String> {
    let folded: String = match language {
        Language::English => text.chars().flat_map(fold).collect(),
        // "l'heure", "d'ouverture": an elided article is its own word, not part of the next one.
        Language::French => text
            .chars()
            .map(|c| if matches!(c, '\'' | '’') { ' ' } else { c })
            .flat_map(fold)
            .collect(),
    };
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let mut terms: Vec<String> = Vec::new();
    let mut push = |term: String| {
        if !terms.contains(&term) {
            terms.push(term);
        }
    };
    match language {
        Language::English => {
            // Phrases ("money back", "put it on hold") are found before stop words go: "on" is part of one.
            let stems: Vec<String> = words.iter().map(|word| stem::english(word)).collect();
            let mut in_phrase = vec![false; words.len()];
            for (at, word) in words.iter().enumerate() {
                if in_phrase[at] {
                    continue;
                }
                if let Some((term, offsets)) = lexicon::phrase_at(&stems[at..]) {
                    for offset in offsets {
                        in_phrase[at + offset] = true;
                    }
                    push(term);
                } else if !STOP_WORDS.contains(word) {
                    push(lexicon::canonical(stems[at].clone()));
                }
            }
        }
        Language::French => {
            for word in words {
                if !FRENCH_STOP_WORDS.contains(&word) {
                    push(stem::french(word));
                }
            }
        }
    }
    terms
}

/// Lowercases and removes the accents of common Latin letters (`Café` → `cafe`); apostrophes vanish so that
/// "what's" and "whats" agree.
fn fold(c: char) -> impl Iterator<Item = char> {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        '\'' | '’' => '\0',
        other => other,
    };
    base.to_lowercase().filter(|c| *c != '\0')
}

#[cfg(test)]
mod tests;
