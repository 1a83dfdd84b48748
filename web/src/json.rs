//! JSON in the browser, read and written by its own `JSON.parse` and `JSON.stringify`, with serde-wasm-bindgen
//! between their JavaScript values and the protocol's types: so the widget's download has no JSON parser or number
//! printing of its own (serde_json's were the biggest part of what its page-load module still had of it, and a
//! good part of its chat's). The text is the JSON serde_json writes: `localStorage` copies written by earlier
//! widgets read as they were, and the worker reads the bodies and the socket's commands as before.

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
    js_sys::JSON::stringify(&to_js(value)?).ok()?.as_string()
}

/// `value` as a plain JavaScript value shaped like its JSON: maps as objects, integers as numbers, `None` as `null`.
pub fn to_js<T: Serialize>(value: &T) -> Option<JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()
}
