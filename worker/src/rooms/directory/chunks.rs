//! Texts too large for one stored value (a configuration may be up to 1 MiB, a Durable Object storage value 128 KiB
//! on key-value-backed objects): cut into chunks stored under keys that sort in order, written in one atomic write.

use wasm_bindgen::JsValue;
use worker::Storage;

use crate::error::ApiError;

/// A chunk's most bytes of UTF-8: at most as many UTF-16 code units, so well within a stored value's limit
/// however the platform encodes the string.
pub const CHUNK_BYTES: usize = 32 * 1024;
/// How many keys one atomic write may hold (the platform's limit for `put` with many keys).
pub const MAX_KEYS_PER_WRITE: usize = 128;

/// Stores every entry in one atomic write.
pub async fn put_all(storage: &Storage, entries: Vec<(String, String)>) -> Result<(), ApiError> {
    if entries.len() > MAX_KEYS_PER_WRITE {
        return Err(ApiError::Internal(format!(
            "a configuration write of {} keys is over the limit of {MAX_KEYS_PER_WRITE}",
            entries.len()
        )));
    }
    let object = js_sys::Object::new();
    for (key, value) in entries {
        js_sys::Reflect::set(
            &object,
            &JsValue::from_str(&key),
            &JsValue::from_str(&value),
        )
        .map_err(|_| ApiError::Internal("building a storage write failed".into()))?;
    }
    storage.put_multiple_raw(object).await?;
    Ok(())
}

/// The text of `count` chunks stored under `prefix`, in order.
pub async fn read_chunks(storage: &Storage, prefix: &str, count: u32) -> Result<String, ApiError> {
    let keys: Vec<String> = (0..count as usize)
        .map(|index| format!("{prefix}{index:04}"))
        .collect();
    let values = storage.get_multiple(keys.clone()).await?;
    let mut text = String::new();
    for key in &keys {
        let chunk = values
            .get(&JsValue::from_str(key))
            .as_string()
            .ok_or_else(|| ApiError::Internal(format!("the stored chunk {key} is missing")))?;
        text.push_str(&chunk);
    }
    Ok(text)
}

/// A text cut into pieces of at most [`CHUNK_BYTES`], on character boundaries (an empty text is one empty chunk).
pub fn chunks(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        if rest.len() <= CHUNK_BYTES {
            pieces.push(rest);
            return pieces;
        }
        let mut cut = CHUNK_BYTES;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (piece, after) = rest.split_at(cut);
        pieces.push(piece);
        rest = after;
    }
}

#[cfg(test)]
mod tests;
