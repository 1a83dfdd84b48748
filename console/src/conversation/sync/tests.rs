use baton_shared::protocol::{AiSummary, HandoffPackage};
use baton_shared::vocab::{HandoffReason, Intent};

use super::fresher;

fn package(handed_off_at_ms: u64, with_summary: bool) -> HandoffPackage {
    HandoffPackage {
        conversation_id: "c-1".into(),
        visitor_name: None,
        visitor_email: None,
        verified_user_id: None,
        page_url: None,
        referrer: None,
        summary: "My grinder arrived cracked.".into(),
        intent: Intent::Support,
        intent_confidence: 0.9,
        topic: None,
        fields: Vec::new(),
        previous_answers: Vec::new(),
        reason: HandoffReason::AskedForPerson,
        team: None,
        visitor_local_time: None,
        handed_off_at_ms,
        queued: false,
        next_opening_ms: None,
        ai_summary: with_summary.then(|| AiSummary::Written {
            model: "summary-model".into(),
            text: "A cracked grinder.".into(),
        }),
        campaign_name: None,
        campaign: None,
        attributes: Vec::new(),
    }
}

/// A fetch answered from an older copy never hides what a frame already showed; anything newer replaces it.
#[test]
fn the_package_shown_is_the_one_that_says_more() {
    // (shown, fetched, expected): a package as (handed off at, with the model's summary).
    let cases = [
        (None, Some((1, false)), Some((1, false))),
        (Some((1, false)), Some((1, true)), Some((1, true))),
        (Some((1, true)), Some((1, false)), Some((1, true))),
        (Some((2, false)), Some((1, true)), Some((2, false))),
        (Some((1, true)), Some((2, false)), Some((2, false))),
        (Some((1, true)), None, Some((1, true))),
        (None, None, None),
    ];
    let make = |case: Option<(u64, bool)>| case.map(|(at, summary)| package(at, summary));
    for (shown, fetched, expected) in cases {
        let label = format!("{shown:?} / {fetched:?}");
        assert_eq!(
            fresher(make(shown), make(fetched)),
            make(expected),
            "{label}"
        );
    }
}
