use expect_test::{Expect, expect};

use super::{ANSWER_THRESHOLD, CALIBRATION, FaqIndex};
use crate::config::SiteConfig;

fn demo() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("the demo site is valid")
}

/// Shows which entry (or the fallback) answers each visitor question of the demo site, with the confidence.
#[track_caller]
fn check(question: &str, expect: Expect) {
    let config = demo();
    let hits = FaqIndex::build(&config.faq).search(question, 2);
    let confidence = CALIBRATION.confidence(&hits);
    let entry = match hits.first() {
        Some(top) if confidence >= ANSWER_THRESHOLD => config.faq[top.entry].id.as_str(),
        _ => "(fallback)",
    };
    let shown = if entry == "(fallback)" {
        0.0
    } else {
        confidence
    };
    expect.assert_eq(&format!("{entry} {shown:.2}"));
}

#[test]
fn demo_questions() {
    check("When are you open?", expect!["opening-hours 1.00"]);
    check(
        "what are your opening hours on saturday",
        expect!["opening-hours 1.00"],
    );
    check(
        "How long does shipping take?",
        expect!["delivery-times 1.00"],
    );
    check("can i return my order", expect!["returns-policy 1.00"]);
    check(
        "how much is the subscription",
        expect!["subscription-pricing 0.99"],
    );
    check("I'd like to book a tasting", expect!["book-tasting 0.87"]);
    check("what's your phone number", expect!["contact 0.97"]);
    check(
        "DO YOU SHIP TO CANADA??",
        expect!["international-shipping 0.66"],
    );
    // A country the FAQ never names still means abroad.
    check(
        "Do you deliver to France?",
        expect!["international-shipping 1.00"],
    );
}

#[test]
fn everyday_paraphrases_find_their_entry() {
    check(
        "Can I put my subscription on hold?",
        expect!["subscription-cancel 0.99"],
    );
    check(
        "Can I freeze my coffee club membership?",
        expect!["subscription-cancel 0.98"],
    );
    check(
        "Can I suspend my subscription for a month?",
        expect!["subscription-cancel 0.91"],
    );
    check(
        "Can I end my membership?",
        expect!["subscription-cancel 0.99"],
    );
    check("Can I get my money back?", expect!["returns-policy 0.56"]);
    check(
        "How long until my order gets here?",
        expect!["delivery-times 0.69"],
    );
    check("How do I get in touch?", expect!["contact 1.00"]);
    check("How can I reach you?", expect!["contact 1.00"]);
    check("Can I reserve a tasting?", expect!["book-tasting 1.00"]);
}

#[test]
fn look_alike_paraphrases_do_not_match() {
    // On hold on the telephone is not a paused subscription.
    check(
        "I've been on hold with your call center for ages",
        expect!["contact 0.41"],
    );
    check("They put me on hold twice", expect!["(fallback) 0.00"]);
    check(
        "Can I hold a tasting spot for Friday?",
        expect!["book-tasting 0.36"],
    );
}

#[test]
fn typos_are_tolerated() {
    check("how long does delivry take", expect!["delivery-times 0.98"]);
    check("retrun policy", expect!["returns-policy 1.00"]);
    check("opning hours", expect!["opening-hours 0.83"]);
}

#[test]
fn nonsense_gets_the_fallback() {
    check("asdf qwerty zxcv", expect!["(fallback) 0.00"]);
    check("", expect!["(fallback) 0.00"]);
    check("?!", expect!["(fallback) 0.00"]);
    check("the purple elephant sings", expect!["(fallback) 0.00"]);
}

#[test]
fn evidence_is_reported() {
    let config = demo();
    let hits = FaqIndex::for_site(&config).search("how long does shipping take", 1);
    let best = hits.first().expect("a match");
    expect![[r#"["how", "long", "deliv", "take"]"#]]
        .assert_eq(&format!("{:?}", best.matched_terms));
}

#[test]
fn site_synonyms_join_the_lexicon() {
    let mut config = demo();
    config.faq[19].alternates.push("Do you sell decaf?".into());
    let question = "is there decaffeinated coffee";
    let without = FaqIndex::for_site(&config).search(question, 1);
    config.synonyms = vec![vec!["decaf".into(), "decaffeinated".into()]];
    let with = FaqIndex::for_site(&config).search(question, 1);
    let show = |hits: &[super::Hit]| {
        hits.first()
            .map(|hit| format!("{} {:?}", config.faq[hit.entry].id, hit.matched_terms))
            .unwrap_or_default()
    };
    expect![[r#"without: subscription-pricing ["coffe"] | with: gift-cards ["decaf", "coffe"]"#]]
        .assert_eq(&format!(
            "without: {} | with: {}",
            show(&without),
            show(&with)
        ));
}

#[test]
fn the_compact_index_loads_back_identical() {
    let mut config = demo();
    config.synonyms = vec![vec!["decaf".into(), "decaffeinated".into()]];
    let index = FaqIndex::for_site(&config);
    let bytes = index.to_bytes();
    let loaded = FaqIndex::from_bytes(&bytes).expect("its own output loads");
    assert_eq!(loaded, index);
    assert_eq!(
        loaded.search("how long does delivry take", 3),
        index.search("how long does delivry take", 3)
    );
    let json = serde_json::to_vec(&index).expect("serialises").len();
    expect!["20 entries: 1312 bytes compact, 7988 bytes as JSON"].assert_eq(&format!(
        "{} entries: {} bytes compact, {json} bytes as JSON",
        config.faq.len(),
        bytes.len()
    ));
}

#[test]
fn damaged_indexes_are_refused_with_where() {
    let bytes = FaqIndex::for_site(&demo()).to_bytes();
    let problems: Vec<String> = [&b"nope"[..], &bytes[..40], &[&bytes[..], &[0][..]].concat()]
        .iter()
        .map(|damaged| FaqIndex::from_bytes(damaged).expect_err("damaged"))
        .collect();
    expect![[r#"
        [
            "index: not a Baton FAQ index (bad header)",
            "index: count 106 larger than the data at byte 6",
            "index: 1 unexpected bytes at the end",
        ]
    "#]]
    .assert_debug_eq(&problems);
}

#[test]
fn french_sites_use_french_rules() {
    let json = r#"{
        "id": "boutique", "name": "Boutique", "allowed_origins": ["https://boutique.example"], "locale": "fr",
        "faq": [
            {"id": "horaires", "question": "Quels sont vos horaires d'ouverture ?", "answer": "De 9 h à 18 h."},
            {"id": "livraison", "question": "Combien coûte la livraison ?", "answer": "4,90 €."},
            {"id": "annulation", "question": "Comment annuler ma commande ?", "answer": "Depuis votre compte."}
        ]
    }"#;
    let config = SiteConfig::from_json(json).expect("a valid French site");
    let index = FaqIndex::for_site(&config);
    let best: Vec<String> = [
        "l'heure d'ouverture du magasin",
        "livraisons gratuites ?",
        "j'annule la commande",
    ]
    .iter()
    .map(|question| {
        let hits = index.search(question, 1);
        hits.first().map_or("-".to_string(), |hit| {
            format!("{} {:?}", config.faq[hit.entry].id, hit.matched_terms)
        })
    })
    .collect();
    expect![[r#"
        [
            "horaires [\"ouvertur\"]",
            "livraison [\"livraison\"]",
            "annulation [\"annul\", \"command\"]",
        ]
    "#]]
    .assert_debug_eq(&best);
    assert_eq!(
        FaqIndex::from_bytes(&index.to_bytes()).expect("loads"),
        index
    );
}
