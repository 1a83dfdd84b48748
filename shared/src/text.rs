//! Turning short, messy visitor text into comparable terms: case and diacritic folding, tokenising, stop words and a
//! light English stemmer. Deliberately small for now; the matcher's quality work builds on this file.

mod lexicon;
mod stem;

/// Words that carry no meaning for matching a question to an FAQ entry.
const STOP_WORDS: &[&str] = &[
    "a", "am", "an", "and", "are", "as", "at", "be", "been", "by", "did", "do", "does", "for",
    "from", "had", "has", "have", "hello", "hi", "i", "im", "in", "is", "it", "its", "me", "my",
    "of", "on", "or", "our", "please", "so", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "to", "us", "was", "we", "were", "whats", "with", "you", "your",
];

/// The distinct terms of `text`, in order of first appearance.
pub(crate) fn terms(text: &str) -> Vec<String> {
    let folded: String = text.chars().flat_map(fold).collect();
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !STOP_WORDS.contains(word))
        .map(|word| lexicon::canonical(stem::english(word)))
        .collect();
    let mut terms: Vec<String> = Vec::new();
    for term in words {
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

#[cfg(test)]
mod tests {
    use expect_test::expect;

    #[test]
    fn terms_fold_and_stem() {
        expect![[r#"["deliv", "price", "cafe", "return"]"#]].assert_eq(&format!(
            "{:?}",
            super::terms("What's SHIPPING costs, Café?? deliveries; returns returned")
        ));
    }
}
