//! The worker's only source of randomness: ids and visitor tokens from the platform's `crypto.randomUUID()`.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A random version-4 UUID from Web Crypto.
pub fn uuid() -> worker::Result<String> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))?;
    let random_uuid: Function =
        Reflect::get(&crypto, &JsValue::from_str("randomUUID"))?.dyn_into()?;
    random_uuid
        .call0(&crypto)?
        .as_string()
        .ok_or_else(|| worker::Error::RustError("crypto.randomUUID returned a non-string".into()))
}

/// A 244-bit visitor token: two UUIDs without dashes.
pub fn token() -> worker::Result<String> {
    Ok(format!("{}{}", uuid()?, uuid()?).replace('-', ""))
}
