//! Cloudflare Turnstile, for sites that ask for a bot check before a conversation starts (`turnstile.site_key`).
//! Turnstile's script is loaded from Cloudflare once, only on such sites, and renders its challenge into a small
//! box in the page (its iframe needs the light DOM); most visitors never see a question. The token it gives goes with
//! the conversation's creation, where the worker checks it.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Cloudflare's script, in explicit-render mode.
const SCRIPT: &str = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";

/// A Turnstile token for `site_key`, once the visitor passed the challenge.
pub async fn token(site_key: &str) -> Result<String, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    if !Reflect::has(&window, &"turnstile".into())? {
        let script = document.create_element("script")?;
        script.set_attribute("src", SCRIPT)?;
        let loaded = Promise::new(&mut |resolve, reject| {
            let _ = Reflect::set(&script, &"onload".into(), &resolve);
            let _ = Reflect::set(&script, &"onerror".into(), &reject);
        });
        body.append_child(&script)?;
        JsFuture::from(loaded).await?;
    }
    let turnstile = Reflect::get(&window, &"turnstile".into())?;
    let render: Function = Reflect::get(&turnstile, &"render".into())?.dyn_into()?;
    let host = document.create_element("div")?;
    host.set_attribute(
        "style",
        "position:fixed;bottom:88px;right:20px;z-index:2147483647",
    )?;
    body.append_child(&host)?;
    let passed = Promise::new(&mut |resolve, reject| {
        let options = Object::new();
        let _ = Reflect::set(&options, &"sitekey".into(), &site_key.into());
        let _ = Reflect::set(&options, &"callback".into(), &resolve);
        let _ = Reflect::set(&options, &"error-callback".into(), &reject);
        if let Err(error) = render.call2(&turnstile, &host, &options) {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    });
    let token = JsFuture::from(passed).await;
    host.remove();
    token?
        .as_string()
        .ok_or_else(|| "Turnstile gave no token".into())
}
