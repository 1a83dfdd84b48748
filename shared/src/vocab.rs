//! The plain vocabulary every other module speaks: what kind of help a visitor wants (`Intent`), why a
//! conversation goes to a person (`HandoffReason`), the language a site speaks (`Locale`) and the fields a visitor
//! fills in (`FormField`, `FieldKind`), and the small map of texts their attributes and campaign history are kept in
//! (`TextMap`).
//!
//! This module is the leaf of the crate's module graph: it imports nothing else of the crate, so any module may
//! import it without making a cycle.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

mod field;
mod text_map;

pub use self::field::{FieldKind, FormField};
pub use self::text_map::TextMap;

// What kind of help a visitor wants; a team serves one or more. (A plain comment: a doc comment would change the
// shipped JSON Schema, which describes the intents one by one.)
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
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

/// Why a conversation goes to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffReason {
    /// The visitor clicked "Talk to a person".
    VisitorChose,
    /// The visitor asked for a person in words.
    AskedForPerson,
    Frustration,
    /// Account-specific, private or sensitive help, or interpreting a policy.
    Sensitive,
    /// A topic the site always hands off (`handoff.always_topics`).
    AlwaysTopic,
    /// Pricing, integrations, implementation, migration, product fit, demo, enterprise, custom quote.
    SalesMoment,
    /// The best answer is not confident enough.
    LowConfidence,
    /// Several visitor messages in a row went unanswered.
    UnansweredTurns,
    /// The visitor clicked a campaign whose action hands over to a team (`action.kind: handoff`).
    Campaign,
    /// The visitor sent a campaign's lead form, which goes to a team.
    LeadForm,
}

impl HandoffReason {
    /// The reason in a few words, as agents read it beside a conversation (the console's inbox and context panel,
    /// the handoff summary): "asked for a person".
    pub fn label(self) -> &'static str {
        match self {
            HandoffReason::VisitorChose => "chose a person",
            HandoffReason::AskedForPerson => "asked for a person",
            HandoffReason::Frustration => "frustrated",
            HandoffReason::Sensitive => "private or account help",
            HandoffReason::AlwaysTopic => "always a person",
            HandoffReason::SalesMoment => "sales moment",
            HandoffReason::LowConfidence => "AI not confident",
            HandoffReason::UnansweredTurns => "unanswered questions",
            HandoffReason::Campaign => "campaign",
            HandoffReason::LeadForm => "lead form",
        }
    }

    /// The reason as a phrase that completes "handed over because …", as webhooks announce it: "the visitor asked
    /// for a person". Both ways of asking for a person read the same to whoever is told.
    pub fn describe(self) -> &'static str {
        match self {
            HandoffReason::VisitorChose | HandoffReason::AskedForPerson => {
                "the visitor asked for a person"
            }
            HandoffReason::Frustration => "the visitor is frustrated",
            HandoffReason::Sensitive => "account-specific or private help",
            HandoffReason::AlwaysTopic => "a topic the site always hands off",
            HandoffReason::SalesMoment => "a sales moment",
            HandoffReason::LowConfidence => "Baton was not confident enough to answer",
            HandoffReason::UnansweredTurns => "several questions went unanswered",
            HandoffReason::Campaign => "the visitor clicked a campaign that asks for a person",
            HandoffReason::LeadForm => "the visitor sent a lead form",
        }
    }
}

/// The language of the texts Baton writes itself for a site, as its configuration names it (`en`, `fr`).
///
/// On the wire and in stored JSON it is a plain string. Any string parses, so that validation can report an
/// unsupported locale with its field path, like every other rule ([`Locale::is_supported`]). It dereferences to
/// `str` for code that matches on the tag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Locale(String);

impl Locale {
    /// The locales Baton has texts for.
    pub const SUPPORTED: &[&str] = &["en", "fr"];

    pub fn new(tag: impl Into<String>) -> Locale {
        Locale(tag.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether Baton has texts for this locale (one of [`Locale::SUPPORTED`], exactly).
    pub fn is_supported(&self) -> bool {
        Locale::SUPPORTED.contains(&self.0.as_str())
    }
}

/// English, Baton's language when a site names none.
impl Default for Locale {
    fn default() -> Self {
        Locale::new("en")
    }
}

impl std::ops::Deref for Locale {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Locale {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Locale {
    fn from(tag: &str) -> Locale {
        Locale::new(tag)
    }
}

impl From<String> for Locale {
    fn from(tag: String) -> Locale {
        Locale(tag)
    }
}

/// A plain string in the JSON Schema, written inline where a field uses it (the shipped schema is unchanged).
impl schemars::JsonSchema for Locale {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests;
