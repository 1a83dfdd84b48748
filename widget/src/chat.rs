//! The chat itself, the half of the widget fetched when the visitor is likely to chat: the panel and everything only it
//! does (starting the conversation, sending, instant answers and the FAQ they need, the pre-chat form, the rating), and
//! the campaign card. Built with the `split` feature (as `cargo xtask build` does), [`chat_panel`] and
//! [`campaign_card`] are Leptos `#[lazy]` functions: `wasm-split-cli` moves them and all the code only they reach into
//! modules of their own, fetched the first time they are called or when [`prefetch`] is asked (the launcher hovered or
//! focused, a campaign about to show), which also starts loading the site's FAQ. Without the feature (the wasm tests)
//! they are ordinary functions in one module.
//!
//! Each builds its Leptos view and mounts it in the [`Place`] the page-load half (`app.rs`) keeps for it, and hands
//! back how to take it down: so the Leptos renderer, which only they call, is in their modules too. So is Leptos's
//! reactive system: the page-load half keeps its state in watched values (`watched.rs`), which [`bridge`] lets the
//! views and effects here track as they would signals, under an owner of the chat's own ([`widget_owner`]).

use leptos::prelude::*;
use leptos::tachys::view::{Mountable, Render};
use web_sys::{Element, Node};

use baton_shared::campaign::Format;

use crate::actions::{ChatActions, ChatView};
use crate::campaigns::{Campaigns, Shown};
use crate::components::campaign_card::CampaignCard;
use crate::components::panel::Panel;
use crate::conversation::Conversation;
use crate::form::FormPlan;
use crate::frame;
use crate::i18n::SiteStrings;
use crate::live::Live;
use crate::watched::{Bridge, Stored, Watched};

/// Where the live socket is kept once the chat has made it (under the chat's owner, which lives as long as the
/// page, so closing the panel does not close the socket).
#[derive(Clone, Copy)]
pub struct LiveSlot {
    live: Stored<Option<Live>>,
}

impl LiveSlot {
    pub fn new() -> LiveSlot {
        LiveSlot {
            live: Stored::new(None),
        }
    }

    fn get_or_keep(&self, conversation: Conversation) -> Live {
        if let Some(live) = self.live.get_value() {
            return live;
        }
        let live = widget_owner().with(|| Live::keep(conversation));
        self.live.set_value(Some(live));
        live
    }
}

thread_local! {
    /// The owner of everything the chat's modules make, for the page's life (never dropped).
    static OWNER: Owner = {
        // Leptos's effects and tasks run on wasm-bindgen's futures (an error means it already was set up).
        let _ = any_spawner::Executor::init_wasm_bindgen();
        Owner::new()
    };
}

fn widget_owner() -> Owner {
    OWNER.with(Owner::clone)
}

/// Lets Leptos views and effects track `watched` as a signal: reading it tracks a trigger that its changes notify.
fn bridge<T>(watched: Watched<T>) {
    watched.bridge(|| {
        let trigger = ArcTrigger::new();
        let notify = trigger.clone();
        Bridge {
            track: Box::new(move || trigger.track()),
            notify: Box::new(move || notify.notify()),
        }
    });
}

/// Every watched value of the conversation the chat reads.
fn bridge_conversation(conversation: Conversation) {
    bridge(conversation.open);
    bridge(conversation.chat);
    bridge(conversation.session);
    bridge(conversation.site);
    bridge(conversation.faq);
    bridge(conversation.country);
    bridge(conversation.draft);
    bridge(conversation.send_on_start);
    bridge(conversation.shut_down);
    bridge(conversation.site_settled);
}

/// Takes a mounted view down (and disposes of its effects).
pub type Unmount = Box<dyn FnOnce()>;

/// Where a view goes: in `parent`, before `before`.
#[derive(Clone)]
pub struct Place {
    parent: Element,
    before: Node,
}

impl Place {
    pub fn new(parent: &Element, before: &Node) -> Place {
        Place {
            parent: parent.clone(),
            before: before.clone(),
        }
    }

    /// Builds `view` under an owner of its own (a child of the chat's) and mounts it here.
    fn mount<V: IntoView + 'static>(self, view: impl FnOnce() -> V) -> Unmount {
        let owner = widget_owner().child();
        let mut state = owner.with(|| view().into_view().build());
        state.mount(&self.parent, Some(&self.before));
        frame::keep(self.parent);
        Box::new(move || {
            state.unmount();
            drop(owner);
        })
    }
}

/// Mounts the open panel for `conversation` at `place`; resolves at once when its module is already here.
pub async fn panel(conversation: Conversation, live: LiveSlot, place: Place) -> Unmount {
    #[cfg(feature = "split")]
    let mounted = chat_panel(conversation, live, Some(place)).await;
    #[cfg(not(feature = "split"))]
    let mounted = chat_panel(conversation, live, Some(place));
    mounted.unwrap_or_else(|| Box::new(|| ()))
}

/// Mounts the campaign card for `shown` at `place`.
pub async fn card(campaigns: Campaigns, shown: Shown, place: Place) -> Unmount {
    #[cfg(feature = "split")]
    return campaign_card(campaigns, shown, place).await;
    #[cfg(not(feature = "split"))]
    campaign_card(campaigns, shown, place)
}

/// Starts fetching the chat's module and, once it is here, the site's FAQ, so that a click finds both (the module
/// is fetched once, the FAQ asked for once a page).
pub fn prefetch(conversation: Conversation, live: LiveSlot) {
    #[cfg(feature = "split")]
    crate::tasks::spawn_local(async move {
        chat_panel(conversation, live, None).await;
    });
    #[cfg(not(feature = "split"))]
    chat_panel(conversation, live, None);
}

/// Loads the site's FAQ (once a page) and, given a place, mounts the panel there.
#[cfg_attr(feature = "split", leptos::lazy)]
fn chat_panel(conversation: Conversation, live: LiveSlot, place: Option<Place>) -> Option<Unmount> {
    conversation.load_faq();
    let place = place?;
    bridge_conversation(conversation);
    let unmount = place.mount(move || panel_view(conversation, live));
    frame::focus(".baton-input");
    Some(unmount)
}

fn panel_view(conversation: Conversation, live: LiveSlot) -> impl IntoView {
    let live = live.get_or_keep(conversation);
    let Conversation {
        session,
        send_on_start,
        ..
    } = conversation;
    let form_plan = Memo::new(move |_| conversation.form_plan());
    // The panel is shown while the chat is open: the first time, the conversation starts (or is resumed).
    Effect::new(move |_| {
        if conversation.site_known() {
            conversation.start();
        }
    });
    // A campaign's message to send once the conversation exists.
    Effect::new(move |_| {
        if session.with(Option::is_some)
            && let Some(text) = send_on_start.get()
        {
            send_on_start.set(None);
            conversation.send_message(text, None);
        }
    });
    remembered_fields(conversation, form_plan);
    // Back online: what failed is sent again, with the same client message ids, so nothing is stored twice.
    let online = window_event_listener_untyped("online", move |_| conversation.retry());
    on_cleanup(move || online.remove());
    let view = ChatView::new(conversation, form_plan);
    let actions = ChatActions::new(conversation, live);
    view! { <Panel view=view actions=actions /> }
}

#[cfg_attr(feature = "split", leptos::lazy)]
fn campaign_card(campaigns: Campaigns, shown: Shown, place: Place) -> Unmount {
    let conversation = campaigns.conversation;
    bridge_conversation(conversation);
    bridge(campaigns.shown);
    let strings = SiteStrings(conversation.site);
    // A popup takes the focus (the card gives it back when closed).
    let popup = shown.format == Format::Popup;
    let unmount = place
        .mount(move || view! { <CampaignCard campaigns=campaigns shown=shown strings=strings /> });
    if popup {
        frame::focus(".baton-campaign");
    }
    unmount
}

/// Fields the visitor already gave in a campaign's lead form are sent when they answer everything the pre-chat form
/// would ask (once per conversation); otherwise the form asks only for what is missing (`FormPlan`).
fn remembered_fields(conversation: Conversation, form_plan: Memo<Option<FormPlan>>) {
    let sent = conversation.remembered_sent;
    Effect::new(move |_| {
        if sent.get_value() || conversation.session.with(Option::is_none) {
            return;
        }
        let answers = form_plan.with(|plan| plan.as_ref().and_then(FormPlan::complete));
        if let Some(answers) = answers {
            sent.set_value(true);
            conversation.submit_form(answers);
        }
    });
}
