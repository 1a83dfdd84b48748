// long: the machine's type, how a turn starts and each method that feeds it stay together; the steps and the
// situations are in `turn/`.
//! The visitor's turn as a state machine, in the style of quinn-proto's `Connection`: it holds no I/O and reads no
//! clock. The shell starts it with the decoded request, the conversation and `now`, then calls [`Turn::poll`]: each
//! [`Step::Io`] names one thing only the shell can do (ask the AI, ask the inbox who is online, read or write the
//! agent's package, hand the conversation over), and the shell feeds the answer back with the matching method.
//! [`Step::Done`] gives the conversation to store and the messages to answer with. Three requests take a turn: a visitor message ([`Turn::message`]), the pre-chat form ([`Turn::form`]) and
//! `identify` ([`Turn::identify`]). What the policy decides is `crate::handoff`'s; the turn strings the decisions
//! together in the order the visitor sees them.

use std::collections::BTreeMap;

use crate::config::{FieldKind, SiteConfig};
use crate::conversation::{AssignedAgent, Conversation};
use crate::faq::FaqIndex;
use crate::grounding::{GroundedAnswer, Similarity};
use crate::handoff::{self, Handoff, HandoffPackage, Outcome, Texts};
use crate::inbox::Queued;
use crate::protocol::agent::InboxItem;
use crate::protocol::{
    FieldError, HandoffNotice, Identified, Message, PostMessage, SubmitForm, field_error,
};

mod situation;
mod steps;
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
    /// Semantic matching for the message's FAQ candidates, when the shell has it.
    faq_similarity: Option<&'a Similarity>,
    /// The package's topic when a campaign hands over (its name), instead of the closest FAQ question.
    topic: Option<String>,
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
    /// Waiting for who is online, to hand over for a campaign.
    CampaignStaffing(Handoff),
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

    /// Who the visitor says they are; `verified_user_id` only once the shell checked the site's signature. The
    /// page's `attributes` join those it gave before (a name given again takes the new value).
    pub fn identify(
        site: Site<'a>,
        mut conversation: Conversation,
        name: Option<String>,
        email: Option<String>,
        verified_user_id: Option<String>,
        attributes: BTreeMap<String, String>,
        now_ms: u64,
    ) -> Turn<'a> {
        conversation.attributes.extend(attributes);
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

    /// A campaign hands the conversation over at once (a `handoff` campaign's click, a lead form with a team): to
    /// its team, queued when nobody can reply now, with the campaign's name as the package's topic.
    pub fn campaign(
        site: Site<'a>,
        conversation: Conversation,
        campaign: handoff::CampaignHandoff,
        now_ms: u64,
    ) -> Turn<'a> {
        let mut turn = Turn::new(
            site,
            conversation,
            Stage::CampaignStaffing(campaign.handoff),
            now_ms,
        );
        turn.topic = Some(campaign.topic);
        turn
    }

    fn new(site: Site<'a>, conversation: Conversation, stage: Stage, now_ms: u64) -> Turn<'a> {
        Turn {
            site,
            now_ms,
            first_new: conversation.transcript.next_seq(),
            conversation,
            stage,
            faq_similarity: None,
            topic: None,
        }
    }

    /// The conversation the turn is for.
    pub fn conversation_id(&self) -> &str {
        &self.conversation.id
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
                        Stage::Staffing { .. }
                        | Stage::RerouteStaffing { .. }
                        | Stage::CampaignStaffing(_) => Io::TeamsOnline,
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
            Stage::CampaignStaffing(handoff) => {
                let decision = {
                    let fields_known = self.conversation.fields_known(self.site.config);
                    let situation = self.rerouting(&fields_known, &online);
                    handoff::route_campaign(&situation, &handoff)
                };
                self.campaign_handoff(decision);
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
        package.attributes = conversation
            .attributes
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
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
}
