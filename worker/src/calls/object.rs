//! A Durable Object addressed by name and called with the platform's own `stub.fetch(url, {method, body})`, its
//! reply read with one `response.text()`.
//!
//! Why not workers-rs's `Stub::fetch_with_request`: it needs a `Request` (and a `Headers`) made first, which the
//! platform then copies, and it hands back the reply's body as a stream that workers-rs reads chunk by chunk through
//! a reader; releasing that reader makes workerd build a `TypeError` with a stack trace. Measured under the message
//! benchmark, those objects were a large share of workerd's time and of what its garbage collector had to trace
//! and finalise (its pauses are what the latency tail waits through). A call here makes no object of its own beyond
//! the options and the promise.

use wasm_bindgen::{JsCast, JsValue};
use worker::Env;
use worker::js_sys::{Array, Function, Object, Reflect};
use worker::wasm_bindgen_futures::JsFuture;

use crate::error::ApiError;

/// A named object of one of the worker's Durable Object namespaces.
pub struct NamedObject {
    stub: JsValue,
}

/// What an object answered: its status, its `Retry-After` when it refused (a rate limit), and its body.
pub struct Answer {
    pub status: u16,
    pub retry_after_s: Option<u32>,
    pub text: String,
}

impl NamedObject {
    /// The object `name` of the namespace bound as `binding`.
    pub fn get(env: &Env, binding: &str, name: &str) -> Result<NamedObject, ApiError> {
        let namespace = Reflect::get(env, &JsValue::from_str(binding))
            .ok()
            .filter(|namespace| namespace.is_object())
            .ok_or_else(|| ApiError::Internal(format!("no Durable Object binding {binding}")))?;
        let id = call(&namespace, "idFromName", &[JsValue::from_str(name)])?;
        let stub = call(&namespace, "get", &[id])?;
        Ok(NamedObject { stub })
    }

    /// `POST`s `body` to `url` on the object.
    pub async fn post(&self, url: &str, body: String) -> Result<Answer, ApiError> {
        let init = Object::new();
        set(&init, "method", &JsValue::from_str("POST"))?;
        set(&init, "body", &JsValue::from(body))?;
        let promise = call(&self.stub, "fetch", &[JsValue::from_str(url), init.into()])?;
        let response: worker::web_sys::Response =
            JsFuture::from(worker::js_sys::Promise::from(promise))
                .await
                .map_err(|error| js_error("calling an object", &error))?
                .dyn_into()
                .map_err(|_| {
                    ApiError::Internal(
                        "an object answered with something else than a Response".into(),
                    )
                })?;
        let status = response.status();
        // Only a refusal carries one; reading a header makes a `Headers` object, so only then.
        let retry_after_s = if (200..300).contains(&status) {
            None
        } else {
            response
                .headers()
                .get("Retry-After")
                .ok()
                .flatten()
                .and_then(|value| value.parse().ok())
        };
        let text = response
            .text()
            .map_err(|error| js_error("reading an object's answer", &error))?;
        let text = JsFuture::from(text)
            .await
            .map_err(|error| js_error("reading an object's answer", &error))?
            .as_string()
            .unwrap_or_default();
        Ok(Answer {
            status,
            retry_after_s,
            text,
        })
    }
}

/// Calls `target.method(...args)`.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, ApiError> {
    let function: Function = Reflect::get(target, &JsValue::from_str(method))
        .ok()
        .and_then(|function| function.dyn_into().ok())
        .ok_or_else(|| ApiError::Internal(format!("an object's {method} is not a function")))?;
    function
        .apply(target, &args.iter().collect::<Array>())
        .map_err(|error| js_error(method, &error))
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), ApiError> {
    Reflect::set(target, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|error| js_error(key, &error))
}

fn js_error(doing: &str, error: &JsValue) -> ApiError {
    let message = error
        .dyn_ref::<worker::js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"));
    ApiError::Internal(format!("{doing}: {message}"))
}
