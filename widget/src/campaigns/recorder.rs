//! The campaign events waiting to reach the worker: shown (held-out visitors' too), clicked, dismissed and goal.
//! They go in batches, at most every 10 seconds or 20 events, with `fetch(keepalive)`; and when the page is hidden
//! or left, with `navigator.sendBeacon`. Both send `text/plain` JSON, which needs no CORS preflight.

use baton_shared::protocol::{CampaignEvent, CampaignEvents};

/// A batch goes when it has this many events.
pub const BATCH_EVENTS: usize = 20;
/// Or this long after its first event.
pub const BATCH_MS: i32 = 10_000;

#[derive(Debug, Default)]
pub struct Recorder {
    queue: Vec<CampaignEvent>,
}

impl Recorder {
    /// Queues an event; true when the batch is full and should go now.
    pub fn push(&mut self, event: CampaignEvent) -> bool {
        self.queue.push(event);
        self.queue.len() >= BATCH_EVENTS
    }

    /// True when the queue was empty before this event: the batch's timer starts.
    pub fn first(&self) -> bool {
        self.queue.len() == 1
    }

    /// The batch to send, as JSON, emptying the queue.
    pub fn take(&mut self, visitor: &str) -> Option<String> {
        if self.queue.is_empty() {
            return None;
        }
        baton_web::json::to_string(&CampaignEvents {
            visitor: visitor.to_string(),
            events: std::mem::take(&mut self.queue),
        })
    }
}

/// Sends a batch with `fetch(keepalive)`, so it is not lost if the page goes while it is on its way.
pub fn send(url: &str, body: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    // `keepalive` is not in web-sys's stable RequestInit; it is a plain property of the init object.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    init.set_body(&body.into());
    let sent = window.fetch_with_str_and_init(url, &init);
    // A failed batch is dropped: reports may miss it, the visitor never notices.
    crate::tasks::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(sent).await;
    });
}

/// Sends a batch as the page is hidden or left.
pub fn beacon(url: &str, body: &str) {
    if let Some(window) = web_sys::window()
        && window
            .navigator()
            .send_beacon_with_opt_str(url, Some(body))
            .is_err()
    {
        send(url, body);
    }
}
