//! CORS for the embed path: the widget runs on the site's pages and calls the worker from their origin. Only an
//! origin on the site's allowlist is ever reflected (the caller checks that before building a [`Cors`]).

use worker::Response;

/// The CORS answer for one request from an allowed origin.
pub struct Cors {
    pub origin: String,
    pub allowed_methods: String,
}

impl Cors {
    /// Adds the CORS headers to a response (preflight or actual).
    pub fn apply(self, mut response: Response) -> worker::Result<Response> {
        let headers = response.headers_mut();
        headers.set("Access-Control-Allow-Origin", &self.origin)?;
        headers.set(
            "Access-Control-Allow-Methods",
            &format!("{}, OPTIONS", self.allowed_methods),
        )?;
        headers.set(
            "Access-Control-Allow-Headers",
            "Content-Type, Authorization, If-None-Match",
        )?;
        // The widget reads the configuration's version from its ETag, and when to retry from Retry-After.
        headers.set("Access-Control-Expose-Headers", "ETag, Retry-After")?;
        headers.set("Access-Control-Max-Age", "600")?;
        headers.append("Vary", "Origin")?;
        Ok(response)
    }
}
