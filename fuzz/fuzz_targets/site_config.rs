//! Any bytes as a site file: parsing and validation report problems, never panic; a valid file also survives the
//! whole policy.
#![no_main]

use baton_shared::config::SiteConfig;
use baton_shared::faq::FaqIndex;
use baton_shared::handoff::{Situation, Texts, decide};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = SiteConfig::from_json(json) {
        let index = FaqIndex::build(&config.faq);
        let outcome = decide(&Situation {
            config: &config,
            index: &index,
            transcript: &[],
            visitor_text: "I want to talk to someone about my refund",
            now_ms: 1_795_518_000_000,
            teams_online: &[],
            fields_known: &[],
            visitor_chose_person: false,
        });
        let _ = Texts::for_locale(&config.locale).render(&config, &outcome.decision, Some("Europe/Paris"));
    }
});
