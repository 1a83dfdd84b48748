//! The widget as every page view has it: makes the [`Conversation`], the campaigns and the slot the chat keeps its
//! live socket in, shows the launcher, tells the page's listeners of opens and closes, and wires the `Baton(…)`
//! commands. It is built with the DOM's own calls and watched values (`watched.rs`), not with Leptos: the panel and
//! the campaign card are Leptos views in the chat's modules (`chat.rs`), fetched when first needed and mounted in
//! their places here, so neither Leptos's renderer nor its reactive system is in this module.

use std::rc::Rc;

use baton_shared::config::Position;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::{HtmlElement, KeyboardEvent, Node};

use crate::api::ApiClient;
use crate::arrival;
use crate::campaigns::Campaigns;
use crate::chat::{self, Place, Unmount};
use crate::commands::{self, Command, Event};
use crate::conversation::Conversation;
use crate::launcher::{element, launcher};
use crate::tasks::spawn_local;
use crate::watched::{self, Stored, Watcher};

/// Starts the whole widget in `container`.
pub fn start(container: &HtmlElement, api: ApiClient) {
    let conversation = Conversation::new(api);
    let Conversation {
        open,
        chat,
        site,
        shut_down,
        ..
    } = conversation;
    // The live socket is the chat's: made the first time the panel opens (a conversation starts only there), then
    // kept for the page's life, so agents' replies count as unread while the panel is closed.
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
    let launcher = launcher(&document, conversation, move || {
        chat::prefetch(conversation, live)
    });
    let _ = root.append_child(&card_place);
    let _ = root.append_child(&launcher);
    let _ = container.append_child(&root);

    let styled = root.clone();
    let restyle: Watcher = Rc::new(move || {
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
    });
    site.watch(&restyle);
    restyle();
    let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
        if event.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    })
    .into_js_value();
    let _ = root.add_event_listener_with_callback("keydown", on_key.unchecked_ref());

    // The panel while the chat is open (mounted before the card's place).
    let panel = Slot::new();
    let panel_place = Place::new(&root, &card_place);
    let was_shown = Stored::new(None::<bool>);
    let show_panel: Watcher = Rc::new(move || {
        let shown = open.get() && !shut_down.get();
        if was_shown.get_value() != Some(shown) {
            was_shown.set_value(Some(shown));
            let generation = panel.clear();
            if shown {
                let place = panel_place.clone();
                spawn_local(async move {
                    panel.fill(generation, chat::panel(conversation, live, place).await);
                });
            }
        }
    });
    open.watch(&show_panel);
    shut_down.watch(&show_panel);
    watched::soon(&show_panel);
    // The campaign on screen, if any: every change shows it anew (mounted before the launcher).
    let card = Slot::new();
    let card_launcher: Node = launcher.clone().into();
    let card_place = Place::new(&root, &card_launcher);
    let show_card: Watcher = Rc::new(move || {
        let shown = campaigns.shown.get().filter(|_| !shut_down.get());
        let generation = card.clear();
        if let Some(shown) = shown {
            // A visitor who sees a campaign may well chat next.
            chat::prefetch(conversation, live);
            let place = card_place.clone();
            spawn_local(async move {
                card.fill(generation, chat::card(campaigns, shown, place).await);
            });
        }
    });
    campaigns.shown.watch(&show_card);
    shut_down.watch(&show_card);
    watched::soon(&show_card);
    // `Baton('shutdown')`: the widget leaves the page.
    let removed = root.clone();
    let remove: Watcher = Rc::new(move || {
        if shut_down.get() {
            removed.remove();
        }
    });
    shut_down.watch(&remove);

    // Listeners hear every change from the state they last heard about (closed at first), including an open
    // replayed from the loader's queue before this first ran (watchers run on a microtask, after the loader's
    // queue).
    let announced_open = Stored::new(false);
    let announce: Watcher = Rc::new(move || {
        let is_open = open.get();
        if is_open && chat.with(|chat| chat.unread > 0) {
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
    open.watch(&announce);
    watched::soon(&announce);

    commands::register(Rc::new(move |command| match command {
        Command::Open { team, message } => {
            // The team first: the conversation the open starts goes to it.
            conversation.for_team(team);
            conversation.open_with(message, false, None);
        }
        Command::Close => open.set(false),
        Command::Toggle => open.update(|open| *open = !*open),
        Command::Identify(identify) => {
            campaigns.identify(&identify);
            conversation.identify(identify);
        }
        Command::Track(event, value) => campaigns.track(event, value),
        Command::Show(id, force) => campaigns.show(id, force),
        Command::Shutdown => conversation.shut_down(),
    }));
    // After the loader has replayed the calls queued before load (listeners included).
    spawn_local(async { commands::emit(Event::Ready, &JsValue::UNDEFINED) });
}

/// What is mounted in one place (the panel, or the campaign card), counted so that a view whose module arrives
/// after it stopped being wanted is taken down at once.
#[derive(Clone, Copy)]
struct Slot {
    mounted: Stored<Option<Unmount>>,
    generation: Stored<u32>,
}

impl Slot {
    fn new() -> Slot {
        Slot {
            mounted: Stored::new(None),
            generation: Stored::new(0),
        }
    }

    /// Takes down what is mounted; returns the generation of what comes next.
    fn clear(self) -> u32 {
        if let Some(unmount) = self.mounted.update_value(Option::take) {
            unmount();
        }
        self.generation.update_value(|generation| {
            *generation += 1;
            *generation
        })
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
