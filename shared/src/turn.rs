//! The visitor's turn as a state machine, in the style of quinn-proto's `Connection`: it holds no I/O and reads no
//! clock. The shell starts it with the decoded request, the conversation and `now`, then calls [`Turn::poll`]: each
//! [`Step::Io`] names one thing only the shell can do (ask the AI, ask the inbox who is online, read or write the
//! agent's package, hand the conversation over), and the shell feeds the answer back with the matching method.
//! [`Step::Done`] gives the conversation to store and the messages to answer with.
//!
//! Three requests take a turn: a visitor message ([`Turn::message`]), the pre-chat form ([`Turn::form`]) and
//! `identify` ([`Turn::identify`]). What the policy decides is `crate::handoff`'s; the turn strings the decisions
//! together in the order the visitor sees them.

use crate::config::{FieldKind, SiteConfig};
use crate::conversation::{AssignedAgent, Conversation};
use crate::faq::FaqIndex;
use crate::grounding::GroundedAnswer;
use crate::handoff::{
    self, Decision, Handoff, HandoffPackage, Outcome, Situation, Texts, VisitorContext,
};
use crate::inbox::Queued;
use crate::protocol::agent::{InboxItem, ItemState};
use crate::protocol::{
    AnswerSource, Author, FieldError, HandoffNotice, Identified, Message, PostMessage, SubmitForm,
    email_in_text, field_error,
};

#[cfg(test)]
mod tests;

/// The site as the turn reads it: its configuration and the FAQ index built from it.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    pub config: &'a SiteConfig,
    pub index: &'a FaqIndex,
}

/// What the turn needs the shell to do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Io {
    /// Ask the site's grounded answerer (its AI provider, or Baton's extract of its content) about `question`;
    /// feed the answer with [`Turn::grounded`].
    Ground { question: String },
    /// Ask the site inbox which teams have an agent online; feed them with [`Turn::staffed`].
    TeamsOnline,
    /// Read the agent's package of this conversation; feed it with [`Turn::package_read`].
    ReadPackage,
    /// Write the agent's package (before the inbox hears of the handoff, so an agent never opens a conversation
    /// without it); then call [`Turn::package_written`].
    WritePackage(Box<HandoffPackage>),
    /// Put the conversation in its team's queue (and queue the site's webhooks for `package`); feed where it went
    /// with [`Turn::handed_over`].
    HandOver(Box<HandOver>),
}

/// A handoff for the site inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct HandOver {
    pub item: InboxItem,
    /// The team's promised reply time, after which a waiting conversation counts as missed.
    pub team_reply_minutes: u32,
    pub package: HandoffPackage,
}

/// Where the inbox put a handed-over conversation.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HandedOver {
    pub queued: Option<Queued>,
    pub assigned: Option<AssignedAgent>,
}

// One `Step` exists at a time per turn; boxing the end would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Step {
    Io(Io),
    Done(Done),
}

/// The end of a turn.
#[derive(Debug)]
pub struct Done {
    /// The conversation to store; `None` when nothing changed (a retry answered from the transcript).
    pub conversation: Option<Conversation>,
    /// What the visitor is answered with: the messages this turn appended, or the stored answer to a retry.
    pub messages: Vec<Message>,
}

pub struct Turn<'a> {
    site: Site<'a>,
    now_ms: u64,
    conversation: Conversation,
    /// The first sequence number this turn appends.
    first_new: u64,
    stage: Stage,
}

/// Where the turn stands. One per turn, so its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Stage {
    /// Ready to decide the visitor's message.
    Decide(PostMessage),
    /// Waiting for a grounded answer to the message.
    Grounding { post: PostMessage, outcome: Outcome },
    /// Waiting for who is online, to decide the message again.
    Staffing {
        post: PostMessage,
        grounded: Option<GroundedAnswer>,
    },
    /// Ready to decide a waiting handoff again, now that fields were given (`in_chat`: typed in a message).
    Reroute { in_chat: bool },
    /// Waiting for who is online, to decide the waiting handoff again.
    RerouteStaffing { pending: Handoff, in_chat: bool },
    /// Waiting for the package, to bring it up to date.
    ReadingPackage(Refresh),
    /// Waiting for the package to be written.
    WritingPackage(HandoffPackage, AfterPackage),
    /// Waiting for the inbox to place the handoff.
    HandingOver(HandOver, AfterHandOver),
    /// Ready to finish.
    Finish,
    /// `Done` was given.
    Over,
}

/// How a stored package is brought up to date.
struct Refresh {
    notice: Option<HandoffNotice>,
    /// Hand the conversation over once the package is written.
    hand_over: bool,
}

enum AfterPackage {
    Finish,
    HandOver(Box<HandoffPackage>, AfterHandOver),
}

enum AfterHandOver {
    /// Tell the visitor `text` with the handoff's notice (and their place in the queue).
    Notice { text: String, notice: HandoffNotice },
    /// Only say who joined, if anyone.
    Join,
}

/// What Baton says to a message, and for a handoff the notice and the outcome it came from.
struct Reply {
    text: String,
    answer: Option<AnswerSource>,
    handoff: Option<(Outcome, HandoffNotice)>,
}

impl<'a> Turn<'a> {
    /// A visitor message. Refused when it breaks a field rule, or claims an instant answer the site does not have.
    pub fn message(
        site: Site<'a>,
        conversation: Conversation,
        post: PostMessage,
        now_ms: u64,
    ) -> Result<Turn<'a>, Vec<FieldError>> {
        let mut errors = post.validate();
        if let Some(instant) = &post.instant_answer {
            let id = instant.faq_entry_id.as_deref().unwrap_or_default();
            if !site.config.faq.iter().any(|entry| entry.id == id) {
                errors.push(field_error(
                    "instant_answer.faq_entry_id",
                    format!("site \"{}\" has no FAQ entry \"{id}\"", site.config.id),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Turn::new(site, conversation, Stage::Decide(post), now_ms))
    }

    /// The pre-chat form's answers (all of them, or the conversational form's one at a time).
    pub fn form(
        site: Site<'a>,
        mut conversation: Conversation,
        form: SubmitForm,
        now_ms: u64,
    ) -> Result<Turn<'a>, Vec<FieldError>> {
        let pre_chat = &site.config.pre_chat;
        let required: Vec<&str> = if pre_chat.before_chat {
            pre_chat
                .fields
                .iter()
                .filter(|field| field.required)
                .map(|field| field.id.as_str())
                .collect()
        } else {
            Vec::new()
        };
        let errors = form.check(pre_chat, &required);
        if !errors.is_empty() {
            return Err(errors);
        }
        for answer in form.fields {
            conversation.set_field(answer.id, &answer.value);
        }
        if form.consent {
            conversation.consent_at_ms.get_or_insert(now_ms);
        }
        Ok(Turn::new(
            site,
            conversation,
            Stage::Reroute { in_chat: false },
            now_ms,
        ))
    }

    /// Who the visitor says they are; `verified_user_id` only once the shell checked the site's signature.
    pub fn identify(
        site: Site<'a>,
        mut conversation: Conversation,
        name: Option<String>,
        email: Option<String>,
        verified_user_id: Option<String>,
        now_ms: u64,
    ) -> Turn<'a> {
        let visitor = &mut conversation.visitor;
        if verified_user_id.is_some() {
            visitor.user_id = verified_user_id;
            visitor.verified = true;
        }
        if let Some(name) = name {
            visitor.name = Some(name.trim().to_string());
        }
        if let Some(email) = email {
            visitor.email = Some(email.trim().to_string());
        }
        let refresh = Refresh {
            notice: None,
            hand_over: false,
        };
        Turn::new(site, conversation, Stage::ReadingPackage(refresh), now_ms)
    }

    fn new(site: Site<'a>, conversation: Conversation, stage: Stage, now_ms: u64) -> Turn<'a> {
        Turn {
            site,
            now_ms,
            first_new: conversation.transcript.next_seq(),
            conversation,
            stage,
        }
    }

    /// Who the visitor is, as `identify` left it.
    pub fn visitor(&self) -> &Identified {
        &self.conversation.visitor
    }

    /// The next thing to do. Call again after feeding each answer.
    pub fn poll(&mut self) -> Step {
        loop {
            match std::mem::replace(&mut self.stage, Stage::Over) {
                Stage::Decide(post) => {
                    if let Some(done) = self.before_deciding(post) {
                        return done;
                    }
                }
                Stage::Reroute { in_chat } => self.reroute(in_chat),
                Stage::Finish => return Step::Done(self.finish()),
                Stage::Over => panic!("Turn::poll after Done, or with an answer still owed"),
                waiting => {
                    let io = match &waiting {
                        Stage::Grounding { post, .. } => Io::Ground {
                            question: post.text.clone(),
                        },
                        Stage::Staffing { .. } | Stage::RerouteStaffing { .. } => Io::TeamsOnline,
                        Stage::ReadingPackage(_) => Io::ReadPackage,
                        Stage::WritingPackage(package, _) => {
                            Io::WritePackage(Box::new(package.clone()))
                        }
                        Stage::HandingOver(hand_over, _) => {
                            Io::HandOver(Box::new(hand_over.clone()))
                        }
                        _ => unreachable!("handled above"),
                    };
                    self.stage = waiting;
                    return Step::Io(io);
                }
            }
        }
    }

    /// The grounded answerer's answer (`None`: it had none, or failed).
    pub fn grounded(&mut self, grounded: Option<GroundedAnswer>) {
        let Stage::Grounding { post, outcome } = self.take_stage("grounded") else {
            unreachable!()
        };
        let fields_known = self.conversation.fields_known(self.site.config);
        let situation = self.situation(&post, &fields_known, &[]);
        let outcome = match &grounded {
            Some(answer) => handoff::with_grounded(&situation, outcome, answer),
            None => outcome,
        };
        self.decided(post, outcome, grounded);
    }

    /// The teams with an agent online.
    pub fn staffed(&mut self, teams_online: &[String]) {
        let online: Vec<&str> = teams_online.iter().map(String::as_str).collect();
        match self.take_stage("staffed") {
            Stage::Staffing { post, grounded } => {
                let outcome = {
                    let fields_known = self.conversation.fields_known(self.site.config);
                    let staffed = self.situation(&post, &fields_known, &online);
                    let outcome = handoff::decide(&staffed);
                    match &grounded {
                        Some(answer) if handoff::may_ground(&outcome) => {
                            handoff::with_grounded(&staffed, outcome, answer)
                        }
                        _ => outcome,
                    }
                };
                self.reply(post, outcome);
            }
            Stage::RerouteStaffing { pending, in_chat } => {
                let decision = {
                    let fields_known = self.conversation.fields_known(self.site.config);
                    let situation = self.rerouting(&fields_known, &online);
                    handoff::reroute(&situation, &pending)
                };
                self.rerouted(decision, in_chat);
            }
            _ => unreachable!(),
        }
    }

    /// The stored package, when the conversation has one.
    pub fn package_read(&mut self, package: Option<HandoffPackage>) {
        let Stage::ReadingPackage(refresh) = self.take_stage("package_read") else {
            unreachable!()
        };
        let Some(mut package) = package else {
            self.stage = Stage::Finish;
            return;
        };
        let site = self.site.config;
        let conversation = &self.conversation;
        package.visitor_name = conversation
            .visitor_detail(site, FieldKind::Name)
            .map(str::to_string);
        package.visitor_email = conversation
            .visitor_detail(site, FieldKind::Email)
            .map(str::to_string);
        package.verified_user_id = conversation.verified_user_id().map(str::to_string);
        package.fields = conversation.labelled_fields(site);
        if let Some(notice) = &refresh.notice {
            package.queued = notice.queued;
            package.next_opening_ms = notice.next_opening_ms;
        }
        let after = if refresh.hand_over {
            AfterPackage::HandOver(Box::new(package.clone()), AfterHandOver::Join)
        } else {
            AfterPackage::Finish
        };
        self.write(package, after);
    }

    /// The package was written.
    pub fn package_written(&mut self) {
        let Stage::WritingPackage(_, after) = self.take_stage("package_written") else {
            unreachable!()
        };
        match after {
            AfterPackage::Finish => self.stage = Stage::Finish,
            AfterPackage::HandOver(package, then) => self.hand_over(*package, then),
        }
    }

    /// Where the inbox put the handoff.
    pub fn handed_over(&mut self, handed: HandedOver) {
        let Stage::HandingOver(_, then) = self.take_stage("handed_over") else {
            unreachable!()
        };
        let texts = Texts::for_locale(&self.site.config.locale);
        if let Some(agent) = &handed.assigned {
            self.conversation.agent = Some(agent.clone());
        }
        if let AfterHandOver::Notice {
            mut text,
            mut notice,
        } = then
        {
            if let Some(queued) = handed.queued
                && !notice.queued
            {
                notice.queue_position = Some(queued.position);
                notice.expected_wait_ms = Some(queued.expected_wait_ms);
                text = format!(
                    "{text} {}",
                    texts.queue_place(queued.position, queued.expected_wait_ms)
                );
            }
            self.conversation
                .transcript
                .push_system(text, Some(notice), self.now_ms);
        }
        if let Some(agent) = handed.assigned {
            self.conversation.agent_joins(texts, agent, self.now_ms);
        }
        self.stage = Stage::Finish;
    }

    fn take_stage(&mut self, fed: &str) -> Stage {
        let stage = std::mem::replace(&mut self.stage, Stage::Over);
        if matches!(stage, Stage::Over | Stage::Finish) {
            panic!("Turn::{fed} fed when nothing was asked");
        }
        stage
    }

    /// A retry, a message to the agent, or an email typed for a waiting handoff are settled before any decision;
    /// otherwise the policy decides (and may ask for a grounded answer).
    fn before_deciding(&mut self, post: PostMessage) -> Option<Step> {
        // A retry of a message already stored gets the original answer; nothing is stored twice.
        if let Some(messages) = self.conversation.transcript.replay(&post.client_message_id) {
            self.stage = Stage::Over;
            return Some(Step::Done(Done {
                conversation: None,
                messages,
            }));
        }
        // While an agent has the conversation, the visitor talks to them: Baton stays quiet.
        if self.conversation.agent.is_some() {
            self.conversation.transcript.push_visitor(
                post.client_message_id,
                post.text,
                self.now_ms,
            );
            self.stage = Stage::Finish;
            return None;
        }
        // Asked for their email to go on with a handoff, visitors often type it in the chat: it counts as the form.
        if post.instant_answer.is_none()
            && let Some((field_id, email)) = self.email_for_pending_handoff(&post.text)
        {
            self.conversation.transcript.push_visitor(
                post.client_message_id,
                post.text,
                self.now_ms,
            );
            self.conversation.set_field(field_id, &email);
            self.stage = Stage::Reroute { in_chat: true };
            return None;
        }
        // The widget already showed an FAQ answer: the transcript records that entry's answer, taken from the
        // site's configuration (never text from the request), so it holds exactly what the visitor saw.
        if let Some(instant) = post.instant_answer.clone() {
            let id = instant.faq_entry_id.as_deref().unwrap_or_default();
            let text = self
                .site
                .config
                .faq
                .iter()
                .find(|entry| entry.id == id)
                .map(|entry| entry.answer.clone())
                .unwrap_or_default();
            self.append(
                post,
                Reply {
                    text,
                    answer: Some(instant),
                    handoff: None,
                },
            );
            return None;
        }
        let outcome = {
            let fields_known = self.conversation.fields_known(self.site.config);
            handoff::decide(&self.situation(&post, &fields_known, &[]))
        };
        if handoff::may_ground(&outcome) {
            self.stage = Stage::Grounding { post, outcome };
        } else {
            self.decided(post, outcome, None);
        }
        None
    }

    /// Decided with nobody online, a handoff inside business hours would queue; the inbox may know better.
    fn decided(&mut self, post: PostMessage, outcome: Outcome, grounded: Option<GroundedAnswer>) {
        if staffing_matters(&outcome.decision) {
            self.stage = Stage::Staffing { post, grounded };
        } else {
            self.reply(post, outcome);
        }
    }

    /// What Baton says to the message, appended with it.
    fn reply(&mut self, post: PostMessage, outcome: Outcome) {
        let site = self.site.config;
        let text = Texts::for_locale(&site.locale).render(
            site,
            &outcome.decision,
            self.conversation.timezone.as_deref(),
        );
        let answer = answer_source(site, &outcome);
        let notice = handoff::notice(site, &outcome.decision);
        let reply = Reply {
            text,
            answer,
            handoff: notice.map(|notice| (outcome, notice)),
        };
        self.append(post, reply);
    }

    /// Appends the visitor's message and Baton's reply; a handoff first writes the agent's package, then hands
    /// the conversation over unless it still waits for fields.
    fn append(&mut self, post: PostMessage, reply: Reply) {
        let now_ms = self.now_ms;
        self.conversation
            .transcript
            .push_visitor(post.client_message_id, post.text, now_ms);
        let Some((outcome, notice)) = reply.handoff else {
            self.conversation
                .transcript
                .push_reply(Author::Ai, reply.text, reply.answer, now_ms);
            self.stage = Stage::Finish;
            return;
        };
        let handoff = match &outcome.decision {
            Decision::CollectContext { handoff, .. }
            | Decision::HandOff(handoff)
            | Decision::AfterHours { handoff, .. } => handoff.clone(),
            _ => unreachable!("a notice is only given for a handoff"),
        };
        self.conversation.pending_handoff = match &outcome.decision {
            Decision::CollectContext { .. } | Decision::AfterHours { .. } => Some(handoff.clone()),
            _ => None,
        };
        let mut package = self.package(&outcome, &handoff);
        package.queued = notice.queued;
        package.next_opening_ms = notice.next_opening_ms;
        let then = AfterHandOver::Notice {
            text: reply.text,
            notice,
        };
        let after = if let Decision::CollectContext { .. } = outcome.decision {
            // Nobody is told yet: the notice asks for the fields, and the handoff goes on once they arrive.
            if let AfterHandOver::Notice { text, notice } = then {
                self.conversation
                    .transcript
                    .push_system(text, Some(notice), now_ms);
            }
            AfterPackage::Finish
        } else {
            AfterPackage::HandOver(Box::new(package.clone()), then)
        };
        self.write(package, after);
    }

    /// The agent's package for a handoff, with everything the conversation knows about the visitor.
    fn package(&self, outcome: &Outcome, handoff: &Handoff) -> HandoffPackage {
        let site = self.site.config;
        let conversation = &self.conversation;
        let fields = conversation.labelled_fields(site);
        HandoffPackage::build(
            site,
            &VisitorContext {
                conversation_id: &conversation.id,
                name: conversation.visitor_detail(site, FieldKind::Name),
                email: conversation.visitor_detail(site, FieldKind::Email),
                verified_user_id: conversation.verified_user_id(),
                page_url: conversation.page_url.as_deref(),
                referrer: conversation.referrer.as_deref(),
                timezone: conversation.timezone.as_deref(),
                fields: &fields,
            },
            &conversation.transcript.messages,
            outcome.intent.clone(),
            &outcome.hits,
            handoff,
            self.now_ms,
        )
    }

    fn write(&mut self, package: HandoffPackage, after: AfterPackage) {
        self.stage = Stage::WritingPackage(package, after);
    }

    /// Puts the conversation in its team's queue (or with an agent, when the site assigns automatically).
    fn hand_over(&mut self, package: HandoffPackage, then: AfterHandOver) {
        let site = self.site.config;
        let conversation = &mut self.conversation;
        conversation.handed_over_at_ms = Some(self.now_ms);
        let team = package.team.as_ref().map(|(id, _)| id.clone());
        let team_reply_minutes = site
            .teams
            .iter()
            .find(|known| Some(&known.id) == team.as_ref())
            .map_or(5, |team| team.reply_minutes);
        let item = InboxItem {
            conversation_id: conversation.id.clone(),
            team,
            reason: package.reason,
            intent: package.intent,
            summary: package.summary.clone(),
            visitor_name: package.visitor_name.clone(),
            verified: package.verified_user_id.is_some(),
            page_url: package.page_url.clone(),
            handed_off_at_ms: self.now_ms,
            opens_at_ms: package.next_opening_ms,
            state: ItemState::Waiting,
            first_reply_at_ms: None,
            missed: false,
            last_seq: conversation.transcript.next_seq().saturating_sub(1),
            read_seq: 0,
        };
        let hand_over = HandOver {
            item,
            team_reply_minutes,
            package,
        };
        self.stage = Stage::HandingOver(hand_over, then);
    }

    /// A handoff that waited for fields goes on now that some were given: decided again (asking who is online
    /// when that matters).
    fn reroute(&mut self, in_chat: bool) {
        let Some(pending) = self.conversation.pending_handoff.clone() else {
            self.stage = Stage::ReadingPackage(Refresh {
                notice: None,
                hand_over: false,
            });
            return;
        };
        let decision = {
            let fields_known = self.conversation.fields_known(self.site.config);
            handoff::reroute(&self.rerouting(&fields_known, &[]), &pending)
        };
        if staffing_matters(&decision) {
            self.stage = Stage::RerouteStaffing { pending, in_chat };
        } else {
            self.rerouted(decision, in_chat);
        }
    }

    /// Fields given one at a time (the conversational form) are acknowledged once the last one arrives; a field
    /// typed in the chat gets an answer at once, which asks for whatever is still missing. Then the package is
    /// brought up to date, and the conversation handed over when nothing is missing.
    fn rerouted(&mut self, decision: Decision, in_chat: bool) {
        let site = self.site.config;
        let still_missing = match &decision {
            Decision::CollectContext { fields, .. } | Decision::AfterHours { fields, .. } => {
                !fields.is_empty()
            }
            _ => false,
        };
        let mut refresh = Refresh {
            notice: None,
            hand_over: false,
        };
        if in_chat || !still_missing {
            let texts = Texts::for_locale(&site.locale);
            let text = format!(
                "{} {}",
                texts.details_received(),
                texts.render(site, &decision, self.conversation.timezone.as_deref())
            );
            let told = handoff::notice(site, &decision);
            self.conversation
                .transcript
                .push_system(text, told.clone(), self.now_ms);
            if !still_missing {
                refresh.notice = told;
                self.conversation.pending_handoff = match &decision {
                    Decision::AfterHours { handoff, .. } => Some(handoff.clone()),
                    _ => None,
                };
                refresh.hand_over =
                    matches!(decision, Decision::HandOff(_) | Decision::AfterHours { .. });
            }
        }
        self.stage = Stage::ReadingPackage(refresh);
    }

    fn finish(&mut self) -> Done {
        let messages = self.conversation.transcript.since(self.first_new).to_vec();
        Done {
            conversation: Some(self.conversation.clone()),
            messages,
        }
    }

    fn situation<'s>(
        &'s self,
        post: &'s PostMessage,
        fields_known: &'s [&'s str],
        teams_online: &'s [&'s str],
    ) -> Situation<'s>
    where
        'a: 's,
    {
        Situation {
            config: self.site.config,
            index: self.site.index,
            transcript: &self.conversation.transcript.messages,
            visitor_text: &post.text,
            now_ms: self.now_ms,
            teams_online,
            fields_known,
            visitor_chose_person: post.chose_person,
        }
    }

    /// Where a handoff waiting for fields is decided again: no new visitor text.
    fn rerouting<'s>(
        &'s self,
        fields_known: &'s [&'s str],
        teams_online: &'s [&'s str],
    ) -> Situation<'s>
    where
        'a: 's,
    {
        Situation {
            config: self.site.config,
            index: self.site.index,
            transcript: &self.conversation.transcript.messages,
            visitor_text: "",
            now_ms: self.now_ms,
            teams_online,
            fields_known,
            visitor_chose_person: false,
        }
    }

    /// The email field a waiting handoff still needs and the address the visitor's message gives for it, when
    /// both are there.
    fn email_for_pending_handoff(&self, text: &str) -> Option<(String, String)> {
        let site = self.site.config;
        let pending = self.conversation.pending_handoff.as_ref()?;
        let fields_known = self.conversation.fields_known(site);
        let missing = match handoff::reroute(&self.rerouting(&fields_known, &[]), pending) {
            Decision::CollectContext { fields, .. } | Decision::AfterHours { fields, .. } => fields,
            _ => return None,
        };
        let field = missing
            .iter()
            .filter_map(|index| site.pre_chat.fields.get(*index))
            .find(|field| field.kind == FieldKind::Email)?;
        Some((field.id.clone(), email_in_text(text)?))
    }
}

/// Decided with nobody online, a handoff inside business hours would queue; the inbox may know better.
fn staffing_matters(decision: &Decision) -> bool {
    matches!(
        decision,
        Decision::AfterHours {
            next_opening_ms: None,
            ..
        }
    )
}

/// The provenance of an answer; `None` for a handoff.
fn answer_source(site: &SiteConfig, outcome: &Outcome) -> Option<AnswerSource> {
    match &outcome.decision {
        Decision::Answer {
            faq_entry,
            confidence,
        } => Some(AnswerSource {
            faq_entry_id: Some(site.faq[*faq_entry].id.clone()),
            confidence: *confidence,
            sources: Vec::new(),
        }),
        Decision::Grounded {
            confidence,
            sources,
            ..
        } => Some(AnswerSource {
            faq_entry_id: None,
            confidence: *confidence,
            sources: sources.clone(),
        }),
        Decision::Clarify { .. } | Decision::Fallback => Some(AnswerSource {
            faq_entry_id: None,
            confidence: outcome.confidence,
            sources: Vec::new(),
        }),
        Decision::CollectContext { .. } | Decision::HandOff(_) | Decision::AfterHours { .. } => {
            None
        }
    }
}
