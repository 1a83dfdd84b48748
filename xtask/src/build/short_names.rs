//! Short names for what the widget's main module and its JavaScript glue call each other by. wasm-bindgen names
//! every import after its Rust function with a 16-digit hash (`__wbg_setAttribute_3c9f6e0e2e1b4f5a`) and every
//! closure's entry point after its whole type; each name is written twice, in the module's import or export section
//! and in the glue, and the hashes do not compress: about 5 KB Brotli of every page view. After wasm-opt and
//! esbuild, each import of the glue's module becomes `a`, `b`, … (the module itself `w`) and each export the glue
//! alone calls `$a`, `$b`, …, in both files.
//!
//! Only a name the glue holds where it can be renamed safely is renamed: an import as a key of the import object
//! and nowhere else, an export only as `.name` accesses and not named by the split loader at all. Anything else
//! keeps its name, so the pair stays consistent whatever wasm-bindgen writes; the module's name is renamed only when
//! the glue's import object names it exactly once.

use std::path::Path;

use super::{read, read_text, write};

/// The import module wasm-bindgen's glue provides (`--out-name baton_widget`).
const GLUE_MODULE: &str = "./baton_widget_bg.js";
/// What it is called after renaming.
const SHORT_MODULE: &str = "w";

/// Renames the imports and exports shared by `wasm` and `glue` (both rewritten in place); `split_loader` is
/// wasm-split-cli's loader, whose names stay. Returns how many names were shortened.
pub fn shorten(wasm: &Path, glue: &Path, split_loader: &Path) -> crate::Result<usize> {
    let module = read(wasm)?;
    let js = read_text(glue)?;
    let loader = read_text(split_loader)?;
    let (module, js, renamed) =
        rename(&module, &js, &loader).map_err(|error| format!("{}: {error}", wasm.display()))?;
    write(wasm, &module)?;
    write(glue, js.as_bytes())?;
    Ok(renamed)
}

/// The module and the glue with their shared names shortened, and how many were.
pub fn rename(module: &[u8], js: &str, loader: &str) -> Result<(Vec<u8>, String, usize), String> {
    if module.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        return Err("not a WebAssembly module".into());
    }
    let mut js = js.to_string();
    let module_key = format!("\"{GLUE_MODULE}\":");
    let rename_module = js.matches(&module_key).count() == 1;
    if rename_module {
        js = js.replacen(&module_key, &format!("{SHORT_MODULE}:"), 1);
    }
    let mut out = module[..8].to_vec();
    let mut reader = Reader {
        bytes: module,
        at: 8,
    };
    let (mut imports, mut exports) = (0, 0);
    while reader.at < module.len() {
        let id = reader.byte()?;
        let size = reader.leb()?;
        let body = reader.take(size)?;
        let body = match id {
            2 => rewrite_imports(body, &mut js, rename_module, &mut imports)?,
            7 => rewrite_exports(body, &mut js, loader, &mut exports)?,
            _ => body.to_vec(),
        };
        out.push(id);
        write_leb(&mut out, body.len());
        out.extend_from_slice(&body);
    }
    Ok((out, js, imports + exports))
}

fn rewrite_imports(
    body: &[u8],
    js: &mut String,
    rename_module: bool,
    renamed: &mut usize,
) -> Result<Vec<u8>, String> {
    let (mut reader, count, mut out) = start_vector(body)?;
    for _ in 0..count {
        let module = reader.name()?;
        let name = reader.name()?;
        let start = reader.at;
        reader.skip_import_description()?;
        let description = &body[start..reader.at];
        let mut new_name = name.to_string();
        if module == GLUE_MODULE {
            let short = short_name(*renamed);
            let key = |name: &str| [format!("{{{name}:"), format!(",{name}:")];
            let keyed: usize = key(name)
                .iter()
                .map(|key| js.matches(key.as_str()).count())
                .sum();
            // The new key cannot clash: the others are unrenamed (`__wbg_…`) or shortened before it.
            if keyed == 1 && occurrences(js, name) == 1 {
                for (old, new) in key(name).iter().zip(key(&short)) {
                    *js = js.replacen(old.as_str(), &new, 1);
                }
                new_name = short;
                *renamed += 1;
            }
        }
        let module = if module == GLUE_MODULE && rename_module {
            SHORT_MODULE
        } else {
            module
        };
        write_name(&mut out, module);
        write_name(&mut out, &new_name);
        out.extend_from_slice(description);
    }
    Ok(out)
}

fn rewrite_exports(
    body: &[u8],
    js: &mut String,
    loader: &str,
    renamed: &mut usize,
) -> Result<Vec<u8>, String> {
    let (mut reader, count, mut out) = start_vector(body)?;
    let mut next = 0;
    for _ in 0..count {
        let name = reader.name()?;
        let start = reader.at;
        reader.byte()?;
        reader.leb()?;
        let description = &body[start..reader.at];
        let mut new_name = name.to_string();
        let short = format!("${}", short_name(next));
        let accessed = format!(".{name}");
        let accesses = occurrences(js, &accessed);
        if accesses > 0
            && accesses == occurrences(js, name)
            && occurrences(loader, name) == 0
            && !js.contains(&short)
        {
            *js = replace_identifier(js, &accessed, &format!(".{short}"));
            new_name = short;
            next += 1;
            *renamed += 1;
        }
        write_name(&mut out, &new_name);
        out.extend_from_slice(description);
    }
    Ok(out)
}

/// A section of entries: a reader past its count, the count, and the rewritten section begun with the same count.
fn start_vector(body: &[u8]) -> Result<(Reader<'_>, usize, Vec<u8>), String> {
    let mut reader = Reader { bytes: body, at: 0 };
    let count = reader.leb()?;
    let mut out = Vec::new();
    write_leb(&mut out, count);
    Ok((reader, count, out))
}

/// `a` … `z`, `A` … `Z`, then two letters and more.
fn short_name(mut index: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::new();
    loop {
        name.push(char::from(LETTERS[index % LETTERS.len()]));
        index /= LETTERS.len();
        if index == 0 {
            return name;
        }
        index -= 1;
    }
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Where `name` occurs in `text` as a whole identifier (not inside a longer one).
fn identifier_matches<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(name).filter_map(move |(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        let starts = name.starts_with('.') || !before.is_some_and(is_identifier_char);
        (starts && !after.is_some_and(is_identifier_char)).then_some(at)
    })
}

fn occurrences(text: &str, name: &str) -> usize {
    identifier_matches(text, name).count()
}

fn replace_identifier(text: &str, name: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for at in identifier_matches(text, name).collect::<Vec<_>>() {
        out.push_str(&text[copied..at]);
        out.push_str(with);
        copied = at + name.len();
    }
    out.push_str(&text[copied..]);
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| format!("ends early at byte {}", self.at))?;
        self.at += 1;
        Ok(byte)
    }

    fn leb(&mut self) -> Result<usize, String> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = self.byte()?;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 35 {
                return Err(format!("a number too long at byte {}", self.at));
            }
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let bytes = self
            .bytes
            .get(self.at..self.at + len)
            .ok_or_else(|| format!("ends early at byte {}", self.at))?;
        self.at += len;
        Ok(bytes)
    }

    fn name(&mut self) -> Result<&'a str, String> {
        let len = self.leb()?;
        let at = self.at;
        std::str::from_utf8(self.take(len)?).map_err(|_| format!("a name not UTF-8 at byte {at}"))
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 == 1 {
            self.leb()?;
        }
        Ok(())
    }

    /// An import's kind and type: a function, a table, a memory or a global.
    fn skip_import_description(&mut self) -> Result<(), String> {
        match self.byte()? {
            0 => self.leb().map(drop),
            1 => {
                self.byte()?;
                self.limits()
            }
            2 => self.limits(),
            3 => self.take(2).map(drop),
            kind => Err(format!(
                "an import of unknown kind {kind} at byte {}",
                self.at
            )),
        }
    }
}

/// `value` as unsigned LEB128, as WebAssembly writes sizes.
pub(super) fn write_leb(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A WebAssembly name: its length, then its bytes.
pub(super) fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len());
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests;
