use expect_test::{Expect, expect};

use super::{Decision, Situation, Texts, decide, next_opening, with_grounded};
use crate::config::SiteConfig;
use crate::faq::FaqIndex;
use crate::grounding::GroundedAnswer;
use crate::protocol::{AnswerSource, Author, Choice, Message};
use crate::vocab::Locale;

/// Tuesday 24 November 2026, 11:00 in London: open.
const TUESDAY_11: u64 = 1_795_518_000_000;
/// Saturday 28 November 2026, 15:00 in London: closed since 14:00.
const SATURDAY_15: u64 = 1_795_878_000_000;
/// Christmas Day 2026, a Friday, 10:00: a holiday; Boxing Day and Sunday are closed too.
const CHRISTMAS_10: u64 = 1_798_192_800_000;

const ALL_TEAMS: &[&str] = &["sales", "support", "tech"];
const EMAIL_AND_ORDER: &[&str] = &["email", "order"];

fn demo() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("the demo site is valid")
}

struct Case<'a> {
    text: &'a str,
    now_ms: u64,
    teams_online: &'a [&'a str],
    fields_known: &'a [&'a str],
    transcript: Vec<Message>,
    chose_person: bool,
    locale: &'a str,
    /// What a grounded answerer said, applied with `with_grounded` after `decide`.
    grounded: Option<GroundedAnswer>,
}

impl<'a> Case<'a> {
    fn new(text: &'a str) -> Case<'a> {
        Case {
            text,
            now_ms: TUESDAY_11,
            teams_online: ALL_TEAMS,
            fields_known: EMAIL_AND_ORDER,
            transcript: Vec::new(),
            chose_person: false,
            locale: "en",
            grounded: None,
        }
    }
}

/// The decision, its intent, and the text the visitor reads (visitor in New York).
#[track_caller]
fn check(case: Case<'_>, expect: Expect) {
    let config = demo();
    let index = FaqIndex::for_site(&config);
    let situation = Situation {
        config: &config,
        index: &index,
        transcript: &case.transcript,
        visitor_text: case.text,
        now_ms: case.now_ms,
        teams_online: case.teams_online,
        fields_known: case.fields_known,
        visitor_chose_person: case.chose_person,
        faq_similarity: None,
        team: None,
    };
    let mut outcome = decide(&situation);
    if let Some(grounded) = &case.grounded {
        outcome = with_grounded(&situation, outcome, grounded);
    }
    let summary = match &outcome.decision {
        Decision::Answer {
            faq_entry,
            confidence,
        } => format!("answer {} {confidence:.2}", config.faq[*faq_entry].id),
        Decision::Clarify { options } => {
            let ids: Vec<&str> = options
                .iter()
                .map(|entry| config.faq[*entry].id.as_str())
                .collect();
            format!("clarify {ids:?}")
        }
        Decision::Grounded {
            confidence,
            sources,
            ..
        } => format!("grounded {sources:?} {confidence:.2}"),
        Decision::Fallback => "fallback".to_string(),
        Decision::Disclose => "disclose".to_string(),
        Decision::CollectContext { fields, handoff } => {
            format!("collect {fields:?} then {:?}", handoff.reason)
        }
        Decision::HandOff(handoff) => format!("hand off {:?}", handoff.reason),
        Decision::AfterHours {
            fields, handoff, ..
        } => format!("after hours {fields:?} for {:?}", handoff.reason),
    };
    let texts = Texts::for_locale(&Locale::from(case.locale));
    let text = texts.render(&config, &outcome.decision, Some("America/New_York"));
    let choices: Vec<String> = texts
        .choices(&config, &outcome.decision)
        .iter()
        .map(|choice| match choice {
            Choice::FaqEntry {
                faq_entry_id,
                label,
            } => format!("\n[{label}] answers {faq_entry_id}"),
            Choice::Person { label } => format!("\n[{label}] hands off"),
        })
        .collect();
    expect.assert_eq(&format!(
        "{summary} | intent {}\n{text}{}",
        outcome.intent.intent.name(),
        choices.concat()
    ));
}

fn unanswered(texts: &[&str]) -> Vec<Message> {
    let mut transcript = Vec::new();
    for (n, text) in texts.iter().enumerate() {
        let seq = transcript.len() as u64 + 1;
        transcript.push(Message {
            seq,
            author: Author::Visitor,
            author_name: None,
            text: text.to_string(),
            sent_at_ms: 0,
            client_message_id: Some(format!("c{n}")),
            handoff: None,
            event: None,
            choices: Vec::new(),
            choice: None,
            answer: None,
        });
        transcript.push(Message {
            seq: seq + 1,
            author: Author::Ai,
            author_name: None,
            text: "fallback".into(),
            sent_at_ms: 0,
            client_message_id: None,
            handoff: None,
            event: None,
            choices: Vec::new(),
            choice: None,
            answer: Some(AnswerSource {
                faq_entry_id: None,
                confidence: 0.0,
                sources: Vec::new(),
            }),
        });
    }
    transcript
}

#[test]
fn answers_and_clarifies() {
    check(
        Case::new("How long does shipping take?"),
        expect![[r#"
        answer delivery-times 1.00 | intent support
        Orders placed before 13:00 on a weekday are roasted and dispatched the same day. UK delivery takes 1-2 working days with Royal Mail Tracked 48, or the next working day with Express."#]],
    );
    check(
        Case::new("how do I cancel"),
        expect![[r#"
        answer subscription-cancel 0.77 | intent billing
        Pause, skip or cancel any time under Account → Subscription, at least 2 days before your next roast date. There's no minimum term and no cancellation fee."#]],
    );
    check(
        Case::new("zxqv blorp fnord"),
        expect![[r#"
        fallback | intent general
        Sorry, I don't have an answer for that yet. Could you put it another way? I can help with delivery, returns, pricing, subscriptions, booking a tasting and our opening hours."#]],
    );
}

#[test]
fn a_clarifying_question_lists_its_questions_and_offers_them_as_choices() {
    check(
        Case::new("how much is it"),
        expect![[r#"
            clarify ["subscription-pricing", "cafes-pricing", "delivery-cost"] | intent sales
            I want to get this right. Did you mean one of these?
            1. How much is a coffee subscription?
            2. How much does Fernleaf for Cafés cost?
            3. How much does delivery cost?
            If not, say so and I'll bring in a person.
            [How much is a coffee subscription?] answers subscription-pricing
            [How much does Fernleaf for Cafés cost?] answers cafes-pricing
            [How much does delivery cost?] answers delivery-cost
            [None of these] hands off"#]],
    );
    check(
        Case {
            locale: "fr",
            ..Case::new("how much is it")
        },
        expect![[r#"
            clarify ["subscription-pricing", "cafes-pricing", "delivery-cost"] | intent sales
            Je veux être sûr de bien répondre. Vouliez-vous parler de l'une de ces questions ?
            1. How much is a coffee subscription?
            2. How much does Fernleaf for Cafés cost?
            3. How much does delivery cost?
            Sinon, dites-le et je fais appel à une personne.
            [How much is a coffee subscription?] answers subscription-pricing
            [How much does Fernleaf for Cafés cost?] answers cafes-pricing
            [How much does delivery cost?] answers delivery-cost
            [Aucune de ces questions] hands off"#]],
    );
}

#[test]
fn every_handoff_reason() {
    check(
        Case::new("I want to talk to a real person"),
        expect![[r#"
        hand off AskedForPerson | intent general
        Of course. I'm bringing in someone from our Customer Care team; they usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case {
            chose_person: true,
            ..Case::new("hmm")
        },
        expect![[r#"
            hand off VisitorChose | intent general
            Of course. I'm bringing in someone from our Customer Care team; they usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case::new("THIS IS RIDICULOUS!!! my order never came"),
        expect![[r#"
            hand off Frustration | intent support
            I'm sorry this has been frustrating. I'm passing you to our Customer Care team now; they usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case::new("someone hacked my account"),
        expect![[r#"
        hand off Sensitive | intent support
        That needs someone who can look at your details securely, so I'm passing you to our Customer Care team. They usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case::new("can I get a custom quote for 12 cafés"),
        expect![[r#"
            hand off AlwaysTopic | intent sales
            That's one for our Sales team: someone will join to talk it through, usually within 3 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case::new("Do you offer a demo for enterprise groups?"),
        expect![[r#"
            hand off SalesMoment | intent sales
            That's one for our Sales team: someone will join to talk it through, usually within 3 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case {
            transcript: unanswered(&["blorp"]),
            ..Case::new("zxqv fnord")
        },
        expect![[r#"
            hand off UnansweredTurns | intent general
            I haven't been able to answer your questions, so I'm bringing in our Customer Care team. They usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case {
            transcript: unanswered(&["blorp"]),
            ..Case::new("which coffee is best for espresso")
        },
        expect![[r#"
            hand off LowConfidence | intent billing
            I'm not sure enough to answer that correctly, so I'm asking our Customer Care team to help. They usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
}

#[test]
fn context_is_collected_before_a_person_joins() {
    check(
        Case {
            fields_known: &[],
            ..Case::new("I need to speak to someone about my order")
        },
        expect![[r#"
            collect [1, 2] then AskedForPerson | intent support
            So our Customer Care team can help straight away, could you share your email and order number? Someone will then join, usually within 5 minutes."#]],
    );
}

#[test]
fn after_hours_and_nobody_available() {
    check(
        Case {
            now_ms: SATURDAY_15,
            ..Case::new("I want to talk to a person")
        },
        expect![[r#"
            after hours [] for AskedForPerson | intent general
            Our Customer Care team is offline right now and back on Monday 04:00 (your time). They will reply here then. They'll see this whole conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case {
            teams_online: &[],
            ..Case::new("I want to talk to a person")
        },
        expect![[r#"
            after hours [] for AskedForPerson | intent general
            Nobody from our Customer Care team is free right now. They will reply here as soon as someone is free. They'll see this whole conversation, so you won't need to repeat anything."#]],
    );
    check(
        Case {
            now_ms: SATURDAY_15,
            locale: "fr",
            ..Case::new("I want to talk to a person")
        },
        expect![[r#"
            after hours [] for AskedForPerson | intent general
            L'équipe Customer Care est absente pour le moment, de retour lundi à 04:00 (votre heure). L'équipe vous répondra ici à ce moment-là. Elle verra toute cette conversation : inutile de vous répéter."#]],
    );
}

#[test]
fn next_opening_skips_holidays_and_weekends() {
    let config = demo();
    let opening = next_opening(&config, CHRISTMAS_10).expect("an opening within a month");
    let described = super::hours::describe(&config, opening, None).expect("a time");
    expect!["Monday 09:00"].assert_eq(&described);
    assert!(!super::is_open(&config, CHRISTMAS_10));
    assert!(super::is_open(&config, TUESDAY_11));
}

#[test]
fn a_date_override_wins_over_the_weekday_and_the_holidays() {
    use crate::config::{DateOverride, Interval};
    let mut config = demo();
    let special = |date: &str, intervals: &[(&str, &str)]| DateOverride {
        date: date.into(),
        name: String::new(),
        intervals: intervals
            .iter()
            .map(|(opens, closes)| Interval {
                opens: (*opens).into(),
                closes: (*closes).into(),
            })
            .collect(),
    };
    config.business_hours.overrides = vec![
        // Tuesday 24 November closed all day (no intervals); Christmas Day open in the morning after all.
        special("2026-11-24", &[]),
        special("2026-12-25", &[("09:30", "12:00")]),
    ];
    assert!(!super::is_open(&config, TUESDAY_11));
    assert!(super::is_open(&config, CHRISTMAS_10));
    let opening = next_opening(&config, TUESDAY_11).expect("an opening within a month");
    let described = super::hours::describe(&config, opening, None).expect("a time");
    expect!["Wednesday 09:00"].assert_eq(&described);
}

#[test]
fn french_texts() {
    check(
        Case {
            locale: "fr",
            ..Case::new("THIS IS RIDICULOUS!!! my order never came")
        },
        expect![[r#"
            hand off Frustration | intent support
            Je suis désolé pour ce désagrément. Je vous mets en relation avec l'équipe Customer Care ; une personne répond en général sous 5 minutes. Elle verra cette conversation : inutile de vous répéter."#]],
    );
    check(
        Case {
            locale: "fr",
            ..Case::new("êtes-vous un robot ?")
        },
        expect![[r#"
            disclose | intent general
            Je suis l'assistant automatique de Fernleaf Coffee Co., pas une personne. Je réponds tout de suite à la plupart des questions ; si vous préférez échanger avec quelqu'un de l'équipe, choisissez « Parler à une personne ».
            [Parler à une personne] hands off"#]],
    );
}

#[test]
fn are_you_a_bot_is_answered_honestly() {
    check(
        Case::new("are you a real person?"),
        expect![[r#"
        disclose | intent general
        I'm Fernleaf Coffee Co.'s automated assistant, not a person. I can answer most questions straight away; if you'd rather talk to someone from the team, choose "Talk to a person".
        [Talk to a person] hands off"#]],
    );
    check(
        Case::new("am I chatting with a bot"),
        expect![[r#"
        disclose | intent general
        I'm Fernleaf Coffee Co.'s automated assistant, not a person. I can answer most questions straight away; if you'd rather talk to someone from the team, choose "Talk to a person".
        [Talk to a person] hands off"#]],
    );
    check(
        Case::new("how do I build a chatbot for my shop"),
        expect![[r#"
        answer shop-location 0.32 | intent general
        You'll find the roastery shop at 14 Mill Lane, Bristol BS1 4QR, five minutes' walk from Temple Meads station. Drop in during opening hours, no appointment needed."#]],
    );
}

#[track_caller]
fn check_instant(text: &str, expect: Expect) {
    let config = demo();
    let index = FaqIndex::for_site(&config);
    let answer = super::instant_answer(&config, &index, &[], text)
        .map(|(entry, confidence)| format!("{} ({confidence:.2})", config.faq[entry].id));
    expect.assert_eq(&answer.unwrap_or_else(|| "left to the worker".into()));
}

#[test]
fn the_widget_answers_only_confident_public_questions() {
    check_instant(
        "how long does delivery take?",
        expect!["delivery-times (1.00)"],
    );
    check_instant(
        "do you ship abroad",
        expect!["international-shipping (1.00)"],
    );
    check_instant(
        "I want to talk to a human about delivery",
        expect!["left to the worker"],
    );
    check_instant(
        "this is ridiculous, where is my order???",
        expect!["left to the worker"],
    );
    check_instant(
        "can I get a quote for 40 cafes",
        expect!["left to the worker"],
    );
    check_instant("what is the meaning of life", expect!["left to the worker"]);
}

#[test]
fn the_handoff_package_holds_everything_the_agent_needs() {
    let config = demo();
    let index = FaqIndex::for_site(&config);
    let answer = config
        .faq
        .iter()
        .find(|entry| entry.id == "delivery-times")
        .expect("the demo has the entry");
    let earlier = vec![
        message(1, Author::Visitor, "How long does delivery take?", None),
        message(2, Author::Ai, &answer.answer, Some("delivery-times")),
    ];
    let text = "It's been 9 days. I want to talk to a person about my order";
    let outcome = decide(&Situation {
        config: &config,
        index: &index,
        transcript: &earlier,
        visitor_text: text,
        now_ms: TUESDAY_11,
        teams_online: ALL_TEAMS,
        fields_known: EMAIL_AND_ORDER,
        visitor_chose_person: false,
        faq_similarity: None,
        team: None,
    });
    let Decision::HandOff(handoff) = &outcome.decision else {
        panic!("expected a handoff, got {:?}", outcome.decision);
    };
    let mut transcript = earlier.clone();
    transcript.push(message(3, Author::Visitor, text, None));
    let fields = vec![("Order number".to_string(), "FL-4411".to_string())];
    let package = super::HandoffPackage::build(
        &config,
        &super::VisitorContext {
            conversation_id: "c-1",
            name: Some("Ada"),
            email: Some("ada@example.com"),
            page_url: Some("https://fernleaf.example/orders"),
            referrer: Some("https://www.google.com/"),
            verified_user_id: None,
            timezone: Some("Europe/Paris"),
            fields: &fields,
            ..Default::default()
        },
        &transcript,
        outcome.intent.clone(),
        &outcome.hits,
        handoff,
        TUESDAY_11,
    );
    expect![[r#"
        {
          "conversation_id": "c-1",
          "visitor_name": "Ada",
          "visitor_email": "ada@example.com",
          "page_url": "https://fernleaf.example/orders",
          "referrer": "https://www.google.com/",
          "summary": "How long does delivery take? It's been 9 days. I want to talk to a person about my order",
          "intent": "support",
          "intent_confidence": 0.6089947,
          "topic": "How can I track my order?",
          "fields": [
            [
              "Order number",
              "FL-4411"
            ]
          ],
          "previous_answers": [
            "Orders placed before 13:00 on a weekday are roasted and dispatched the same day. UK delivery takes 1-2 working days with Royal Mail Tracked 48, or the next working day with Express."
          ],
          "reason": "asked_for_person",
          "team": [
            "support",
            "Customer Care"
          ],
          "visitor_local_time": "Tue 12:00, Europe/Paris",
          "handed_off_at_ms": 1795518000000,
          "queued": false
        }"#]].assert_eq(
        &serde_json::to_string_pretty(&package).expect("packages serialise"),
    );
}

fn message(seq: u64, author: Author, text: &str, faq_entry_id: Option<&str>) -> Message {
    Message {
        seq,
        author,
        author_name: None,
        text: text.to_string(),
        sent_at_ms: seq * 1_000,
        client_message_id: (author == Author::Visitor).then(|| format!("c{seq}")),
        handoff: None,
        event: None,
        choices: Vec::new(),
        choice: None,
        answer: faq_entry_id.map(|id| AnswerSource {
            faq_entry_id: Some(id.to_string()),
            confidence: 0.95,
            sources: Vec::new(),
        }),
    }
}

fn grounded(confidence: f32, needs_human: bool) -> Option<GroundedAnswer> {
    Some(GroundedAnswer {
        text: "Fernleaf for Cafés connects to Square and SumUp tills.".into(),
        confidence,
        sources: if needs_human {
            Vec::new()
        } else {
            vec!["kb:1.0".into()]
        },
        needs_human,
        reason: needs_human.then(|| "not in the passages".into()),
    })
}

#[test]
fn grounded_answers_fill_in_where_the_faq_has_none() {
    // Nothing in the FAQ: a confident grounded answer is given; a weak one leaves the fallback.
    let no_faq = "zxqv blorp fnord";
    check(
        Case {
            grounded: grounded(0.8, false),
            ..Case::new(no_faq)
        },
        expect![[r#"
            grounded ["kb:1.0"] 0.80 | intent general
            Fernleaf for Cafés connects to Square and SumUp tills."#]],
    );
    check(
        Case {
            grounded: grounded(0.2, false),
            ..Case::new(no_faq)
        },
        expect![[r#"
            fallback | intent general
            Sorry, I don't have an answer for that yet. Could you put it another way? I can help with delivery, returns, pricing, subscriptions, booking a tasting and our opening hours."#]],
    );
    // The answerer asks for a person: a handoff for low confidence, with the team and fields it needs.
    check(
        Case {
            grounded: grounded(0.1, true),
            fields_known: &[],
            ..Case::new(no_faq)
        },
        expect![[r#"
            hand off LowConfidence | intent general
            I'm not sure enough to answer that correctly, so I'm asking our Customer Care team to help. They usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
    // Unanswered turns were about to bring in a person; a confident grounded answer answers instead.
    check(
        Case {
            grounded: grounded(0.9, false),
            transcript: unanswered(&["qwerty asdf"]),
            ..Case::new(no_faq)
        },
        expect![[r#"
            grounded ["kb:1.0"] 0.90 | intent general
            Fernleaf for Cafés connects to Square and SumUp tills."#]],
    );
    // A confident FAQ answer and a request for a person are never overridden.
    check(
        Case {
            grounded: grounded(0.99, false),
            ..Case::new("How long does shipping take?")
        },
        expect![[r#"
            answer delivery-times 1.00 | intent support
            Orders placed before 13:00 on a weekday are roasted and dispatched the same day. UK delivery takes 1-2 working days with Royal Mail Tracked 48, or the next working day with Express."#]],
    );
    check(
        Case {
            grounded: grounded(0.99, false),
            ..Case::new("I want to talk to a human")
        },
        expect![[r#"
            hand off AskedForPerson | intent general
            Of course. I'm bringing in someone from our Customer Care team; they usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything."#]],
    );
}
