//! The visit as campaigns see it: a visit is the pages seen with less than 30 minutes between them; its count, its
//! start and the UTM tags of its first page are kept in localStorage, so they survive page changes and reloads.
//! The parts that read the browser (device, language, scroll) are at the bottom; the rest is plain and tested
//! natively.

use baton_shared::campaign::{Device, Visit};
use serde::{Deserialize, Serialize};

/// A visit ends after this long without a page.
pub const VISIT_GAP_MS: u64 = 30 * 60 * 1000;

/// What localStorage keeps of the visit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredVisit {
    /// Visits on this browser, this one included.
    pub count: u32,
    pub started_ms: u64,
    /// The latest page of the visit.
    pub last_page_ms: u64,
    /// `utm_source`, `utm_medium` and `utm_campaign` of the visit's first page.
    pub utm: [Option<String>; 3],
}

impl StoredVisit {
    /// A page at `now_ms` on `url`: the same visit when the last page was less than 30 minutes ago, else a new one
    /// (counted, its UTM tags taken from this page).
    pub fn page(previous: Option<StoredVisit>, url: &str, now_ms: u64) -> StoredVisit {
        match previous {
            Some(visit) if now_ms.saturating_sub(visit.last_page_ms) < VISIT_GAP_MS => {
                StoredVisit {
                    last_page_ms: now_ms,
                    ..visit
                }
            }
            previous => StoredVisit {
                count: previous.map_or(0, |visit| visit.count) + 1,
                started_ms: now_ms,
                last_page_ms: now_ms,
                utm: ["utm_source", "utm_medium", "utm_campaign"]
                    .map(|name| query_value(url, name)),
            },
        }
    }

    /// The evaluator's view of this visit, on `url` since `now_ms`.
    pub fn to_visit(&self, url: &str, referrer: String, now_ms: u64) -> Visit {
        let [utm_source, utm_medium, utm_campaign] = self.utm.clone();
        Visit {
            url: url.to_string(),
            referrer,
            utm_source,
            utm_medium,
            utm_campaign,
            visits: self.count,
            page_started_ms: now_ms,
            visit_started_ms: self.started_ms,
            last_activity_ms: now_ms,
            ..Visit::default()
        }
    }
}

/// A query parameter of `url` (`+` and `%XX` decoded), when present and not empty.
pub fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split('#').next()?.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name && !value.is_empty()).then(|| decode(value))
    })
}

/// `%XX` escapes and `+` in a query value, as the browser writes them.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'+' => out.push(b' '),
            b'%' if at + 2 < bytes.len() => {
                let hex = |byte: u8| (byte as char).to_digit(16);
                match (hex(bytes[at + 1]), hex(bytes[at + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        at += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page without its fragment: a hash change is not a new page.
pub fn page_of(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Mobile when the main pointer is coarse (a finger) or the window is narrow.
#[cfg(target_arch = "wasm32")]
pub fn device() -> Option<Device> {
    let window = web_sys::window()?;
    let coarse = window
        .match_media("(pointer: coarse)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    let width = window.inner_width().ok()?.as_f64()?;
    Some(if coarse || width < 768.0 {
        Device::Mobile
    } else {
        Device::Desktop
    })
}

#[cfg(not(target_arch = "wasm32"))]
pub fn device() -> Option<Device> {
    None
}

/// How far down the page the visitor is, 0–100 (0 when the page does not scroll).
pub fn scroll_percent() -> u8 {
    let Some(window) = web_sys::window() else {
        return 0;
    };
    let Some(root) = window
        .document()
        .and_then(|document| document.document_element())
    else {
        return 0;
    };
    let height = f64::from(root.scroll_height());
    let viewport = window
        .inner_height()
        .ok()
        .and_then(|height| height.as_f64())
        .unwrap_or(height);
    let scrollable = height - viewport;
    if scrollable <= 0.0 {
        return 0;
    }
    let y = window.scroll_y().unwrap_or_default();
    (y / scrollable * 100.0).round().clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests;
