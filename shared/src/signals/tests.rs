use expect_test::{Expect, expect};

use super::{Signal, frustration, wants_human};

fn show(signal: &Signal) -> String {
    format!(
        "{} {:.2} {:?}",
        signal.flag, signal.confidence, signal.evidence
    )
}

#[track_caller]
fn check(text: &str, expect: Expect) {
    expect.assert_eq(&format!(
        "human: {} | frustrated: {}",
        show(&wants_human(text)),
        show(&frustration(text))
    ));
}

#[test]
fn signals() {
    check(
        "Can I talk to a real person please",
        expect![[r#"human: true 0.98 ["person", "talk"] | frustrated: false 0.00 []"#]],
    );
    check(
        "let me speak with a representitive",
        expect![[r#"human: true 0.95 ["representitive", "speak"] | frustrated: false 0.00 []"#]],
    );
    check(
        "are you a bot?",
        expect![[r#"human: true 0.55 ["bot"] | frustrated: false 0.00 []"#]],
    );
    check(
        "what are your customer service hours?",
        expect!["human: false 0.00 [] | frustrated: false 0.00 []"],
    );
    check(
        "how do I contact support",
        expect!["human: false 0.00 [] | frustrated: false 0.00 []"],
    );
    check(
        "someone stole my card",
        expect![[r#"human: false 0.45 ["someone"] | frustrated: false 0.00 []"#]],
    );
    check(
        "THIS IS RIDICULOUS!!! WHERE IS MY ORDER",
        expect![[
            r#"human: false 0.00 [] | frustrated: true 0.91 ["ridiculous", "capitals", "repeated punctuation"]"#
        ]],
    );
    check(
        "I want to file a complaint",
        expect![[r#"human: false 0.00 [] | frustrated: true 0.63 ["complaint"]"#]],
    );
    check(
        "my damn parcel still hasn't arrived",
        expect![[r#"human: false 0.00 [] | frustrated: true 0.70 ["damn"]"#]],
    );
    check(
        "you are not helpful, I want a human",
        expect![[r#"human: true 0.95 ["human", "want"] | frustrated: true 0.55 ["not helpful"]"#]],
    );
    check(
        "I'd like to claim my free sample",
        expect!["human: false 0.00 [] | frustrated: false 0.00 []"],
    );
    check(
        "How long does shipping take?",
        expect!["human: false 0.00 [] | frustrated: false 0.00 []"],
    );
}

#[test]
fn one_edit_apart() {
    use crate::text::within_one_edit;
    let pairs = [
        ("operator", "operater"),
        ("human", "humna"),
        ("agent", "agnet"),
        ("person", "persons"),
        ("speak", "steak"),
        ("talk", "walk"),
        ("agent", "urgent"),
    ];
    let results: Vec<String> = pairs
        .iter()
        .map(|(a, b)| format!("{a}~{b}:{}", within_one_edit(a, b)))
        .collect();
    expect!["operator~operater:true human~humna:true agent~agnet:true person~persons:true speak~steak:true talk~walk:true agent~urgent:false"].assert_eq(&results.join(" "));
}

#[test]
fn french_visitors_are_understood_too() {
    check(
        "Je voudrais parler à un conseiller",
        expect![[r#"human: true 0.95 ["conseiller", "voudrais"] | frustrated: false 0.00 []"#]],
    );
    check(
        "Est-ce que quelqu'un peut m'aider ?",
        expect![[r#"human: false 0.45 ["quelquun"] | frustrated: false 0.00 []"#]],
    );
    check(
        "C'est inadmissible, je suis très déçu !!!",
        expect![[
            r#"human: false 0.00 [] | frustrated: true 0.93 ["inadmissible", "decu", "repeated punctuation"]"#
        ]],
    );
    check(
        "Quels sont vos horaires ?",
        expect!["human: false 0.00 [] | frustrated: false 0.00 []"],
    );
}
