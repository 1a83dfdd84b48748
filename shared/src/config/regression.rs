//! Regression questions: visitor questions a site cares about, each with the outcome it expects (answered by a given
//! FAQ entry, a clarifying question, a fallback, or a handoff to a given team). The studio's test bench replays them
//! on the draft and on the published configuration before publishing, and lists those whose outcome the draft
//! changes. Kept in the configuration itself, so they travel with it (and with `baton pull`).

use serde::{Deserialize, Serialize};

/// A saved question and what it should lead to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegressionQuestion {
    /// The visitor's message, as a visitor would type it.
    pub question: String,
    pub expect: ExpectedOutcome,
    /// With `answer`: the FAQ entry that should answer (its id). With `handoff`: the team that should get the
    /// conversation (its id), when it matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// What a regression question should lead to, whatever the time and whoever is online (a handoff outside business
/// hours is still a handoff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedOutcome {
    /// An FAQ entry answers (`target`: which one).
    Answer,
    /// An answer extracted from the site's knowledge snippets.
    Grounded,
    /// Baton asks which of a few entries the visitor means.
    Clarify,
    /// Nothing matched: Baton asks to rephrase.
    Fallback,
    /// A person takes over (`target`: which team, when it matters).
    Handoff,
}

impl ExpectedOutcome {
    pub const ALL: [ExpectedOutcome; 5] = [
        ExpectedOutcome::Answer,
        ExpectedOutcome::Grounded,
        ExpectedOutcome::Clarify,
        ExpectedOutcome::Fallback,
        ExpectedOutcome::Handoff,
    ];

    /// The name in the configuration's JSON.
    pub fn name(self) -> &'static str {
        match self {
            ExpectedOutcome::Answer => "answer",
            ExpectedOutcome::Grounded => "grounded",
            ExpectedOutcome::Clarify => "clarify",
            ExpectedOutcome::Fallback => "fallback",
            ExpectedOutcome::Handoff => "handoff",
        }
    }
}

/// The most regression questions a site keeps: the studio replays them all on every change.
pub const MAX_REGRESSION_QUESTIONS: usize = 200;

/// Every rule the regression questions break, as (path, problem): `faq_ids` and `team_ids` are the site's.
pub fn validate_regression_questions(
    questions: &[RegressionQuestion],
    faq_ids: &[&str],
    team_ids: &[&str],
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if questions.len() > MAX_REGRESSION_QUESTIONS {
        problems.push((
            "regression_questions".to_string(),
            format!(
                "must hold at most {MAX_REGRESSION_QUESTIONS} questions (got {})",
                questions.len()
            ),
        ));
    }
    for (index, item) in questions.iter().enumerate() {
        let path = |field: &str| format!("regression_questions[{index}].{field}");
        let chars = item.question.chars().count();
        if item.question.trim().is_empty() {
            problems.push((path("question"), "must not be empty".into()));
        } else if chars > 300 {
            problems.push((
                path("question"),
                format!("must be at most 300 characters (got {chars})"),
            ));
        }
        match (item.expect, item.target.as_deref()) {
            (ExpectedOutcome::Answer, None) => {
                problems.push((
                    path("target"),
                    "must name the FAQ entry that answers".into(),
                ));
            }
            (ExpectedOutcome::Answer, Some(id)) if !faq_ids.contains(&id) => {
                problems.push((path("target"), format!("\"{id}\" is not an FAQ entry's id")));
            }
            (ExpectedOutcome::Handoff, Some(id)) if !team_ids.contains(&id) => {
                problems.push((path("target"), format!("\"{id}\" is not a team's id")));
            }
            (
                ExpectedOutcome::Grounded | ExpectedOutcome::Clarify | ExpectedOutcome::Fallback,
                Some(_),
            ) => {
                problems.push((
                    path("target"),
                    "is only for an answer (an FAQ entry) or a handoff (a team)".into(),
                ));
            }
            _ => {}
        }
    }
    problems
}
