use super::{HandoffReason, Intent, Locale};

#[test]
fn a_locale_is_a_plain_string_on_the_wire() {
    let locale: Locale = serde_json::from_str("\"fr\"").expect("a string is a locale");
    assert_eq!(locale.as_str(), "fr");
    assert!(locale.is_supported());
    assert_eq!(
        serde_json::to_string(&locale).expect("a locale serialises"),
        "\"fr\""
    );
    let unknown: Locale = serde_json::from_str("\"de\"").expect("any string is a locale");
    assert!(!unknown.is_supported());
    assert_eq!(Locale::default().as_str(), "en");
}

#[test]
fn intents_order_as_listed() {
    let mut sorted = Intent::ALL;
    sorted.sort();
    assert_eq!(sorted, Intent::ALL);
}

#[test]
fn asking_for_a_person_is_one_reason_to_whoever_is_told() {
    assert_eq!(
        HandoffReason::VisitorChose.describe(),
        HandoffReason::AskedForPerson.describe()
    );
    assert_ne!(
        HandoffReason::VisitorChose.label(),
        HandoffReason::AskedForPerson.label()
    );
}
