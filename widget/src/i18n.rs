//! Every string the widget shows itself, per locale (English and French). The site's configured locale picks the
//! table; until the configuration has loaded, the browser's language does.

use baton_shared::protocol::{MAX_FIELD_CHARS, ValueProblem, WidgetSite};

use crate::watched::Watched;

/// The widget's own texts in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strings {
    pub open_chat: &'static str,
    pub close_chat: &'static str,
    pub chat: &'static str,
    pub type_message: &'static str,
    pub connecting: &'static str,
    pub send: &'static str,
    pub talk_to_person: &'static str,
    pub suggestions: &'static str,
    pub choices: &'static str,
    pub typing: &'static str,
    pub sending: &'static str,
    pub failed: &'static str,
    pub retry: &'static str,
    pub offline: &'static str,
    pub you: &'static str,
    pub assistant: &'static str,
    pub agent: &'static str,
    pub notice: &'static str,
    pub unread: &'static str,
    pub instant_answers: &'static str,
    pub replies_within: &'static str,
    pub minutes: &'static str,
    pub queued_back: &'static str,
    pub queued: &'static str,
    pub form_intro: &'static str,
    pub form_submit: &'static str,
    /// Once a person has joined, the form steps aside behind this link.
    pub add_details: &'static str,
    pub form_consent_needed: &'static str,
    pub characters_left: &'static str,
    pub ask_field: &'static str,
    pub field_required: &'static str,
    pub invalid_email: &'static str,
    pub invalid_website: &'static str,
    pub invalid_order: &'static str,
    pub too_long: &'static str,
    pub with_you: &'static str,
    pub seen: &'static str,
    pub rate_prompt: &'static str,
    pub rate_star: &'static str,
    pub rated: &'static str,
    pub close: &'static str,
    /// A campaign's accessible name when it has no title nor sender.
    pub campaign: &'static str,
    /// A campaign's button, by default, when it opens the chat, or a link.
    pub campaign_chat: &'static str,
    pub campaign_open: &'static str,
}

const ENGLISH: Strings = Strings {
    open_chat: "Open chat",
    close_chat: "Close chat",
    chat: "Chat",
    type_message: "Type your message…",
    connecting: "Connecting…",
    send: "Send",
    talk_to_person: "Talk to a person",
    suggestions: "Suggested questions",
    choices: "Did you mean",
    typing: "Typing…",
    sending: "Sending…",
    failed: "Not sent.",
    retry: "Retry",
    offline: "You're offline. Messages will be sent when the connection is back.",
    you: "You",
    assistant: "Assistant",
    agent: "Agent",
    notice: "Notice",
    unread: "unread messages",
    instant_answers: "Instant answers, and a person when you need one",
    replies_within: "usually replies within",
    minutes: "min",
    queued_back: "back",
    queued: "will reply as soon as someone is free",
    form_intro: "So the team can help you, please share:",
    form_submit: "Send details",
    add_details: "Add your details",
    form_consent_needed: "Please tick the box to continue.",
    characters_left: "characters left",
    ask_field: "Please type your",
    field_required: "This is needed.",
    invalid_email: "Please enter an email address like name@example.com.",
    invalid_website: "Please enter a website address like example.com.",
    invalid_order: "Please use letters, digits and - # / only.",
    too_long: "This is too long.",
    with_you: "is with you",
    seen: "Seen",
    rate_prompt: "How did we do?",
    rate_star: "out of 5",
    rated: "Thanks for your rating!",
    close: "Close",
    campaign: "Message",
    campaign_chat: "Chat with us",
    campaign_open: "Open",
};

const FRENCH: Strings = Strings {
    open_chat: "Ouvrir la discussion",
    close_chat: "Fermer la discussion",
    chat: "Discussion",
    type_message: "Écrivez votre message…",
    connecting: "Connexion…",
    send: "Envoyer",
    talk_to_person: "Parler à une personne",
    suggestions: "Questions suggérées",
    choices: "Vouliez-vous dire",
    typing: "En train d'écrire…",
    sending: "Envoi…",
    failed: "Non envoyé.",
    retry: "Réessayer",
    offline: "Vous êtes hors ligne. Les messages partiront au retour de la connexion.",
    you: "Vous",
    assistant: "Assistant",
    agent: "Conseiller",
    notice: "Information",
    unread: "messages non lus",
    instant_answers: "Réponses immédiates, et une personne si besoin",
    replies_within: "répond en général sous",
    minutes: "min",
    queued_back: "de retour",
    queued: "répondra dès que possible",
    form_intro: "Pour que l'équipe puisse vous aider, indiquez :",
    form_submit: "Envoyer",
    add_details: "Ajouter vos coordonnées",
    form_consent_needed: "Cochez la case pour continuer.",
    characters_left: "caractères restants",
    ask_field: "Indiquez votre",
    field_required: "Ce champ est nécessaire.",
    invalid_email: "Indiquez une adresse e-mail comme nom@exemple.fr.",
    invalid_website: "Indiquez une adresse de site comme exemple.fr.",
    invalid_order: "Utilisez seulement des lettres, des chiffres et - # /.",
    too_long: "C'est trop long.",
    with_you: "est avec vous",
    seen: "Vu",
    rate_prompt: "Comment avons-nous fait ?",
    rate_star: "sur 5",
    rated: "Merci pour votre note !",
    close: "Fermer",
    campaign: "Message",
    campaign_chat: "Discuter avec nous",
    campaign_open: "Ouvrir",
};

impl Strings {
    /// The table for a locale tag (`fr`, `fr-CA`, …); English for anything else.
    pub fn for_locale(locale: &str) -> &'static Strings {
        let language = locale.split(['-', '_']).next().unwrap_or_default();
        if language.eq_ignore_ascii_case("fr") {
            &FRENCH
        } else {
            &ENGLISH
        }
    }

    /// What is wrong with a form value, in this language.
    pub fn field_problem(&self, problem: ValueProblem) -> String {
        match problem {
            ValueProblem::Empty => self.field_required.to_string(),
            ValueProblem::NotEmail => self.invalid_email.to_string(),
            ValueProblem::NotWebsite => self.invalid_website.to_string(),
            ValueProblem::NotOrderNumber => self.invalid_order.to_string(),
            ValueProblem::TooLong { chars } => {
                format!("{} ({chars} / {MAX_FIELD_CHARS})", self.too_long)
            }
        }
    }

    /// The site's language's table once its configuration is known, the browser's before.
    pub fn for_site(site: &Option<WidgetSite>) -> &'static Strings {
        match site {
            Some(site) => Strings::for_locale(&site.locale),
            None => Strings::for_browser(),
        }
    }

    /// The browser's preferred language's table, before the site's configuration is known.
    pub fn for_browser() -> &'static Strings {
        let language = web_sys::window()
            .and_then(|window| window.navigator().language())
            .unwrap_or_default();
        Strings::for_locale(&language)
    }
}

/// The strings of the site's language once its configuration is here (the browser's before), read where a view
/// shows them: reading them in a chat view tracks the site, so a text follows its language. A `Copy` handle the
/// chat's views share (a plain type, not a derived Leptos signal: each of those is code of its own).
#[derive(Clone, Copy)]
pub struct SiteStrings(pub Watched<Option<WidgetSite>>);

impl SiteStrings {
    pub fn get(self) -> &'static Strings {
        self.0.track();
        self.get_untracked()
    }

    pub fn get_untracked(self) -> &'static Strings {
        self.0.with_untracked(Strings::for_site)
    }
}

#[cfg(test)]
mod tests {
    use super::Strings;

    #[test]
    fn locales_pick_their_table() {
        assert_eq!(Strings::for_locale("fr-CA").send, "Envoyer");
        assert_eq!(Strings::for_locale("FR").send, "Envoyer");
        assert_eq!(Strings::for_locale("en-GB").send, "Send");
        assert_eq!(Strings::for_locale("de").send, "Send");
    }

    #[test]
    fn form_problems_are_told_in_the_site_language() {
        use baton_shared::config::FieldKind;
        use baton_shared::protocol::value_problem;
        let french = Strings::for_locale("fr");
        let shown: Vec<String> = [
            (FieldKind::Email, "marie at example"),
            (FieldKind::Name, "  "),
            (FieldKind::Website, "pas un site"),
            (FieldKind::OrderNumber, "<b>12</b>"),
            (FieldKind::Custom, &"x".repeat(201)),
        ]
        .iter()
        .filter_map(|(kind, value)| value_problem(*kind, value))
        .map(|problem| french.field_problem(problem))
        .collect();
        expect_test::expect![[r#"
            Indiquez une adresse e-mail comme nom@exemple.fr.
            Ce champ est nécessaire.
            Indiquez une adresse de site comme exemple.fr.
            Utilisez seulement des lettres, des chiffres et - # /.
            C'est trop long. (201 / 200)"#]]
        .assert_eq(&shown.join("\n"));
    }
}
