//! Any bytes as a request body of the API: decoding and validation never panic.
#![no_main]

use baton_shared::protocol::{CreateConversation, Message, PostMessage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(post) = serde_json::from_slice::<PostMessage>(data) {
        let _ = post.validate();
    }
    if let Ok(create) = serde_json::from_slice::<CreateConversation>(data) {
        let _ = create.validate();
    }
    let _ = serde_json::from_slice::<Message>(data);
});
