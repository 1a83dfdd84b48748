//! The live preview: the real widget beside the editor, with the draft. An iframe shows the worker's preview page
//! (`baton_web::preview::PATH`, same origin), whose widget asks for its configuration; the studio answers with the
//! draft's `WidgetConfig` (built here with `shared`'s `WidgetConfig::for_site`, as the worker builds it, in the wire
//! encoding the widget reads, as text) and sends it again at every change. The widget's chat asks for the FAQ apart, as
//! it does of the worker: the studio answers with the draft's `WidgetFaq` the same way. Desktop and phone sizes; the
//! draft's campaigns shown on demand (a campaign that is not live is previewed as if it were, shown only when asked).
//!
//! What the preview answers: the FAQ answers the draft gives with confidence come from the draft and stay in the
//! browser (the widget does not send those messages on the preview page); anything else (handoffs, fallbacks, AI
//! answers) is asked of the worker, which answers with the published configuration, in a real conversation. The
//! page says so.

use baton_shared::campaign::{CampaignStatus, Trigger};
use baton_shared::config::SiteConfig;
use baton_shared::protocol::{WidgetConfig, WidgetFaq, wire};
use leptos::html::Iframe;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::Studio;

/// The draft as the preview's widget gets it: `wire::to_text` of its `WidgetConfig` and of its `WidgetFaq`.
fn widget_texts(mut config: SiteConfig) -> (String, String) {
    for campaign in &mut config.campaigns {
        if campaign.status != CampaignStatus::Live {
            campaign.status = CampaignStatus::Live;
            campaign.trigger = Trigger::Manual;
        }
    }
    let stored = serde_json::to_string(&config).unwrap_or_default();
    (
        wire::to_text(&WidgetConfig::for_site(&config, &stored).to_wire()),
        wire::to_text(&WidgetFaq::for_site(&config, &stored).to_wire()),
    )
}

#[component]
pub fn Preview(studio: Studio) -> impl IntoView {
    let editor = studio.editor;
    let draft = Memo::new(move |_| editor.config());
    let texts = Memo::new(move |_| draft.get().map(widget_texts));
    let frame: NodeRef<Iframe> = NodeRef::new();
    let ready = RwSignal::new(false);
    let faq_ready = RwSignal::new(false);
    let phone = RwSignal::new(false);
    let site = studio
        .agent
        .with_value(|agent| agent.client.site_id.clone());
    let origin = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    let target_origin = StoredValue::new(origin.clone());
    let post = move |message: &JsValue| {
        if let Some(target) = frame
            .get_untracked()
            .and_then(|frame| frame.content_window())
        {
            let _ = target.post_message(message, &target_origin.get_value());
        }
    };
    let listen_origin = origin.clone();
    let listener = window_event_listener(leptos::ev::message, move |event| {
        let from_frame = frame
            .get_untracked()
            .and_then(|frame| frame.content_window())
            .zip(event.source())
            .is_some_and(|(frame, source)| {
                AsRef::<JsValue>::as_ref(&frame) == AsRef::<JsValue>::as_ref(&source)
            });
        if !from_frame || event.origin() != listen_origin {
            return;
        }
        match event.data().as_string().as_deref() {
            Some(baton_web::preview::READY) => ready.set(true),
            Some(baton_web::preview::READY_FAQ) => faq_ready.set(true),
            _ => {}
        }
    });
    on_cleanup(move || listener.remove());
    let send_config = post;
    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        if let Some((config, _)) = texts.get() {
            send_config(&JsValue::from_str(&config));
        }
    });
    Effect::new(move |_| {
        if !faq_ready.get() {
            return;
        }
        if let Some((_, faq)) = texts.get() {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"kind".into(), &baton_web::preview::FAQ.into());
            let _ = js_sys::Reflect::set(&message, &"faq".into(), &faq.into());
            post(&message);
        }
    });
    let show = move |id: String| {
        let command = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&command, &"kind".into(), &"show".into());
        let _ = js_sys::Reflect::set(&command, &"id".into(), &id.into());
        post(&command);
    };
    let campaigns = move || {
        draft.with(|config| {
            config
                .as_ref()
                .map(|config| {
                    config
                        .campaigns
                        .iter()
                        .map(|campaign| {
                            (campaign.id.clone(), campaign.name.clone(), campaign.status)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let src = format!("{}?site={site}", baton_web::preview::PATH);
    view! {
        <p class="help">"The real widget with the draft, updated as you edit. Answers the draft's FAQ gives with confidence \
            come from the draft and stay in your browser; anything else (a handoff, a fallback, an AI answer) is sent to the \
            worker, which answers with the published configuration and starts a real conversation in the inbox."</p>
        <Show when=move || draft.with(Option::is_none)>
            <p class="problem" role="alert">"The draft has a problem that stops Baton from reading it: the preview shows the last version that could be read."</p>
        </Show>
        <div class="toolbar">
            <fieldset class="choices">
                <legend>"Size"</legend>
                <span class="check"><input type="radio" id="preview-desktop" name="preview-size" prop:checked=move || !phone.get()
                    on:change=move |_| phone.set(false) /><label for="preview-desktop">"Desktop"</label></span>
                <span class="check"><input type="radio" id="preview-phone" name="preview-size" data-testid="studio-preview-phone" prop:checked=move || phone.get()
                    on:change=move |_| phone.set(true) /><label for="preview-phone">"Phone"</label></span>
            </fieldset>
            <span role="status" data-testid="studio-preview-state" data-ready=move || ready.get().to_string()>
                {move || if ready.get() { "The preview shows the draft." } else { "Loading the widget…" }}
            </span>
        </div>
        <div class="preview-frames">
            <iframe node_ref=frame src=src title="Live preview of the widget with the draft" data-testid="studio-preview-frame"
                width=move || if phone.get() { "390" } else { "1024" } height=move || if phone.get() { "720" } else { "640" }></iframe>
            <div>
                <h3>"Campaigns"</h3>
                <ul class="preview-campaigns">
                    {move || campaigns().into_iter().map(|(id, name, status)| {
                        let shown = id.clone();
                        view! {
                            <li>
                                <button type="button" data-testid="studio-preview-show" data-campaign=id.clone()
                                    disabled=move || !ready.get() on:click=move |_| show(shown.clone())>
                                    {format!("Show “{name}”")}
                                </button>
                                {(status != CampaignStatus::Live).then_some(" (not live: shown only here)")}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </div>
    }
}
