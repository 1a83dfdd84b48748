use expect_test::{Expect, expect};

use super::{Exemplars, FaqHint, classify};
use crate::config::Team;

/// A guess as the snapshots show it: intent, confidence, evidence.
fn show(text: &str, exemplars: &Exemplars<'_>) -> String {
    let guess = classify(text, exemplars);
    format!(
        "{} {:.2} {:?}",
        guess.intent.name(),
        guess.confidence,
        guess.evidence
    )
}

#[track_caller]
fn check(text: &str, expect: Expect) {
    expect.assert_eq(&show(text, &Exemplars::default()));
}

#[test]
fn intents() {
    check(
        "How much does the enterprise plan cost?",
        expect![[r#"sales 0.96 ["much", "enterpris", "plan", "price", "sales-moment"]"#]],
    );
    check(
        "Do you integrate with Shopify?",
        expect![[r#"sales 0.97 ["integr", "sales-moment"]"#]],
    );
    check(
        "I was charged twice for my order",
        expect![[r#"billing 0.43 ["price"]"#]],
    );
    check(
        "I can't log in, it says error 500",
        expect![[r#"technical 0.86 ["login", "problem"]"#]],
    );
    check(
        "where is my parcel?",
        expect![[r#"support 0.54 ["parcel"]"#]],
    );
    check(
        "what are your opening hours",
        expect![[r#"general 0.86 ["open", "hour"]"#]],
    );
    check("hello", expect!["general 0.40 []"]);
}

#[test]
fn team_topics_are_exemplars() {
    let teams = [Team {
        id: "tech".into(),
        name: "Machine help".into(),
        intents: vec![crate::vocab::Intent::Technical],
        reply_minutes: 5,
        topics: vec!["espresso machine".into(), "grinder".into()],
    }];
    let with_teams = Exemplars {
        faq: None,
        teams: &teams,
    };
    let text = "my espresso machine leaks";
    expect!["general 0.40 []"].assert_eq(&show(text, &Exemplars::default()));
    expect![[r#"technical 0.78 ["team:tech"]"#]].assert_eq(&show(text, &with_teams));
    // Every word of a topic must be there: "machine" alone is not "espresso machine".
    expect!["general 0.40 []"].assert_eq(&show("a machine", &with_teams));
    expect![[r#"technical 0.78 ["team:tech"]"#]].assert_eq(&show("Grinders?", &with_teams));
}

#[test]
fn faq_tags_are_exemplars() {
    let tags = vec!["sales".to_string()];
    let hint = FaqHint {
        entry_id: "cafes-pricing",
        tags: &tags,
        confidence: 0.9,
    };
    let exemplars = Exemplars {
        faq: Some(hint),
        teams: &[],
    };
    expect![[r#"sales 0.54 ["faq:cafes-pricing"]"#]]
        .assert_eq(&show("what about the Café app", &exemplars));
}
