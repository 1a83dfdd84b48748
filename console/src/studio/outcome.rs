//! What a configuration would do with a visitor's message, computed with `shared`'s policy exactly as the worker
//! runs it (the handoff decision, then Baton's own extract from the knowledge snippets when the FAQ has no
//! confident answer): the test bench shows it, and the regression questions compare it between the draft and the
//! published configuration. Plain functions, unit-tested natively.

use baton_shared::config::{AiProvider, ExpectedOutcome, RegressionQuestion, SiteConfig};
use baton_shared::faq::FaqIndex;
use baton_shared::grounding::{self, Knowledge};
use baton_shared::handoff::{self, Decision, Situation};
use baton_shared::signals;

/// A configuration ready to be asked: its FAQ index and its knowledge, built once.
pub struct Compiled {
    pub config: SiteConfig,
    pub index: FaqIndex,
    pub knowledge: Knowledge,
}

impl Compiled {
    pub fn new(config: SiteConfig) -> Compiled {
        Compiled {
            index: FaqIndex::for_site(&config),
            knowledge: Knowledge::for_site(&config),
            config,
        }
    }
}

/// One FAQ match: the entry, its score and the words it matched on.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub faq_entry: String,
    pub question: String,
    pub score: f32,
    pub evidence: Vec<String>,
}

/// One signal the models read in the message.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalReading {
    pub name: &'static str,
    pub raised: bool,
    pub confidence: f32,
    pub evidence: Vec<String>,
}

/// What a configuration does with one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub outcome: ExpectedOutcome,
    /// The FAQ entry that answers, or the team that gets the handoff.
    pub target: Option<String>,
    /// Said in words: "Answers with “How long is delivery?”", "Hands over to Sales: a sales moment".
    pub summary: String,
    /// What the visitor reads (the answer, the clarifying options, the fallback), or the handoff's reason.
    pub reply: String,
    /// Outside business hours (a handoff then collects an email and says when the team is back).
    pub after_hours: bool,
    pub confidence: f32,
    pub matches: Vec<Match>,
    pub intent: String,
    pub intent_confidence: f32,
    pub intent_evidence: Vec<String>,
    pub signals: Vec<SignalReading>,
}

/// The decision on `text` at `now_ms` with these teams online (`"*"` for anyone on a site without teams).
pub fn decide(site: &Compiled, text: &str, now_ms: u64, teams_online: &[&str]) -> Verdict {
    let config = &site.config;
    let situation = Situation {
        config,
        index: &site.index,
        transcript: &[],
        visitor_text: text,
        now_ms,
        teams_online,
        fields_known: &[],
        visitor_chose_person: false,
        faq_similarity: None,
        team: None,
    };
    let mut outcome = handoff::decide(&situation);
    // The worker asks the site's answerer here; with a language model the bench cannot, so it shows Baton's own
    // extract from the knowledge snippets, which is what a site without a provider gets.
    if handoff::may_ground(&outcome)
        && let Some(grounded) = grounding::extractive(&site.knowledge, text)
    {
        outcome = handoff::with_grounded(&situation, outcome, &grounded);
    }
    let entry = |position: usize| config.faq.get(position);
    let team_name = |team: Option<usize>| {
        team.and_then(|team| config.teams.get(team))
            .map_or_else(|| "any agent".to_string(), |team| team.name.clone())
    };
    let team_id = |team: Option<usize>| {
        team.and_then(|team| config.teams.get(team))
            .map(|team| team.id.clone())
    };
    let (outcome_kind, target, summary, reply, after_hours) = match &outcome.decision {
        Decision::Answer { faq_entry, .. } => {
            let found = entry(*faq_entry);
            (
                ExpectedOutcome::Answer,
                found.map(|entry| entry.id.clone()),
                format!(
                    "Answers with the FAQ entry “{}”",
                    found.map_or("", |entry| entry.question.as_str())
                ),
                found.map(|entry| entry.answer.clone()).unwrap_or_default(),
                false,
            )
        }
        Decision::Grounded { text, sources, .. } => (
            ExpectedOutcome::Grounded,
            None,
            format!(
                "Answers from the knowledge snippets ({})",
                sources.join(", ")
            ),
            text.clone(),
            false,
        ),
        Decision::Clarify { options } => {
            let questions: Vec<String> = options
                .iter()
                .filter_map(|option| entry(*option))
                .map(|entry| entry.question.clone())
                .collect();
            (
                ExpectedOutcome::Clarify,
                None,
                "Asks which question the visitor means".to_string(),
                questions.join(" / "),
                false,
            )
        }
        Decision::Fallback => (
            ExpectedOutcome::Fallback,
            None,
            "No confident answer: asks the visitor to rephrase".to_string(),
            config.messages.fallback.clone(),
            false,
        ),
        Decision::Disclose => (
            ExpectedOutcome::Fallback,
            None,
            "Says it is an automated assistant and offers a person".to_string(),
            String::new(),
            false,
        ),
        Decision::HandOff(handoff)
        | Decision::CollectContext { handoff, .. }
        | Decision::AfterHours { handoff, .. } => {
            let after_hours = matches!(outcome.decision, Decision::AfterHours { .. });
            (
                ExpectedOutcome::Handoff,
                team_id(handoff.team),
                format!(
                    "Hands over to {}{}",
                    team_name(handoff.team),
                    if after_hours {
                        ", after hours: asks for an email and says when the team is back"
                    } else {
                        ""
                    }
                ),
                format!("Reason: {}", handoff.reason.describe()),
                after_hours,
            )
        }
    };
    let reading = signals::read(text);
    let signal = |name: &'static str, signal: &signals::Signal| SignalReading {
        name,
        raised: signal.flag,
        confidence: signal.confidence,
        evidence: signal.evidence.clone(),
    };
    Verdict {
        outcome: outcome_kind,
        target,
        summary,
        reply,
        after_hours,
        confidence: outcome.confidence,
        matches: outcome
            .hits
            .iter()
            .take(3)
            .filter_map(|hit| {
                entry(hit.entry).map(|found| Match {
                    faq_entry: found.id.clone(),
                    question: found.question.clone(),
                    score: hit.score,
                    evidence: hit.matched_terms.clone(),
                })
            })
            .collect(),
        intent: outcome.intent.intent.name().to_string(),
        intent_confidence: outcome.intent.confidence,
        intent_evidence: outcome.intent.evidence.clone(),
        signals: vec![
            signal("wants a person", &reading.wants_human),
            signal("frustrated", &reading.frustrated),
            signal("sales moment", &reading.sales),
            signal("asks if this is a bot", &reading.bot_question),
        ],
    }
}

/// Whether the configuration's AI provider is a model the bench cannot ask.
pub fn uses_model(config: &SiteConfig) -> bool {
    config.ai.provider != AiProvider::None
}

/// A regression question replayed on the draft and on the published configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    pub question: RegressionQuestion,
    pub draft: Verdict,
    pub published: Verdict,
}

impl Replay {
    /// The draft gives what the question expects.
    pub fn passes(&self) -> bool {
        expected(&self.question, &self.draft)
    }

    /// The draft does something else than the published configuration (another outcome, another entry or team,
    /// or other words for the visitor).
    pub fn changed(&self) -> bool {
        (self.draft.outcome, &self.draft.target, &self.draft.reply)
            != (
                self.published.outcome,
                &self.published.target,
                &self.published.reply,
            )
    }
}

fn expected(question: &RegressionQuestion, verdict: &Verdict) -> bool {
    verdict.outcome == question.expect
        && (question.target.is_none() || question.target == verdict.target)
}

/// Every regression question of the draft, replayed on both; decided with every team online, at `now_ms`.
pub fn replay(draft: &Compiled, published: &Compiled, now_ms: u64) -> Vec<Replay> {
    let online = |site: &Compiled| -> Vec<String> {
        let mut teams: Vec<String> = site
            .config
            .teams
            .iter()
            .map(|team| team.id.clone())
            .collect();
        teams.push("*".into());
        teams
    };
    let (draft_online, published_online) = (online(draft), online(published));
    let draft_refs: Vec<&str> = draft_online.iter().map(String::as_str).collect();
    let published_refs: Vec<&str> = published_online.iter().map(String::as_str).collect();
    draft
        .config
        .regression_questions
        .iter()
        .map(|question| Replay {
            question: question.clone(),
            draft: decide(draft, &question.question, now_ms, &draft_refs),
            published: decide(published, &question.question, now_ms, &published_refs),
        })
        .collect()
}
