//! The visitor's conversation as the widget runs it, one `Copy` handle over its watched values (`watched.rs`): the
//! site's configuration (`site.rs`: the localStorage copy at once, then the worker's when newer), starting or
//! resuming the conversation (for the campaign or the team a click named), merging the worker's messages (and
//! telling the page's listeners), identify, and the widget's removal. Sending messages is in `sending.rs`, the
//! pre-chat form and the rating in `answers.rs`, the FAQ the chat loads in `faq.rs`.

mod answers;
mod faq;
mod sending;
mod site;

use baton_shared::protocol::{CampaignRef, Identify, Message, WidgetFaq, WidgetSite};
use wasm_bindgen::JsValue;

use crate::api::{ApiClient, Session};
use crate::commands;
use crate::form::FormPlan;
use crate::i18n::Strings;
use crate::instant::LazyInstantAnswers;
use crate::outbox::Outbox;
use crate::remembered::Remembered;
use crate::session;
use crate::state::{ChatState, is_for_visitor};
use crate::storage::{Entry, SiteStorage};
use crate::tasks::spawn_local;
use crate::watched::{Stored, Watched};

#[derive(Clone, Copy)]
pub struct Conversation {
    api: Stored<ApiClient>,
    pub open: Watched<bool>,
    pub chat: Watched<ChatState>,
    pub session: Watched<Option<Session>>,
    pub site: Watched<Option<WidgetSite>>,
    /// The site's FAQ with its index (instant answers, quick replies): loaded by the chat (`faq.rs`), not by every
    /// page view.
    pub faq: Watched<Option<WidgetFaq>>,
    /// The chat asked for the FAQ (once a page).
    faq_asked: Stored<bool>,
    /// The visitor's country, as the worker saw it (for campaigns' `country` audience).
    pub country: Watched<Option<String>>,
    /// What the composer holds; a campaign or `Baton('open', {message})` may put a message there.
    pub draft: Watched<String>,
    /// The campaign whose click opens the chat: the conversation it starts is attributed to it.
    campaign: Stored<Option<CampaignRef>>,
    /// The team a click-to-chat element asked for (`data-baton-team`): the conversation it starts goes to it.
    team: Stored<Option<String>>,
    /// A message to send as soon as the conversation has started (a campaign's `open_chat` with `send: true`); the
    /// chat (`chat.rs`) sends it, so that sending stays out of the module every page view downloads.
    pub send_on_start: Watched<Option<String>>,
    /// `Baton('shutdown')` was called: the widget is gone from the page.
    pub shut_down: Watched<bool>,
    /// Whether the site's configuration was fetched (or could not be): then the conversation may start.
    pub site_settled: Watched<bool>,
    instant: Stored<LazyInstantAnswers>,
    /// Identify calls made before the conversation exists are applied once it does.
    identify_later: Stored<Option<Identify>>,
    starting: Stored<bool>,
    outbox: Stored<Outbox>,
    /// The fields a lead form gave were sent for this conversation (`chat.rs`).
    pub remembered_sent: Stored<bool>,
}

impl Conversation {
    pub fn new(api: ApiClient) -> Conversation {
        let site = Watched::new(None);
        let country = Watched::new(None);
        let site_settled = Watched::new(false);
        let instant = site::load_site(&api, site, country, site_settled);
        Conversation {
            api: Stored::new(api),
            open: Watched::new(false),
            chat: Watched::new(ChatState::default()),
            session: Watched::new(None),
            site,
            faq: Watched::new(None),
            faq_asked: Stored::new(false),
            country,
            draft: Watched::new(String::new()),
            campaign: Stored::new(None),
            team: Stored::new(None),
            send_on_start: Watched::new(None),
            shut_down: Watched::new(false),
            site_settled,
            instant,
            identify_later: Stored::new(None),
            starting: Stored::new(false),
            outbox: Stored::new(Outbox::default()),
            remembered_sent: Stored::new(false),
        }
    }

    /// The widget's words, in the site's language (the browser's until the configuration is known).
    pub fn strings(self) -> &'static Strings {
        self.site.with(Strings::for_site)
    }

    /// The pre-chat fields to collect now, if any. What a lead form gave is read again each time (the chat asks
    /// whenever it changes: as the panel opens, and with every message), so a lead sent since is taken into account.
    pub fn form_plan(self) -> Option<FormPlan> {
        self.site.with(|site| {
            let site = site.as_ref()?;
            let remembered = Remembered::load(&self.site_id());
            self.chat
                .with(|chat| FormPlan::for_chat(&site.pre_chat, chat, &remembered))
        })
    }

    pub fn api(self) -> ApiClient {
        self.api.get_value()
    }

    pub fn site_id(self) -> String {
        self.api.with_value(|api| api.site_id().to_string())
    }

    /// The site's configuration is known (it says whether a bot check comes first), or could not be fetched (then
    /// starting says what is wrong).
    pub fn site_known(self) -> bool {
        self.site.with(Option::is_some) || self.site_settled.get()
    }

    /// Adds the worker's messages; listeners hear of each new one for the visitor, and the launcher counts them
    /// while the panel is closed.
    pub fn merge(self, messages: Vec<Message>) {
        let added = self.chat.update(|chat| chat.merge(messages));
        let for_visitor = added.iter().filter(|message| is_for_visitor(message));
        let mut count = 0;
        for message in for_visitor {
            count += 1;
            commands::emit_message(message);
        }
        if count > 0 && !self.open.get_untracked() {
            self.chat.update(|chat| chat.unread += count);
        }
    }

    /// `Baton('identify', …)`: sent now, or once the conversation exists.
    pub fn identify(self, identify: Identify) {
        let Some(current) = self.session.get_untracked() else {
            self.identify_later.set_value(Some(identify));
            return;
        };
        let api = self.api;
        spawn_local(async move {
            if let Err(failure) = api.get_value().identify(&current, &identify).await {
                web_sys::console::warn_1(&JsValue::from_str(&format!("Baton identify: {failure}")));
            }
        });
    }

    /// The first time the panel opens, the visitor's conversation on this site is resumed (its history fetched),
    /// or a new one starts with the site's greeting.
    pub fn start(self) {
        if self.session.get_untracked().is_some() || self.starting.get_value() {
            return;
        }
        self.starting.set_value(true);
        self.chat.update(|chat| chat.notice = None);
        spawn_local(async move {
            let turnstile = self.site.with_untracked(|site| {
                site.as_ref()
                    .and_then(|site| site.turnstile.as_ref())
                    .map(|turnstile| turnstile.site_key.clone())
            });
            let campaign = self.campaign.get_value();
            let team = self.requested_team();
            match session::start(&self.api(), turnstile, campaign, team).await {
                Ok((current, messages)) => {
                    self.session.set(Some(current));
                    self.merge(messages);
                    if let Some(identify) = self.identify_later.get_value() {
                        self.identify_later.set_value(None);
                        self.identify(identify);
                    }
                }
                Err(failure) => self
                    .chat
                    .update(|chat| chat.notice = Some(failure.to_string())),
            }
            self.starting.set_value(false);
        });
    }

    /// A click-to-chat element's `data-baton-team` (or `Baton('open', {team})`): the conversation the visitor
    /// starts next goes to that team when handed over. A conversation already under way keeps its own.
    pub fn for_team(self, team: Option<String>) {
        let team = team.filter(|team| !team.trim().is_empty());
        if self.session.get_untracked().is_none() && team.is_some() {
            self.team.set_value(team);
        }
    }

    /// The team asked for, when the site has it; another is reported on the console and left out, so a mistyped
    /// attribute never keeps the chat from starting.
    fn requested_team(self) -> Option<String> {
        let team = self.team.get_value()?;
        let known = self.site.with_untracked(|site| {
            site.as_ref()
                .is_none_or(|site| site.teams.iter().any(|known| known.id == team))
        });
        if !known {
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "Baton: data-baton-team=\"{team}\" is not a team of this site; the chat goes to the usual team"
            )));
        }
        known.then_some(team)
    }

    /// Opens the panel for a campaign's click or `Baton('open', {message})`: `message` is put in the composer, or
    /// sent once the conversation has started with `send`; a new conversation is attributed to `campaign`.
    pub fn open_with(self, message: Option<String>, send: bool, campaign: Option<CampaignRef>) {
        if self.session.get_untracked().is_none() && campaign.is_some() {
            self.campaign.set_value(campaign);
        }
        if let Some(message) = message.filter(|message| !message.trim().is_empty()) {
            if send {
                self.send_on_start.set(Some(message));
            } else {
                self.draft.set(message);
            }
        }
        self.open.set(true);
    }

    /// `Baton('shutdown')`: the conversation is forgotten on this site and the widget leaves the page.
    pub fn shut_down(self) {
        SiteStorage::for_site(&self.site_id()).remove(Entry::Session);
        self.open.set(false);
        self.shut_down.set(true);
    }
}
