//! The built-in customer-service lexicon: words visitors use for the same thing ("shipping", "delivery",
//! "postage") meet at one term. Written from general domain knowledge; each group's first word names it.

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
    ],
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
    &["subscription", "membership"],
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
];

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

/// Every word of the lexicon in order, so a compiled index made with another lexicon is known to be stale (see
/// `WidgetConfig::version_of`).
pub fn words() -> impl Iterator<Item = &'static str> {
    GROUPS.iter().flat_map(|group| group.iter().copied())
}

/// The group name of a stemmed term, or the term itself.
pub fn canonical(term: String) -> String {
    match CANONICAL.binary_search_by(|(known, _)| known.as_str().cmp(term.as_str())) {
        Ok(at) => CANONICAL[at].1.clone(),
        Err(_) => term,
    }
}
