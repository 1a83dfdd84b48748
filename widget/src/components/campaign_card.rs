//! A campaign on screen, in its format: a `bubble` beside the launcher (announced politely), a `popup` dialog card
//! (focus moves in when it shows and back when it is closed; Esc and a close button close it; not a focus trap), a
//! `banner` at the bottom or a `banner_top` at the top (full width on small screens). The text is the safe Markdown
//! subset; below it the action's button, or the lead form and then its thanks.

use baton_shared::campaign::{Action, Format};
use baton_shared::config::PreChatForm;
use baton_shared::protocol::SubmitForm;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::campaigns::{Campaigns, Shown};
use crate::components::context_form::ContextForm;
use crate::components::message_list::Body;
use crate::components::text;
use crate::i18n::SiteStrings;

/// The shown campaign; its buttons call `campaigns` (`act`, `dismiss`, `submit_lead`).
#[component]
pub fn CampaignCard(
    campaigns: Campaigns,
    /// What to show.
    shown: Shown,
    strings: SiteStrings,
) -> impl IntoView {
    let Shown {
        id,
        format,
        content,
        action,
        from,
        ..
    } = shown;
    let popup = format == Format::Popup;
    // Where focus was before the popup took it (`chat.rs`, once it is mounted), to give it back on close.
    let previous = if popup { active_element() } else { None };
    // The thanks text once the lead form is sent (then closing it is no dismissal), or the problem sending it.
    let thanks: RwSignal<Option<String>> = RwSignal::new(None);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let close = move || {
        if let Some(element) = &previous {
            let _ = element.focus();
        }
        if thanks.with_untracked(Option::is_some) {
            campaigns.shown.set(None);
        } else {
            campaigns.dismiss();
        }
    };
    let close_on_escape = close.clone();
    let (class, role) = match format {
        Format::Bubble => ("baton-campaign baton-campaign--bubble", "status"),
        Format::Popup => ("baton-campaign baton-campaign--popup", "dialog"),
        Format::Banner => ("baton-campaign baton-campaign--banner", "region"),
        Format::BannerTop => ("baton-campaign baton-campaign--banner-top", "region"),
    };
    let has_title = content.title.is_some();
    let label = (!has_title).then(|| {
        from.clone()
            .unwrap_or_else(|| strings.get_untracked().campaign.into())
    });
    let button = content.button.clone();
    let action_view = match action {
        Action::LeadForm {
            fields,
            consent,
            thanks: configured,
            ..
        } => {
            let show: Vec<String> = fields.iter().map(|field| field.id.clone()).collect();
            // A lead without its fields is no lead: when none is marked required, all are.
            let mut required: Vec<String> = fields
                .iter()
                .filter(|field| field.required)
                .map(|field| field.id.clone())
                .collect();
            if required.is_empty() {
                required = show.clone();
            }
            let form = PreChatForm {
                before_chat: false,
                style: Default::default(),
                fields,
                consent,
            };
            let done = move |result: Result<String, String>| match result {
                Ok(text) => {
                    let text = if text.trim().is_empty() {
                        configured.clone()
                    } else {
                        text
                    };
                    thanks.set(Some(text));
                }
                Err(failure) => problem.set(Some(failure)),
            };
            let on_submit = Callback::new(move |form: SubmitForm| {
                problem.set(None);
                campaigns.submit_lead(form, done.clone());
            });
            view! {
                {move || match thanks.get() {
                    Some(text) => view! {
                        <p class="baton-campaign-thanks" data-testid="baton-campaign-thanks" role="status">{text}</p>
                    }
                    .into_any(),
                    None => view! {
                        <ContextForm
                            form=form.clone()
                            show=show.clone()
                            required=required.clone()
                            strings=strings
                            on_submit=on_submit
                            intro=false
                        />
                        <p class="baton-field-error" role="alert">{move || problem.get()}</p>
                    }
                    .into_any(),
                }}
            }
            .into_any()
        }
        action => {
            let link = matches!(action, Action::Link { .. });
            view! {
                <button
                    type="button"
                    class="baton-campaign-action"
                    data-testid="baton-campaign-action"
                    on:click=move |_| campaigns.act()
                >
                    {move || button.clone().unwrap_or_else(|| {
                        let strings = strings.get();
                        if link { strings.campaign_open } else { strings.campaign_chat }.to_string()
                    })}
                </button>
            }
            .into_any()
        }
    };
    view! {
        <div
            class=class
            data-testid="baton-campaign"
            data-campaign=id
            tabindex="-1"
            role=role
            aria-live=(format == Format::Bubble).then_some("polite")
            aria-modal=popup.then_some("false")
            aria-labelledby=has_title.then_some("baton-campaign-title")
            aria-label=label
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    event.stop_propagation();
                    close_on_escape();
                }
            }
        >
            <button
                type="button"
                class="baton-campaign-close"
                data-testid="baton-campaign-close"
                aria-label=text(strings, |strings| strings.close)
                on:click=move |_| close()
            >
                "×"
            </button>
            {from.map(|from| view! { <p class="baton-campaign-from">{from}</p> })}
            {content.title.map(|title| view! { <h2 class="baton-campaign-title" id="baton-campaign-title">{title}</h2> })}
            <Body text=content.text />
            {action_view}
        </div>
    }
}

/// The element with focus on the page (the widget's host when it is inside the widget).
fn active_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into()
        .ok()
}
