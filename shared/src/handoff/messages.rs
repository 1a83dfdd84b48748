//! What Baton tells the visitor about a decision, per locale (English and French), and the choices a clarifying
//! question offers to tap. Every handoff text says who joins, how long it usually takes, and that the person sees
//! the conversation: never a vague "please wait".

use super::hours::describe;
use super::{Decision, Handoff};
use crate::config::SiteConfig;
use crate::protocol::Choice;
use crate::text::Language;
use crate::vocab::{HandoffReason, Locale};

/// The texts of one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Texts {
    french: bool,
}

impl Texts {
    /// Texts for a locale (`fr`, `fr-CA`, …); English otherwise.
    pub fn for_locale(locale: &Locale) -> Texts {
        Texts {
            french: Language::for_locale(locale) == Language::French,
        }
    }

    fn pick(&self, english: &str, french: &str) -> String {
        if self.french { french } else { english }.to_string()
    }

    /// The visitor-facing text for a decision.
    pub fn render(
        &self,
        config: &SiteConfig,
        decision: &Decision,
        visitor_timezone: Option<&str>,
    ) -> String {
        match decision {
            Decision::Answer { faq_entry, .. } => config.faq[*faq_entry].answer.clone(),
            Decision::Grounded { text, .. } => text.clone(),
            Decision::Fallback => config.messages.fallback.clone(),
            Decision::Disclose => {
                if self.french {
                    format!(
                        "Je suis l'assistant automatique de {}, pas une personne. Je réponds tout de suite à la \
                         plupart des questions ; si vous préférez échanger avec quelqu'un de l'équipe, \
                         choisissez « Parler à une personne ».",
                        config.name
                    )
                } else {
                    format!(
                        "I'm {}'s automated assistant, not a person. I can answer most questions straight away; \
                         if you'd rather talk to someone from the team, choose \"Talk to a person\".",
                        config.name
                    )
                }
            }
            Decision::Clarify { options } => {
                let questions: Vec<String> = options
                    .iter()
                    .enumerate()
                    .map(|(n, entry)| format!("{}. {}", n + 1, config.faq[*entry].question))
                    .collect();
                let intro = self.pick(
                    "I want to get this right. Did you mean one of these?",
                    "Je veux être sûr de bien répondre. Vouliez-vous parler de l'une de ces questions ?",
                );
                let person = self.pick(
                    "If not, say so and I'll bring in a person.",
                    "Sinon, dites-le et je fais appel à une personne.",
                );
                format!("{intro}\n{}\n{person}", questions.join("\n"))
            }
            Decision::HandOff(handoff) => self.handoff(config, handoff),
            Decision::CollectContext { fields, handoff } => {
                let (team, minutes) = self.team(config, handoff);
                let labels = self.labels(config, fields);
                if self.french {
                    format!(
                        "Pour que {team} puisse vous aider tout de suite, pouvez-vous indiquer : {labels} ? \
                         Quelqu'un vous répondra ensuite, en général sous {minutes} minutes."
                    )
                } else {
                    format!(
                        "So {team} can help straight away, could you share your {labels}? Someone will then \
                         join, usually within {minutes} minutes."
                    )
                }
            }
            Decision::AfterHours {
                next_opening_ms,
                fields,
                handoff,
            } => {
                let (team, _) = self.team(config, handoff);
                let labels = self.labels(config, fields);
                let back = next_opening_ms.and_then(|at| describe(config, at, visitor_timezone));
                let back = back.map(|back| if self.french { french_day(&back) } else { back });
                let status = match (&back, self.french) {
                    (Some(back), false) => {
                        format!(
                            "{} is offline right now and back on {back} ({}).",
                            capitalised(&team),
                            visitor_timezone
                                .map_or(format!("{} time", config.timezone), |_| "your time"
                                    .into())
                        )
                    }
                    (Some(back), true) => {
                        format!(
                            "{} est absente pour le moment, de retour {back} ({}).",
                            capitalised(&team),
                            visitor_timezone
                                .map_or(format!("heure de {}", config.timezone), |_| "votre heure"
                                    .into())
                        )
                    }
                    (None, false) => format!("Nobody from {team} is free right now."),
                    (None, true) => format!("Personne de {team} n'est disponible pour le moment."),
                };
                let when = match (back.is_some(), self.french) {
                    (true, false) => "then",
                    (true, true) => "à ce moment-là",
                    (false, false) => "as soon as someone is free",
                    (false, true) => "dès que quelqu'un sera libre",
                };
                let ask = match (fields.is_empty(), self.french) {
                    (false, false) => format!(" Leave your {labels} and they will reply {when}."),
                    (false, true) => {
                        format!(" Laissez votre {labels} et l'équipe vous répondra {when}.")
                    }
                    (true, false) => format!(" They will reply here {when}."),
                    (true, true) => format!(" L'équipe vous répondra ici {when}."),
                };
                let context = self.pick(
                    " They'll see this whole conversation, so you won't need to repeat anything.",
                    " Elle verra toute cette conversation : inutile de vous répéter.",
                );
                let apology = if handoff.reason == HandoffReason::Frustration {
                    self.pick(
                        "I'm sorry this has been frustrating. ",
                        "Je suis désolé que ce soit si pénible. ",
                    )
                } else {
                    String::new()
                };
                format!("{apology}{status}{ask}{context}")
            }
        }
    }

    /// The choices a decision offers to tap: for a clarifying question, each entry it may mean (its question as the
    /// label), then "None of these", which hands off; for the honest answer to "are you a bot?", a person. Nothing
    /// for other decisions.
    pub fn choices(&self, config: &SiteConfig, decision: &Decision) -> Vec<Choice> {
        if *decision == Decision::Disclose {
            return vec![Choice::Person {
                label: self.pick("Talk to a person", "Parler à une personne"),
            }];
        }
        let Decision::Clarify { options } = decision else {
            return Vec::new();
        };
        let entries = options.iter().map(|option| {
            let entry = &config.faq[*option];
            Choice::FaqEntry {
                faq_entry_id: entry.id.clone(),
                label: entry.question.clone(),
            }
        });
        let person = Choice::Person {
            label: self.pick("None of these", "Aucune de ces questions"),
        };
        entries.chain(std::iter::once(person)).collect()
    }

    /// Said when the visitor has given the details a handoff was waiting for.
    pub fn details_received(&self) -> String {
        self.pick(
            "Thanks, we have your details.",
            "Merci, nous avons vos coordonnées.",
        )
    }

    /// Where a handed-over conversation stands in its queue, with the wait estimated from recent replies.
    pub fn queue_place(&self, position: usize, expected_wait_ms: u64) -> String {
        let minutes = expected_wait_ms.div_ceil(60_000).max(1);
        match (position, self.french) {
            (1, false) => {
                format!("You're next in the queue; the wait is about {minutes} min right now.")
            }
            (1, true) => format!(
                "Vous êtes le prochain dans la file ; l'attente est d'environ {minutes} min en ce moment."
            ),
            (n, false) => format!(
                "You're number {n} in the queue; the wait is about {minutes} min right now."
            ),
            (n, true) => format!(
                "Vous êtes numéro {n} dans la file ; l'attente est d'environ {minutes} min en ce moment."
            ),
        }
    }

    /// Said when an agent takes the conversation.
    pub fn agent_joined(&self, agent_name: &str) -> String {
        if self.french {
            format!("{agent_name} a rejoint la conversation.")
        } else {
            format!("{agent_name} joined the conversation.")
        }
    }

    /// Said when the conversation moves to another team.
    pub fn transferred(&self, team_name: &str) -> String {
        if self.french {
            format!(
                "Je transmets la conversation à l'équipe {team_name} ; elle voit tout ce qui a été dit."
            )
        } else {
            format!("I'm passing you to our {team_name} team; they can see everything said so far.")
        }
    }

    /// Said when nobody replied within the site's target: honest, and a way to be answered later.
    pub fn missed(&self, asks_email: bool) -> String {
        match (asks_email, self.french) {
            (true, false) => "Sorry, nobody has been able to reply yet. Leave your email and we'll answer you there \
                              as soon as someone is free; you can also keep this window open."
                .into(),
            (true, true) => "Désolé, personne n'a encore pu vous répondre. Laissez votre e-mail et nous vous \
                             répondrons dès que quelqu'un sera libre ; vous pouvez aussi garder cette fenêtre ouverte."
                .into(),
            (false, false) => "Sorry for the wait: nobody has been able to reply yet. We have your details and will \
                               answer as soon as someone is free."
                .into(),
            (false, true) => "Désolé pour l'attente : personne n'a encore pu vous répondre. Nous avons vos \
                              coordonnées et vous répondrons dès que quelqu'un sera libre."
                .into(),
        }
    }

    /// Said when an agent closes the conversation.
    pub fn closed(&self, agent_name: &str) -> String {
        if self.french {
            format!("{agent_name} a clos la conversation. Merci ! Comment avons-nous fait ?")
        } else {
            format!("{agent_name} closed the conversation. Thank you! How did we do?")
        }
    }

    fn handoff(&self, config: &SiteConfig, handoff: &Handoff) -> String {
        let (team, minutes) = self.team(config, handoff);
        let english = match handoff.reason {
            HandoffReason::VisitorChose | HandoffReason::AskedForPerson => {
                format!(
                    "Of course. I'm bringing in someone from {team}; they usually reply within {minutes} minutes."
                )
            }
            HandoffReason::Frustration => format!(
                "I'm sorry this has been frustrating. I'm passing you to {team} now; they usually reply within \
                 {minutes} minutes."
            ),
            HandoffReason::Sensitive => format!(
                "That needs someone who can look at your details securely, so I'm passing you to {team}. They \
                 usually reply within {minutes} minutes."
            ),
            HandoffReason::AlwaysTopic | HandoffReason::SalesMoment => format!(
                "That's one for {team}: someone will join to talk it through, usually within {minutes} minutes."
            ),
            HandoffReason::LowConfidence => format!(
                "I'm not sure enough to answer that correctly, so I'm asking {team} to help. They usually reply \
                 within {minutes} minutes."
            ),
            HandoffReason::UnansweredTurns => format!(
                "I haven't been able to answer your questions, so I'm bringing in {team}. They usually reply within \
                 {minutes} minutes."
            ),
            HandoffReason::Campaign => format!(
                "I'm bringing in someone from {team}; they usually reply within {minutes} minutes."
            ),
            HandoffReason::LeadForm => format!(
                "Thanks, we have your details: {team} will get back to you, usually within {minutes} minutes."
            ),
        };
        let french = match handoff.reason {
            HandoffReason::VisitorChose | HandoffReason::AskedForPerson => format!(
                "Bien sûr. Je fais appel à {team} ; une personne répond en général sous {minutes} minutes."
            ),
            HandoffReason::Frustration => format!(
                "Je suis désolé pour ce désagrément. Je vous mets en relation avec {team} ; une personne répond en \
                 général sous {minutes} minutes."
            ),
            HandoffReason::Sensitive => format!(
                "Cette demande nécessite quelqu'un qui peut consulter vos informations en toute sécurité : je vous \
                 mets en relation avec {team}, qui répond en général sous {minutes} minutes."
            ),
            HandoffReason::AlwaysTopic | HandoffReason::SalesMoment => format!(
                "C'est une question pour {team} : quelqu'un va vous rejoindre pour en parler, en général sous \
                 {minutes} minutes."
            ),
            HandoffReason::LowConfidence => format!(
                "Je ne suis pas assez sûr de ma réponse, je demande donc à {team} de vous aider. Une personne répond \
                 en général sous {minutes} minutes."
            ),
            HandoffReason::UnansweredTurns => format!(
                "Je n'ai pas réussi à répondre à vos questions, je fais donc appel à {team}. Une personne répond en \
                 général sous {minutes} minutes."
            ),
            HandoffReason::Campaign => format!(
                "Je fais appel à {team} ; une personne répond en général sous {minutes} minutes."
            ),
            HandoffReason::LeadForm => format!(
                "Merci, nous avons vos coordonnées : {team} reviendra vers vous, en général sous {minutes} minutes."
            ),
        };
        let context = self.pick(
            " They'll see this conversation, so you won't need to repeat anything.",
            " Elle verra cette conversation : inutile de vous répéter.",
        );
        format!("{}{context}", if self.french { french } else { english })
    }

    /// The team's name as said to visitors, and its usual wait in minutes.
    fn team(&self, config: &SiteConfig, handoff: &Handoff) -> (String, u32) {
        match handoff.team.map(|team| &config.teams[team]) {
            Some(team) => (
                if self.french {
                    format!("l'équipe {}", team.name)
                } else {
                    format!("our {} team", team.name)
                },
                team.reply_minutes,
            ),
            None => (self.pick("our team", "notre équipe"), 5),
        }
    }

    fn labels(&self, config: &SiteConfig, fields: &[usize]) -> String {
        let labels: Vec<String> = fields
            .iter()
            .map(|field| config.pre_chat.fields[*field].label.to_lowercase())
            .collect();
        match labels.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} {} {last}", rest.join(", "), self.pick("and", "et")),
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `Monday 09:00` → `lundi à 09:00`.
fn french_day(english: &str) -> String {
    const DAYS: [(&str, &str); 7] = [
        ("Monday", "lundi"),
        ("Tuesday", "mardi"),
        ("Wednesday", "mercredi"),
        ("Thursday", "jeudi"),
        ("Friday", "vendredi"),
        ("Saturday", "samedi"),
        ("Sunday", "dimanche"),
    ];
    match english.split_once(' ') {
        Some((day, time)) => {
            let day = DAYS
                .iter()
                .find(|(en, _)| *en == day)
                .map_or(day, |(_, fr)| fr);
            format!("{day} à {time}")
        }
        None => english.to_string(),
    }
}
