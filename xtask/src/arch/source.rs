//! Rust source read just enough for the architecture checks, without a parser: comments and the insides of string
//! and char literals blanked out (so a word in a comment or a message never counts), string literals listed with
//! their lines, and test-only items (`#[cfg(test)]`, `#[test]`) blanked out too. Blanking keeps every byte
//! offset and line number of the original text.

/// One `.rs` file as read from disk (or written by a test): its path from the repository root, with `/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// A file's code with comments, literal contents and test-only items blanked out.
#[derive(Debug)]
pub struct Source {
    pub code: String,
    /// The string literals left in `code`, in order.
    pub strings: Vec<Literal>,
    /// Modules this file declares test-only (`#[cfg(test)] mod tests;`): their files are test code.
    pub test_modules: Vec<String>,
    line_starts: Vec<usize>,
}

/// A string literal: where its opening quote is in the code, where the literal ends, and its text as written
/// (escapes not decoded).
#[derive(Debug)]
pub struct Literal {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Source {
    pub fn read(text: &str) -> Source {
        let (mut code, mut strings) = blank_comments_and_literals(text);
        let (removed, test_modules) = blank_test_items(&mut code);
        strings.retain(|literal| {
            !removed
                .iter()
                .any(|(start, end)| (*start..*end).contains(&literal.start))
        });
        let line_starts = std::iter::once(0)
            .chain(
                code.iter()
                    .enumerate()
                    .filter(|(_, byte)| **byte == b'\n')
                    .map(|(at, _)| at + 1),
            )
            .collect();
        Source {
            code: String::from_utf8(code).unwrap_or_default(),
            strings,
            test_modules,
            line_starts,
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|start| *start <= offset)
    }
}

pub fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Where `pattern` occurs in `code` as whole words: an identifier character at either end of the pattern must not
/// touch another one (`HashMap` matches in `HashMap<K, V>`, not in `MyHashMap`).
pub fn occurrences(code: &str, pattern: &str) -> Vec<usize> {
    let bytes = code.as_bytes();
    let pattern_bytes = pattern.as_bytes();
    let (Some(first), Some(last)) = (pattern_bytes.first(), pattern_bytes.last()) else {
        return Vec::new();
    };
    code.match_indices(pattern)
        .map(|(at, _)| at)
        .filter(|at| !(is_ident(*first) && *at > 0 && is_ident(bytes[at - 1])))
        .filter(|at| {
            let end = at + pattern_bytes.len();
            !(is_ident(*last) && end < bytes.len() && is_ident(bytes[end]))
        })
        .collect()
}

/// Blanks comments and literal contents; returns the code and the string literals.
fn blank_comments_and_literals(text: &str) -> (Vec<u8>, Vec<Literal>) {
    let source = text.as_bytes();
    let mut code = source.to_vec();
    let mut strings = Vec::new();
    let blank = |code: &mut Vec<u8>, from: usize, to: usize| {
        for byte in &mut code[from..to.min(source.len())] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    };
    let mut at = 0;
    while at < source.len() {
        let rest = &source[at..];
        let after_ident = at > 0 && is_ident(source[at - 1]);
        if rest.starts_with(b"//") {
            let end = rest
                .iter()
                .position(|byte| *byte == b'\n')
                .map_or(source.len(), |n| at + n);
            blank(&mut code, at, end);
            at = end;
        } else if rest.starts_with(b"/*") {
            let end = block_comment_end(source, at);
            blank(&mut code, at, end);
            at = end;
        } else if rest[0] == b'"' {
            let end = quoted_end(source, at + 1, b'"');
            strings.push(literal(text, at, at + 1, end - 1, end));
            blank(&mut code, at + 1, end - 1);
            at = end;
        } else if !after_ident && let Some((open, hashes)) = raw_string_start(source, at) {
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let body = open + 1;
            let end = source[body..]
                .windows(close.len())
                .position(|window| window == close.as_slice())
                .map_or(source.len(), |n| body + n + close.len());
            let body_end = end.saturating_sub(close.len()).max(body);
            strings.push(literal(text, open, body, body_end, end));
            blank(&mut code, body, body_end);
            at = end;
        } else if rest[0] == b'\'' {
            at = match char_literal_end(source, at) {
                Some(end) => {
                    blank(&mut code, at + 1, end - 1);
                    end
                }
                // A lifetime or a label.
                None => at + 1,
            };
        } else {
            at += 1;
        }
    }
    (code, strings)
}

fn literal(text: &str, start: usize, body: usize, body_end: usize, end: usize) -> Literal {
    Literal {
        start,
        end,
        text: text.get(body..body_end).unwrap_or_default().to_owned(),
    }
}

fn block_comment_end(source: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut at = start;
    while at + 1 < source.len() {
        match &source[at..at + 2] {
            b"/*" => {
                depth += 1;
                at += 2;
            }
            b"*/" => {
                depth -= 1;
                at += 2;
                if depth == 0 {
                    return at;
                }
            }
            _ => at += 1,
        }
    }
    source.len()
}

/// The offset just past the closing `quote`, from the first byte inside the literal.
fn quoted_end(source: &[u8], mut at: usize, quote: u8) -> usize {
    while at < source.len() {
        match source[at] {
            b'\\' => at += 2,
            byte if byte == quote => return at + 1,
            _ => at += 1,
        }
    }
    source.len()
}

/// `r"…"`, `r#"…"#`, `br"…"`, `cr"…"`: the offset of the opening quote and the number of `#`.
fn raw_string_start(source: &[u8], at: usize) -> Option<(usize, usize)> {
    let prefix = match source.get(at..at + 2)? {
        [b'b' | b'c', b'r'] => 2,
        [b'r', _] => 1,
        _ => return None,
    };
    let hashes = source[at + prefix..]
        .iter()
        .take_while(|byte| **byte == b'#')
        .count();
    let open = at + prefix + hashes;
    (source.get(open) == Some(&b'"')).then_some((open, hashes))
}

/// The end of a char literal starting at `at`, or `None` for a lifetime (`'a`) or a label.
fn char_literal_end(source: &[u8], at: usize) -> Option<usize> {
    let next = *source.get(at + 1)?;
    if next == b'\\' {
        return Some(quoted_end(source, at + 1, b'\''));
    }
    let width = match next {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    };
    (source.get(at + 1 + width) == Some(&b'\'')).then_some(at + 2 + width)
}

/// Blanks every item under a test-only attribute; returns the blanked ranges and the test-only `mod name;`.
fn blank_test_items(code: &mut [u8]) -> (Vec<(usize, usize)>, Vec<String>) {
    let mut removed = Vec::new();
    let mut test_modules = Vec::new();
    let mut at = 0;
    while let Some(found) = find(code, b"#[", at) {
        let Some(attribute_end) = closing(code, found + 1) else {
            break;
        };
        let attribute = String::from_utf8_lossy(&code[found + 2..attribute_end]).into_owned();
        if !is_test_attribute(&attribute) {
            at = attribute_end;
            continue;
        }
        let item_start = skip_attributes(code, attribute_end + 1);
        let item_end = item_end(code, item_start);
        let item = String::from_utf8_lossy(&code[item_start..item_end]).into_owned();
        if let Some(name) = declared_module(&item) {
            test_modules.push(name);
        }
        for byte in &mut code[found..item_end] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
        removed.push((found, item_end));
        at = item_end;
    }
    (removed, test_modules)
}

fn is_test_attribute(attribute: &str) -> bool {
    let attribute: String = attribute.split_whitespace().collect();
    attribute == "test"
        || (attribute.starts_with("cfg(")
            && !attribute.contains("not(test")
            && !occurrences(&attribute, "test").is_empty())
}

/// `mod name;` (with any visibility): the module's name.
fn declared_module(item: &str) -> Option<String> {
    let words: Vec<&str> = item.split_whitespace().collect();
    let at = words.iter().position(|word| *word == "mod")?;
    let name = words.get(at + 1)?.trim_end_matches(';');
    let declared = words.get(at + 1)?.ends_with(';') || words.get(at + 2) == Some(&";");
    declared.then(|| name.to_owned())
}

fn skip_attributes(code: &[u8], mut at: usize) -> usize {
    loop {
        while at < code.len() && code[at].is_ascii_whitespace() {
            at += 1;
        }
        if code[at..].starts_with(b"#[")
            && let Some(end) = closing(code, at + 1)
        {
            at = end + 1;
        } else {
            return at;
        }
    }
}

/// The end of the item starting at `at`: past its `;` or its closing brace (and a `;` right after it).
fn item_end(code: &[u8], start: usize) -> usize {
    let mut at = start;
    while at < code.len() {
        match code[at] {
            b';' => return at + 1,
            b'(' | b'[' | b'{' => {
                let Some(end) = closing(code, at) else {
                    return code.len();
                };
                if code[at] == b'{' {
                    let next = (end + 1..code.len()).find(|n| !code[*n].is_ascii_whitespace());
                    return match next {
                        Some(n) if code[n] == b';' => n + 1,
                        _ => end + 1,
                    };
                }
                at = end + 1;
            }
            _ => at += 1,
        }
    }
    code.len()
}

/// The offset of the bracket closing the one at `open` (`(`, `[` or `{`), counting all three kinds.
pub fn closing(code: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (n, byte) in code.iter().enumerate().skip(open) {
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(n);
                }
            }
            _ => {}
        }
    }
    None
}

fn find(code: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    code.get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|n| from + n)
}
