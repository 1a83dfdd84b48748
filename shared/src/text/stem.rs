//! The Porter stemmer for English (M. F. Porter, 1980), so that "shipping", "shipped" and "ships" meet at "ship" and
//! "cancellation" meets "cancel". Works on lowercase ASCII words; anything else is returned unchanged.

/// The stem of a lowercase word.
pub fn english(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = Word(word.as_bytes().to_vec());
    w.step_1a();
    w.step_1b();
    w.step_1c();
    w.step_2();
    w.step_3();
    w.step_4();
    w.step_5();
    // Only ASCII letters went in and only ASCII letters are ever written.
    String::from_utf8(w.0).unwrap_or_else(|_| word.to_string())
}

/// A light French stemmer (in the spirit of Savoy's): plurals, feminine endings and the commonest derivational
/// suffixes, so "livraisons" meets "livraison" and "rapidement" meets "rapide". Works on folded words (no accents).
pub fn french(word: &str) -> String {
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut stem = word.to_string();
    if stem.ends_with("aux") && stem.len() > 4 {
        stem.truncate(stem.len() - 3);
        stem.push_str("al");
    } else if (stem.ends_with('s') || stem.ends_with('x')) && stem.len() > 3 {
        stem.pop();
    }
    let suffixes = [
        ("ement", ""),
        ("ation", ""),
        ("ition", ""),
        ("euse", "eu"),
        ("ment", ""),
        ("er", ""),
        ("ez", ""),
    ];
    for (suffix, replacement) in suffixes {
        if stem.len() > suffix.len() + 3 && stem.ends_with(suffix) {
            stem.truncate(stem.len() - suffix.len());
            stem.push_str(replacement);
            break;
        }
    }
    if stem.len() > 3 && stem.ends_with('e') {
        stem.pop();
    }
    let bytes = stem.as_bytes();
    if stem.len() > 3
        && bytes[bytes.len() - 1] == bytes[bytes.len() - 2]
        && bytes[bytes.len() - 1] != b'e'
    {
        stem.pop();
    }
    stem
}

struct Word(Vec<u8>);

impl Word {
    fn is_consonant(&self, i: usize) -> bool {
        match self.0[i] {
            b'a' | b'e' | b'i' | b'o' | b'u' => false,
            b'y' => i == 0 || !self.is_consonant(i - 1),
            _ => true,
        }
    }

    /// The number of vowel-consonant sequences in the first `len` letters (Porter's m).
    fn measure(&self, len: usize) -> usize {
        let mut count = 0;
        let mut i = 0;
        while i < len && self.is_consonant(i) {
            i += 1;
        }
        loop {
            while i < len && !self.is_consonant(i) {
                i += 1;
            }
            if i >= len {
                return count;
            }
            while i < len && self.is_consonant(i) {
                i += 1;
            }
            count += 1;
        }
    }

    fn has_vowel(&self, len: usize) -> bool {
        (0..len).any(|i| !self.is_consonant(i))
    }

    fn ends_double_consonant(&self, len: usize) -> bool {
        len >= 2 && self.0[len - 1] == self.0[len - 2] && self.is_consonant(len - 1)
    }

    /// Consonant-vowel-consonant at the end, the last not w, x or y ("hop", not "hoop" or "snow").
    fn ends_cvc(&self, len: usize) -> bool {
        len >= 3
            && self.is_consonant(len - 3)
            && !self.is_consonant(len - 2)
            && self.is_consonant(len - 1)
            && !matches!(self.0[len - 1], b'w' | b'x' | b'y')
    }

    fn ends_with(&self, suffix: &str) -> bool {
        self.0.ends_with(suffix.as_bytes())
    }

    /// The length of the word without `suffix`.
    fn stem_len(&self, suffix: &str) -> usize {
        self.0.len() - suffix.len()
    }

    fn replace_end(&mut self, suffix_len: usize, replacement: &str) {
        let keep = self.0.len() - suffix_len;
        self.0.truncate(keep);
        self.0.extend_from_slice(replacement.as_bytes());
    }

    /// Replaces the first matching suffix when the stem before it has a measure above `min_measure`.
    fn replace_if_measure(&mut self, rules: &[(&str, &str)], min_measure: usize) {
        for (suffix, replacement) in rules {
            if self.ends_with(suffix) {
                if self.measure(self.stem_len(suffix)) > min_measure {
                    self.replace_end(suffix.len(), replacement);
                }
                return;
            }
        }
    }

    fn step_1a(&mut self) {
        if self.ends_with("sses") || self.ends_with("ies") {
            self.replace_end(2, "");
        } else if self.ends_with("ss") {
        } else if self.ends_with("s") {
            self.replace_end(1, "");
        }
    }

    fn step_1b(&mut self) {
        if self.ends_with("eed") {
            if self.measure(self.stem_len("eed")) > 0 {
                self.replace_end(1, "");
            }
            return;
        }
        let removed = ["ed", "ing"]
            .into_iter()
            .find(|suffix| self.ends_with(suffix) && self.has_vowel(self.stem_len(suffix)));
        let Some(suffix) = removed else {
            return;
        };
        self.replace_end(suffix.len(), "");
        let len = self.0.len();
        if self.ends_with("at") || self.ends_with("bl") || self.ends_with("iz") {
            self.0.push(b'e');
        } else if self.ends_double_consonant(len) && !matches!(self.0[len - 1], b'l' | b's' | b'z')
        {
            self.0.pop();
        } else if self.measure(len) == 1 && self.ends_cvc(len) {
            self.0.push(b'e');
        }
    }

    fn step_1c(&mut self) {
        let len = self.0.len();
        if self.ends_with("y") && self.has_vowel(len - 1) {
            self.0[len - 1] = b'i';
        }
    }

    fn step_2(&mut self) {
        self.replace_if_measure(
            &[
                ("ational", "ate"),
                ("tional", "tion"),
                ("enci", "ence"),
                ("anci", "ance"),
                ("izer", "ize"),
                ("abli", "able"),
                ("alli", "al"),
                ("entli", "ent"),
                ("eli", "e"),
                ("ousli", "ous"),
                ("ization", "ize"),
                ("ation", "ate"),
                ("ator", "ate"),
                ("alism", "al"),
                ("iveness", "ive"),
                ("fulness", "ful"),
                ("ousness", "ous"),
                ("aliti", "al"),
                ("iviti", "ive"),
                ("biliti", "ble"),
            ],
            0,
        );
    }

    fn step_3(&mut self) {
        self.replace_if_measure(
            &[
                ("icate", "ic"),
                ("ative", ""),
                ("alize", "al"),
                ("iciti", "ic"),
                ("ical", "ic"),
                ("ful", ""),
                ("ness", ""),
            ],
            0,
        );
    }

    fn step_4(&mut self) {
        const SUFFIXES: &[&str] = &[
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion",
            "ou", "ism", "ate", "iti", "ous", "ive", "ize",
        ];
        // Longest suffix first, as Porter's table is ordered by the penultimate letter.
        let Some(suffix) = SUFFIXES
            .iter()
            .filter(|suffix| self.ends_with(suffix))
            .max_by_key(|suffix| suffix.len())
        else {
            return;
        };
        let stem = self.stem_len(suffix);
        if self.measure(stem) <= 1 {
            return;
        }
        if *suffix == "ion" && !(stem > 0 && matches!(self.0[stem - 1], b's' | b't')) {
            return;
        }
        self.replace_end(suffix.len(), "");
    }

    fn step_5(&mut self) {
        let len = self.0.len();
        if self.ends_with("e") {
            let m = self.measure(len - 1);
            if m > 1 || (m == 1 && !self.ends_cvc(len - 1)) {
                self.0.pop();
            }
        }
        let len = self.0.len();
        if self.measure(len) > 1 && self.ends_double_consonant(len) && self.0[len - 1] == b'l' {
            self.0.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    #[test]
    fn french_examples() {
        let words = [
            "livraisons",
            "livraison",
            "rapidement",
            "rapide",
            "horaires",
            "horaire",
            "ouverture",
            "chevaux",
            "commandes",
            "commande",
            "annulation",
            "annuler",
            "annulez",
            "remboursement",
            "rembourser",
            "gratuite",
            "gratuit",
            "nouvelle",
            "reservation",
            "reserver",
        ];
        let stems: Vec<String> = words
            .iter()
            .map(|word| format!("{word}→{}", super::french(word)))
            .collect();
        expect!["livraisons→livraison livraison→livraison rapidement→rapid rapide→rapid horaires→horair horaire→horair ouverture→ouvertur chevaux→cheval commandes→command commande→command annulation→annul annuler→annul annulez→annul remboursement→rembours rembourser→rembours gratuite→gratuit gratuit→gratuit nouvelle→nouvel reservation→reserv reserver→reserv"].assert_eq(&stems.join(" "));
    }

    #[test]
    fn porter_examples() {
        let words = [
            "caresses",
            "ponies",
            "cats",
            "feed",
            "agreed",
            "plastered",
            "motoring",
            "sing",
            "hopping",
            "falling",
            "filing",
            "happy",
            "relational",
            "conditional",
            "rational",
            "digitizer",
            "hopefulness",
            "electrical",
            "revival",
            "adjustment",
            "adoption",
            "probate",
            "controlling",
            "shipping",
            "shipped",
            "deliveries",
            "delivery",
            "cancellation",
            "cancelled",
            "refunds",
            "charged",
            "payment",
            "generalization",
        ];
        let stems: Vec<String> = words
            .iter()
            .map(|word| format!("{word}→{}", super::english(word)))
            .collect();
        expect!["caresses→caress ponies→poni cats→cat feed→feed agreed→agre plastered→plaster motoring→motor sing→sing hopping→hop falling→fall filing→file happy→happi relational→relat conditional→condit rational→ration digitizer→digit hopefulness→hope electrical→electr revival→reviv adjustment→adjust adoption→adopt probate→probat controlling→control shipping→ship shipped→ship deliveries→deliveri delivery→deliveri cancellation→cancel cancelled→cancel refunds→refund charged→charg payment→payment generalization→gener"].assert_eq(&stems.join(" "));
    }
}
