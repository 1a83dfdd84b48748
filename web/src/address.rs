//! Where the worker's API is, and the addresses built from it: an HTTP route's URL and a socket's `ws(s)://` URL
//! with its single-use ticket and, for a conversation, the sequence number it resumes after.

use baton_shared::protocol::ticket::TICKET_PARAM;

/// The worker's origin (and any path prefix), without a trailing slash; routes come from
/// `baton_shared::protocol::paths`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiBase(String);

impl ApiBase {
    pub fn new(base: &str) -> ApiBase {
        ApiBase(base.trim_end_matches('/').to_string())
    }

    /// The URL of an API route (`path` starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// The URL of a socket route: `ws://` for `http://`, `wss://` for `https://`, with the ticket that opens it and,
    /// for a conversation's socket, `since` (the last message already shown).
    pub fn socket_url(&self, path: &str, ticket: &str, since: Option<u64>) -> String {
        let base = self
            .0
            .replacen("https://", "wss://", 1)
            .replacen("http://", "ws://", 1);
        let since = since
            .map(|since| format!("&since={since}"))
            .unwrap_or_default();
        format!("{base}{path}?{TICKET_PARAM}={ticket}{since}")
    }
}
