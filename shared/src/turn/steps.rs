//! The turn's steps between what the shell feeds it: deciding the message, appending the reply, the package and
//! the hand-over, and deciding a waiting handoff again once fields are given.

use super::situation::{answer_source, staffing_matters};
use super::{AfterHandOver, AfterPackage, Done, HandOver, Refresh, Stage, Step, Turn};
use crate::config::FieldKind;
use crate::grounding::GroundedAnswer;
use crate::handoff::{self, Decision, Handoff, HandoffPackage, Outcome, Texts, VisitorContext};
use crate::intent::IntentGuess;
use crate::protocol::agent::{InboxItem, ItemState};
use crate::protocol::{AnswerSource, Author, Choice, HandoffNotice, PostMessage};
use crate::vocab::HandoffReason;

impl<'a> Turn<'a> {
    pub(super) fn take_stage(&mut self, fed: &str) -> Stage {
        let stage = std::mem::replace(&mut self.stage, Stage::Over);
        if matches!(stage, Stage::Over | Stage::Finish) {
            panic!("Turn::{fed} fed when nothing was asked");
        }
        stage
    }

    /// A retry, a message to the agent, an email typed for a waiting handoff, an offered choice tapped or an
    /// instant answer are settled before any decision; otherwise the policy decides (and may ask for grounding).
    pub(super) fn before_deciding(&mut self, mut post: PostMessage) -> Option<Step> {
        // A retry of a message already stored gets the original answer; nothing is stored twice.
        if let Some(messages) = self.conversation.transcript.replay(&post.client_message_id) {
            self.stage = Stage::Over;
            return Some(Step::Done(Done {
                conversation: None,
                messages,
            }));
        }
        let site = self.site.config;
        // A tapped choice counts only when the latest answer offered it (and the entry still exists); the visitor
        // message keeps it then, and otherwise is decided on its text like any other.
        let chosen = post
            .choice
            .as_deref()
            .and_then(|id| handoff::chosen_entry(site, &self.conversation.transcript.messages, id));
        post.choice = chosen.map(|entry| site.faq[entry].id.clone());
        // While an agent has the conversation, the visitor talks to them: Baton stays quiet.
        if self.conversation.agent.is_some() {
            self.push_visitor(post);
            self.stage = Stage::Finish;
            return None;
        }
        // Asked for their email to go on with a handoff, visitors often type it in the chat: it counts as the form.
        if post.instant_answer.is_none()
            && chosen.is_none()
            && let Some((field_id, email)) = self.email_for_pending_handoff(&post.text)
        {
            self.push_visitor(post);
            self.conversation.set_field(field_id, &email);
            self.stage = Stage::Reroute { in_chat: true };
            return None;
        }
        // An offered choice is answered with its entry, with full confidence: the visitor said which one they meant.
        // It comes before an instant answer, which the widget only gives a choice from the same entry.
        if let Some(entry) = chosen {
            let entry = &site.faq[entry];
            let reply = Reply {
                text: entry.answer.clone(),
                answer: Some(AnswerSource {
                    faq_entry_id: Some(entry.id.clone()),
                    confidence: 1.0,
                    sources: Vec::new(),
                }),
                choices: Vec::new(),
                handoff: None,
            };
            self.append(post, reply);
            return None;
        }
        // The widget already showed an FAQ answer: the transcript records that entry's answer, taken from the
        // site's configuration (never text from the request), so it holds exactly what the visitor saw.
        if let Some(instant) = post.instant_answer.clone() {
            let id = instant.faq_entry_id.as_deref().unwrap_or_default();
            let text = site
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
                    choices: Vec::new(),
                    handoff: None,
                },
            );
            // The reply just appended: the metrics tell it from an FAQ answer of the worker's own.
            let seq = self.conversation.transcript.next_seq() - 1;
            self.conversation.instant_answers.push(seq);
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
    pub(super) fn decided(
        &mut self,
        post: PostMessage,
        outcome: Outcome,
        grounded: Option<GroundedAnswer>,
    ) {
        if staffing_matters(&outcome.decision) {
            self.stage = Stage::Staffing { post, grounded };
        } else {
            self.reply(post, outcome);
        }
    }

    /// What Baton says to the message, appended with it.
    pub(super) fn reply(&mut self, post: PostMessage, outcome: Outcome) {
        let site = self.site.config;
        let texts = Texts::for_locale(&site.locale);
        let text = texts.render(
            site,
            &outcome.decision,
            self.conversation.timezone.as_deref(),
        );
        let answer = answer_source(site, &outcome);
        let notice = handoff::notice(site, &outcome.decision);
        let reply = Reply {
            text,
            answer,
            choices: texts.choices(site, &outcome.decision),
            handoff: notice.map(|notice| (outcome, notice)),
        };
        self.append(post, reply);
    }

    /// A campaign's handoff, decided: told to the visitor like any handoff, the package written, and the
    /// conversation handed over.
    pub(super) fn campaign_handoff(&mut self, decision: Decision) {
        let site = self.site.config;
        let texts = Texts::for_locale(&site.locale);
        let text = texts.render(site, &decision, self.conversation.timezone.as_deref());
        let Some(notice) = handoff::notice(site, &decision) else {
            unreachable!("a campaign's decision is a handoff")
        };
        let intent = match &decision {
            Decision::CollectContext { handoff, .. }
            | Decision::HandOff(handoff)
            | Decision::AfterHours { handoff, .. } => handoff.intent,
            _ => unreachable!("a campaign's decision is a handoff"),
        };
        let outcome = Outcome {
            decision,
            intent: IntentGuess {
                intent,
                confidence: 1.0,
                evidence: Vec::new(),
            },
            hits: Vec::new(),
            confidence: 1.0,
        };
        let reply = Reply {
            text,
            answer: None,
            choices: Vec::new(),
            handoff: Some((outcome, notice)),
        };
        self.answer(reply);
    }

    /// Appends the visitor's message and Baton's reply.
    fn append(&mut self, post: PostMessage, reply: Reply) {
        self.push_visitor(post);
        self.answer(reply);
    }

    /// Appends Baton's reply; a handoff first writes the agent's package, then hands the conversation over unless
    /// it still waits for fields.
    fn answer(&mut self, reply: Reply) {
        let now_ms = self.now_ms;
        let Some((outcome, notice)) = reply.handoff else {
            self.conversation.transcript.push_reply(
                Author::Ai,
                reply.text,
                reply.answer,
                reply.choices,
                now_ms,
            );
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

    /// Appends the visitor's message, with the choice it tapped when that was offered.
    fn push_visitor(&mut self, post: PostMessage) {
        self.conversation.transcript.push_visitor_choice(
            post.client_message_id,
            post.text,
            post.choice,
            self.now_ms,
        );
    }

    /// The agent's package for a handoff, with everything the conversation knows about the visitor.
    fn package(&self, outcome: &Outcome, handoff: &Handoff) -> HandoffPackage {
        let site = self.site.config;
        let conversation = &self.conversation;
        let fields = conversation.labelled_fields(site);
        let attributes: Vec<(String, String)> = conversation
            .attributes
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let mut package = HandoffPackage::build(
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
                campaign: conversation.campaign.as_ref(),
                attributes: &attributes,
            },
            &conversation.transcript.messages,
            outcome.intent.clone(),
            &outcome.hits,
            handoff,
            self.now_ms,
        );
        if let Some(topic) = &self.topic {
            package.topic = Some(topic.clone());
            // A lead's only visitor message is its form, whose answers are the package's fields: the summary says
            // what happened, rather than cutting the answers into sentences.
            if handoff.reason == HandoffReason::LeadForm {
                package.summary = format!("Sent the form \u{201c}{topic}\u{201d}.");
            }
        }
        package
    }

    pub(super) fn write(&mut self, package: HandoffPackage, after: AfterPackage) {
        self.stage = Stage::WritingPackage(package, after);
    }

    /// Puts the conversation in its team's queue (or with an agent, when the site assigns automatically).
    pub(super) fn hand_over(&mut self, package: HandoffPackage, then: AfterHandOver) {
        let site = self.site.config;
        let conversation = &mut self.conversation;
        conversation.handed_over_at_ms = Some(self.now_ms);
        let team = package.team.as_ref().map(|(id, _)| id.clone());
        (conversation.team, conversation.handoff_intent) = (team.clone(), Some(package.intent));
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
            campaign_name: package.campaign_name.clone(),
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
    pub(super) fn reroute(&mut self, in_chat: bool) {
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
    pub(super) fn rerouted(&mut self, decision: Decision, in_chat: bool) {
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

    pub(super) fn finish(&mut self) -> Done {
        let messages = self.conversation.transcript.since(self.first_new).to_vec();
        Done {
            conversation: Some(self.conversation.clone()),
            messages,
        }
    }
}

/// What Baton says to a message (with the choices it offers to tap), and for a handoff the notice and the outcome
/// it came from.
pub(super) struct Reply {
    pub(super) text: String,
    pub(super) answer: Option<AnswerSource>,
    pub(super) choices: Vec<Choice>,
    pub(super) handoff: Option<(Outcome, HandoffNotice)>,
}
