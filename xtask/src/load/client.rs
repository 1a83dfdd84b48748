//! The benchmarks' HTTP client: a kept-alive connection reused only while workerd keeps it, and a request lost
//! as it closes sent again (counted in [`RETRIED`]).

use std::time::Duration;

use super::BENCH_ORIGIN;

/// Requests sent a second time after their connection dropped (see [`post`]).
pub static RETRIED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A client as the benchmarks use it: statuses are answers, not errors, and a kept-alive connection is reused only
/// within [`REUSE_WITHIN`] of its last answer.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_age(REUSE_WITHIN)
        .build()
        .into()
}

/// workerd's HTTP server (kj) closes a kept-alive connection after 5 s without a request; a request sent on it just
/// then is lost without an answer (`io: Peer disconnected`), and wrangler's proxy, whose own pool of connections to
/// workerd meets the same race, answers it with a 503 "Your worker restarted mid-request" (it did not restart:
/// cloudflare/workers-sdk#14641). The benchmarks' clients therefore reuse a connection only well within the 5 s.
const REUSE_WITHIN: Duration = Duration::from_secs(2);

/// How many times a request lost that way is sent (see [`post`]).
const ATTEMPTS: usize = 3;

/// wrangler's proxy's answer when its connection to workerd was lost mid-request.
const PROXY_LOST: &str = "Your worker restarted mid-request";

pub fn post<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    agent: &ureq::Agent,
    url: &str,
    address: &str,
    token: Option<&str>,
    body: &B,
) -> crate::Result<T> {
    // As the widget on a page would: a browser's request carries its page's origin (scripts without one have
    // hourly limits the benchmark would hit).
    let exchange = || -> Result<(u16, String), ureq::Error> {
        let mut request = agent
            .post(url)
            .header("CF-Connecting-IP", address)
            .header("Origin", BENCH_ORIGIN);
        if let Some(token) = token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let mut response = request.send_json(body)?;
        let status = response.status().as_u16();
        Ok((status, response.body_mut().read_to_string()?))
    };
    // A request lost on a connection that was closing (see [`REUSE_WITHIN`]) is sent again on a new one, as a
    // browser does (safe: a message is answered from the transcript when retried; a conversation started twice is
    // one more conversation). Counted, and reported with the figures, since the retry's time is in the latency.
    let mut attempt = 1;
    let (status, text) = loop {
        let lost = match exchange() {
            Ok((503, text)) if text.contains(PROXY_LOST) => format!("503: {text}"),
            Ok(answer) => break answer,
            Err(error) => error.to_string(),
        };
        if attempt == ATTEMPTS {
            return Err(format!(
                "POST {url}: lost {ATTEMPTS} times, the last: {lost}"
            ));
        }
        RETRIED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        attempt += 1;
    };
    if !(200..300).contains(&status) {
        return Err(format!("POST {url} answered {status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|error| format!("POST {url}: {error}: {text}"))
}

/// One POST with a fresh client (for callers outside a hot loop), from `address`, with a bearer `token`.
pub fn post_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    url: &str,
    address: &str,
    token: Option<&str>,
    body: &B,
) -> crate::Result<T> {
    let agent = agent();
    post(&agent, url, address, token, body)
}
