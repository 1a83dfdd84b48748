//! Turning short, messy visitor text into comparable terms: case and diacritic folding, tokenising, stop words and a
//! light English stemmer. Deliberately small for now; the matcher's quality work builds on this file.

/// Words that carry no meaning for matching a question to an FAQ entry.
const STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "did", "do", "does", "for", "from", "get", "got", "had", "has", "have", "hello", "hi",
    "how", "i", "if", "im", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "please",
    "so", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "us",
    "was", "we", "were", "what", "whats", "when", "where", "which", "who", "why", "will", "with",
    "would", "you", "your",
];

/// The distinct terms of `text`, in order of first appearance.
pub(crate) fn terms(text: &str) -> Vec<String> {
    let folded: String = text.chars().flat_map(fold).collect();
    let mut terms: Vec<String> = Vec::new();
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || STOP_WORDS.contains(&word) {
            continue;
        }
        let term = stem(word);
        if !terms.contains(&term) {
            terms.push(term);
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

/// Strips common English inflections so "shipping", "shipped" and "ships" meet at "ship".
fn stem(word: &str) -> String {
    if word.len() > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..word.len() - 3]);
    }
    let mut stem = word;
    for suffix in ["ing", "ed", "es", "s"] {
        if stem.len() > suffix.len() + 2 && stem.ends_with(suffix) && !stem.ends_with("ss") {
            stem = &stem[..stem.len() - suffix.len()];
            break;
        }
    }
    let bytes = stem.as_bytes();
    // "shipp" → "ship", "stopp" → "stop": undo the doubled consonant an -ing/-ed left behind.
    if stem.len() >= 4 && bytes[bytes.len() - 1] == bytes[bytes.len() - 2] && stem != word {
        let last = bytes[bytes.len() - 1];
        if !matches!(last, b'l' | b's' | b'z' | b'e' | b'o') {
            stem = &stem[..stem.len() - 1];
        }
    }
    stem.to_string()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    #[test]
    fn terms_fold_and_stem() {
        expect![[r#"["ship", "cost", "cafe", "delivery", "return"]"#]].assert_eq(&format!(
            "{:?}",
            super::terms("What's SHIPPING costs, Café?? deliveries; returns returned")
        ));
    }
}
