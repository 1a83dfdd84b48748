//! Property tests across the pure core: no visitor text, no configuration file and no instant makes anything panic.

mod instant;

use proptest::prelude::*;

use crate::config::SiteConfig;
use crate::faq::{CALIBRATION, FaqIndex};
use crate::handoff::{Decision, Situation, Texts, decide, instant_answer};
use crate::intent::{Exemplars, classify};
use crate::protocol::{PostMessage, paths};
use crate::signals::{frustration, wants_human};
use crate::summary::summarize;
use crate::vocab::Locale;

fn demo() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../sites/demo.json")).expect("the demo site is valid")
}

/// Visitor text: any Unicode, plus shouting, punctuation runs and near-miss words that exercise every branch.
fn visitor_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Z !?]{0,40}",
        "(i want|talk to|a|human|damn|refund|deliv|retrun|cancel|quote|demo|my account|\\?\\?\\?| ){0,12}",
    ]
}

proptest! {
    #[test]
    fn no_text_makes_the_policy_panic(text in visitor_text(), now_ms in any::<u64>(), chose in any::<bool>(), locale in "(en|fr|de)") {
        let config = demo();
        let index = FaqIndex::build(&config.faq);
        let outcome = decide(&Situation {
            config: &config,
            index: &index,
            transcript: &[],
            visitor_text: &text,
            now_ms,
            teams_online: &["support"],
            fields_known: &[],
            visitor_chose_person: chose,
            faq_similarity: None,
            team: None,
        });
        prop_assert!((0.0..=1.0).contains(&outcome.confidence));
        let rendered = Texts::for_locale(&Locale::from(locale)).render(&config, &outcome.decision, Some("Asia/Tokyo"));
        prop_assert!(!rendered.is_empty());
        prop_assert!((0.0..=1.0).contains(&wants_human(&text).confidence));
        prop_assert!((0.0..=1.0).contains(&frustration(&text).confidence));
        prop_assert!((0.0..=1.0).contains(&classify(&text, &Exemplars::default()).confidence));
        prop_assert!((0.0..=1.0).contains(&CALIBRATION.confidence(&index.search(&text, 3))));
        summarize(&[], classify(&text, &Exemplars::default()), Vec::new(), None);
        let post = PostMessage { client_message_id: text.clone(), text: text.clone(), instant_answer: None, chose_person: false, choice: None };
        let _ = post.validate();
        let _ = paths::messages(&text, &text);
    }

    /// The widget answers on its own only what the worker would answer the same way, at any time, staffed or not,
    /// whatever came before.
    #[test]
    fn instant_answers_agree_with_the_worker(text in visitor_text(), now_ms in any::<u64>(), staffed in any::<bool>(), history in 0usize..4) {
        let config = demo();
        let index = FaqIndex::for_site(&config);
        let transcript = &instant::transcripts()[history];
        let Some((faq_entry, confidence)) = instant_answer(&config, &index, transcript, &text) else {
            return Ok(());
        };
        let teams: &[&str] = if staffed { &["sales", "support", "tech"] } else { &[] };
        let outcome = decide(&Situation {
            config: &config,
            index: &index,
            transcript,
            visitor_text: &text,
            now_ms,
            teams_online: teams,
            fields_known: &[],
            visitor_chose_person: false,
            faq_similarity: None,
            team: None,
        });
        prop_assert_eq!(outcome.decision, Decision::Answer { faq_entry, confidence });
    }

    #[test]
    fn no_bytes_make_index_loading_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), cut in 0usize..4_000) {
        let _ = FaqIndex::from_bytes(&bytes);
        let good = FaqIndex::for_site(&demo()).to_bytes();
        let mut damaged = good.clone();
        if !damaged.is_empty() {
            let at = cut % damaged.len();
            damaged[at] ^= 0x5a;
        }
        let _ = FaqIndex::from_bytes(&damaged);
        let _ = FaqIndex::from_bytes(&good[..cut.min(good.len())]);
    }

    #[test]
    fn no_configuration_file_makes_validation_panic(json in any::<String>()) {
        let _ = SiteConfig::from_json(&json);
    }

    #[test]
    fn damaged_demo_configurations_are_refused_or_work(cut in 0usize..12_000, insert in "[\\[\\]{}\",:a-z0-9 ]{0,4}") {
        let mut json = include_str!("../../sites/demo.json").to_string();
        let at = json.char_indices().map(|(at, _)| at).nth(cut % json.chars().count()).unwrap_or(0);
        json.insert_str(at, &insert);
        if let Ok(config) = SiteConfig::from_json(&json) {
            let index = FaqIndex::build(&config.faq);
            let outcome = decide(&Situation {
                config: &config,
                index: &index,
                transcript: &[],
                visitor_text: "I want to talk to a person about a refund",
                now_ms: 1_795_518_000_000,
                teams_online: &[],
                fields_known: &[],
                visitor_chose_person: false,
                faq_similarity: None,
                team: None,
            });
            let _ = Texts::for_locale(&config.locale).render(&config, &outcome.decision, None);
        }
    }
}
