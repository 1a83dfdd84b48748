//! The events of one change, found by comparing what changed: a conversation as it was stored before a change and
//! as it is stored after (a visitor's turn, the form, identify, a rating, an agent's reply or join, the inbox's
//! transfer, missed chat or close). The worker calls [`changes`] wherever it stores a conversation, so events come
//! from the effects themselves, never from calls scattered where things happen. `outside.rs` gives the events of
//! what happens outside a conversation: campaign events, a lead kept without a conversation, a goal.
//!
//! **Ids are deterministic** for what they record, so deriving the same change again gives the same ids, and the
//! ledger, which inserts or ignores, stores each event once (at-least-once delivery, exactly one row):
//!
//! | id | event |
//! |---|---|
//! | `{conversation}:started`, `{conversation}:lead` | the conversation started (by a lead form) |
//! | `{conversation}:{seq, 6 digits}` | what message `seq` says: a visitor message, an answer, a clarifying question, a fallback, an agent's reply or join, a transfer, a missed chat, the close |
//! | `{conversation}:handoff:{at_ms}` | a handoff |
//! | `{conversation}:identified:{at_ms}`, `{conversation}:rating:{at_ms}` | an email given, a rating |
//! | `{conversation}:expired` | the end of its retention, never closed |
//!
//! Sequence numbers are padded so that ids sort like the messages; events of one moment are folded in id order.

mod outside;
#[cfg(test)]
mod tests;

pub use self::outside::{campaign_events, goal, lead};
use super::event::{Actor, AnswerKind, ClosedBy, Event, EventKind};
use crate::config::{FieldKind, SiteConfig};
use crate::conversation::Conversation;
use crate::protocol::{Author, Choice, ConversationEvent, HandoffNotice, Message};
use crate::signing::token_digest;
use crate::vocab::HandoffReason;

/// The personal fields of an event's JSON (`data`), which erasure and the end of the site's `retention_days`
/// remove; everything else stays, so the counts do not change.
pub const PERSONAL_EVENT_FIELDS: &[&str] = &["email", "text"];
/// The kinds of event that may carry them.
pub const PERSONAL_KINDS: &[&str] = &["visitor_identified", "clarify", "fallback"];
/// The personal fields of a conversation's facts (its JSON), removed the same way.
pub const PERSONAL_FACT_FIELDS: &[&str] = &["email", "unanswered"];

const DAY_MS: u64 = 24 * 60 * 60 * 1_000;

/// The events one change of a conversation makes: `before` as it was stored (`None`: the change created it),
/// `after` as it is stored now, `now_ms` the change's time (for what no message dates: an email given, a rating).
pub fn changes(
    site: &SiteConfig,
    before: Option<&Conversation>,
    after: &Conversation,
    now_ms: u64,
) -> Vec<Event> {
    let mut ledger = Changes {
        after,
        events: Vec::new(),
        team: before.and_then(|before| before.team.clone()),
        agent: before.and_then(|before| before.agent.as_ref().map(|agent| agent.id.clone())),
        visitor_id: visitor_id(after),
    };
    if before.is_none() {
        ledger.started();
    }
    let seen = before
        .and_then(|before| before.transcript.messages.last())
        .map_or(0, |message| message.seq);
    let new = after.transcript.since(seen + 1);
    let handed_over = after
        .handed_over_at_ms
        .filter(|at| before.and_then(|before| before.handed_over_at_ms) != Some(*at));
    // The handoff comes right after the notice that told the visitor of it (the change's last one).
    let notice = handed_over.and(new.iter().rev().find(|message| is_handoff_notice(message)));
    for message in new {
        ledger.message(message);
        if let (Some(at_ms), Some(notice)) = (handed_over, notice)
            && notice.seq == message.seq
        {
            ledger.handoff(at_ms, notice.handoff.as_ref());
        }
    }
    if let (Some(at_ms), None) = (handed_over, notice) {
        let told = after
            .transcript
            .messages
            .iter()
            .rev()
            .find(|message| is_handoff_notice(message))
            .and_then(|message| message.handoff.as_ref());
        ledger.handoff(at_ms, told);
    }
    let email = after.visitor_detail(site, FieldKind::Email);
    if email.is_some()
        && email != before.and_then(|before| before.visitor_detail(site, FieldKind::Email))
    {
        ledger.push(
            format!("identified:{now_ms}"),
            now_ms,
            Actor::Visitor,
            EventKind::VisitorIdentified {
                email: email.map(str::to_string),
            },
        );
    }
    if let Some(score) = after.csat
        && before.and_then(|before| before.csat) != Some(score)
    {
        ledger.push(
            format!("rating:{now_ms}"),
            now_ms,
            Actor::Visitor,
            EventKind::Rating { score },
        );
    }
    ledger.events
}

/// The end of a conversation's retention, when nobody ever closed it: closed by the clock.
pub fn expired(conversation: &Conversation, now_ms: u64) -> Option<Event> {
    if conversation.closed.is_some() {
        return None;
    }
    let mut ledger = Changes {
        after: conversation,
        events: Vec::new(),
        team: conversation.team.clone(),
        agent: conversation.agent.as_ref().map(|agent| agent.id.clone()),
        visitor_id: visitor_id(conversation),
    };
    ledger.push(
        "expired".into(),
        now_ms,
        Actor::System,
        EventKind::Closed {
            outcome: None,
            by: ClosedBy::Timeout,
        },
    );
    ledger.events.pop()
}

/// The visitor's pseudonymous id on the ledger: the browser's anonymous id when the widget sent one, else a digest
/// of the conversation's visitor token (a script's conversation). Never a name or an email.
pub fn visitor_id(conversation: &Conversation) -> String {
    match &conversation.visitor_id {
        Some(id) => id.clone(),
        None => format!("token-{}", &token_digest(&conversation.visitor_token)[..24]),
    }
}

/// What the ledger keeps of a site, as times: rows before `delete_before_ms` go (`metrics_retention_days`), and
/// personal fields before `strip_before_ms` (`retention_days`, the same as everything else of a conversation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub delete_before_ms: u64,
    pub strip_before_ms: u64,
}

impl Retention {
    pub fn of(site: &SiteConfig, now_ms: u64) -> Retention {
        Retention::after_days(site.metrics_retention_days, site.retention_days, now_ms)
    }

    /// A site no longer configured (its rows stay until the defaults say otherwise).
    pub fn of_unknown_site(now_ms: u64) -> Retention {
        Retention::after_days(
            crate::config::default_metrics_retention_days(),
            crate::config::default_retention_days(),
            now_ms,
        )
    }

    fn after_days(metrics_days: u32, personal_days: u32, now_ms: u64) -> Retention {
        let before = |days: u32| now_ms.saturating_sub(u64::from(days) * DAY_MS);
        Retention {
            delete_before_ms: before(metrics_days),
            strip_before_ms: before(personal_days),
        }
    }
}

/// A system message telling the visitor of a handoff (a missed chat's message may carry a notice too: not this).
fn is_handoff_notice(message: &Message) -> bool {
    message.author == Author::System && message.handoff.is_some() && message.event.is_none()
}

/// The events of one change as they are found, with who has the conversation at that point.
struct Changes<'a> {
    after: &'a Conversation,
    events: Vec<Event>,
    /// The team and the agent the conversation is with at the event being added.
    team: Option<String>,
    agent: Option<String>,
    visitor_id: String,
}

impl Changes<'_> {
    fn push(&mut self, id: String, at_ms: u64, actor: Actor, kind: EventKind) {
        self.events.push(Event {
            id: format!("{}:{id}", self.after.id),
            site_id: self.after.site_id.clone(),
            conversation_id: Some(self.after.id.clone()),
            visitor_id: Some(self.visitor_id.clone()),
            at_ms,
            actor,
            team: self.team.clone(),
            agent: self.agent.clone(),
            kind,
        });
    }

    fn started(&mut self) {
        let after = self.after;
        let campaign = after.campaign.as_ref();
        self.push(
            "started".into(),
            after.created_at_ms,
            Actor::Visitor,
            EventKind::ConversationStarted {
                page_url: after.page_url.clone(),
                referrer: after.referrer.clone(),
                campaign: campaign.map(|campaign| campaign.id.clone()),
                variant: campaign.and_then(|campaign| campaign.variant.clone()),
            },
        );
        if let Some(campaign) = campaign
            && after.opened_by_lead()
        {
            self.push(
                "lead".into(),
                after.created_at_ms,
                Actor::Visitor,
                EventKind::Lead {
                    campaign: campaign.id.clone(),
                    variant: campaign.variant.clone(),
                },
            );
        }
    }

    /// What a new message says happened.
    fn message(&mut self, message: &Message) {
        let seq = message.seq;
        let (actor, kind) = match message.author {
            Author::Visitor => (Actor::Visitor, EventKind::VisitorMessage { seq }),
            Author::Ai => match self.answer(message) {
                Some(kind) => (Actor::Ai, kind),
                // The greeting.
                None => return,
            },
            Author::Agent => {
                self.agent = self.agent_named(message.author_name.as_deref());
                (Actor::Agent, EventKind::AgentReply { seq })
            }
            Author::System => match &message.event {
                Some(ConversationEvent::AgentJoined { agent_name }) => {
                    self.agent = self.agent_named(Some(agent_name));
                    (Actor::Agent, EventKind::AgentJoined)
                }
                Some(ConversationEvent::Transferred { .. }) => {
                    let from_team = self.team.take();
                    self.team = self.after.team.clone();
                    let to_team = self.team.clone();
                    (Actor::Agent, EventKind::Transfer { from_team, to_team })
                }
                Some(ConversationEvent::Missed { .. }) => (Actor::System, EventKind::Missed),
                Some(ConversationEvent::Closed { outcome }) => {
                    let by = ClosedBy::Agent;
                    let closed = EventKind::Closed {
                        outcome: Some(*outcome),
                        by,
                    };
                    self.push(
                        format!("{seq:06}"),
                        message.sent_at_ms,
                        Actor::Agent,
                        closed,
                    );
                    self.agent = None;
                    return;
                }
                // Handoff notices (the handoff itself is found from the conversation), thanks for details.
                None => return,
            },
        };
        self.push(format!("{seq:06}"), message.sent_at_ms, actor, kind);
    }

    /// What kind of automatic answer a message of Baton's is; `None` for the greeting, which answers nothing.
    fn answer(&self, message: &Message) -> Option<EventKind> {
        let answer = message.answer.as_ref()?;
        let seq = message.seq;
        let question = || {
            self.after
                .transcript
                .messages
                .iter()
                .rev()
                .skip_while(|earlier| earlier.seq >= seq)
                .find(|earlier| earlier.author == Author::Visitor)
                .map(|earlier| earlier.text.clone())
        };
        let offers_entries = message
            .choices
            .iter()
            .any(|choice| matches!(choice, Choice::FaqEntry { .. }));
        let source = if self.after.instant_answers.contains(&seq) {
            return Some(EventKind::InstantAnswer {
                seq,
                faq_entry_id: answer.faq_entry_id.clone(),
                confidence: answer.confidence,
            });
        } else if offers_entries {
            return Some(EventKind::Clarify {
                seq,
                text: question(),
            });
        } else if !message.choices.is_empty() {
            AnswerKind::Disclosure
        } else if answer.faq_entry_id.is_some() {
            AnswerKind::Faq
        } else if !answer.sources.is_empty() {
            AnswerKind::Grounded
        } else {
            return Some(EventKind::Fallback {
                seq,
                text: question(),
            });
        };
        Some(EventKind::AiAnswer {
            seq,
            source,
            confidence: answer.confidence,
        })
    }

    /// The id of the agent of that name: the one who has the conversation after the change (an agent replies or
    /// joins only once they have it).
    fn agent_named(&self, name: Option<&str>) -> Option<String> {
        self.after
            .agent
            .as_ref()
            .filter(|agent| Some(agent.name.as_str()) == name)
            .map(|agent| agent.id.clone())
            .or_else(|| self.agent.clone())
    }

    fn handoff(&mut self, at_ms: u64, notice: Option<&HandoffNotice>) {
        self.team = self.after.team.clone();
        // Every hand-over tells the visitor; the waiting handoff's reason stands in should none ever not.
        let reason = notice
            .map(|notice| notice.reason)
            .or_else(|| {
                self.after
                    .pending_handoff
                    .as_ref()
                    .map(|pending| pending.reason)
            })
            .unwrap_or(HandoffReason::AskedForPerson);
        let actor = match reason {
            HandoffReason::VisitorChose
            | HandoffReason::AskedForPerson
            | HandoffReason::Campaign
            | HandoffReason::LeadForm => Actor::Visitor,
            _ => Actor::Ai,
        };
        let opens_at_ms = notice.and_then(|notice| notice.next_opening_ms);
        let handoff = EventKind::Handoff {
            reason,
            intent: self.after.handoff_intent,
            queued: self.after.agent.is_none(),
            after_hours: opens_at_ms.is_some(),
            opens_at_ms,
        };
        self.push(format!("handoff:{at_ms}"), at_ms, actor, handoff);
    }
}
