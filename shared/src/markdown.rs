//! The safe Markdown subset answers may use (the widget renders it, the studio previews it): paragraphs and line
//! breaks, `- ` bullet lists, `**bold**`, `*italic*`, `` `code` ``, `[text](https://…)` links and bare `https://` URLs. Parsed into a small tree that is
//! rendered as elements and text nodes only: no text is ever parsed as HTML, and links other than `http:`,
//! `https:` and `mailto:` stay plain text.

/// A block of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
}

/// A run of text within a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Emphasis(String),
    Code(String),
    Link { text: String, href: String },
    LineBreak,
}

pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<Vec<Inline>> = Vec::new();
    let flush_paragraph = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            let mut inlines = Vec::new();
            for (n, line) in paragraph.iter().enumerate() {
                if n > 0 {
                    inlines.push(Inline::LineBreak);
                }
                inlines.extend(parse_inline(line));
            }
            blocks.push(Block::Paragraph(inlines));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            flush_paragraph(&mut paragraph, &mut blocks);
            list.push(parse_inline(item));
            continue;
        }
        if !list.is_empty() {
            blocks.push(Block::List(std::mem::take(&mut list)));
        }
        if trimmed.is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
        } else {
            paragraph.push(trimmed);
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    if !list.is_empty() {
        blocks.push(Block::List(list));
    }
    blocks
}

fn parse_inline(line: &str) -> Vec<Inline> {
    let mut inlines = Vec::new();
    let mut text = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let parsed = match c {
            '*' if rest.starts_with("**") => {
                delimited(rest, "**").map(|(inner, after)| (Inline::Strong(inner.into()), after))
            }
            '*' => {
                delimited(rest, "*").map(|(inner, after)| (Inline::Emphasis(inner.into()), after))
            }
            '`' => delimited(rest, "`").map(|(inner, after)| (Inline::Code(inner.into()), after)),
            '[' => link(rest),
            'h' | 'm' => bare_url(rest),
            _ => None,
        };
        match parsed {
            Some((inline, after)) => {
                if !text.is_empty() {
                    inlines.push(Inline::Text(std::mem::take(&mut text)));
                }
                inlines.push(inline);
                rest = after;
            }
            None => {
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        inlines.push(Inline::Text(text));
    }
    inlines
}

/// `{marker}inner{marker}` at the start of `text`, with non-empty inner text not starting with a space.
fn delimited<'a>(text: &'a str, marker: &str) -> Option<(&'a str, &'a str)> {
    let after_open = text.strip_prefix(marker)?;
    let end = after_open.find(marker)?;
    let inner = &after_open[..end];
    (!inner.is_empty() && !inner.starts_with(' '))
        .then(|| (inner, &after_open[end + marker.len()..]))
}

/// `[text](href)` with a safe href.
fn link(text: &str) -> Option<(Inline, &str)> {
    let after_open = text.strip_prefix('[')?;
    let close = after_open.find("](")?;
    let label = &after_open[..close];
    let after_label = &after_open[close + 2..];
    let end = after_label.find(')')?;
    let href = after_label[..end].trim();
    (!label.is_empty() && is_safe_href(href)).then(|| {
        (
            Inline::Link {
                text: label.into(),
                href: href.into(),
            },
            &after_label[end + 1..],
        )
    })
}

/// A bare `https://…`, `http://…` or `mailto:…` up to white space, without trailing punctuation.
fn bare_url(text: &str) -> Option<(Inline, &str)> {
    if !is_safe_href(text) {
        return None;
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ')', '!', '?', ';', ':']);
    let scheme_only = matches!(url, "https://" | "http://" | "mailto:");
    (!scheme_only).then(|| {
        (
            Inline::Link {
                text: url.into(),
                href: url.into(),
            },
            &text[url.len()..],
        )
    })
}

fn is_safe_href(href: &str) -> bool {
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::parse;

    #[test]
    fn the_subset_is_parsed_and_nothing_else() {
        let shown: Vec<String> = [
            "Delivery takes **1-2 days**, *usually*.",
            "See [our returns page](https://shop.example/returns) or https://shop.example/help.",
            "Use code `WELCOME10`\nat checkout.",
            "Options:\n- Grinder\n- Beans",
            "[click](javascript:alert(1)) <img src=x onerror=alert(1)> <b>bold</b>",
            "** not bold** and a lone * star",
        ]
        .iter()
        .map(|text| format!("{:?}", parse(text)))
        .collect();
        expect![[r#"
            [Paragraph([Text("Delivery takes "), Strong("1-2 days"), Text(", "), Emphasis("usually"), Text(".")])]
            [Paragraph([Text("See "), Link { text: "our returns page", href: "https://shop.example/returns" }, Text(" or "), Link { text: "https://shop.example/help", href: "https://shop.example/help" }, Text(".")])]
            [Paragraph([Text("Use code "), Code("WELCOME10"), LineBreak, Text("at checkout.")])]
            [Paragraph([Text("Options:")]), List([[Text("Grinder")], [Text("Beans")]])]
            [Paragraph([Text("[click](javascript:alert(1)) <img src=x onerror=alert(1)> <b>bold</b>")])]
            [Paragraph([Text("** not bold** and a lone * star")])]"#]].assert_eq(&shown.join("\n"));
    }
}
