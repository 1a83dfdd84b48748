//! A visitor's request in the room: checked against the conversation's token and limits, fed to the turn
//! (`baton_shared::turn`) whose asks this file performs (the AI, the inbox, the package in KV), stored, and then
//! told to every socket, the site inbox and the email index.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use baton_shared::config::{FieldKind, SiteConfig};
use baton_shared::conversation::Conversation;
use baton_shared::protocol::live::LiveEvent;
use baton_shared::protocol::{
    Author, CampaignCount, CampaignWhat, Message, MessagesAppended, emails_in_text,
};
use baton_shared::turn::{self, Io, Step, Turn};
use worker::{Delay, Response};

use super::ConversationRoom;
use crate::accounts::{constant_time_eq, email_digest};
use crate::calls::directory::{self, DirectoryCall};
use crate::calls::inbox::{self, HandOver, SeenUpdate};
use crate::calls::room::{VisitorCall, VisitorRequest};
use crate::calls::tally::Op;
use crate::calls::{self};
use crate::error::ApiError;
use crate::http::missing_visitor_token;
use crate::store::{Kv, StoredSite, retention_seconds};
use crate::{abuse, ai, clock, rate_limit, vars, webhooks};

const DAY_MS: u64 = 24 * 60 * 60 * 1_000;
/// How long a room gathers a visitor's messages before telling the site inbox the latest (for unread counts), at
/// most: the inbox is one object for the whole site, so a visitor typing fast should cost it about one write a
/// second, and an agent's unread count is at most a second behind. Each room takes its own time between half of
/// this and all of it (`rooms::spread_ms`), so rooms that started together do not all call the inbox at once.
pub(super) const SEEN_GATHER_MS: u64 = 1_000;

impl ConversationRoom {
    /// Answers a visitor's request, one at a time; then every socket hears of the new messages, and the inbox of
    /// the latest one.
    pub(super) async fn visitor(
        &self,
        site_id: &str,
        now_ms: u64,
        call: VisitorCall,
    ) -> Result<Response, ApiError> {
        let site = self.site(site_id, Some(&call.site_version)).await?;
        let _turn = self.turn.lock().await;
        let before = self.store.conversation().await?;
        let first_new = before
            .as_ref()
            .map_or(1, |conversation| conversation.transcript.next_seq());
        let handed_over_before = before
            .as_ref()
            .and_then(|conversation| conversation.handed_over_at_ms);
        let origin_less_address = call.origin_less_address.clone();
        let response = match call.request {
            VisitorRequest::Create(body) => {
                self.create(&site, call.conversation_id, body, now_ms)
                    .await?
            }
            VisitorRequest::Lead(lead) => {
                self.lead(&site, call.conversation_id, lead, now_ms).await?
            }
            request => {
                let conversation = self
                    .admit(
                        site_id,
                        &call.conversation_id,
                        call.token,
                        &call.origin_less_address,
                        &request,
                        before,
                    )
                    .await?;
                self.request(&site, conversation, request, now_ms).await?
            }
        };
        if let Some(conversation) = self.store.cached() {
            let messages = conversation.transcript.since(first_new).to_vec();
            self.link_emails(&conversation, &messages, &site.config)
                .await?;
            if conversation.handed_over_at_ms != handed_over_before
                && let Some(address) = &origin_less_address
            {
                abuse::count_handoff(&self.env, site_id, address).await?;
            }
            // A campaign's conversation reaching a person, counted once: its first handoff.
            if handed_over_before.is_none()
                && conversation.handed_over_at_ms.is_some()
                && let Some(campaign) = &conversation.campaign
            {
                let count = CampaignCount::one(campaign, CampaignWhat::Handoff, now_ms);
                directory::count_campaign(&self.env, site_id, now_ms, vec![count]).await;
            }
            if !messages.is_empty() {
                self.broadcast(&LiveEvent::Messages { messages }, None);
                if conversation.handed_over_at_ms.is_some() {
                    self.tell_inbox_soon();
                }
                self.keep_for_retention(&site.config).await?;
            }
        }
        Ok(response)
    }

    /// Before a visitor's request is handled: the token must be the conversation's (checked first, so nobody who
    /// merely knows the id spends the visitor's rate limit), then for writes the conversation's rate limit, and for
    /// messages its caps and, for clients without an `Origin`, the hourly handoff limit of their address.
    async fn admit(
        &self,
        site_id: &str,
        conversation_id: &str,
        token: Option<String>,
        origin_less_address: &Option<String>,
        request: &VisitorRequest,
        conversation: Option<Conversation>,
    ) -> Result<Conversation, ApiError> {
        // Reading the history checks for a token before looking the conversation up; writes the other way round.
        if !request.writes() && token.is_none() {
            return Err(missing_visitor_token());
        }
        let conversation = conversation.ok_or_else(|| {
            ApiError::NotFound(format!(
                "conversation \"{conversation_id}\" does not exist on site \"{site_id}\""
            ))
        })?;
        let token = token.ok_or_else(missing_visitor_token)?;
        if !constant_time_eq(conversation.visitor_token.as_bytes(), token.as_bytes()) {
            return Err(ApiError::Unauthorized(
                "the visitor token does not belong to this conversation".into(),
            ));
        }
        if request.writes() {
            rate_limit::conversation(&self.env, site_id, conversation_id).await?;
        }
        if let VisitorRequest::Post(_) = request {
            abuse::within_caps(&self.env, &conversation)?;
            if let Some(address) = origin_less_address {
                abuse::handoffs_allowed(&self.env, site_id, address).await?;
            }
        }
        Ok(conversation)
    }

    /// One request on an existing conversation, the visitor's token checked.
    async fn request(
        &self,
        site: &StoredSite,
        mut conversation: Conversation,
        request: VisitorRequest,
        now_ms: u64,
    ) -> Result<Response, ApiError> {
        let turn_site = turn::Site {
            config: &site.config,
            index: &site.index,
        };
        // Semantic matching (`ai.embeddings`), for a message Baton will answer: its similarity to the site's content.
        let similarity = match &request {
            VisitorRequest::Post(post)
                if post.instant_answer.is_none() && conversation.agent.is_none() =>
            {
                ai::similarity(&self.env, &site.config, &site.knowledge, &post.text).await
            }
            _ => None,
        };
        let turn = match request {
            VisitorRequest::Create(_) | VisitorRequest::Lead(_) => {
                unreachable!("handled by the caller")
            }
            VisitorRequest::History { since } => {
                let messages = conversation
                    .transcript
                    .since(since.saturating_add(1))
                    .to_vec();
                return calls::reply(&MessagesAppended { messages });
            }
            VisitorRequest::Rate(rate) => {
                if conversation.closed.is_none() {
                    return Err(ApiError::Conflict(
                        "a conversation is rated after an agent closes it".into(),
                    ));
                }
                conversation.csat = Some(rate.rating);
                self.save(&site.config, &conversation, now_ms).await?;
                let kv = Kv::from_env(&self.env)?;
                if let Some(mut archive) = kv.archive(&site.config.id, &conversation.id).await? {
                    archive.conversation.csat = Some(rate.rating);
                    kv.put_archive(&site.config, &archive).await?;
                }
                return calls::reply(&rate);
            }
            VisitorRequest::Post(post) => Turn::message(turn_site, conversation, post, now_ms)
                .map_err(ApiError::InvalidFields)?
                .with_faq_similarity(similarity.as_deref()),
            VisitorRequest::Form(form) => Turn::form(turn_site, conversation, form, now_ms)
                .map_err(ApiError::InvalidFields)?,
            VisitorRequest::Identify {
                name,
                email,
                verified_user_id,
                attributes,
            } => {
                let turn = Turn::identify(
                    turn_site,
                    conversation,
                    name,
                    email,
                    verified_user_id,
                    attributes,
                    now_ms,
                );
                let identified = turn.visitor().clone();
                self.take_turn(site, turn, now_ms).await?;
                return calls::reply(&identified);
            }
        };
        let messages = self.take_turn(site, turn, now_ms).await?;
        calls::reply(&MessagesAppended { messages })
    }

    /// Performs what the turn asks until it is done, stores the conversation, and gives the messages to answer.
    pub(super) async fn take_turn(
        &self,
        site: &StoredSite,
        mut turn: Turn<'_>,
        now_ms: u64,
    ) -> Result<Vec<Message>, ApiError> {
        let config = &site.config;
        let kv = Kv::from_env(&self.env)?;
        let mut written = None;
        let done = loop {
            match turn.poll() {
                Step::Io(Io::Ground { question }) => {
                    let grounded =
                        ai::ground(&self.env, config, &site.index, &site.knowledge, &question)
                            .await;
                    turn.grounded(grounded);
                }
                Step::Io(Io::TeamsOnline) => {
                    turn.staffed(&inbox::teams_online(&self.env, &config.id, now_ms).await);
                }
                Step::Io(Io::ReadPackage) => {
                    let package = kv
                        .handoff_package(&config.id, turn.conversation_id())
                        .await?;
                    turn.package_read(package);
                }
                Step::Io(Io::WritePackage(package)) => {
                    kv.put_handoff_package(config, &package).await?;
                    turn.package_written();
                    written = Some(package);
                }
                Step::Io(Io::HandOver(hand_over)) => {
                    let public_url = vars::text(&self.env, webhooks::PUBLIC_URL);
                    let deliveries = webhooks::for_handoff(
                        config,
                        &hand_over.package,
                        public_url.as_deref(),
                        now_ms,
                    );
                    let hand_over = HandOver {
                        item: hand_over.item,
                        team_reply_minutes: hand_over.team_reply_minutes,
                        deliveries,
                    };
                    let handed =
                        inbox::hand_over(&self.env, &config.id, &hand_over, now_ms).await?;
                    turn.handed_over(handed);
                }
                Step::Done(done) => break done,
            }
        };
        if let Some(conversation) = &done.conversation {
            self.save(config, conversation, now_ms).await?;
            // The model's summary for the agent, asked in the background (`summary.rs`).
            if let Some(package) = &written {
                self.summarize_soon(config, package, conversation);
            }
        }
        Ok(done.messages)
    }

    /// Every email address the conversation holds (identify, the form, any visitor message) goes into the site's
    /// email index, so erasure by email finds the conversation. Each address is linked once per room wake-up.
    async fn link_emails(
        &self,
        conversation: &Conversation,
        new_messages: &[Message],
        site: &SiteConfig,
    ) -> Result<(), ApiError> {
        let mut emails: Vec<String> = new_messages
            .iter()
            .filter(|message| message.author == Author::Visitor)
            .flat_map(|message| emails_in_text(&message.text))
            .collect();
        emails.extend(
            conversation
                .visitor_detail(site, FieldKind::Email)
                .map(str::to_string),
        );
        for email in emails {
            let digest = email_digest(&email);
            if self.linked_emails.borrow().contains(&digest) {
                continue;
            }
            directory::ask::<()>(
                &self.env,
                &conversation.site_id,
                // The index's windows run on the platform's clock, like the retention they serve.
                clock::system_ms(),
                DirectoryCall::LinkEmail {
                    digest: digest.clone(),
                    conversation_id: conversation.id.clone(),
                },
            )
            .await?;
            self.linked_emails.borrow_mut().insert(digest);
        }
        Ok(())
    }

    /// Tells the site inbox of the latest visitor message after [`SEEN_GATHER_MS`], once for all the messages of
    /// that moment: one object holds the whole site's inbox, and a visitor typing fast should not write it per line.
    fn tell_inbox_soon(&self) {
        if self.seen_scheduled.replace(true) {
            return;
        }
        let env = self.env.clone();
        let copy = self.store.shared_copy();
        let scheduled: Rc<Cell<bool>> = Rc::clone(&self.seen_scheduled);
        let seen_gather_ms = self.seen_gather_ms;
        self.state.wait_until(async move {
            Delay::from(Duration::from_millis(seen_gather_ms)).await;
            scheduled.set(false);
            let update = copy
                .borrow()
                .as_ref()
                .and_then(|conversation| SeenUpdate::of(conversation, None, None));
            if let Some(update) = update {
                inbox::seen(&env, update, clock::system_ms()).await;
            }
        });
    }

    /// The room deletes itself once the site's retention has passed since the last message (on the platform's
    /// clock, not a request's).
    async fn keep_for_retention(&self, site: &SiteConfig) -> Result<(), ApiError> {
        let at = clock::system_ms() + retention_seconds(site) * 1_000;
        // Moved at most once a day, not at every message: one write less per message.
        let storage = self.state.storage();
        let current = match self.alarm_at_ms.get() {
            Some(current) => Some(current),
            None => match self.store.expires_at().await? {
                Some(current) => Some(current),
                // Set by an earlier build, before the end was kept: the alarm itself.
                None => {
                    self.store.count(Op::StorageRead);
                    storage.get_alarm().await?.map(|current| current as u64)
                }
            },
        };
        if let Some(current) = current
            && current + DAY_MS >= at
        {
            self.alarm_at_ms.set(Some(current));
            return Ok(());
        }
        self.store.set_expires_at(at).await?;
        // An alarm sooner than the retention's is the ledger's retry: it sets this one again once it has sent.
        self.store.count(Op::StorageRead);
        let pending = storage.get_alarm().await?.map(|pending| pending as u64);
        let retention_alarm = match pending {
            None => true,
            Some(pending) => current.is_some_and(|current| pending >= current),
        };
        if retention_alarm {
            self.store.count(Op::StorageWrite);
            crate::rooms::set_alarm_at(&storage, at).await?;
        }
        self.alarm_at_ms.set(Some(at));
        Ok(())
    }
}
