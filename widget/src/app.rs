//! The widget as every page view has it: makes the [`Conversation`], the campaigns and the slot the chat keeps its
//! live socket in, shows the launcher, tells the page's listeners of opens and closes, and wires the `Baton(…)`
//! commands. It is built with the DOM's own calls and Leptos's signals and effects, not its views: the panel and
//! the campaign card are Leptos views in the chat's modules (`chat.rs`), fetched when first needed and mounted in
//! their places here, so the renderer is not in this module.

use baton_shared::config::Position;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::{HtmlElement, KeyboardEvent, Node};

use crate::api::ApiClient;
use crate::arrival;
use crate::campaigns::Campaigns;
use crate::chat::{self, Place, Unmount};
use crate::commands::{self, Event, Hooks};
use crate::conversation::Conversation;
use crate::launcher::{element, keep, launcher};

/// Starts the whole widget in `container`, under the current reactive owner.
pub fn start(container: &HtmlElement, api: ApiClient) {
    let conversation = Conversation::new(api);
    let Conversation {
        open,
        chat,
        site,
        shut_down,
        strings,
        ..
    } = conversation;
    // The live socket is the chat's: made the first time the panel opens (a conversation starts only there), then
    // kept for the page's life under this owner, so agents' replies count as unread while the panel is closed.
    let live = chat::LiveSlot::new();
    let campaigns = Campaigns::new(conversation);
    arrival::follow(move || open.set(true));

    let Some(document) = container.owner_document() else {
        return;
    };
    // The panel, then the campaign card, then the launcher: `.baton` is a column ending at the corner.
    let root = element(&document, "div", "baton");
    let _ = root.set_attribute("data-testid", "baton-root");
    let card_place: Node = document.create_comment("campaign").into();
    let launcher = launcher(&document, conversation, chat::prefetch);
    let _ = root.append_child(&card_place);
    let _ = root.append_child(&launcher);
    let _ = container.append_child(&root);

    let styled = root.clone();
    keep(RenderEffect::new(move |_| {
        site.with(|site| {
            let (style, left) = match site {
                Some(site) => (
                    format!(
                        "--baton-accent: {}; --baton-visitor-bg: {}; z-index: {};",
                        site.appearance.colour, site.appearance.colour, site.appearance.z_index
                    ),
                    site.appearance.position == Position::Left,
                ),
                None => (String::new(), false),
            };
            let _ = styled.set_attribute("style", &style);
            styled.set_class_name(if left { "baton baton--left" } else { "baton" });
        });
    }));
    let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
        if event.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    })
    .into_js_value();
    let _ = root.add_event_listener_with_callback("keydown", on_key.unchecked_ref());

    let owner = Owner::current().unwrap_or_default();
    // The panel while the chat is open (mounted before the card's place).
    let panel = Slot::new();
    let panel_place = Place::new(&owner, &root, &card_place);
    Effect::new(move |was_shown: Option<bool>| {
        let shown = open.get() && !shut_down.get();
        if was_shown != Some(shown) {
            let generation = panel.clear();
            if shown {
                let place = panel_place.clone();
                spawn_local(async move {
                    panel.fill(generation, chat::panel(conversation, live, place).await);
                });
            }
        }
        shown
    });
    // The campaign on screen, if any: every change shows it anew (mounted before the launcher).
    let card = Slot::new();
    let card_launcher: Node = launcher.clone().into();
    let card_place = Place::new(&owner, &root, &card_launcher);
    Effect::new(move |_| {
        let shown = campaigns.shown.get().filter(|_| !shut_down.get());
        let generation = card.clear();
        if let Some(shown) = shown {
            // A visitor who sees a campaign may well chat next.
            chat::prefetch();
            let place = card_place.clone();
            spawn_local(async move {
                card.fill(
                    generation,
                    chat::card(campaigns, shown, strings.into(), place).await,
                );
            });
        }
    });
    // `Baton('shutdown')`: the widget leaves the page.
    let removed = root.clone();
    Effect::new(move |_| {
        if shut_down.get() {
            removed.remove();
        }
    });

    // Listeners hear every change from the state they last heard about (closed at first), including an open
    // replayed from the loader's queue before this effect first ran.
    let announced_open = StoredValue::new(false);
    Effect::new(move |_| {
        let is_open = open.get();
        if is_open {
            chat.update(|chat| chat.unread = 0);
        }
        if announced_open.get_value() != is_open {
            announced_open.set_value(is_open);
            let event = if is_open { Event::Open } else { Event::Close };
            commands::emit(event, &JsValue::UNDEFINED);
            if !is_open {
                let _ = launcher.focus();
            }
        }
    });

    commands::register(Hooks {
        open,
        open_with: Callback::new(move |message| conversation.open_with(message, false, None)),
        open_for_team: Callback::new(move |team| conversation.for_team(team)),
        identify: Callback::new(move |identify| {
            campaigns.identify(&identify);
            conversation.identify(identify);
        }),
        track: Callback::new(move |(event, value)| campaigns.track(event, value)),
        show: Callback::new(move |(id, force)| campaigns.show(id, force)),
        shutdown: Callback::new(move |()| conversation.shut_down()),
    });
    // After the loader has replayed the calls queued before load (listeners included).
    spawn_local(async { commands::emit(Event::Ready, &JsValue::UNDEFINED) });
}

/// What is mounted in one place (the panel, or the campaign card), counted so that a view whose module arrives
/// after it stopped being wanted is taken down at once.
#[derive(Clone, Copy)]
struct Slot {
    mounted: StoredValue<Option<Unmount>, LocalStorage>,
    generation: StoredValue<u32>,
}

impl Slot {
    fn new() -> Slot {
        Slot {
            mounted: StoredValue::new_local(None),
            generation: StoredValue::new(0),
        }
    }

    /// Takes down what is mounted; returns the generation of what comes next.
    fn clear(self) -> u32 {
        if let Some(unmount) = self.mounted.try_update_value(Option::take).flatten() {
            unmount();
        }
        self.generation.update_value(|generation| *generation += 1);
        self.generation.get_value()
    }

    /// Keeps what was mounted for `generation`, or takes it down if something else is wanted since.
    fn fill(self, generation: u32, unmount: Unmount) {
        if self.generation.get_value() == generation {
            self.mounted.set_value(Some(unmount));
        } else {
            unmount();
        }
    }
}
