//! The signals on hand-written messages, English and French, including the hard negatives that a word list gets
//! wrong ("how do I build a bot", "human resources"). One line per message: each signal that fires, with its
//! confidence and evidence; `-` when none does.

use expect_test::{Expect, expect};

use super::{Kind, Signal, model::Models, read};

fn show(text: &str) -> String {
    let reading = read(text);
    let fired: Vec<String> = [
        ("human", &reading.wants_human),
        ("frustrated", &reading.frustrated),
        ("sales", &reading.sales),
        ("bot?", &reading.bot_question),
    ]
    .into_iter()
    .filter(|(_, signal)| signal.flag)
    .map(|(name, signal): (&str, &Signal)| {
        format!("{name} {:.2} {:?}", signal.confidence, signal.evidence)
    })
    .collect();
    let fired = if fired.is_empty() {
        "-".to_string()
    } else {
        fired.join(" | ")
    };
    format!("{text:<55} {fired}\n")
}

#[track_caller]
fn check(texts: &[&str], expect: Expect) {
    expect.assert_eq(&texts.iter().map(|text| show(text)).collect::<String>());
}

#[test]
fn asking_for_a_person() {
    check(
        &[
            "Can I talk to a real person please",
            "let me speak with a representitive",
            "could you connect me with someone from your team",
            "is there an actual person I can chat to",
            "get me your supervisor",
            "gimme a real human",
            "agent",
            "I'd like to talk to someone about your pricing",
            "stop with the bot and put me through to a human",
            "you are not helpful, I want a human",
        ],
        expect![[r#"
            Can I talk to a real person please                      human 1.00 ["person", "contact", "real"]
            let me speak with a representitive                      human 0.99 ["person", "representitive", "contact"]
            could you connect me with someone from your team        human 1.00 ["person", "contact", "team"]
            is there an actual person I can chat to                 human 0.99 ["person", "contact", "can"]
            get me your supervisor                                  human 0.95 ["supervisor", "person", "contact"] | frustrated 0.81 ["supervisor", "person+contact", "get"]
            gimme a real human                                      human 1.00 ["person", "human", "contact"] | bot? 0.97 ["real", "human", "person"]
            agent                                                   human 0.94 ["agent", "person"]
            I'd like to talk to someone about your pricing          human 0.97 ["person", "contact", "person+contact"] | sales 0.80 ["pricing", "sales", "about"]
            stop with the bot and put me through to a human         human 1.00 ["person", "contact", "human"]
            you are not helpful, I want a human                     frustrated 0.74 ["helpful", "not"]
        "#]],
    );
}

#[test]
fn not_asking_for_a_person() {
    check(
        &[
            "how do I build a bot for my shop",
            "are you a bot?",
            "what's your phone number",
            "what are your customer service hours?",
            "how do I contact support",
            "where is the human resources department",
            "someone stole my card",
            "can I add another person to my plan",
            "I'd like to claim my free sample",
            "How long does shipping take?",
        ],
        expect![[r#"
            how do I build a bot for my shop                        -
            are you a bot?                                          bot? 1.00 ["machine", "question", "bot"]
            what's your phone number                                -
            what are your customer service hours?                   -
            how do I contact support                                -
            where is the human resources department                 -
            someone stole my card                                   -
            can I add another person to my plan                     -
            I'd like to claim my free sample                        -
            How long does shipping take?                            -
        "#]],
    );
}

#[test]
fn frustration_and_its_look_alikes() {
    check(
        &[
            "THIS IS RIDICULOUS!!! WHERE IS MY ORDER",
            "I want to file a complaint",
            "my damn parcel still hasn't arrived",
            "third time I'm asking the same thing, seriously",
            "great, another week without internet, thanks a lot",
            "my order hasn't arrived yet, can you check?",
            "no problem, thanks for your help!",
            "I'm a bit confused about the return form",
        ],
        expect![[r#"
            THIS IS RIDICULOUS!!! WHERE IS MY ORDER                 frustrated 0.99 ["complaint", "shouting", "ridiculous"]
            I want to file a complaint                              frustrated 0.62 ["complaint"]
            my damn parcel still hasn't arrived                     frustrated 1.00 ["profanity", "complaint", "damn"]
            third time I'm asking the same thing, seriously         frustrated 0.97 ["seriously", "repeat", "thing"]
            great, another week without internet, thanks a lot      -
            my order hasn't arrived yet, can you check?             -
            no problem, thanks for your help!                       -
            I'm a bit confused about the return form                -
        "#]],
    );
}

#[test]
fn sales_moments_and_billing_look_alikes() {
    check(
        &[
            "how much is the pro plan for a team of 40?",
            "can I get a quote for 200 seats",
            "do you offer a free trial?",
            "why was I charged twice this month",
            "where can I download my invoice",
            "Can I put my subscription on hold?",
        ],
        expect![[r#"
            how much is the pro plan for a team of 40?              sales 0.99 ["sales", "much", "team"]
            can I get a quote for 200 seats                         sales 0.94 ["sales", "200", "quote"]
            do you offer a free trial?                              sales 0.98 ["offer", "sales", "free"]
            why was I charged twice this month                      -
            where can I download my invoice                         -
            Can I put my subscription on hold?                      -
        "#]],
    );
}

#[test]
fn french_visitors_are_understood_too() {
    check(
        &[
            "Je voudrais parler à un conseiller",
            "passez-moi quelqu'un de votre équipe svp",
            "êtes-vous un robot ?",
            "Est-ce que quelqu'un peut m'aider ?",
            "C'est inadmissible, je suis très déçu !!!",
            "ça fait trois fois que je pose la question",
            "Quels sont vos horaires ?",
            "combien coûte l'abonnement pour 10 personnes ?",
            "où se trouve le service des ressources humaines ?",
        ],
        expect![[r#"
            Je voudrais parler à un conseiller                      human 1.00 ["person", "conseiller", "contact"]
            passez-moi quelqu'un de votre équipe svp                human 1.00 ["person", "contact", "equipe"] | frustrated 0.60 ["person+contact", "passez"]
            êtes-vous un robot ?                                    bot? 0.91 ["machine", "question", "robot"]
            Est-ce que quelqu'un peut m'aider ?                     -
            C'est inadmissible, je suis très déçu !!!               frustrated 1.00 ["profanity", "complaint", "cest"]
            ça fait trois fois que je pose la question              frustrated 0.72 ["fois", "trois", "que"]
            Quels sont vos horaires ?                               -
            combien coûte l'abonnement pour 10 personnes ?          sales 0.79 ["combien", "question", "personnes"]
            où se trouve le service des ressources humaines ?       -
        "#]],
    );
}

#[test]
fn the_embedded_models_load_and_round_trip() {
    let models = super::models();
    let names: Vec<&str> = models
        .models
        .iter()
        .map(|model| model.name.as_str())
        .collect();
    let expected: Vec<&str> = Kind::ALL.iter().map(|kind| kind.name()).collect();
    assert_eq!(names, expected);
    assert!(models.models.iter().all(|model| !model.buckets.is_empty()));
    assert_eq!(Models::decode(&models.encode()).as_ref(), Some(models));
    // A damaged file is refused rather than misread.
    let bytes = models.encode();
    assert_eq!(Models::decode(&bytes[..bytes.len() - 1]), None);
    assert_eq!(Models::decode(b"BSG2"), None);
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
