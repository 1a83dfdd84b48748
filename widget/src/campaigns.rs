//! Campaigns in the browser: the widget gathers the visit (`visit.rs`), the visitor's history (`history.rs`), the
//! chat's state (`chat.rs`) and who can answer (the worker's staffing call, only when a live campaign needs it, at
//! most every 30 s), asks `baton_shared::campaign::evaluate` at each moment that matters (page idle, a timer from
//! its `recheck_in_ms`, scroll, exit intent, a click, `Baton('track')`, `Baton('show')`, a route change, a change of
//! the chat), shows what it picks (`components/campaign_card.rs`), performs its action, and records what happened
//! (`recorder.rs`). The page's listeners are in `listeners.rs`; nothing runs on a site without live campaigns.

mod actions;
mod chat;
mod history;
mod listeners;
mod page;
mod present;
mod recorder;

use std::rc::Rc;

use baton_shared::campaign::{
    Action, Campaign, CampaignLimits, Content, Format, History, Hours, Moment, Pick, Staffed,
    Staffing, Trigger, Visit, evaluate, goals_reached,
};
use baton_shared::protocol::{
    CampaignEvent, CampaignRef, CampaignWhat, Identify, SubmitForm, SubmitLead, WidgetSite,
};
use baton_shared::vocab::TextMap;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use self::history::Change;
use self::recorder::Recorder;
use crate::commands::{self, Event};
use crate::conversation::Conversation;
use crate::legacy;
use crate::remembered::Remembered;
use crate::storage::{Entry, SiteStorage};
use crate::tasks::spawn_local;
use crate::visit::{self, StoredVisit};
use crate::watched::{self, Stored, Watched, Watcher};

/// Staffing is asked again after this long.
const STAFFING_MS: u64 = 30_000;

/// The campaign on screen, with its variant's content and action.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub id: String,
    pub variant: Option<String>,
    pub format: Format,
    pub content: Content,
    pub action: Action,
    /// `content.from` as the visitor reads it: a team's name, or the person's name as written.
    pub from: Option<String>,
}

impl Shown {
    fn campaign_ref(&self) -> CampaignRef {
        CampaignRef {
            id: self.id.clone(),
            variant: self.variant.clone(),
        }
    }
}

/// Everything the runtime keeps between moments.
struct Runner {
    limits: CampaignLimits,
    visit: Visit,
    stored_visit: StoredVisit,
    history: History,
    staffed: Staffed,
    /// A live campaign depends on people online or business hours.
    needs_staffing: bool,
    staffing_asked_ms: Option<u64>,
    visitor: String,
    recorder: Recorder,
    /// The one evaluation timer, and the batch timer.
    timer: Option<i32>,
    batch_timer: Option<i32>,
    /// Made once: the timers' callbacks.
    tick: js_sys::Function,
    flush: js_sys::Function,
}

/// The campaign runtime, one `Copy` handle.
#[derive(Clone, Copy)]
pub struct Campaigns {
    runner: Stored<Option<Runner>>,
    /// What `Baton('identify', …)` said: identified, and the attributes.
    identity: Stored<(bool, TextMap<String>)>,
    pub shown: Watched<Option<Shown>>,
    pub conversation: Conversation,
}

impl Campaigns {
    /// Starts once the site's configuration has live campaigns; follows the chat's state from then on.
    pub fn new(conversation: Conversation) -> Campaigns {
        let campaigns = Campaigns {
            runner: Stored::new(None),
            identity: Stored::new((false, TextMap::new())),
            shown: Watched::new(None),
            conversation,
        };
        let configure: Watcher = Rc::new(move || campaigns.configure_from_site());
        conversation.site.watch(&configure);
        watched::soon(&configure);
        let follow_chat: Watcher = Rc::new(move || {
            let open = conversation.open.get();
            let state = conversation
                .chat
                .with(|chat| chat::campaign_chat(open, chat, now_ms()));
            if open && campaigns.shown.with_untracked(Option::is_some) {
                campaigns.shown.set(None);
            }
            let changed = campaigns
                .runner
                .update_value(|runner| {
                    let runner = runner.as_mut()?;
                    let changed = runner.visit.chat != state;
                    runner.visit.chat = state;
                    Some(changed)
                })
                .unwrap_or(false);
            if changed {
                campaigns.check(Moment::Tick);
            }
        });
        conversation.open.watch(&follow_chat);
        conversation.chat.watch(&follow_chat);
        watched::soon(&follow_chat);
        campaigns
    }

    /// Reads the site's live campaigns (none before its configuration is known): the runtime keeps no copy.
    fn with_campaigns<R>(self, read: impl FnOnce(&[Campaign]) -> R) -> R {
        self.conversation.site.with_untracked(|site| {
            read(
                site.as_ref()
                    .map_or(&[][..], |site| site.campaigns.as_slice()),
            )
        })
    }

    /// Configures the runtime from the site's configuration, once it has live campaigns.
    fn configure_from_site(self) {
        self.conversation.site.with(|site| {
            if let Some(site) = site.as_ref().filter(|site| !site.campaigns.is_empty()) {
                self.configure(site);
            }
        });
    }

    /// The site's campaigns, first or refreshed: the first time, the visit and the history are read and the page's
    /// listeners attached (after rewriting copies an earlier widget kept in JSON, see `legacy.rs`).
    fn configure(self, site: &WidgetSite) {
        let needs_staffing = site.campaigns.iter().any(|campaign| {
            campaign.staffing != Staffing::Any || campaign.schedule.hours != Hours::Any
        });
        let started = self
            .runner
            .update_value(|runner| {
                let runner = runner.as_mut()?;
                runner.limits = site.campaign_limits;
                runner.needs_staffing = needs_staffing;
                runner.visit.country = self.conversation.country.get_untracked();
                Some(())
            })
            .is_some();
        if started {
            return;
        }
        let storage = self.storage();
        if legacy::has_campaign_copies(&storage) {
            spawn_local(async move {
                legacy::rewrite_campaign_copies(&storage).await;
                self.configure_from_site();
            });
            return;
        }
        let now = now_ms();
        let url = location_href();
        let stored_visit = StoredVisit::page(storage.read_wire(Entry::Visit), &url, now);
        storage.write_wire(Entry::Visit, &stored_visit);
        let mut visit = stored_visit.to_visit(&url, referrer(), now);
        visit.device = visit::device();
        // The page may have been scrolled before the widget loaded (it loads once the page is idle).
        visit.scroll_percent = visit::scroll_percent();
        visit.language = web_sys::window()
            .and_then(|window| window.navigator().language())
            .unwrap_or_default();
        visit.country = self.conversation.country.get_untracked();
        let tick = Closure::<dyn Fn()>::new(move || self.check(Moment::Tick));
        let flush = Closure::<dyn Fn()>::new(move || self.flush(false));
        self.runner.set_value(Some(Runner {
            limits: site.campaign_limits,
            visit,
            stored_visit,
            history: storage
                .read_wire(Entry::CampaignHistory)
                .unwrap_or_default(),
            staffed: Staffed {
                unknown: needs_staffing,
                ..Staffed::default()
            },
            needs_staffing,
            staffing_asked_ms: None,
            visitor: storage.visitor_id(),
            recorder: Recorder::default(),
            timer: None,
            batch_timer: None,
            tick: tick.into_js_value().unchecked_into(),
            flush: flush.into_js_value().unchecked_into(),
        }));
        listeners::attach(self);
        self.check(Moment::Tick);
    }

    fn storage(self) -> SiteStorage {
        SiteStorage::for_site(self.conversation.api().site_id())
    }

    /// Asks the evaluator about this moment; shows what it picks, and sets the timer for the next check.
    pub fn check(self, moment: Moment) {
        // One at a time: nothing else is considered while a campaign is on screen.
        if self.shown.with_untracked(Option::is_some) {
            return;
        }
        let now = now_ms();
        let (identified, attributes) = self.identity.get_value();
        let verdict = self.with_campaigns(|campaigns| {
            self.runner.update_value(|runner| {
                let runner = runner.as_mut()?;
                runner.visit.identified = identified;
                runner.visit.attributes = attributes;
                Some(evaluate(
                    campaigns,
                    &runner.limits,
                    &runner.visit,
                    &runner.history,
                    &runner.staffed,
                    &moment,
                    &runner.visitor,
                    now,
                ))
            })
        });
        let Some(verdict) = verdict else {
            return;
        };
        self.schedule(verdict.recheck_in_ms);
        self.refresh_staffing(now);
        if let Some(pick) = verdict.show {
            self.present(pick, now);
        }
    }

    /// The one evaluation timer: `recheck_in_ms` from now (at most 30 s while staffing matters, so a person coming
    /// online is noticed).
    fn schedule(self, recheck_in_ms: Option<u64>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        self.runner.update_value(|runner| {
            let Some(runner) = runner.as_mut() else {
                return;
            };
            if let Some(timer) = runner.timer.take() {
                window.clear_timeout_with_handle(timer);
            }
            let wait = match (recheck_in_ms, runner.needs_staffing) {
                (Some(wait), true) => Some(wait.min(STAFFING_MS)),
                (None, true) => Some(STAFFING_MS),
                (wait, false) => wait,
            };
            if let Some(wait) = wait {
                runner.timer = window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        &runner.tick,
                        wait.min(i32::MAX as u64) as i32,
                    )
                    .ok();
            }
        });
    }

    /// Asks the worker who can answer, when a live campaign depends on it and the last answer is 30 s old.
    fn refresh_staffing(self, now: u64) {
        let due = self
            .runner
            .update_value(|runner| {
                let runner = runner.as_mut()?;
                let due = runner.needs_staffing
                    && runner
                        .staffing_asked_ms
                        .is_none_or(|asked| now.saturating_sub(asked) >= STAFFING_MS);
                if due {
                    runner.staffing_asked_ms = Some(now);
                }
                Some(due)
            })
            .unwrap_or(false);
        if !due {
            return;
        }
        spawn_local(async move {
            let Ok(staffing) = self.conversation.api().staffing().await else {
                return;
            };
            self.runner.update_value(|runner| {
                if let Some(runner) = runner.as_mut() {
                    runner.staffed = Staffed {
                        teams_online: staffing.teams_online,
                        open: staffing.open,
                        unknown: false,
                    };
                }
            });
            self.check(Moment::Tick);
        });
    }
}

/// Tells `Baton('on', 'campaign', cb)` listeners: `{id, variant, what}`.
fn emit(id: &str, variant: Option<&str>, what: &str) {
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"id".into(), &id.into());
    let _ = js_sys::Reflect::set(
        &detail,
        &"variant".into(),
        &variant.map_or(wasm_bindgen::JsValue::NULL, Into::into),
    );
    let _ = js_sys::Reflect::set(&detail, &"what".into(), &what.into());
    commands::emit(Event::Campaign, &detail);
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn location_href() -> String {
    web_sys::window()
        .and_then(|window| window.location().href().ok())
        .unwrap_or_default()
}

fn referrer() -> String {
    web_sys::window()
        .and_then(|window| window.document())
        .map(|document| document.referrer())
        .unwrap_or_default()
}
