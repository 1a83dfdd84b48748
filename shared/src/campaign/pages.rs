//! String rules and page rules: the seven operators (`equals` … `matches`) on a page's path or full URL, a referrer,
//! a UTM parameter or an identify attribute. No allocation: this runs on every check in the browser.

use super::model::{Match, PageRules, StringOp, StringRule};

impl StringRule {
    /// Whether `subject` passes the rule. Case-sensitive; `matches` is a glob where `*` stands for any run of
    /// characters, `/` included.
    pub fn test(&self, subject: &str) -> bool {
        test_op(self.op, &self.value, subject)
    }

    /// [`StringRule::test`] on a value that may be absent (no such UTM parameter): see [`test_option`].
    pub fn test_option(&self, subject: Option<&str>) -> bool {
        test_option(self.op, &self.value, subject)
    }
}

/// `subject` tested with `op` against `value` (a string rule's or an attribute rule's).
pub fn test_op(op: StringOp, value: &str, subject: &str) -> bool {
    match op {
        StringOp::Equals => subject == value,
        StringOp::NotEquals => subject != value,
        StringOp::Contains => subject.contains(value),
        StringOp::NotContains => !subject.contains(value),
        StringOp::StartsWith => subject.starts_with(value),
        StringOp::EndsWith => subject.ends_with(value),
        StringOp::Matches => glob(value.as_bytes(), subject.as_bytes()),
    }
}

/// [`test_op`] on a value that may be absent (no such UTM parameter, no such attribute): an absent value passes
/// only the negative operators, `not_equals` and `not_contains`.
pub fn test_option(op: StringOp, value: &str, subject: Option<&str>) -> bool {
    match subject {
        Some(subject) => test_op(op, value, subject),
        None => matches!(op, StringOp::NotEquals | StringOp::NotContains),
    }
}

impl PageRules {
    /// Whether the page at `url` is one of these pages: each rule is tested on the URL's path, or on the full URL
    /// when its value starts with `http`; no rules means every page.
    pub fn matches(&self, url: &str) -> bool {
        self.matches_page(url, path_of(url))
    }

    /// [`PageRules::matches`] with the URL's path already taken out (the evaluator does it once per check).
    pub fn matches_page(&self, url: &str, path: &str) -> bool {
        if self.rules.is_empty() {
            return true;
        }
        let test = |rule: &StringRule| {
            if rule.value.starts_with("http") {
                rule.test(url)
            } else {
                rule.test(path)
            }
        };
        match self.match_ {
            Match::Any => self.rules.iter().any(test),
            Match::All => self.rules.iter().all(test),
        }
    }
}

/// The path of a URL, without scheme, host, query or fragment: `https://shop.example/pricing?x=1` → `/pricing`.
/// A host without a path is `/`; a string that is already a path keeps its path.
pub fn path_of(url: &str) -> &str {
    // Byte searches: the delimiters are ASCII, and a URL is scanned on every check.
    let find = |text: &str, delimiters: &[u8]| text.bytes().position(|b| delimiters.contains(&b));
    let after_host = match url.find("://") {
        Some(scheme_end) => {
            let rest = &url[scheme_end + 3..];
            match find(rest, b"/?#") {
                Some(start) => &rest[start..],
                None => "",
            }
        }
        None => url,
    };
    let path = match find(after_host, b"?#") {
        Some(end) => &after_host[..end],
        None => after_host,
    };
    if path.is_empty() { "/" } else { path }
}

/// A glob match where `*` in `pattern` matches any run of bytes (including none and `/`), every other byte
/// itself; linear backtracking to the last `*`, no allocation.
fn glob(pattern: &[u8], subject: &[u8]) -> bool {
    let (mut p, mut s) = (0, 0);
    // Where the last `*` was, and the subject position it is currently matched up to.
    let mut star: Option<(usize, usize)> = None;
    while s < subject.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, s));
            p += 1;
        } else if p < pattern.len() && pattern[p] == subject[s] {
            p += 1;
            s += 1;
        } else if let Some((star_p, star_s)) = star {
            p = star_p + 1;
            s = star_s + 1;
            star = Some((star_p, star_s + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}
