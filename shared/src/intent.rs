//! What kind of help a visitor wants: sales, support, billing, technical or general, with a confidence.
//!
//! Evidence comes from a built-in lexicon (written from general customer-service knowledge) and from the site
//! itself: when the question matches an FAQ entry tagged with an intent name, that entry's tag counts, weighted by
//! the match's confidence.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::config::Team;
use crate::text::terms;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Evaluating a purchase: pricing, plans, demos, integrations, migration, enterprise.
    Sales,
    /// Help with an order, a delivery, a return or an account.
    Support,
    /// Money already involved: charges, invoices, refunds, payment methods.
    Billing,
    /// Something does not work: errors, log-in, set-up, integrations failing.
    Technical,
    /// Everything else: hours, location, contact, the company.
    General,
}

impl Intent {
    pub const ALL: [Intent; 5] = [
        Intent::Sales,
        Intent::Support,
        Intent::Billing,
        Intent::Technical,
        Intent::General,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Intent::Sales => "sales",
            Intent::Support => "support",
            Intent::Billing => "billing",
            Intent::Technical => "technical",
            Intent::General => "general",
        }
    }

    pub fn from_name(name: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|intent| intent.name() == name)
    }
}

/// The built-in lexicon: words and their weight toward one intent.
const LEXICON: &[(Intent, f32, &[&str])] = &[
    (
        Intent::Sales,
        1.0,
        &[
            "pricing",
            "quote",
            "demo",
            "trial",
            "plan",
            "plans",
            "enterprise",
            "discount",
            "integration",
            "integrate",
            "implementation",
            "implement",
            "migration",
            "migrate",
            "upgrade",
            "license",
            "licence",
            "contract",
            "volume",
            "wholesale",
            "bulk",
            "partner",
            "reseller",
            "compare",
            "comparison",
            "alternative",
            "features",
            "seats",
            "onboarding",
            "sales",
            "buy",
            "purchase",
            "custom",
        ],
    ),
    (
        Intent::Sales,
        0.6,
        &[
            "price", "cost", "much", "offer", "team", "business", "company", "tier",
        ],
    ),
    (
        Intent::Billing,
        1.0,
        &[
            "invoice",
            "billing",
            "bill",
            "charged",
            "charge",
            "refund",
            "payment",
            "pay",
            "card",
            "subscription",
            "renewal",
            "renew",
            "receipt",
            "overcharged",
            "debit",
            "credit",
            "vat",
            "tax",
            "fee",
            "transaction",
            "money",
            "paypal",
            "installment",
        ],
    ),
    (
        Intent::Technical,
        1.0,
        &[
            "error",
            "bug",
            "crash",
            "crashes",
            "login",
            "log",
            "password",
            "reset",
            "install",
            "setup",
            "configure",
            "api",
            "sync",
            "app",
            "browser",
            "loading",
            "slow",
            "broken",
            "working",
            "works",
            "update",
            "code",
            "webhook",
            "website",
            "server",
            "timeout",
            "glitch",
            "technical",
            "sso",
            "verification",
            "2fa",
        ],
    ),
    (
        Intent::Support,
        1.0,
        &[
            "order",
            "delivery",
            "shipping",
            "track",
            "return",
            "exchange",
            "damaged",
            "wrong",
            "missing",
            "account",
            "cancel",
            "change",
            "address",
            "parcel",
            "package",
            "arrive",
            "replacement",
            "warranty",
            "booking",
            "reservation",
            "reschedule",
            "complaint",
        ],
    ),
    (
        Intent::General,
        1.0,
        &[
            "hours",
            "open",
            "location",
            "located",
            "contact",
            "phone",
            "email",
            "career",
            "jobs",
            "job",
            "newsletter",
        ],
    ),
    (Intent::General, 0.4, &["where", "who", "about", "visit"]),
];

/// Lexicon terms (stemmed and mapped to synonym groups, like questions) with their intent weights.
static TERMS: LazyLock<HashMap<String, Vec<(Intent, f32)>>> = LazyLock::new(|| {
    let mut table: HashMap<String, Vec<(Intent, f32)>> = HashMap::new();
    for (intent, weight, words) in LEXICON {
        for word in *words {
            for term in terms(word) {
                let weights = table.entry(term).or_default();
                match weights.iter_mut().find(|(existing, _)| existing == intent) {
                    Some((_, existing)) => *existing = existing.max(*weight),
                    None => weights.push((*intent, *weight)),
                }
            }
        }
    }
    table
});

/// The intent of one message.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentGuess {
    pub intent: Intent,
    /// Confidence in [0, 1].
    pub confidence: f32,
    /// The terms (or `faq:<id>`) that pointed to it.
    pub evidence: Vec<String>,
}

/// A matched FAQ entry's tags and the confidence of the match: the site's own exemplars.
#[derive(Debug, Clone, Copy)]
pub struct FaqHint<'a> {
    pub entry_id: &'a str,
    pub tags: &'a [String],
    pub confidence: f32,
}

/// The site's own evidence for intent: the matched FAQ entry's tags and the topics of its teams.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exemplars<'a> {
    pub faq: Option<FaqHint<'a>>,
    pub teams: &'a [Team],
}

/// Without any evidence a message is general, with this confidence.
const NO_EVIDENCE_CONFIDENCE: f32 = 0.4;
/// The weight of one of a team's topics found in the message: stronger than one lexicon word, as the site owner
/// named it for this team.
const TEAM_TOPIC_WEIGHT: f32 = 1.5;

pub fn classify(text: &str, exemplars: &Exemplars<'_>) -> IntentGuess {
    let mut scores: HashMap<Intent, (f32, Vec<String>)> = HashMap::new();
    let text_terms = terms(text);
    for term in &text_terms {
        if let Some(weights) = TERMS.get(term) {
            for (intent, weight) in weights {
                let (score, evidence) = scores.entry(*intent).or_default();
                *score += weight;
                evidence.push(term.clone());
            }
        }
    }
    for team in exemplars.teams {
        let named = team.topics.iter().any(|topic| {
            let topic_terms = terms(topic);
            !topic_terms.is_empty() && topic_terms.iter().all(|term| text_terms.contains(term))
        });
        if named {
            for intent in &team.intents {
                let (score, evidence) = scores.entry(*intent).or_default();
                *score += TEAM_TOPIC_WEIGHT;
                evidence.push(format!("team:{}", team.id));
            }
        }
    }
    if let Some(hint) = exemplars.faq {
        for intent in hint.tags.iter().filter_map(|tag| Intent::from_name(tag)) {
            let (score, evidence) = scores.entry(intent).or_default();
            *score += 2.0 * hint.confidence;
            evidence.push(format!("faq:{}", hint.entry_id));
        }
    }
    let total: f32 = scores.values().map(|(score, _)| score).sum();
    let best = Intent::ALL
        .into_iter()
        .filter_map(|intent| scores.get(&intent).map(|(score, _)| (intent, *score)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match best {
        Some((intent, score)) if score > 0.0 => {
            // Share of the evidence, shrunk toward uncertainty when there is little of it.
            let share = score / total;
            let amount = 1.0 - (-total).exp();
            IntentGuess {
                intent,
                confidence: (share * amount).clamp(0.0, 1.0),
                evidence: scores
                    .remove(&intent)
                    .map(|(_, evidence)| evidence)
                    .unwrap_or_default(),
            }
        }
        _ => IntentGuess {
            intent: Intent::General,
            confidence: NO_EVIDENCE_CONFIDENCE,
            evidence: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::{Exemplars, FaqHint, classify};
    use crate::config::Team;

    /// A guess as the snapshots show it: intent, confidence, evidence.
    fn show(text: &str, exemplars: &Exemplars<'_>) -> String {
        let guess = classify(text, exemplars);
        format!(
            "{} {:.2} {:?}",
            guess.intent.name(),
            guess.confidence,
            guess.evidence
        )
    }

    #[track_caller]
    fn check(text: &str, expect: Expect) {
        expect.assert_eq(&show(text, &Exemplars::default()));
    }

    #[test]
    fn intents() {
        check(
            "How much does the enterprise plan cost?",
            expect![[r#"sales 0.77 ["much", "enterpris", "plan", "price"]"#]],
        );
        check(
            "Do you integrate with Shopify?",
            expect![[r#"sales 0.63 ["integr"]"#]],
        );
        check(
            "I was charged twice for my order",
            expect![[r#"billing 0.32 ["price"]"#]],
        );
        check(
            "I can't log in, it says error 500",
            expect![[r#"technical 0.86 ["log", "problem"]"#]],
        );
        check(
            "where is my parcel?",
            expect![[r#"support 0.54 ["parcel"]"#]],
        );
        check(
            "what are your opening hours",
            expect![[r#"general 0.86 ["open", "hour"]"#]],
        );
        check("hello", expect!["general 0.40 []"]);
    }

    #[test]
    fn team_topics_are_exemplars() {
        let teams = [Team {
            id: "tech".into(),
            name: "Machine help".into(),
            intents: vec![crate::intent::Intent::Technical],
            reply_minutes: 5,
            topics: vec!["espresso machine".into(), "grinder".into()],
        }];
        let with_teams = Exemplars {
            faq: None,
            teams: &teams,
        };
        let text = "my espresso machine leaks";
        expect!["general 0.40 []"].assert_eq(&show(text, &Exemplars::default()));
        expect![[r#"technical 0.78 ["team:tech"]"#]].assert_eq(&show(text, &with_teams));
        // Every word of a topic must be there: "machine" alone is not "espresso machine".
        expect!["general 0.40 []"].assert_eq(&show("a machine", &with_teams));
        expect![[r#"technical 0.78 ["team:tech"]"#]].assert_eq(&show("Grinders?", &with_teams));
    }

    #[test]
    fn faq_tags_are_exemplars() {
        let tags = vec!["sales".to_string()];
        let hint = FaqHint {
            entry_id: "cafes-pricing",
            tags: &tags,
            confidence: 0.9,
        };
        let exemplars = Exemplars {
            faq: Some(hint),
            teams: &[],
        };
        expect![[r#"sales 0.54 ["faq:cafes-pricing"]"#]]
            .assert_eq(&show("what about the Café app", &exemplars));
    }
}
