//! The console's side of the address bar and the browser's storage: the `#…` it follows, taking a token out of the
//! address (and its history entry), and the localStorage the last sign-in is kept in.

/// The address's `#…`, without the `#`.
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string()
}

/// Replaces the address (and its history entry) with one without the token, keeping the rest of the hash.
pub fn forget_token(clean_hash: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let mut url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if !clean_hash.is_empty() {
        url = format!("{url}#{clean_hash}");
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
