//! JSON in the browser. Read by the browser's own `JSON.parse`, with serde-wasm-bindgen between its JavaScript
//! values and the protocol's types: so the widget's download has no JSON parser or number parsing of its own
//! (serde_json's were the biggest part of what its page-load module still had of it, and a good part of its
//! chat's). Written as text by a serializer of a few lines (`text.rs`), and handed to the page as the objects
//! `JSON.parse` makes of that text. The text is the JSON serde_json writes: `localStorage` copies written by earlier
//! widgets read as they were, and the worker reads the bodies and the socket's commands as before.

#[cfg(test)]
mod tests;
mod text;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// `text` as a `T`; the error says what did not fit.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_string())?;
    from_js(value)
}

/// A JavaScript value (e.g. a host page's object) as a `T`; the error says what did not fit.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|error| {
        let error = error.to_string();
        // The message of the JavaScript `Error` it is made as, without the `Error: ` its text starts with.
        error.strip_prefix("Error: ").unwrap_or(&error).to_string()
    })
}

/// `value` as JSON text, as serde_json writes it.
pub fn to_string<T: Serialize>(value: &T) -> Option<String> {
    text::to_string(value).ok()
}

/// `value` as a plain JavaScript value shaped like its JSON: maps as objects, integers as numbers, `None` as `null`.
pub fn to_js<T: Serialize>(value: &T) -> Option<JsValue> {
    js_sys::JSON::parse(&to_string(value)?).ok()
}
