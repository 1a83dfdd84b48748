//! Campaigns in the browser: the widget gathers the visit (`visit.rs`), the visitor's history (`history.rs`), the
//! chat's state (`chat.rs`) and who can answer (the worker's staffing call, only when a live campaign needs it, at
//! most every 30 s), asks `baton_shared::campaign::evaluate` at each moment that matters (page idle, a timer from
//! its `recheck_in_ms`, scroll, exit intent, a click, `Baton('track')`, `Baton('show')`, a route change, a change of
//! the chat), shows what it picks (`components/campaign_card.rs`), performs its action, and records what happened
//! (`recorder.rs`). The page's listeners are in `listeners.rs`; nothing runs on a site without live campaigns.

mod chat;
mod history;
mod listeners;
mod recorder;
mod visit;

use std::collections::BTreeMap;

use baton_shared::campaign::{
    Action, Campaign, CampaignLimits, Content, Format, History, Hours, Moment, Pick, Staffed,
    Staffing, Trigger, Visit, evaluate, goals_reached,
};
use baton_shared::protocol::{
    CampaignEvent, CampaignRef, CampaignWhat, FieldValue, Identify, SubmitForm, SubmitLead,
    WidgetSite,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use self::history::Change;
use self::recorder::Recorder;
use self::visit::StoredVisit;
pub use self::visit::query_value;
use crate::commands::{self, Event};
use crate::conversation::Conversation;
use crate::storage::{Entry, SiteStorage};

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
    campaigns: Vec<Campaign>,
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
    runner: StoredValue<Option<Runner>, LocalStorage>,
    /// What `Baton('identify', …)` said: identified, and the attributes.
    identity: StoredValue<(bool, BTreeMap<String, String>)>,
    pub shown: RwSignal<Option<Shown>>,
    pub conversation: Conversation,
}

impl Campaigns {
    /// Starts once the site's configuration has live campaigns; follows the chat's state from then on.
    pub fn new(conversation: Conversation) -> Campaigns {
        let campaigns = Campaigns {
            runner: StoredValue::new_local(None),
            identity: StoredValue::new((false, BTreeMap::new())),
            shown: RwSignal::new(None),
            conversation,
        };
        Effect::new(move |_| {
            conversation.site.with(|site| {
                if let Some(site) = site.as_ref().filter(|site| !site.campaigns.is_empty()) {
                    campaigns.configure(site);
                }
            });
        });
        Effect::new(move |_| {
            let open = conversation.open.get();
            let state = conversation
                .chat
                .with(|chat| chat::campaign_chat(open, chat, now_ms()));
            if open && campaigns.shown.with_untracked(Option::is_some) {
                campaigns.shown.set(None);
            }
            let changed = campaigns
                .runner
                .try_update_value(|runner| {
                    let runner = runner.as_mut()?;
                    let changed = runner.visit.chat != state;
                    runner.visit.chat = state;
                    Some(changed)
                })
                .flatten()
                .unwrap_or(false);
            if changed {
                campaigns.check(Moment::Tick);
            }
        });
        campaigns
    }

    /// The site's campaigns, first or refreshed: the first time, the visit and the history are read and the page's
    /// listeners attached.
    fn configure(self, site: &WidgetSite) {
        let needs_staffing = site.campaigns.iter().any(|campaign| {
            campaign.staffing != Staffing::Any || campaign.schedule.hours != Hours::Any
        });
        let started = self
            .runner
            .try_update_value(|runner| {
                let runner = runner.as_mut()?;
                runner.campaigns = site.campaigns.clone();
                runner.limits = site.campaign_limits;
                runner.needs_staffing = needs_staffing;
                runner.visit.country = self.conversation.country.get_untracked();
                Some(())
            })
            .flatten()
            .is_some();
        if started {
            return;
        }
        let storage = self.storage();
        let now = now_ms();
        let url = location_href();
        let stored_visit = StoredVisit::page(read_json(&storage, Entry::Visit), &url, now);
        write_json(&storage, Entry::Visit, &stored_visit);
        let mut visit = stored_visit.to_visit(&url, referrer(), now);
        visit.device = visit::device();
        visit.language = web_sys::window()
            .and_then(|window| window.navigator().language())
            .unwrap_or_default();
        visit.country = self.conversation.country.get_untracked();
        let tick = Closure::<dyn Fn()>::new(move || self.check(Moment::Tick));
        let flush = Closure::<dyn Fn()>::new(move || self.flush(false));
        self.runner.set_value(Some(Runner {
            campaigns: site.campaigns.clone(),
            limits: site.campaign_limits,
            visit,
            stored_visit,
            history: read_json(&storage, Entry::CampaignHistory).unwrap_or_default(),
            staffed: Staffed {
                unknown: needs_staffing,
                ..Staffed::default()
            },
            needs_staffing,
            staffing_asked_ms: None,
            visitor: visitor_id(&storage),
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
        let verdict = self
            .runner
            .try_update_value(|runner| {
                let runner = runner.as_mut()?;
                runner.visit.identified = identified;
                runner.visit.attributes = attributes;
                Some(evaluate(
                    &runner.campaigns,
                    &runner.limits,
                    &runner.visit,
                    &runner.history,
                    &runner.staffed,
                    &moment,
                    &runner.visitor,
                    now,
                ))
            })
            .flatten();
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
            .try_update_value(|runner| {
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
            .flatten()
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

    /// Records the pick's view (the control's, for a held-out visitor, who sees nothing) and shows it.
    fn present(self, pick: Pick, now: u64) {
        let Some(campaign) = self.campaign(&pick.id) else {
            return;
        };
        self.change(
            &pick.id,
            Change::Viewed {
                held_out: pick.held_out,
            },
        );
        self.record(
            &pick.id,
            pick.variant.clone(),
            pick.held_out,
            CampaignWhat::Shown,
            now,
        );
        if pick.held_out {
            return;
        }
        let variant = pick
            .variant
            .as_ref()
            .and_then(|id| campaign.variants.iter().find(|variant| &variant.id == id));
        let content = variant.map_or(campaign.content.clone(), |variant| variant.content.clone());
        let action = variant
            .and_then(|variant| variant.action.clone())
            .unwrap_or(campaign.action.clone());
        let from = content.from.as_ref().map(|from| {
            self.conversation.site.with_untracked(|site| {
                site.as_ref()
                    .and_then(|site| site.teams.iter().find(|team| &team.id == from))
                    .map_or(from.clone(), |team| team.name.clone())
            })
        });
        self.shown.set(Some(Shown {
            id: pick.id.clone(),
            variant: pick.variant.clone(),
            format: campaign.format,
            content,
            action,
            from,
        }));
        emit(&pick.id, pick.variant.as_deref(), "shown");
    }

    fn campaign(self, id: &str) -> Option<Campaign> {
        self.runner.with_value(|runner| {
            runner
                .as_ref()?
                .campaigns
                .iter()
                .find(|campaign| campaign.id == id)
                .cloned()
        })
    }

    /// Updates a campaign's clocks and saves the history.
    fn change(self, id: &str, change: Change) {
        let storage = self.storage();
        self.runner.update_value(|runner| {
            if let Some(runner) = runner.as_mut() {
                history::apply(&mut runner.history, id, change, now_ms());
                write_json(&storage, Entry::CampaignHistory, &runner.history);
            }
        });
    }

    /// Queues an event for the worker; a full batch goes now, else within 10 s.
    fn record(
        self,
        id: &str,
        variant: Option<String>,
        held_out: bool,
        what: CampaignWhat,
        at_ms: u64,
    ) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let full = self
            .runner
            .try_update_value(|runner| {
                let runner = runner.as_mut()?;
                let full = runner.recorder.push(CampaignEvent {
                    campaign: id.to_string(),
                    variant,
                    held_out,
                    what,
                    at_ms,
                });
                if runner.recorder.first() {
                    runner.batch_timer = window
                        .set_timeout_with_callback_and_timeout_and_arguments_0(
                            &runner.flush,
                            recorder::BATCH_MS,
                        )
                        .ok();
                }
                Some(full)
            })
            .flatten()
            .unwrap_or(false);
        if full {
            self.flush(false);
        }
    }

    /// Sends the queued events: with `sendBeacon` when the page is going (`leaving`), else `fetch(keepalive)`.
    pub fn flush(self, leaving: bool) {
        let url = self.conversation.api().campaign_events_url();
        let body = self
            .runner
            .try_update_value(|runner| {
                let runner = runner.as_mut()?;
                if let (Some(timer), Some(window)) = (runner.batch_timer.take(), web_sys::window())
                {
                    window.clear_timeout_with_handle(timer);
                }
                runner.recorder.take(&runner.visitor)
            })
            .flatten();
        if let Some(body) = body {
            if leaving {
                recorder::beacon(&url, &body);
            } else {
                recorder::send(&url, &body);
            }
        }
    }

    /// The visitor closed the campaign (button or Esc).
    pub fn dismiss(self) {
        let Some(shown) = self.shown.get_untracked() else {
            return;
        };
        self.shown.set(None);
        self.change(&shown.id, Change::Dismissed);
        self.record(
            &shown.id,
            shown.variant.clone(),
            false,
            CampaignWhat::Dismissed,
            now_ms(),
        );
        emit(&shown.id, shown.variant.as_deref(), "dismissed");
        self.check(Moment::Tick);
    }

    /// The visitor clicked the campaign's button: its action is performed.
    pub fn act(self) {
        let Some(shown) = self.shown.get_untracked() else {
            return;
        };
        self.shown.set(None);
        self.change(&shown.id, Change::Engaged);
        self.record(
            &shown.id,
            shown.variant.clone(),
            false,
            CampaignWhat::Clicked,
            now_ms(),
        );
        emit(&shown.id, shown.variant.as_deref(), "clicked");
        let campaign = Some(shown.campaign_ref());
        match shown.action {
            Action::OpenChat { message, send } => {
                self.conversation.open_with(message, send, campaign);
            }
            Action::Handoff { .. } => self.conversation.open_with(None, false, campaign),
            Action::Link { url } => {
                // The page goes: what is queued goes first.
                self.flush(true);
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&url);
                }
            }
            Action::LeadForm { .. } => {}
        }
    }

    /// Sends the shown campaign's lead form; `done` gets the thanks text, or the problem to show.
    pub fn submit_lead(self, form: SubmitForm, done: Callback<Result<String, String>>) {
        let Some(shown) = self.shown.get_untracked() else {
            return;
        };
        let Some(visitor) = self
            .runner
            .with_value(|runner| runner.as_ref().map(|runner| runner.visitor.clone()))
        else {
            return;
        };
        let body = SubmitLead {
            campaign: shown.id.clone(),
            variant: shown.variant.clone(),
            fields: form.fields.clone(),
            consent: form.consent,
            page_url: Some(location_href()),
            timezone: crate::session::browser_timezone(),
            visitor,
            turnstile_token: None,
        };
        spawn_local(async move {
            match self.conversation.api().submit_lead(&body).await {
                Ok(created) => {
                    remember_fields(&self.storage(), &form.fields);
                    self.change(&shown.id, Change::Engaged);
                    emit(&shown.id, shown.variant.as_deref(), "lead");
                    done.run(Ok(created.thanks));
                }
                Err(failure) => done.run(Err(failure.to_string())),
            }
        });
    }

    /// `Baton('identify', …)`: who the visitor is, for `identified` and `attribute` audiences.
    pub fn identify(self, identify: &Identify) {
        self.identity.update_value(|(identified, attributes)| {
            *identified |=
                identify.name.is_some() || identify.email.is_some() || identify.user_id.is_some();
            attributes.extend(identify.attributes.clone());
        });
        self.check(Moment::Tick);
    }

    /// `Baton('track', name)`: the goals it reaches are recorded, then it may trigger a campaign.
    pub fn track(self, name: String) {
        let now = now_ms();
        let reached = self
            .runner
            .with_value(|runner| {
                let runner = runner.as_ref()?;
                Some(goals_reached(
                    &runner.campaigns,
                    &runner.history,
                    &name,
                    &runner.visitor,
                    now,
                ))
            })
            .unwrap_or_default();
        for pick in reached {
            self.change(&pick.id, Change::Converted);
            self.record(
                &pick.id,
                pick.variant.clone(),
                pick.held_out,
                CampaignWhat::Goal,
                now,
            );
            emit(&pick.id, pick.variant.as_deref(), "goal");
        }
        self.check(Moment::Event { name });
    }

    /// `Baton('show', id, {force})`.
    pub fn show(self, id: String, force: bool) {
        self.check(Moment::Show { id, force });
    }

    /// A single-page app changed route: a new page (its timers restart, its scroll is back at the top) when more
    /// than the fragment changed.
    fn route_changed(self) {
        let url = location_href();
        let now = now_ms();
        let storage = self.storage();
        let changed = self
            .runner
            .try_update_value(|runner| {
                let runner = runner.as_mut()?;
                if visit::page_of(&runner.visit.url) == visit::page_of(&url) {
                    return None;
                }
                runner.stored_visit =
                    StoredVisit::page(Some(runner.stored_visit.clone()), &url, now);
                write_json(&storage, Entry::Visit, &runner.stored_visit);
                runner.visit.url = url;
                runner.visit.page_started_ms = now;
                runner.visit.scroll_percent = 0;
                runner.visit.last_activity_ms = now;
                Some(())
            })
            .flatten();
        if changed.is_some() {
            self.check(Moment::Tick);
        }
    }

    /// The visitor scrolled (once per animation frame at most).
    fn scrolled(self) {
        let percent = visit::scroll_percent();
        let check = self
            .runner
            .try_update_value(|runner| {
                let runner = runner.as_mut()?;
                runner.visit.last_activity_ms = now_ms();
                let further = percent > runner.visit.scroll_percent;
                if further {
                    runner.visit.scroll_percent = percent;
                }
                // Only a scroll campaign can start on a scroll.
                Some(
                    further
                        && runner
                            .campaigns
                            .iter()
                            .any(|campaign| matches!(campaign.trigger, Trigger::Scroll { .. })),
                )
            })
            .flatten()
            .unwrap_or(false);
        if check {
            self.check(Moment::Tick);
        }
    }

    /// A scroll, click, key or pointer move.
    fn active(self) {
        self.runner.update_value(|runner| {
            if let Some(runner) = runner.as_mut() {
                runner.visit.last_activity_ms = now_ms();
            }
        });
    }

    /// The selectors of the click campaigns, to test each click against.
    fn click_selectors(self) -> Vec<(String, String)> {
        self.runner.with_value(|runner| {
            runner
                .iter()
                .flat_map(|runner| &runner.campaigns)
                .filter_map(|campaign| match &campaign.trigger {
                    Trigger::Click { selector } => Some((campaign.id.clone(), selector.clone())),
                    _ => None,
                })
                .collect()
        })
    }

    fn desktop(self) -> bool {
        self.runner.with_value(|runner| {
            runner.as_ref().is_some_and(|runner| {
                runner.visit.device == Some(baton_shared::campaign::Device::Desktop)
            })
        })
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

/// Keeps the lead form's fields, so the pre-chat form does not ask for them again.
fn remember_fields(storage: &SiteStorage, fields: &[FieldValue]) {
    let mut known: Vec<FieldValue> = read_json(storage, Entry::KnownFields).unwrap_or_default();
    for field in fields {
        known.retain(|old| old.id != field.id);
        known.push(field.clone());
    }
    write_json(storage, Entry::KnownFields, &known);
}

/// The fields the visitor gave in a lead form, by id.
pub fn known_fields(site_id: &str) -> Vec<FieldValue> {
    read_json(&SiteStorage::for_site(site_id), Entry::KnownFields).unwrap_or_default()
}

/// The browser's anonymous visitor id: 32 random hex digits, made once and kept.
fn visitor_id(storage: &SiteStorage) -> String {
    if let Some(id) = storage.read(Entry::Visitor).filter(|id| id.len() >= 16) {
        return id;
    }
    let id = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid().replace('-', ""))
        .unwrap_or_else(|| format!("v{}{}", now_ms(), (js_sys::Math::random() * 1e12) as u64));
    storage.write(Entry::Visitor, &id);
    id
}

fn read_json<T: serde::de::DeserializeOwned>(storage: &SiteStorage, entry: Entry) -> Option<T> {
    serde_json::from_str(&storage.read(entry)?).ok()
}

fn write_json<T: serde::Serialize>(storage: &SiteStorage, entry: Entry, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        storage.write(entry, &json);
    }
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
