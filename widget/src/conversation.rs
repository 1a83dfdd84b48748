//! The visitor's conversation as the widget runs it, one `Copy` handle over its signals: the site's configuration
//! (from the localStorage copy at once, then the worker's when newer), starting or resuming the conversation,
//! merging the worker's messages (and telling the page's listeners), sending messages in order through the
//! [`Outbox`] (with instant answers shown at once), retrying, the pre-chat form ([`FormPlan`]), identify and ratings.
//! long: one handle over one set of signals; every method reads and writes the same state (424 lines; to split).

use baton_shared::protocol::agent::Rate;
use baton_shared::protocol::{
    Author, CampaignRef, Choice, FieldValue, Identify, Message, PostMessage, SubmitForm,
    WidgetConfig, WidgetSite, value_problem,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::api::{ApiClient, Session};
use crate::commands::{self, Event};
use crate::form::FormPlan;
use crate::i18n::Strings;
use crate::instant::InstantAnswers;
use crate::outbox::Outbox;
use crate::session;
use crate::state::{ChatState, is_for_visitor};
use crate::storage::{Entry, SiteStorage};

#[derive(Clone, Copy)]
pub struct Conversation {
    api: StoredValue<ApiClient>,
    pub open: RwSignal<bool>,
    pub chat: RwSignal<ChatState>,
    pub session: RwSignal<Option<Session>>,
    pub site: RwSignal<Option<WidgetSite>>,
    /// The visitor's country, as the worker saw it (for campaigns' `country` audience).
    pub country: RwSignal<Option<String>>,
    /// What the composer holds; a campaign or `Baton('open', {message})` may put a message there.
    pub draft: RwSignal<String>,
    /// The campaign whose click opens the chat: the conversation it starts is attributed to it.
    campaign: StoredValue<Option<CampaignRef>>,
    /// A message to send as soon as the conversation has started (a campaign's `open_chat` with `send: true`).
    send_on_start: StoredValue<Option<String>>,
    /// `Baton('shutdown')` was called: the widget is gone from the page.
    pub shut_down: RwSignal<bool>,
    /// Whether the site's configuration was fetched (or could not be): then the conversation may start.
    site_settled: RwSignal<bool>,
    pub strings: Memo<&'static Strings>,
    instant: StoredValue<Option<InstantAnswers>, LocalStorage>,
    /// Identify calls made before the conversation exists are applied once it does.
    identify_later: StoredValue<Option<Identify>>,
    starting: StoredValue<bool>,
    outbox: StoredValue<Outbox>,
    /// The pre-chat fields to collect now, if any.
    pub form_plan: Memo<Option<FormPlan>>,
}

impl Conversation {
    pub fn new(api: ApiClient) -> Conversation {
        let site = RwSignal::new(None);
        let country = RwSignal::new(None);
        let site_settled = RwSignal::new(false);
        let instant = load_site(&api, site, country, site_settled);
        let chat = RwSignal::new(ChatState::default());
        Conversation {
            api: StoredValue::new(api),
            open: RwSignal::new(false),
            chat,
            session: RwSignal::new(None),
            site,
            country,
            draft: RwSignal::new(String::new()),
            campaign: StoredValue::new(None),
            send_on_start: StoredValue::new(None),
            shut_down: RwSignal::new(false),
            site_settled,
            strings: Memo::new(move |_| {
                site.with(|site| match site {
                    Some(site) => Strings::for_locale(&site.locale),
                    None => Strings::for_browser(),
                })
            }),
            instant,
            identify_later: StoredValue::new(None),
            starting: StoredValue::new(false),
            outbox: StoredValue::new(Outbox::default()),
            form_plan: Memo::new(move |_| {
                site.with(|site| {
                    let site = site.as_ref()?;
                    chat.with(|chat| FormPlan::for_chat(&site.pre_chat, chat))
                })
            }),
        }
    }

    pub fn api(self) -> ApiClient {
        self.api.get_value()
    }

    /// The site's configuration is known (it says whether a bot check comes first), or could not be fetched (then
    /// starting says what is wrong).
    pub fn site_known(self) -> bool {
        self.site.with(Option::is_some) || self.site_settled.get()
    }

    /// Adds the worker's messages; listeners hear of each new one for the visitor, and the launcher counts them
    /// while the panel is closed.
    pub fn merge(self, messages: Vec<Message>) {
        let added = self
            .chat
            .try_update(|chat| chat.merge(messages))
            .unwrap_or_default();
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
            match session::start(&self.api(), turnstile, campaign).await {
                Ok((current, messages)) => {
                    self.session.set(Some(current));
                    self.merge(messages);
                    if let Some(text) = self.send_on_start.get_value() {
                        self.send_on_start.set_value(None);
                        self.send_message(text, None);
                    }
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

    /// Opens the panel for a campaign's click or `Baton('open', {message})`: `message` is put in the composer, or
    /// sent once the conversation has started with `send`; a new conversation is attributed to `campaign`.
    pub fn open_with(self, message: Option<String>, send: bool, campaign: Option<CampaignRef>) {
        if self.session.get_untracked().is_none() && campaign.is_some() {
            self.campaign.set_value(campaign);
        }
        if let Some(message) = message.filter(|message| !message.trim().is_empty()) {
            if !send {
                self.draft.set(message);
            } else if self.session.get_untracked().is_some() {
                self.send_message(message, None);
            } else {
                self.send_on_start.set_value(Some(message));
            }
        }
        self.open.set(true);
    }

    /// Queues a visitor message for the worker (see [`Outbox`]).
    fn deliver(self, current: Session, body: PostMessage) {
        if !self
            .outbox
            .try_update_value(|outbox| outbox.push(body))
            .unwrap_or(false)
        {
            return;
        }
        spawn_local(async move {
            while let Some(body) = self.outbox.try_update_value(Outbox::next).flatten() {
                match self.api().post_message(&current, &body).await {
                    Ok(appended) => self.merge(appended.messages),
                    Err(failure) => {
                        let reason = failure.to_string();
                        let failed = self
                            .outbox
                            .try_update_value(|outbox| outbox.fail(body))
                            .unwrap_or_default();
                        self.chat.update(|chat| {
                            for failed in &failed {
                                chat.mark_failed(&failed.client_message_id, reason.clone());
                            }
                        });
                    }
                }
            }
        });
    }

    /// A visitor message, typed or `tapped` (a choice, or "Talk to a person"): shown at once (with the instant
    /// answer when the FAQ is confident or the tapped entry was offered), then sent.
    pub fn send_message(self, text: String, tapped: Option<Choice>) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
        let chose_person = matches!(tapped, Some(Choice::Person { .. }));
        let choice = match tapped {
            Some(Choice::FaqEntry { faq_entry_id, .. }) => Some(faq_entry_id),
            _ => None,
        };
        // A confident FAQ answer is shown now; the worker only records it.
        let reply = (!chose_person)
            .then(|| {
                self.instant.with_value(|instant| {
                    let instant = instant.as_ref()?;
                    self.chat.with_untracked(|chat| {
                        instant.answer(&chat.messages, &text, choice.as_deref())
                    })
                })
            })
            .flatten();
        let body = PostMessage {
            client_message_id: new_client_message_id(),
            text,
            instant_answer: reply.as_ref().map(|reply| reply.source.clone()),
            chose_person,
            choice,
        };
        self.chat.update(|chat| {
            chat.add_pending(body.clone(), reply.as_ref().map(|reply| reply.text.clone()))
        });
        if let Some(reply) = &reply {
            // Listeners hear it now, as the visitor sees it; not stored yet, it has no sequence number (0). The stored
            // copy is not announced again (`ChatState::merge`).
            commands::emit_message(&Message {
                seq: 0,
                author: Author::Ai,
                author_name: None,
                text: reply.text.clone(),
                sent_at_ms: js_sys::Date::now() as u64,
                client_message_id: None,
                answer: Some(reply.source.clone()),
                handoff: None,
                event: None,
                choices: Vec::new(),
                choice: None,
            });
        }
        if is_offline() {
            let offline = self.strings.get_untracked().offline.to_string();
            self.chat
                .update(|chat| chat.mark_failed(&body.client_message_id, offline));
            return;
        }
        self.deliver(current, body);
    }

    /// What failed is sent again, with the same client message ids, so nothing is stored twice.
    pub fn retry(self) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
        for body in self
            .chat
            .try_update(ChatState::retry_failed)
            .unwrap_or_default()
        {
            self.deliver(current.clone(), body);
        }
    }

    /// The field the conversational form asks for now.
    fn asking_field(self) -> Option<baton_shared::config::FormField> {
        self.form_plan
            .with_untracked(|plan| plan.as_ref().and_then(FormPlan::asking))
    }

    /// The composer's text: the answer to the field the conversational form asks for (checked first), else a
    /// message.
    pub fn send_text(self, text: String) {
        let Some(field) = self.asking_field() else {
            self.send_message(text, None);
            return;
        };
        match value_problem(field.kind, &text) {
            Some(problem) => {
                let problem = self.strings.get_untracked().field_problem(problem);
                self.chat
                    .update(|chat| chat.notice = Some(format!("{}: {problem}", field.label)));
            }
            None => self.submit_form(SubmitForm {
                fields: vec![FieldValue {
                    id: field.id.clone(),
                    value: text.trim().to_string(),
                }],
                consent: false,
            }),
        }
    }

    pub fn submit_form(self, form: SubmitForm) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
        let given: Vec<String> = form.fields.iter().map(|field| field.id.clone()).collect();
        spawn_local(async move {
            match self.api().submit_form(&current, &form).await {
                Ok(appended) => {
                    self.chat.update(|chat| {
                        chat.given_fields.extend(given);
                        chat.notice = None;
                    });
                    self.merge(appended.messages);
                }
                Err(failure) => self
                    .chat
                    .update(|chat| chat.notice = Some(failure.to_string())),
            }
        });
    }

    /// The visitor's rating of a closed conversation; listeners hear it once the worker has it.
    pub fn rate(self, rating: u8) {
        let Some(current) = self.session.get_untracked() else {
            return;
        };
        self.chat.update(|chat| chat.rating = Some(rating));
        spawn_local(async move {
            match self.api().rate(&current, &Rate { rating }).await {
                Ok(_) => {
                    let detail = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&detail, &"rating".into(), &JsValue::from(rating));
                    commands::emit(Event::Csat, &detail);
                }
                Err(failure) => self.chat.update(|chat| {
                    chat.rating = None;
                    chat.notice = Some(failure.to_string());
                }),
            }
        });
    }

    /// `Baton('shutdown')`: the conversation is forgotten on this site and the widget leaves the page.
    pub fn shut_down(self) {
        SiteStorage::for_site(
            self.api
                .with_value(|api| api.site_id().to_string())
                .as_str(),
        )
        .remove(Entry::Session);
        self.open.set(false);
        self.shut_down.set(true);
    }
}

/// The site's configuration and instant answers: from the localStorage copy at once when there is one, then from
/// the worker if it has a newer version. Until either arrives (or if both fail) every message goes to the worker,
/// which answers the same.
fn load_site(
    api: &ApiClient,
    site: RwSignal<Option<WidgetSite>>,
    country: RwSignal<Option<String>>,
    settled: RwSignal<bool>,
) -> StoredValue<Option<InstantAnswers>, LocalStorage> {
    let storage = SiteStorage::for_site(api.site_id());
    let cached: Option<WidgetConfig> = storage
        .read(Entry::WidgetConfig)
        .and_then(|json| serde_json::from_str(&json).ok());
    let instant = StoredValue::new_local(
        cached
            .as_ref()
            .and_then(|config| InstantAnswers::from_config(config).ok()),
    );
    let version = cached.as_ref().map(|config| config.version.clone());
    if let Some(config) = cached {
        country.set(config.country);
        site.set(Some(config.site));
    }
    let api = api.clone();
    spawn_local(async move {
        // Unchanged (304) or unreachable: keep what we have.
        if let Ok(Some((fresh, json))) = api.widget_config(version.as_deref()).await {
            if let Ok(answers) = InstantAnswers::from_config(&fresh) {
                instant.set_value(Some(answers));
            }
            country.set(fresh.country);
            site.set(Some(fresh.site));
            // Kept as received: re-serialising would only add code to the download.
            storage.write(Entry::WidgetConfig, &json);
        }
        settled.set(true);
    });
    instant
}

fn is_offline() -> bool {
    web_sys::window().is_some_and(|window| !window.navigator().on_line())
}

/// A fresh id for a visitor message, so a retry is recognised by the worker.
fn new_client_message_id() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("m{}", js_sys::Date::now()))
}
