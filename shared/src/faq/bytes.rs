//! The compact serialised form of a [`FaqIndex`], built once per configuration and loaded by the widget with it.
//!
//! Only what is expensive to recompute is stored: the vocabulary (stemmed, folded terms), the site's synonyms and
//! each phrasing's sorted term ids (delta-encoded varints). Weights, norms and centroids are recomputed on load in
//! a single pass, with no tokenising or stemming.

use super::FaqIndex;
use crate::text::Language;

const MAGIC: &[u8; 4] = b"BFI1";

impl FaqIndex {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(match self.language {
            Language::English => 0,
            Language::French => 1,
        });
        put_varint(&mut out, self.terms.len() as u64);
        for term in &self.terms {
            put_str(&mut out, term);
        }
        put_varint(&mut out, self.synonyms.len() as u64);
        for (from, to) in &self.synonyms {
            put_str(&mut out, from);
            put_str(&mut out, to);
        }
        put_varint(&mut out, self.entries.len() as u64);
        for entry in &self.entries {
            put_str(&mut out, &entry.id);
            put_varint(&mut out, entry.phrasings.len() as u64);
            for (ids, _) in &entry.phrasings {
                put_varint(&mut out, ids.len() as u64);
                let mut previous = 0;
                for id in ids {
                    put_varint(&mut out, u64::from(id - previous));
                    previous = *id;
                }
            }
        }
        out
    }

    /// Reads [`FaqIndex::to_bytes`] output; the error says what is wrong and at which byte.
    pub fn from_bytes(bytes: &[u8]) -> Result<FaqIndex, String> {
        let mut reader = Reader { bytes, at: 0 };
        if reader.take(MAGIC.len())? != MAGIC {
            return Err("index: not a Baton FAQ index (bad header)".into());
        }
        let language = match reader.take(1)?[0] {
            0 => Language::English,
            1 => Language::French,
            other => return Err(format!("index: unknown language {other} at byte 4")),
        };
        let term_count = reader.count()?;
        let mut terms = Vec::with_capacity(term_count.min(1 << 16));
        for _ in 0..term_count {
            terms.push(reader.string()?);
        }
        if terms.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err("index: vocabulary is not sorted".into());
        }
        let synonym_count = reader.count()?;
        let mut synonyms = Vec::with_capacity(synonym_count.min(1 << 16));
        for _ in 0..synonym_count {
            synonyms.push((reader.string()?, reader.string()?));
        }
        let entry_count = reader.count()?;
        let mut ids = Vec::with_capacity(entry_count.min(1 << 16));
        let mut phrasings = Vec::with_capacity(entry_count.min(1 << 16));
        for _ in 0..entry_count {
            ids.push(reader.string()?);
            let phrasing_count = reader.count()?;
            let mut entry = Vec::with_capacity(phrasing_count.min(1 << 10));
            for _ in 0..phrasing_count {
                let length = reader.count()?;
                let mut term_ids = Vec::with_capacity(length.min(1 << 10));
                let mut previous: u64 = 0;
                for position in 0..length {
                    let delta = reader.varint()?;
                    if position > 0 && delta == 0 {
                        return Err(format!("index: repeated term id at byte {}", reader.at));
                    }
                    previous = previous.saturating_add(delta);
                    if previous >= terms.len() as u64 {
                        return Err(format!(
                            "index: term id {previous} out of range at byte {}",
                            reader.at
                        ));
                    }
                    term_ids.push(previous as u32);
                }
                entry.push(term_ids);
            }
            phrasings.push(entry);
        }
        if reader.at != bytes.len() {
            return Err(format!(
                "index: {} unexpected bytes at the end",
                bytes.len() - reader.at
            ));
        }
        Ok(FaqIndex::from_parts(
            terms, ids, phrasings, synonyms, language,
        ))
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, length: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(length)
            .filter(|end| *end <= self.bytes.len());
        let end = end.ok_or_else(|| format!("index: truncated at byte {}", self.at))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(format!("index: number too long at byte {}", self.at))
    }

    /// A count of items that each take at least one byte, so it cannot exceed what is left.
    fn count(&mut self) -> Result<usize, String> {
        let count = self.varint()?;
        if count > (self.bytes.len() - self.at) as u64 {
            return Err(format!(
                "index: count {count} larger than the data at byte {}",
                self.at
            ));
        }
        Ok(count as usize)
    }

    fn string(&mut self) -> Result<String, String> {
        let length = self.count()?;
        let at = self.at;
        let raw = self.take(length)?;
        String::from_utf8(raw.to_vec())
            .map_err(|_| format!("index: text is not UTF-8 at byte {at}"))
    }
}
