//! The widget's HTTP requests to the worker: the browser's own `fetch` through web-sys, rather than an HTTP client
//! crate (gloo-net) in the module every page view downloads, for what is here: a method, headers, a text body, and
//! the reply's status, one header and its body as text or bytes.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};

/// One request: `method` to `url` with `headers`, and `body` when there is one.
pub struct Request<'a> {
    method: &'a str,
    url: &'a str,
    headers: Vec<(&'a str, &'a str)>,
    body: Option<String>,
    cache: Option<RequestCache>,
}

impl<'a> Request<'a> {
    pub fn get(url: &'a str) -> Request<'a> {
        Request::new("GET", url)
    }

    pub fn post(url: &'a str) -> Request<'a> {
        Request::new("POST", url)
    }

    fn new(method: &'a str, url: &'a str) -> Request<'a> {
        Request {
            method,
            url,
            headers: Vec::new(),
            body: None,
            cache: None,
        }
    }

    pub fn header(mut self, name: &'a str, value: &'a str) -> Request<'a> {
        self.headers.push((name, value));
        self
    }

    pub fn body(mut self, body: String) -> Request<'a> {
        self.body = Some(body);
        self
    }

    /// How the browser's HTTP cache takes part (`Reload`: asked of the worker, past the cache).
    pub fn cache(mut self, cache: RequestCache) -> Request<'a> {
        self.cache = Some(cache);
        self
    }

    /// Sends it; `Err` when there is no response at all (offline, DNS, a CORS refusal).
    pub async fn send(self) -> Result<Reply, ()> {
        let window = web_sys::window().ok_or(())?;
        let init = RequestInit::new();
        init.set_method(self.method);
        let headers = Object::new();
        for (name, value) in self.headers {
            Reflect::set(&headers, &name.into(), &value.into()).map_err(|_| ())?;
        }
        init.set_headers(&headers);
        if let Some(body) = self.body {
            init.set_body(&body.into());
        }
        if let Some(cache) = self.cache {
            init.set_cache(cache);
        }
        let response = JsFuture::from(window.fetch_with_str_and_init(self.url, &init))
            .await
            .map_err(|_| ())?;
        Ok(Reply(response.dyn_into().map_err(|_| ())?))
    }
}

/// The worker's response.
pub struct Reply(Response);

impl Reply {
    pub fn status(&self) -> u16 {
        self.0.status()
    }

    /// A status in 200–299.
    pub fn ok(&self) -> bool {
        self.0.ok()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.0.headers().get(name).ok().flatten()
    }

    pub async fn text(self) -> Result<String, ()> {
        let text = JsFuture::from(self.0.text().map_err(|_| ())?)
            .await
            .map_err(|_| ())?;
        text.as_string().ok_or(())
    }

    pub async fn bytes(self) -> Result<Vec<u8>, ()> {
        let buffer: JsValue = JsFuture::from(self.0.array_buffer().map_err(|_| ())?)
            .await
            .map_err(|_| ())?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }
}
