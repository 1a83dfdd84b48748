//! Holdout and variant bucketing: fixed per visitor and campaign, shared in proportion to the weights.

use expect_test::expect;
use serde_json::json;

use super::fixture::{Case, campaign};
use crate::campaign::bucket;

#[test]
fn buckets_are_fixed_values() {
    // The hash is part of the format (visitors keep their variant across releases and platforms): these values
    // are the same natively and on wasm32.
    let values: Vec<String> = [
        ("visitor-1", "pricing-help"),
        ("visitor-2", "pricing-help"),
        ("", ""),
    ]
    .iter()
    .map(|(visitor, campaign)| format!("{visitor:?}/{campaign:?}={}", bucket(visitor, campaign)))
    .collect();
    expect![[r#""visitor-1"/"pricing-help"=160 "visitor-2"/"pricing-help"=4376 ""/""=2267"#]]
        .assert_eq(&values.join(" "));
    assert_ne!(
        bucket("ab", "c"),
        bucket("a", "bc"),
        "the zero byte separates the two ids"
    );
}

#[test]
fn ten_thousand_visitors_share_holdout_and_variants_by_weight() {
    let mut case = Case::new(vec![campaign(
        "pricing-help",
        json!({"holdout_percent": 10, "frequency": {"show": "always"}, "variants": [
            {"id": "a", "weight": 1, "content": {"text": "A"}},
            {"id": "b", "weight": 2, "content": {"text": "B"}},
            {"id": "c", "weight": 1, "content": {"text": "C"}}]}),
    )]);
    // Expected shares of 10,000: held out 1,000; a 2,250; b 4,500; c 2,250.
    let mut counts = [0u32; 4];
    for index in 0..10_000 {
        case.visitor = format!("visitor-{index}");
        let pick = case.verdict().show.expect("the campaign shows");
        let slot = match (pick.held_out, pick.variant.as_deref()) {
            (true, _) => 0,
            (false, Some("a")) => 1,
            (false, Some("b")) => 2,
            _ => 3,
        };
        counts[slot] += 1;
    }
    let expected = [1_000, 2_250, 4_500, 2_250];
    for (count, expected) in counts.iter().zip(expected) {
        assert!(
            count.abs_diff(expected) <= 200,
            "{counts:?} strays more than 2 % from {expected}"
        );
    }
    expect!["held out 1043, a 2160, b 4527, c 2270"].assert_eq(&format!(
        "held out {}, a {}, b {}, c {}",
        counts[0], counts[1], counts[2], counts[3]
    ));
    // The same visitor always gets the same answer.
    case.visitor = "visitor-42".into();
    assert_eq!(case.verdict().show, case.verdict().show);
}

#[test]
fn without_variants_or_holdout_the_pick_is_plain() {
    let mut case = Case::new(vec![campaign("plain", json!({}))]);
    expect!["shown"].assert_eq(&case.short());
    case.campaigns[0].holdout_percent = 90;
    let held: usize = (0..1_000)
        .filter(|index| {
            case.visitor = format!("v{index}");
            case.verdict().show.is_some_and(|pick| pick.held_out)
        })
        .count();
    assert!(
        (850..=950).contains(&held),
        "{held} of 1,000 held out at 90 %"
    );
}
