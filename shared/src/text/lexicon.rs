//! The built-in customer-service lexicon: words and phrases visitors use for the same thing ("shipping",
//! "delivery", "postage"; "refund", "money back") meet at one term. Written from general domain knowledge, not from
//! any evaluation set; each group's first word names it.

use std::sync::LazyLock;

use super::stem;

const GROUPS: &[&[&str]] = &[
    &[
        "deliver", "delivery", "shipping", "ship", "shipment", "dispatch", "postage", "courier",
    ],
    &["refund", "reimburse", "reimbursement", "repay", "repayment"],
    &[
        "cancel",
        "cancellation",
        "terminate",
        "termination",
        "revoke",
        "stop",
        "quit",
        "discontinue",
        "end",
    ],
    // Stopping for a while, not for good.
    &["pause", "suspend", "suspension", "freeze", "frozen"],
    &["buy", "purchase", "purchasing", "purchased", "bought"],
    &[
        "price",
        "cost",
        "costs",
        "fee",
        "fees",
        "charge",
        "pricing",
        "expensive",
        "cheap",
        "pricey",
        "costly",
        "surcharge",
        "tariff",
    ],
    &[
        "person",
        "human",
        "agent",
        "representative",
        "operator",
        "rep",
        "someone",
        "somebody",
        "staff",
        "advisor",
    ],
    &[
        "broken",
        "damaged",
        "damage",
        "faulty",
        "defective",
        "cracked",
    ],
    &["wrong", "incorrect", "mistaken"],
    &["help", "assist", "assistance", "support"],
    &["phone", "telephone", "call"],
    &["change", "modify", "edit", "update", "amend", "alter"],
    &["remove", "delete", "erase"],
    &["arrive", "arrival", "receive", "received"],
    &["account", "profile"],
    &["password", "passcode"],
    &["money", "funds", "fund"],
    &["problem", "issue", "trouble", "error"],
    &["invoice", "bill", "receipt"],
    &["subscription", "membership", "subscribe", "subscriber"],
    &["missing", "lost"],
    &["delay", "delayed", "late", "overdue"],
    &[
        "abroad",
        "international",
        "internationally",
        "overseas",
        "foreign",
        // Naming a country where English is not the language asks the same thing on the English-speaking sites
        // this lexicon serves. Countries that are many such sites' home (the UK, Ireland, the USA, Canada,
        // Australia, India) and regions that contain one (Europe, the EU) are left out: for them "do you ship to
        // the USA?" may be a question about domestic delivery.
        "france",
        "germany",
        "spain",
        "italy",
        "netherlands",
        "belgium",
        "switzerland",
        "austria",
        "portugal",
        "sweden",
        "norway",
        "denmark",
        "finland",
        "poland",
        "japan",
        "china",
        "mexico",
        "brazil",
    ],
    &["verify", "verification", "confirm", "confirmation"],
    &[
        "decline", "declined", "reject", "rejected", "refuse", "refused", "deny", "denied",
    ],
    &["pay", "payment", "paid"],
    &["track", "tracking", "trace"],
    &["open", "opening"],
    &["login", "logon", "signin"],
    &["logout", "signout"],
    &[
        "register",
        "registration",
        "signup",
        "enrol",
        "enroll",
        "enrolment",
        "enrollment",
    ],
    &["forget", "forgot", "forgotten"],
    &["discount", "coupon", "promo", "promotion", "promotional"],
    &["disable", "deactivate", "deactivation"],
    &["enable", "activate", "activation"],
    &["atm", "cashpoint"],
    &["book", "booking", "reserve", "reservation"],
    &["reschedule", "postpone"],
    &["expire", "expiry", "expiration"],
    &["repair", "fix"],
    &["luggage", "baggage"],
    &["rent", "rental", "hire"],
    &["inquiry", "enquiry", "query"],
    &["warranty", "guarantee"],
    &["complaint", "complain"],
    &["cant", "cannot", "unable"],
    &["block", "lock"],
    &["colour", "color"],
    &["centre", "center"],
    &["favourite", "favorite"],
    &["licence", "license"],
    &["authorise", "authorize"],
    &["authorisation", "authorization"],
    &["organise", "organize"],
    &["check", "cheque"],
    &["postcode", "zipcode"],
];

/// Phrases that mean a lexicon word, matched on the stems of consecutive words before stop words are dropped. A `*`
/// stands for one to three words that stay terms of their own ("put my subscription on hold"), and never for the
/// speaker ("put me on hold" is a call waiting, not a subscription paused).
const PHRASES: &[(&str, &str)] = &[
    ("money back", "refund"),
    ("put * on hold", "pause"),
    ("place * on hold", "pause"),
    ("free of charge", "free"),
    ("send back", "return"),
    ("send * back", "return"),
    ("take back", "return"),
    ("take * back", "return"),
    ("bring back", "return"),
    ("bring * back", "return"),
    ("get here", "arrive"),
    ("show up", "arrive"),
    ("get in touch", "contact"),
    ("get hold of", "contact"),
    ("reach out", "contact"),
    ("reach you", "contact"),
    ("log in", "login"),
    ("log on", "login"),
    ("sign in", "login"),
    ("log out", "logout"),
    ("sign out", "logout"),
    ("sign up", "register"),
    ("cant remember", "forget"),
    ("cannot remember", "forget"),
    ("dont remember", "forget"),
    // Not "stop" as in cancel.
    ("stop work", "faulty"),
    ("turn off", "disable"),
    ("switch off", "disable"),
    ("turn on", "enable"),
    ("switch on", "enable"),
    ("e mail", "email"),
    ("cash machine", "atm"),
];

/// Words a `*` of [`PHRASES`] never stands for: the speaker and the business.
const NOT_A_GAP: &[&str] = &["me", "us", "you"];

/// Each word's stem mapped to its group's name (a later group wins a shared stem), sorted by stem for binary search:
/// no hash map (its hasher is seeded with randomness), and smaller in the widget than a tree.
static CANONICAL: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut canonical: Vec<(String, String)> = Vec::new();
    for group in GROUPS {
        let name = stem::english(group[0]);
        for word in *group {
            let stemmed = stem::english(word);
            match canonical.binary_search_by(|(known, _)| known.cmp(&stemmed)) {
                Ok(at) => canonical[at].1 = name.clone(),
                Err(at) => canonical.insert(at, (stemmed, name.clone())),
            }
        }
    }
    canonical
});

/// Every word and phrase of the lexicon in order, so a compiled index made with another lexicon is known to be stale
/// (see `WidgetConfig::version_of`).
pub fn words() -> impl Iterator<Item = &'static str> {
    GROUPS
        .iter()
        .flat_map(|group| group.iter().copied())
        .chain(PHRASES.iter().flat_map(|(phrase, word)| [*phrase, *word]))
}

/// Each phrase as stems (`*` kept) with the term it means, sorted by first stem for binary search.
static PHRASE_STEMS: LazyLock<Vec<(Vec<String>, String)>> = LazyLock::new(|| {
    let mut phrases: Vec<(Vec<String>, String)> = Vec::new();
    for (phrase, word) in PHRASES {
        let stems: Vec<String> = phrase.split(' ').map(stem::english).collect();
        // Inserted after those with the same first word, so they are tried in written order (and without a sort,
        // whose code the widget would carry).
        let at = phrases.partition_point(|(known, _)| known[0] <= stems[0]);
        phrases.insert(at, (stems, canonical(stem::english(word))));
    }
    phrases
});

/// The first phrase that starts at `stems[0]`: the term it means and the offsets of its own words (not those of its
/// `*`), or `None`.
pub fn phrase_at(stems: &[String]) -> Option<(String, Vec<usize>)> {
    let first = stems.first()?;
    let start = PHRASE_STEMS.partition_point(|(phrase, _)| phrase[0] < *first);
    PHRASE_STEMS[start..]
        .iter()
        .take_while(|(phrase, _)| phrase[0] == *first)
        .find_map(|(phrase, term)| {
            match_from(phrase, stems, 0).map(|offsets| (term.clone(), offsets))
        })
}

/// The offsets (from `at`) of `stems` matching `phrase`, trying the shortest `*` first.
fn match_from(phrase: &[String], stems: &[String], at: usize) -> Option<Vec<usize>> {
    let Some((word, rest)) = phrase.split_first() else {
        return Some(Vec::new());
    };
    if word == "*" {
        return (1..=3).find_map(|gap| {
            let skipped = stems.get(at..at + gap)?;
            if skipped
                .iter()
                .any(|stem| NOT_A_GAP.contains(&stem.as_str()))
            {
                return None;
            }
            match_from(rest, stems, at + gap)
        });
    }
    if stems.get(at) != Some(word) {
        return None;
    }
    let mut offsets = match_from(rest, stems, at + 1)?;
    offsets.insert(0, at);
    Some(offsets)
}

/// The group name of a stemmed term, or the term itself.
pub fn canonical(term: String) -> String {
    match CANONICAL.binary_search_by(|(known, _)| known.as_str().cmp(term.as_str())) {
        Ok(at) => CANONICAL[at].1.clone(),
        Err(_) => term,
    }
}
