//! FAQ entries as CSV, for spreadsheets: one row per entry with the columns `id`, `question`, `answer`,
//! `alternates`, `tags`, `links`. Lists are joined with ` | `; a link is `title <url>`. Quoted as RFC 4180 says.

use baton_shared::config::{FaqEntry, Link};

const HEADER: [&str; 6] = ["id", "question", "answer", "alternates", "tags", "links"];
const SEPARATOR: &str = " | ";

/// The entries as CSV text.
pub fn export(entries: &[FaqEntry]) -> String {
    let mut text = row(&HEADER.map(String::from));
    for entry in entries {
        let links: Vec<String> = entry
            .links
            .iter()
            .map(|link| format!("{} <{}>", link.title, link.url))
            .collect();
        text.push_str(&row(&[
            entry.id.clone(),
            entry.question.clone(),
            entry.answer.clone(),
            entry.alternates.join(SEPARATOR),
            entry.tags.join(SEPARATOR),
            links.join(SEPARATOR),
        ]));
    }
    text
}

fn row(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|cell| {
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.clone()
            }
        })
        .collect();
    quoted.join(",") + "\r\n"
}

/// The entries of a CSV file: its header names the columns (in any order; `id`, `question` and `answer` are
/// needed). A problem says the line it is on.
pub fn import(text: &str) -> Result<Vec<FaqEntry>, String> {
    let rows = parse(text)?;
    let mut rows = rows
        .into_iter()
        .filter(|row| row.iter().any(|cell| !cell.trim().is_empty()));
    let header: Vec<String> = rows
        .next()
        .ok_or("the file is empty")?
        .into_iter()
        .map(|name| name.trim().to_lowercase())
        .collect();
    let column = |name: &str| header.iter().position(|known| known == name);
    let (Some(id), Some(question), Some(answer)) =
        (column("id"), column("question"), column("answer"))
    else {
        return Err("the first line must name the columns id, question and answer".into());
    };
    let (alternates, tags, links) = (column("alternates"), column("tags"), column("links"));
    let list = |row: &[String], at: Option<usize>| -> Vec<String> {
        at.and_then(|at| row.get(at))
            .map(|cell| {
                cell.split('|')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    rows.enumerate()
        .map(|(number, row)| {
            let cell = |at: usize| {
                row.get(at)
                    .map(|cell| cell.trim().to_string())
                    .unwrap_or_default()
            };
            let links = list(&row, links)
                .into_iter()
                .map(|link| match link.rsplit_once('<') {
                    Some((title, url)) => Ok(Link {
                        title: title.trim().to_string(),
                        url: url.trim_end_matches('>').trim().to_string(),
                    }),
                    None => Err(format!(
                        "row {}: the link \"{link}\" must be written title <url>",
                        number + 2
                    )),
                })
                .collect::<Result<Vec<Link>, String>>()?;
            Ok(FaqEntry {
                id: cell(id),
                question: cell(question),
                alternates: list(&row, alternates),
                answer: cell(answer),
                tags: list(&row, tags),
                links,
            })
        })
        .collect()
}

/// The rows of CSV text, quoted cells unquoted.
fn parse(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut characters = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(character) = characters.next() {
        match (quoted, character) {
            (true, '"') if characters.peek() == Some(&'"') => {
                characters.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, other) => cell.push(other),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, other) => cell.push(other),
        }
    }
    if quoted {
        return Err("a quoted cell is not closed".into());
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}
