//! Each case drives a turn to its end with a scripted shell, and shows what the turn asked for, in order, and what
//! the visitor reads.

use expect_test::{Expect, expect};

use super::{Done, HandedOver, Io, Site, Step, Turn};
use crate::config::SiteConfig;
use crate::conversation::{AssignedAgent, Conversation, Opening};
use crate::faq::FaqIndex;
use crate::grounding::GroundedAnswer;
use crate::handoff::HandoffPackage;
use crate::inbox::Queued;
use crate::protocol::{AnswerSource, Choice, FieldValue, PostMessage, SubmitForm};

/// Tuesday 24 November 2026, 11:00 in London: open.
const TUESDAY_11: u64 = 1_795_518_000_000;
/// Saturday 28 November 2026, 15:00 in London: closed since 14:00.
const SATURDAY_15: u64 = 1_795_878_000_000;

fn demo() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("the demo site is valid")
}

/// What the scripted shell answers.
#[derive(Default)]
struct Shell {
    grounded: Option<GroundedAnswer>,
    teams_online: Vec<String>,
    package: Option<HandoffPackage>,
    handed: HandedOver,
}

fn conversation(site: &SiteConfig, now_ms: u64) -> Conversation {
    Conversation::open(
        site,
        Opening {
            id: "c1".into(),
            site_id: site.id.clone(),
            visitor_token: "t".into(),
            timezone: Some("America/New_York".into()),
            ..Opening::default()
        },
        now_ms,
    )
}

fn post(text: &str) -> PostMessage {
    PostMessage {
        client_message_id: format!("m-{text}"),
        text: text.into(),
        instant_answer: None,
        chose_person: false,
        choice: None,
    }
}

/// Runs a turn to its end; the log names each `Io` and then every message appended.
fn run(mut turn: Turn<'_>, shell: &Shell) -> (String, Done) {
    let mut log = Vec::new();
    let done = loop {
        match turn.poll() {
            Step::Io(Io::Ground { question }) => {
                log.push(format!("ground {question:?}"));
                turn.grounded(shell.grounded.clone());
            }
            Step::Io(Io::TeamsOnline) => {
                log.push("teams online?".to_string());
                turn.staffed(&shell.teams_online);
            }
            Step::Io(Io::ReadPackage) => {
                log.push("read package".to_string());
                turn.package_read(shell.package.clone());
            }
            Step::Io(Io::WritePackage(package)) => {
                log.push(format!(
                    "write package: {:?} to {:?}, email {:?}, queued {}",
                    package.reason,
                    package.team.as_ref().map(|(id, _)| id),
                    package.visitor_email,
                    package.queued
                ));
                turn.package_written();
            }
            Step::Io(Io::HandOver(hand_over)) => {
                log.push(format!(
                    "hand over to {:?} (reply in {} min), last seq {}",
                    hand_over.item.team, hand_over.team_reply_minutes, hand_over.item.last_seq
                ));
                turn.handed_over(shell.handed.clone());
            }
            Step::Done(done) => break done,
        }
    };
    for message in &done.messages {
        let notice = message.handoff.as_ref().map_or(String::new(), |notice| {
            format!(
                " [handoff {:?}, asks {:?}, queued {}, position {:?}]",
                notice.reason, notice.asks_for, notice.queued, notice.queue_position
            )
        });
        let chose = message
            .choice
            .as_ref()
            .map_or(String::new(), |id| format!(" [chose {id}]"));
        let choices = if message.choices.is_empty() {
            String::new()
        } else {
            let labels: Vec<String> = message.choices.iter().map(describe_choice).collect();
            format!("\n   choices: {}", labels.join(" | "))
        };
        log.push(format!(
            "{}. {:?}: {}{chose}{notice}{choices}",
            message.seq, message.author, message.text
        ));
    }
    if done.conversation.is_none() {
        log.push("(nothing to store)".into());
    }
    (log.join("\n"), done)
}

fn describe_choice(choice: &Choice) -> String {
    match choice {
        Choice::FaqEntry {
            faq_entry_id,
            label,
        } => format!("{faq_entry_id} {label:?}"),
        Choice::Person { label } => format!("person {label:?}"),
    }
}

/// A message's turn on the demo site.
fn message<'a>(
    site: &'a SiteConfig,
    index: &'a FaqIndex,
    conversation: Conversation,
    post: PostMessage,
    now_ms: u64,
) -> Turn<'a> {
    Turn::message(
        Site {
            config: site,
            index,
        },
        conversation,
        post,
        now_ms,
    )
    .expect("valid")
}

#[track_caller]
fn check_message(text: &str, now_ms: u64, shell: Shell, expect: Expect) {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let turn = message(
        &site,
        &index,
        conversation(&site, now_ms),
        post(text),
        now_ms,
    );
    expect.assert_eq(&run(turn, &shell).0);
}

#[test]
fn an_faq_answer_needs_nothing_from_the_shell() {
    check_message(
        "when are you open?",
        TUESDAY_11,
        Shell::default(),
        expect![[r#"
            2. Visitor: when are you open?
            3. Ai: Our roastery shop at 14 Mill Lane, Bristol is open Monday to Friday 8:00-18:00 and Saturday 9:00-16:00 (UK time). We are closed on Sundays and bank holidays. The online shop is open around the clock."#]],
    );
}

#[test]
fn no_answer_asks_the_grounded_answerer_and_falls_back_without_one() {
    check_message(
        "do you sell bicycles?",
        TUESDAY_11,
        Shell::default(),
        expect![[r#"
            ground "do you sell bicycles?"
            2. Visitor: do you sell bicycles?
            3. Ai: I want to get this right. Did you mean one of these?
            1. Do you sell wholesale coffee?
            2. Do you sell gift cards?
            If not, say so and I'll bring in a person.
               choices: wholesale "Do you sell wholesale coffee?" | gift-cards "Do you sell gift cards?" | person "None of these""#]],
    );
}

#[test]
fn a_grounded_answer_replaces_the_fallback() {
    check_message(
        "do you sell bicycles?",
        TUESDAY_11,
        Shell {
            grounded: Some(GroundedAnswer {
                text: "No, only coffee gear.".into(),
                confidence: 0.9,
                sources: vec!["Catalogue".into()],
                needs_human: false,
                reason: None,
            }),
            ..Shell::default()
        },
        expect![[r#"
            ground "do you sell bicycles?"
            2. Visitor: do you sell bicycles?
            3. Ai: No, only coffee gear."#]],
    );
}

#[test]
fn with_nobody_online_the_handoff_is_queued_and_asks_for_the_missing_fields() {
    check_message(
        "I want to talk to a person about my order",
        TUESDAY_11,
        Shell::default(),
        expect![[r#"
            teams online?
            write package: AskedForPerson to Some("support"), email None, queued true
            hand over to Some("support") (reply in 5 min), last seq 2
            2. Visitor: I want to talk to a person about my order
            3. System: Nobody from our Customer Care team is free right now. Leave your email and order number and they will reply as soon as someone is free. They'll see this whole conversation, so you won't need to repeat anything. [handoff AskedForPerson, asks ["email", "order"], queued true, position None]"#]],
    );
}

#[test]
fn nobody_online_in_hours_asks_the_inbox_then_hands_over_with_the_queue_place() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let mut conversation = conversation(&site, TUESDAY_11);
    conversation.set_field("email".into(), "ada@example.com");
    conversation.set_field("order".into(), "A-1");
    let turn = message(
        &site,
        &index,
        conversation,
        post("I want to talk to a person about my order"),
        TUESDAY_11,
    );
    let shell = Shell {
        teams_online: vec!["support".into()],
        handed: HandedOver {
            queued: Some(Queued {
                position: 2,
                expected_wait_ms: 240_000,
            }),
            assigned: None,
        },
        ..Shell::default()
    };
    let (log, done) = run(turn, &shell);
    expect![[r#"
        teams online?
        write package: AskedForPerson to Some("support"), email Some("ada@example.com"), queued false
        hand over to Some("support") (reply in 5 min), last seq 2
        2. Visitor: I want to talk to a person about my order
        3. System: Of course. I'm bringing in someone from our Customer Care team; they usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything. You're number 2 in the queue; the wait is about 4 min right now. [handoff AskedForPerson, asks [], queued false, position Some(2)]"#]]
    .assert_eq(&log);
    let stored = done.conversation.expect("stored");
    assert_eq!(stored.handed_over_at_ms, Some(TUESDAY_11));
    assert_eq!(stored.pending_handoff, None);
}

#[test]
fn an_agent_assigned_at_once_joins_in_the_same_turn() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let mut conversation = conversation(&site, SATURDAY_15);
    conversation.set_field("email".into(), "ada@example.com");
    let mut talk = post("Talk to a person");
    talk.chose_person = true;
    let turn = message(&site, &index, conversation, talk, TUESDAY_11);
    let shell = Shell {
        teams_online: vec!["sales".into(), "support".into(), "tech".into()],
        handed: HandedOver {
            queued: None,
            assigned: Some(AssignedAgent {
                id: "a1".into(),
                name: "Sam".into(),
            }),
        },
        ..Shell::default()
    };
    let (log, done) = run(turn, &shell);
    expect![[r#"
        teams online?
        write package: VisitorChose to Some("support"), email Some("ada@example.com"), queued false
        hand over to Some("support") (reply in 5 min), last seq 2
        2. Visitor: Talk to a person
        3. System: Of course. I'm bringing in someone from our Customer Care team; they usually reply within 5 minutes. They'll see this conversation, so you won't need to repeat anything. [handoff VisitorChose, asks [], queued false, position None]
        4. System: Sam joined the conversation."#]]
    .assert_eq(&log);
    assert_eq!(
        done.conversation
            .expect("stored")
            .agent
            .map(|agent| agent.id),
        Some("a1".to_string())
    );
}

#[test]
fn a_conversation_started_for_a_team_is_handed_to_that_team_whatever_the_intent() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    // A support question: handed to Customer Care, unless the conversation was started for Sales.
    let handed_to = |team: Option<&str>| {
        let mut conversation = conversation(&site, TUESDAY_11);
        conversation.requested_team = team.map(str::to_string);
        conversation.set_field("email".into(), "ada@example.com");
        conversation.set_field("order".into(), "A-1234");
        let mut talk = post("My order has not arrived, talk to a person");
        talk.chose_person = true;
        let turn = message(&site, &index, conversation, talk, TUESDAY_11);
        let shell = Shell {
            teams_online: vec!["sales".into(), "support".into(), "tech".into()],
            ..Shell::default()
        };
        let (log, _) = run(turn, &shell);
        log.lines()
            .find(|line| line.starts_with("hand over"))
            .unwrap_or("not handed over")
            .to_string()
    };
    expect![[r#"
        hand over to Some("support") (reply in 5 min), last seq 2
        hand over to Some("sales") (reply in 3 min), last seq 2"#]]
    .assert_eq(&format!(
        "{}\n{}",
        handed_to(None),
        handed_to(Some("sales"))
    ));
}

#[test]
fn after_hours_the_handoff_is_queued_until_the_team_is_back() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let mut conversation = conversation(&site, SATURDAY_15);
    conversation.set_field("email".into(), "ada@example.com");
    let turn = message(
        &site,
        &index,
        conversation,
        post("I need a custom quote for 40 cafés"),
        SATURDAY_15,
    );
    expect![[r#"
        write package: AlwaysTopic to Some("sales"), email Some("ada@example.com"), queued true
        hand over to Some("sales") (reply in 3 min), last seq 2
        2. Visitor: I need a custom quote for 40 cafés
        3. System: Our Sales team is offline right now and back on Monday 04:00 (your time). They will reply here then. They'll see this whole conversation, so you won't need to repeat anything. [handoff AlwaysTopic, asks [], queued true, position None]"#]]
    .assert_eq(&run(turn, &Shell::default()).0);
}

#[test]
fn a_retry_is_answered_from_the_transcript_and_stores_nothing() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let first = message(
        &site,
        &index,
        conversation(&site, TUESDAY_11),
        post("when are you open?"),
        TUESDAY_11,
    );
    let (_, done) = run(first, &Shell::default());
    let retry = message(
        &site,
        &index,
        done.conversation.expect("stored"),
        post("when are you open?"),
        TUESDAY_11 + 5_000,
    );
    expect![[r#"
        2. Visitor: when are you open?
        3. Ai: Our roastery shop at 14 Mill Lane, Bristol is open Monday to Friday 8:00-18:00 and Saturday 9:00-16:00 (UK time). We are closed on Sundays and bank holidays. The online shop is open around the clock.
        (nothing to store)"#]]
    .assert_eq(&run(retry, &Shell::default()).0);
}

#[test]
fn while_an_agent_has_the_conversation_baton_stays_quiet() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let mut conversation = conversation(&site, TUESDAY_11);
    conversation.agent = Some(AssignedAgent {
        id: "a1".into(),
        name: "Sam".into(),
    });
    let turn = message(
        &site,
        &index,
        conversation,
        post("when are you open?"),
        TUESDAY_11,
    );
    expect![[r#"2. Visitor: when are you open?"#]].assert_eq(&run(turn, &Shell::default()).0);
}

#[test]
fn an_instant_answer_is_recorded_from_the_site_and_an_unknown_one_refused() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let site_view = Site {
        config: &site,
        index: &index,
    };
    let mut instant = post("hours?");
    instant.instant_answer = Some(AnswerSource {
        faq_entry_id: Some(site.faq[0].id.clone()),
        confidence: 0.9,
        sources: Vec::new(),
    });
    let turn = message(
        &site,
        &index,
        conversation(&site, TUESDAY_11),
        instant.clone(),
        TUESDAY_11,
    );
    expect![[r#"
        2. Visitor: hours?
        3. Ai: Our roastery shop at 14 Mill Lane, Bristol is open Monday to Friday 8:00-18:00 and Saturday 9:00-16:00 (UK time). We are closed on Sundays and bank holidays. The online shop is open around the clock."#]]
    .assert_eq(&run(turn, &Shell::default()).0);

    instant.instant_answer.as_mut().expect("set").faq_entry_id = Some("nope".into());
    let refused = Turn::message(
        site_view,
        conversation(&site, TUESDAY_11),
        instant,
        TUESDAY_11,
    )
    .err()
    .expect("refused");
    expect![[r#"instant_answer.faq_entry_id: site "demo" has no FAQ entry "nope""#]].assert_eq(
        &refused
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    );
}

#[test]
fn the_email_typed_in_the_chat_lets_a_waiting_handoff_go_on() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let first = message(
        &site,
        &index,
        conversation(&site, TUESDAY_11),
        post("Can I talk to a person about a wholesale contract?"),
        TUESDAY_11,
    );
    let (log, done) = run(first, &Shell::default());
    expect![[r#"
        teams online?
        write package: AskedForPerson to Some("sales"), email None, queued true
        hand over to Some("sales") (reply in 3 min), last seq 2
        2. Visitor: Can I talk to a person about a wholesale contract?
        3. System: Nobody from our Sales team is free right now. Leave your email and they will reply as soon as someone is free. They'll see this whole conversation, so you won't need to repeat anything. [handoff AskedForPerson, asks ["email"], queued true, position None]"#]]
    .assert_eq(&log);
    let package = HandoffPackage {
        visitor_email: None,
        ..packaged(&site, &index)
    };
    let shell = Shell {
        teams_online: vec!["sales".into()],
        package: Some(package),
        ..Shell::default()
    };
    let second = message(
        &site,
        &index,
        done.conversation.expect("stored"),
        post("sure, it's ada@example.com"),
        TUESDAY_11 + 60_000,
    );
    expect![[r#"
        teams online?
        read package
        write package: AskedForPerson to Some("sales"), email Some("ada@example.com"), queued false
        hand over to Some("sales") (reply in 3 min), last seq 5
        4. Visitor: sure, it's ada@example.com
        5. System: Thanks, we have your details. Of course. I'm bringing in someone from our Sales team; they usually reply within 3 minutes. They'll see this conversation, so you won't need to repeat anything. [handoff AskedForPerson, asks [], queued false, position None]"#]]
    .assert_eq(&run(second, &shell).0);
}

/// A package as a first handoff of the demo site wrote it.
fn packaged(site: &SiteConfig, index: &FaqIndex) -> HandoffPackage {
    let turn = Turn::message(
        Site {
            config: site,
            index,
        },
        conversation(site, TUESDAY_11),
        post("Can I talk to a person about a wholesale contract?"),
        TUESDAY_11,
    )
    .expect("valid");
    let mut turn = turn;
    loop {
        match turn.poll() {
            Step::Io(Io::WritePackage(package)) => return *package,
            Step::Io(Io::TeamsOnline) => turn.staffed(&[]),
            Step::Io(Io::Ground { .. }) => turn.grounded(None),
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn the_form_acknowledges_its_fields_and_identify_refreshes_the_package() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let site_view = Site {
        config: &site,
        index: &index,
    };
    let form = SubmitForm {
        fields: vec![FieldValue {
            id: "name".into(),
            value: "  Ada ".into(),
        }],
        consent: false,
    };
    let turn =
        Turn::form(site_view, conversation(&site, TUESDAY_11), form, TUESDAY_11).expect("valid");
    let (log, done) = run(turn, &Shell::default());
    expect![[r#"read package"#]].assert_eq(&log);
    let stored = done.conversation.expect("stored");
    assert_eq!(stored.fields[0].value, "Ada");

    let unknown = SubmitForm {
        fields: vec![FieldValue {
            id: "shoe_size".into(),
            value: "42".into(),
        }],
        consent: false,
    };
    let refused = Turn::form(site_view, stored.clone(), unknown, TUESDAY_11)
        .err()
        .expect("refused");
    assert!(refused[0].to_string().contains("shoe_size"), "{refused:?}");

    let shell = Shell {
        package: Some(packaged(&site, &index)),
        ..Shell::default()
    };
    let turn = Turn::identify(
        site_view,
        stored,
        None,
        Some(" ada@example.com ".into()),
        Some("user-7".into()),
        std::collections::BTreeMap::from([("plan".to_string(), "pro".to_string())]),
        TUESDAY_11,
    );
    assert_eq!(turn.visitor().email.as_deref(), Some("ada@example.com"));
    expect![[r#"
        read package
        write package: AskedForPerson to Some("sales"), email Some("ada@example.com"), queued true"#]]
    .assert_eq(&run(turn, &shell).0);
}

/// A clarifying question on the demo site (nobody online, no grounded answer), as stored, and what the visitor reads.
fn clarified(site: &SiteConfig, index: &FaqIndex) -> (String, Conversation) {
    let turn = message(
        site,
        index,
        conversation(site, TUESDAY_11),
        post("how much is it"),
        TUESDAY_11,
    );
    let (log, done) = run(turn, &Shell::default());
    (log, done.conversation.expect("stored"))
}

/// A tap on a choice: the label as the text, and the entry's id.
fn tap(label: &str, faq_entry_id: &str) -> PostMessage {
    PostMessage {
        choice: Some(faq_entry_id.into()),
        ..post(label)
    }
}

#[test]
fn a_clarifying_question_offers_its_entries_and_a_person_as_choices() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    expect![[r#"
        ground "how much is it"
        2. Visitor: how much is it
        3. Ai: I want to get this right. Did you mean one of these?
        1. How much is a coffee subscription?
        2. How much does Fernleaf for Cafés cost?
        3. How much does delivery cost?
        If not, say so and I'll bring in a person.
           choices: subscription-pricing "How much is a coffee subscription?" | cafes-pricing "How much does Fernleaf for Cafés cost?" | delivery-cost "How much does delivery cost?" | person "None of these""#]]
    .assert_eq(&clarified(&site, &index).0);
}

#[test]
fn a_tapped_choice_that_was_offered_answers_its_entry() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let (_, clarified) = clarified(&site, &index);
    // The widget, which shows the answer at once, asks the same question of the same transcript.
    let position = site
        .faq
        .iter()
        .position(|entry| entry.id == "delivery-cost");
    assert_eq!(
        crate::handoff::chosen_entry(&site, &clarified.transcript.messages, "delivery-cost"),
        position
    );
    // The text alone would not say which: the tap does.
    let turn = message(
        &site,
        &index,
        clarified,
        tap("that one", "delivery-cost"),
        TUESDAY_11 + 5_000,
    );
    let (log, done) = run(turn, &Shell::default());
    expect![[r#"
        4. Visitor: that one [chose delivery-cost]
        5. Ai: UK delivery is £3.95, or free on orders over £35. Express next-day delivery is £6.95. Subscriptions always ship free."#]]
    .assert_eq(&log);
    expect![[r#"
        Some(
            AnswerSource {
                faq_entry_id: Some(
                    "delivery-cost",
                ),
                confidence: 1.0,
                sources: [],
            },
        )
    "#]]
    .assert_debug_eq(&done.messages[1].answer);
}

#[test]
fn a_choice_that_was_not_offered_is_decided_on_its_text() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let (_, clarified) = clarified(&site, &index);
    // An entry the site has but the question did not offer, then one the site does not have: neither is an error,
    // and neither is kept on the visitor's message.
    for choice in ["opening-hours", "no-such-entry"] {
        let turn = message(
            &site,
            &index,
            clarified.clone(),
            tap("How long does shipping take?", choice),
            TUESDAY_11 + 5_000,
        );
        expect![[r#"
            4. Visitor: How long does shipping take?
            5. Ai: Orders placed before 13:00 on a weekday are roasted and dispatched the same day. UK delivery takes 1-2 working days with Royal Mail Tracked 48, or the next working day with Express."#]]
        .assert_eq(&run(turn, &Shell::default()).0);
    }
    // Offered by an older answer, not the latest: decided on the text too.
    let answered = message(
        &site,
        &index,
        clarified,
        post("How long does shipping take?"),
        TUESDAY_11 + 5_000,
    );
    let (_, done) = run(answered, &Shell::default());
    let turn = message(
        &site,
        &index,
        done.conversation.expect("stored"),
        tap("zxqv blorp", "delivery-cost"),
        TUESDAY_11 + 10_000,
    );
    expect![[r#"
        ground "zxqv blorp"
        6. Visitor: zxqv blorp
        7. Ai: Sorry, I don't have an answer for that yet. Could you put it another way? I can help with delivery, returns, pricing, subscriptions, booking a tasting and our opening hours."#]]
    .assert_eq(&run(turn, &Shell::default()).0);
}

#[test]
fn the_person_choice_hands_off() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let (_, clarified) = clarified(&site, &index);
    let none_of_these = PostMessage {
        chose_person: true,
        ..post("None of these")
    };
    let turn = message(&site, &index, clarified, none_of_these, TUESDAY_11 + 5_000);
    expect![[r#"
        teams online?
        write package: VisitorChose to Some("support"), email None, queued true
        hand over to Some("support") (reply in 5 min), last seq 4
        4. Visitor: None of these
        5. System: Nobody from our Customer Care team is free right now. Leave your email and they will reply as soon as someone is free. They'll see this whole conversation, so you won't need to repeat anything. [handoff VisitorChose, asks ["email"], queued true, position None]"#]]
    .assert_eq(&run(turn, &Shell::default()).0);
}

#[test]
fn a_choice_is_checked_like_every_field() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let site_view = Site {
        config: &site,
        index: &index,
    };
    let refused = |post: PostMessage| -> String {
        Turn::message(site_view, conversation(&site, TUESDAY_11), post, TUESDAY_11)
            .err()
            .expect("refused")
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    };
    expect!["choice: must name the FAQ entry tapped"].assert_eq(&refused(tap("hi", " ")));
    expect!["choice: must be at most 64 characters"]
        .assert_eq(&refused(tap("hi", &"x".repeat(65))));
    let both = PostMessage {
        chose_person: true,
        ..tap("None of these", "delivery-cost")
    };
    expect!["choice: must not be given with chose_person (a person is a choice of its own)"]
        .assert_eq(&refused(both));
}

#[test]
fn are_you_a_bot_gets_the_honest_answer_and_a_person_on_request() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let turn = message(
        &site,
        &index,
        conversation(&site, TUESDAY_11),
        post("are you a bot?"),
        TUESDAY_11,
    );
    let (log, done) = run(turn, &Shell::default());
    expect![[r#"
        2. Visitor: are you a bot?
        3. Ai: I'm Fernleaf Coffee Co.'s automated assistant, not a person. I can answer most questions straight away; if you'd rather talk to someone from the team, choose "Talk to a person".
           choices: person "Talk to a person""#]].assert_eq(&log);
    // Tapping the offered person hands off, like the "Talk to a person" button.
    let talk = PostMessage {
        chose_person: true,
        ..post("Talk to a person")
    };
    let turn = message(
        &site,
        &index,
        done.conversation.expect("stored"),
        talk,
        TUESDAY_11 + 5_000,
    );
    expect![[r#"
        teams online?
        write package: VisitorChose to Some("support"), email None, queued true
        hand over to Some("support") (reply in 5 min), last seq 4
        4. Visitor: Talk to a person
        5. System: Nobody from our Customer Care team is free right now. Leave your email and they will reply as soon as someone is free. They'll see this whole conversation, so you won't need to repeat anything. [handoff VisitorChose, asks ["email"], queued true, position None]"#]].assert_eq(&run(turn, &Shell::default()).0);
    // "How do I build a bot" is a question like any other, and a plain request for a person hands off at once.
    check_message(
        "how do I build a bot for my shop",
        TUESDAY_11,
        Shell::default(),
        expect![[r#"
            2. Visitor: how do I build a bot for my shop
            3. Ai: You'll find the roastery shop at 14 Mill Lane, Bristol BS1 4QR, five minutes' walk from Temple Meads station. Drop in during opening hours, no appointment needed."#]],
    );
    check_message(
        "gimme a real human",
        TUESDAY_11,
        Shell::default(),
        expect![[r#"
            teams online?
            write package: AskedForPerson to Some("support"), email None, queued true
            hand over to Some("support") (reply in 5 min), last seq 2
            2. Visitor: gimme a real human
            3. System: Nobody from our Customer Care team is free right now. Leave your email and they will reply as soon as someone is free. They'll see this whole conversation, so you won't need to repeat anything. [handoff AskedForPerson, asks ["email"], queued true, position None]"#]],
    );
}

#[test]
fn typing_none_of_these_after_a_clarifying_question_hands_off() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let (_, clarified) = clarified(&site, &index);
    // The question promises "If not, say so and I'll bring in a person": typed, not tapped, it still holds.
    let turn = message(
        &site,
        &index,
        clarified,
        post("None of them."),
        TUESDAY_11 + 5_000,
    );
    expect![[r#"
        teams online?
        write package: VisitorChose to Some("support"), email None, queued true
        hand over to Some("support") (reply in 5 min), last seq 4
        4. Visitor: None of them.
        5. System: Nobody from our Customer Care team is free right now. Leave your email and they will reply as soon as someone is free. They'll see this whole conversation, so you won't need to repeat anything. [handoff VisitorChose, asks ["email"], queued true, position None]"#]].assert_eq(&run(turn, &Shell::default()).0);
    // Without a clarifying question just before, "no" is a message like any other.
    check_message(
        "no",
        TUESDAY_11,
        Shell::default(),
        expect![[r#"
        ground "no"
        2. Visitor: no
        3. Ai: Sorry, I don't have an answer for that yet. Could you put it another way? I can help with delivery, returns, pricing, subscriptions, booking a tasting and our opening hours."#]],
    );
}

fn campaigns_site() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../tests/sites/campaigns.json"))
        .expect("the campaigns test site is valid")
}

/// A campaign's handoff: its team, asked who is online, the package's topic the campaign's name, and the visitor
/// told like any handoff; queued when nobody of the team is online, and a waiting handoff stays with that team.
#[test]
fn a_campaign_hands_over_to_its_own_team_with_its_name_as_topic() {
    let site = campaigns_site();
    let index = FaqIndex::for_site(&site);
    let site_view = Site {
        config: &site,
        index: &index,
    };
    let campaign_ref = crate::protocol::CampaignRef {
        id: "talk-to-sales".into(),
        variant: None,
    };
    let campaign = crate::handoff::opening_campaign(&site, Some(&campaign_ref))
        .expect("known")
        .expect("a handoff campaign");
    // Tuesday 28 January 2031, 11:00 in Paris: open.
    let open = 1_927_360_800_000;
    let mut stored = conversation(&site, open);
    stored.campaign = Some(campaign_ref);
    let online = Shell {
        teams_online: vec!["sales".into()],
        ..Shell::default()
    };
    let (log, done) = run(
        Turn::campaign(site_view, stored.clone(), campaign.clone(), open),
        &online,
    );
    expect![[r#"
        teams online?
        write package: Campaign to Some("sales"), email None, queued false
        hand over to Some("sales") (reply in 3 min), last seq 1
        2. System: I'm bringing in someone from our Sales team; they usually reply within 3 minutes. They'll see this conversation, so you won't need to repeat anything. [handoff Campaign, asks [], queued false, position None]"#]]
    .assert_eq(&log);
    assert!(
        done.conversation
            .expect("stored")
            .handed_over_at_ms
            .is_some()
    );
    // Nobody of Sales online: queued, and the email the reply needs is asked for.
    let (log, done) = run(
        Turn::campaign(site_view, stored, campaign, open),
        &Shell::default(),
    );
    expect![[r#"
        teams online?
        write package: Campaign to Some("sales"), email None, queued true
        hand over to Some("sales") (reply in 3 min), last seq 1
        2. System: Nobody from our Sales team is free right now. Leave your email and they will reply as soon as someone is free. They'll see this whole conversation, so you won't need to repeat anything. [handoff Campaign, asks ["email"], queued true, position None]"#]]
    .assert_eq(&log);
    let waiting = done.conversation.expect("stored");
    let pending = waiting
        .pending_handoff
        .clone()
        .expect("waits for the email");
    assert_eq!(
        pending.team,
        Some(0),
        "still Sales, whatever the intent would pick"
    );
}
