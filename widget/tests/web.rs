//! Wiring tests of the widget in headless Chromium: it mounts inside a shadow root, the launcher opens and closes the
//! panel, the `Baton(…)` command API reaches it, and a worker that cannot be reached is reported to the visitor.
//! Conversations with the real worker are covered by the end-to-end tests in `tests/`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens on port 9: every API call fails fast, as when the visitor is offline.
const UNREACHABLE_API: &str = "http://127.0.0.1:9";

/// Mounts a widget the way the loader does and returns its shadow root.
fn mount_widget() -> ShadowRoot {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let host = document.create_element("div").expect("host element");
    document
        .body()
        .expect("a body")
        .append_child(&host)
        .expect("host appended");
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .expect("open shadow root");
    let container: HtmlElement = document
        .create_element("div")
        .expect("container")
        .dyn_into()
        .expect("a div is an HtmlElement");
    shadow.append_child(&container).expect("container appended");
    baton_widget::mount(container, "demo".into(), UNREACHABLE_API.into());
    shadow
}

fn find(shadow: &ShadowRoot, test_id: &str) -> Option<HtmlElement> {
    shadow
        .query_selector(&format!("[data-testid='{test_id}']"))
        .expect("valid selector")
        .map(|element| element.dyn_into().expect("an HtmlElement"))
}

/// Lets effects, renders and failed fetches settle.
async fn settle(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("timer resolves");
}

#[wasm_bindgen_test]
async fn launcher_opens_and_closes_the_panel() {
    let shadow = mount_widget();
    let launcher = find(&shadow, "baton-launcher").expect("launcher is shown");
    assert!(
        find(&shadow, "baton-panel").is_none(),
        "panel starts closed"
    );
    assert_eq!(
        launcher.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );

    launcher.click();
    settle(20).await;
    assert!(find(&shadow, "baton-panel").is_some(), "panel opens");
    assert!(
        find(&shadow, "baton-input").is_some(),
        "composer is in the panel"
    );
    assert!(
        find(&shadow, "baton-messages").is_some(),
        "message list is in the panel"
    );
    assert_eq!(
        launcher.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );

    find(&shadow, "baton-close").expect("close button").click();
    settle(20).await;
    assert!(find(&shadow, "baton-panel").is_none(), "panel closes");
}

#[wasm_bindgen_test]
async fn an_unreachable_worker_is_reported_and_sending_waits() {
    let shadow = mount_widget();
    find(&shadow, "baton-launcher").expect("launcher").click();
    let mut notice = None;
    for _ in 0..50 {
        settle(40).await;
        notice = find(&shadow, "baton-notice");
        if notice.is_some() {
            break;
        }
    }
    let notice = notice.expect("a notice explains the failure");
    assert_eq!(
        notice.text_content().as_deref(),
        Some("Can't reach the chat service. Check your connection and try again.")
    );
    let send = find(&shadow, "baton-send").expect("send button");
    assert!(
        send.has_attribute("disabled"),
        "nothing can be sent before the conversation starts"
    );
}

#[wasm_bindgen_test]
async fn the_command_api_drives_the_widget_and_explains_mistakes() {
    let shadow = mount_widget();
    let opened = js_sys::Array::new();
    let record = {
        let opened = opened.clone();
        wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            opened.push(&JsValue::from_str("open"));
        })
    };
    baton_widget::command("on".into(), "open".into(), record.as_ref().clone())
        .expect("listener added");
    record.forget();

    baton_widget::command("open".into(), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .expect("open works");
    settle(20).await;
    assert!(
        find(&shadow, "baton-panel").is_some(),
        "Baton('open') opens the panel"
    );
    assert_eq!(opened.length(), 1, "the open listener was called once");

    baton_widget::command("toggle".into(), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .expect("toggle works");
    settle(20).await;
    assert!(
        find(&shadow, "baton-panel").is_none(),
        "Baton('toggle') closes it again"
    );

    let unknown = baton_widget::command("opne".into(), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .expect_err("a typo is refused");
    assert_eq!(
        unknown.as_string().as_deref(),
        Some(
            "unknown Baton command \"opne\"; expected open, close, toggle, identify, track, show, on or shutdown"
        )
    );
    let not_a_function =
        baton_widget::command("on".into(), "message".into(), JsValue::from_str("cb"))
            .expect_err("a callback must be a function");
    assert_eq!(
        not_a_function.as_string().as_deref(),
        Some("Baton('on', 'message', callback): callback must be a function")
    );
    // The host's object is read as it is (no JSON text in between); what does not fit is named.
    let identify = |json: &str| {
        let arg = js_sys::JSON::parse(json).expect("JSON");
        match baton_widget::command("identify".into(), arg, JsValue::UNDEFINED) {
            Ok(()) => "accepted".to_string(),
            Err(error) => error.as_string().unwrap_or_default(),
        }
    };
    let call = "Baton('identify', {name, email, user_id, token, attributes})";
    assert_eq!(
        identify(r#"{"name": "Ada", "email": 42}"#),
        format!("{call}: email must be text")
    );
    assert_eq!(
        identify(r#"{"name": "Ada", "attributes": {"plan": "pro", "seats": 3}}"#),
        format!("{call}: attributes.seats must be text")
    );
    assert_eq!(
        identify(r#"{"attributes": ["pro"]}"#),
        format!("{call}: attributes must be an object of texts")
    );
    assert_eq!(identify(r#""Ada""#), format!("{call}: pass an object"));
    assert_eq!(
        identify(r#"{"nmae": "Ada"}"#),
        format!("{call}: unknown field \"nmae\"; expected name, email, user_id, token, attributes")
    );
    // `null` is absent, as in JSON.
    assert_eq!(identify(r#"{"name": "Ada", "email": null}"#), "accepted");
    assert_eq!(
        identify(r#"{"email": "not an address"}"#),
        "Baton('identify', …): email: must be an email address like name@example.com"
    );
}
