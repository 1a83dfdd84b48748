//! Each case plays real turns of the demo site (and the changes agents and the inbox make, as the worker makes them)
//! and shows the events each change makes, one line per event: its id after the conversation's, its time after
//! the conversation's start, actor, team and agent, and what it says.

use expect_test::{Expect, expect};

use super::{Retention, changes, expired};
use crate::config::SiteConfig;
use crate::conversation::{AssignedAgent, Conversation, Opening};
use crate::faq::FaqIndex;
use crate::handoff::{HandoffPackage, Texts};
use crate::metrics::facts::ConversationFacts;
use crate::metrics::{Event, ledger};
use crate::protocol::live::CloseOutcome;
use crate::protocol::metrics::TrackGoal;
use crate::protocol::{
    AnswerSource, CampaignEvent, CampaignEvents, CampaignRef, CampaignWhat, ConversationEvent,
    PostMessage, SubmitForm, SubmitLead,
};
use crate::turn::{HandedOver, Io, Site, Step, Turn};

/// Tuesday 24 November 2026, 11:00 in London: open.
const TUESDAY_11: u64 = 1_795_518_000_000;
/// Saturday 28 November 2026, 15:00 in London: closed since 14:00.
const SATURDAY_15: u64 = 1_795_878_000_000;

fn demo() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../../sites/demo.json"))
        .expect("the demo site is valid")
}

/// The worker's side of a conversation: it stores each change and keeps the events each one made.
struct Room<'a> {
    site: &'a SiteConfig,
    index: &'a FaqIndex,
    conversation: Conversation,
    /// The package the last handoff wrote, as KV would give it back.
    package: Option<HandoffPackage>,
    teams_online: Vec<String>,
    handed: HandedOver,
    ledger: Vec<Event>,
}

impl<'a> Room<'a> {
    fn open(
        site: &'a SiteConfig,
        index: &'a FaqIndex,
        opening: Opening,
        now_ms: u64,
    ) -> (Room<'a>, String) {
        let conversation = Conversation::open(site, opening, now_ms);
        let events = changes(site, None, &conversation, now_ms);
        let shown = show(&events, conversation.created_at_ms);
        let room = Room {
            site,
            index,
            conversation,
            package: None,
            teams_online: Vec::new(),
            handed: HandedOver::default(),
            ledger: events,
        };
        (room, shown)
    }

    /// The events of a change made to the stored conversation, as the worker stores it.
    fn change(&mut self, now_ms: u64, change: impl FnOnce(&mut Conversation, Texts)) -> String {
        let mut after = self.conversation.clone();
        change(&mut after, Texts::for_locale(&self.site.locale));
        self.store(after, now_ms)
    }

    fn say(&mut self, now_ms: u64, post: PostMessage) -> String {
        let site = Site {
            config: self.site,
            index: self.index,
        };
        let turn = Turn::message(site, self.conversation.clone(), post, now_ms).expect("valid");
        self.turn(turn, now_ms)
    }

    fn form(&mut self, now_ms: u64, form: SubmitForm) -> String {
        let site = Site {
            config: self.site,
            index: self.index,
        };
        let turn = Turn::form(site, self.conversation.clone(), form, now_ms).expect("valid");
        self.turn(turn, now_ms)
    }

    /// Plays a turn to its end, answering what it asks like the worker would, and stores what it gives.
    fn turn(&mut self, mut turn: Turn<'_>, now_ms: u64) -> String {
        let done = loop {
            match turn.poll() {
                Step::Io(Io::Ground { .. }) => turn.grounded(None),
                Step::Io(Io::TeamsOnline) => turn.staffed(&self.teams_online),
                Step::Io(Io::ReadPackage) => turn.package_read(self.package.clone()),
                Step::Io(Io::WritePackage(package)) => {
                    self.package = Some(*package);
                    turn.package_written();
                }
                Step::Io(Io::HandOver(_)) => turn.handed_over(self.handed.clone()),
                Step::Done(done) => break done,
            }
        };
        match done.conversation {
            Some(after) => self.store(after, now_ms),
            None => "(nothing stored)".into(),
        }
    }

    fn store(&mut self, after: Conversation, now_ms: u64) -> String {
        let events = changes(self.site, Some(&self.conversation), &after, now_ms);
        // Deriving the same change again gives the same events, ids included.
        assert_eq!(
            events,
            changes(self.site, Some(&self.conversation), &after, now_ms)
        );
        self.conversation = after;
        let shown = show(&events, self.conversation.created_at_ms);
        self.ledger.extend(events);
        shown
    }
}

/// One line per event: id (after the conversation's), time after `start_ms`, actor, team, agent, and the rest.
fn show(events: &[Event], start_ms: u64) -> String {
    let lines: Vec<String> = events
        .iter()
        .map(|event| {
            let id = match &event.conversation_id {
                Some(conversation) => event
                    .id
                    .strip_prefix(&format!("{conversation}:"))
                    .unwrap_or(&event.id),
                None => &event.id,
            };
            // Through the text, as the ledger stores it: an f32 confidence as written (0.9, not 0.8999999761…).
            let text = serde_json::to_string(&event.kind).expect("events serialise");
            let mut kind: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let name = kind
                .as_object_mut()
                .and_then(|fields| fields.remove("kind"))
                .and_then(|name| name.as_str().map(str::to_string))
                .unwrap_or_default();
            let mut line = format!(
                "{id} +{}s {:?} {name}",
                event.at_ms.saturating_sub(start_ms) / 1_000,
                event.actor
            );
            if kind.as_object().is_some_and(|fields| !fields.is_empty()) {
                line.push_str(&format!(" {kind}"));
            }
            for (label, value) in [("team", &event.team), ("agent", &event.agent)] {
                if let Some(value) = value {
                    line.push_str(&format!(" {label}={value}"));
                }
            }
            line
        })
        .collect();
    lines.join("\n")
}

#[track_caller]
fn check(shown: String, expect: Expect) {
    expect.assert_eq(&shown);
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

fn opening(id: &str) -> Opening {
    Opening {
        id: id.into(),
        site_id: "demo".into(),
        visitor_token: "vt-secret".into(),
        page_url: Some("https://fernleaf.example/pricing".into()),
        referrer: Some("https://search.example/?q=coffee".into()),
        timezone: Some("Europe/London".into()),
        campaign: Some(CampaignRef {
            id: "pricing-help".into(),
            variant: None,
        }),
        visitor_id: Some("v-1234567890".into()),
        requested_team: None,
    }
}

fn ana() -> AssignedAgent {
    AssignedAgent {
        id: "agent-ana".into(),
        name: "Ana".into(),
    }
}

#[test]
fn a_conversation_from_its_start_to_its_rating() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let start = TUESDAY_11;
    let (mut room, opened) = Room::open(&site, &index, opening("c1"), start);
    check(
        opened,
        expect![[
            r#"started +0s Visitor conversation_started {"campaign":"pricing-help","page_url":"https://fernleaf.example/pricing","referrer":"https://search.example/?q=coffee"}"#
        ]],
    );

    let mut instant = post("hours?");
    instant.instant_answer = Some(AnswerSource {
        faq_entry_id: Some("opening-hours".into()),
        confidence: 0.9,
        sources: Vec::new(),
    });
    check(
        room.say(start + 10_000, instant),
        expect![[r#"
            000002 +10s Visitor visitor_message {"seq":2}
            000003 +10s Ai instant_answer {"confidence":0.9,"faq_entry_id":"opening-hours","seq":3}"#]],
    );
    check(
        room.say(start + 15_000, post("are you a bot?")),
        expect![[r#"
            000004 +15s Visitor visitor_message {"seq":4}
            000005 +15s Ai ai_answer {"confidence":0.0,"seq":5,"source":"disclosure"}"#]],
    );
    check(
        room.say(start + 20_000, post("How long does shipping take?")),
        expect![[r#"
            000006 +20s Visitor visitor_message {"seq":6}
            000007 +20s Ai ai_answer {"confidence":0.99964213,"seq":7,"source":"faq"}"#]],
    );
    check(
        room.say(start + 25_000, post("zxqv blorp")),
        expect![[r#"
            000008 +25s Visitor visitor_message {"seq":8}
            000009 +25s Ai fallback {"seq":9,"text":"zxqv blorp"}"#]],
    );
    check(
        room.say(start + 30_000, post("Do you sell gift cards?")),
        expect![[r#"
            000010 +30s Visitor visitor_message {"seq":10}
            000011 +30s Ai ai_answer {"confidence":0.9997274,"seq":11,"source":"faq"}"#]],
    );
    check(
        room.say(start + 35_000, post("how much is it")),
        expect![[r#"
            000012 +35s Visitor visitor_message {"seq":12}
            000013 +35s Ai clarify {"seq":13,"text":"how much is it"}"#]],
    );
    // Nobody from Sales is online: queued, and asked for an email.
    check(
        room.say(
            start + 60_000,
            post("Can I talk to a person about a wholesale contract?"),
        ),
        expect![[r#"
            000014 +60s Visitor visitor_message {"seq":14}
            handoff:1795518060000 +60s Visitor handoff {"after_hours":false,"intent":"sales","queued":true,"reason":"asked_for_person"} team=sales"#]],
    );
    // The email typed in the chat: the handoff goes on, now that Sales is online.
    room.teams_online = vec!["sales".into()];
    check(
        room.say(start + 70_000, post("sure, it's ada@example.com")),
        expect![[r#"
            000016 +70s Visitor visitor_message {"seq":16} team=sales
            handoff:1795518070000 +70s Visitor handoff {"after_hours":false,"intent":"sales","queued":true,"reason":"asked_for_person"} team=sales
            identified:1795518070000 +70s Visitor visitor_identified {"email":"ada@example.com"} team=sales"#]],
    );
    check(
        room.change(start + 100_000, |conversation, texts| {
            conversation.agent_joins(texts, ana(), start + 100_000);
        }),
        expect!["000018 +100s Agent agent_joined team=sales agent=agent-ana"],
    );
    check(
        room.change(start + 130_000, |conversation, _| {
            conversation.transcript.push_agent(
                "Ana",
                "a1".into(),
                "Hi Ada, happy to help.".into(),
                start + 130_000,
            );
        }),
        expect![[r#"000019 +130s Agent agent_reply {"seq":19} team=sales agent=agent-ana"#]],
    );
    // Transferred to Customer Care, with nobody assigned.
    check(
        room.change(start + 200_000, |conversation, texts| {
            conversation.agent = None;
            conversation.team = Some("support".into());
            conversation.transcript.push_event(
                texts.transferred("Customer Care"),
                ConversationEvent::Transferred {
                    team: "Customer Care".into(),
                },
                None,
                start + 200_000,
            );
        }),
        expect![[
            r#"000020 +200s Agent transfer {"from_team":"sales","to_team":"support"} team=support agent=agent-ana"#
        ]],
    );
    check(
        room.change(start + 600_000, |conversation, texts| {
            conversation.transcript.push_event(
                texts.missed(false),
                ConversationEvent::Missed { asks_email: false },
                None,
                start + 600_000,
            );
        }),
        expect!["000021 +600s System missed team=support"],
    );
    let bo = AssignedAgent {
        id: "agent-bo".into(),
        name: "Bo".into(),
    };
    room.change(start + 700_000, |conversation, texts| {
        conversation.agent_joins(texts, bo, start + 700_000);
    });
    check(
        room.change(start + 900_000, |conversation, texts| {
            conversation.transcript.push_event(
                texts.closed("Bo"),
                ConversationEvent::Closed {
                    outcome: CloseOutcome::Converted,
                },
                Some("Bo".into()),
                start + 900_000,
            );
            conversation.agent = None;
            conversation.closed = Some(CloseOutcome::Converted);
        }),
        expect![[
            r#"000023 +900s Agent closed {"by":"agent","outcome":"converted"} team=support agent=agent-bo"#
        ]],
    );
    check(
        room.change(start + 960_000, |conversation, _| {
            conversation.csat = Some(4);
        }),
        expect![[r#"rating:1795518960000 +960s Visitor rating {"score":4} team=support"#]],
    );
    // Nothing changed, nothing recorded.
    check(room.change(start + 990_000, |_, _| {}), expect![""]);

    // Only the kinds erasure looks at carry personal fields.
    for event in &room.ledger {
        let json = serde_json::to_value(event).expect("events serialise");
        let personal = ledger::PERSONAL_EVENT_FIELDS
            .iter()
            .any(|field| json.get(field).is_some());
        if personal {
            assert!(
                ledger::PERSONAL_KINDS.contains(&event.kind.name()),
                "{json}"
            );
        }
    }

    // The facts the figures read, folded from those events.
    let facts = ConversationFacts::from_events(&room.ledger).expect("started");
    expect![[r#"
        {
          "conversation_id": "c1",
          "site_id": "demo",
          "visitor_id": "v-1234567890",
          "email": "ada@example.com",
          "started_ms": 1795518000000,
          "page_url": "https://fernleaf.example/pricing",
          "campaign": "pricing-help",
          "visitor_messages": 8,
          "first_visitor_message_ms": 1795518010000,
          "last_visitor_message_ms": 1795518070000,
          "automatic_answers": 6,
          "unanswered": [
            "zxqv blorp",
            "how much is it"
          ],
          "handoff": {
            "at_ms": 1795518060000,
            "reason": "asked_for_person",
            "team": "sales",
            "intent": "sales",
            "queued": true,
            "after_hours": false,
            "clock_from_ms": 1795518060000
          },
          "team": "support",
          "agent": "agent-bo",
          "first_agent_reply_ms": 1795518130000,
          "agent_replies": 1,
          "missed": true,
          "closed": {
            "at_ms": 1795518900000,
            "outcome": "converted",
            "by": "agent"
          },
          "rating": 4,
          "lead": false,
          "last_event_ms": 1795518960000
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&facts).expect("facts serialise"));
}

#[test]
fn an_after_hours_handoff_says_when_the_team_opens_and_an_assigned_one_is_not_queued() {
    let site = demo();
    let index = FaqIndex::for_site(&site);
    let (mut room, _) = Room::open(&site, &index, opening("c2"), SATURDAY_15);
    check(
        room.say(
            SATURDAY_15 + 5_000,
            post("I want to talk to a person about my order"),
        ),
        expect![[r#"
            000002 +5s Visitor visitor_message {"seq":2}
            handoff:1795878005000 +5s Visitor handoff {"after_hours":true,"intent":"support","opens_at_ms":1796029200000,"queued":true,"reason":"asked_for_person"} team=support"#]],
    );

    // Auto-assigned at once, in business hours: the agent joins in the same change.
    let (mut room, _) = Room::open(&site, &index, opening("c3"), TUESDAY_11);
    room.teams_online = vec!["sales".into()];
    room.handed = HandedOver {
        queued: None,
        assigned: Some(ana()),
    };
    room.form(
        TUESDAY_11 + 1_000,
        SubmitForm {
            fields: vec![crate::protocol::FieldValue {
                id: "email".into(),
                value: "bo@example.com".into(),
            }],
            consent: false,
        },
    );
    check(
        room.say(
            TUESDAY_11 + 5_000,
            post("Can I talk to a person about a wholesale contract?"),
        ),
        expect![[r#"
            000002 +5s Visitor visitor_message {"seq":2}
            handoff:1795518005000 +5s Visitor handoff {"after_hours":false,"intent":"sales","queued":false,"reason":"asked_for_person"} team=sales
            000004 +5s Agent agent_joined team=sales agent=agent-ana"#]],
    );
}

#[test]
fn a_lead_conversation_a_script_and_the_end_of_retention() {
    let site = demo();
    // A lead form with a team, as the room opens it: no greeting, the form as the visitor's message.
    let mut lead = Conversation::open(
        &site,
        Opening {
            campaign: Some(CampaignRef {
                id: "exit-wholesale".into(),
                variant: Some("b".into()),
            }),
            ..opening("c4")
        },
        TUESDAY_11,
    );
    lead.transcript = Default::default();
    lead.visitor.email = Some("lee@example.com".into());
    lead.transcript.push_visitor(
        Conversation::lead_message_id("c4"),
        "Wholesale: 40 cafés".into(),
        TUESDAY_11,
    );
    check(
        show(&changes(&site, None, &lead, TUESDAY_11), TUESDAY_11),
        expect![[r#"
            started +0s Visitor conversation_started {"campaign":"exit-wholesale","page_url":"https://fernleaf.example/pricing","referrer":"https://search.example/?q=coffee","variant":"b"}
            lead +0s Visitor lead {"campaign":"exit-wholesale","variant":"b"}
            000001 +0s Visitor visitor_message {"seq":1}
            identified:1795518000000 +0s Visitor visitor_identified {"email":"lee@example.com"}"#]],
    );

    // A script's conversation has no browser id: a digest of its token stands in, never the token.
    let script = Conversation::open(
        &site,
        Opening {
            visitor_id: None,
            ..opening("c5")
        },
        TUESDAY_11,
    );
    expect!["token-d576fef3e4224a99580a54cf"].assert_eq(&ledger::visitor_id(&script));

    // Never closed: closed by the clock when its retention ends; a closed one is not closed again.
    let at = TUESDAY_11 + 30 * 24 * 3_600_000;
    check(
        show(
            &expired(&script, at).into_iter().collect::<Vec<_>>(),
            TUESDAY_11,
        ),
        expect![[r#"expired +2592000s System closed {"by":"timeout"}"#]],
    );
    let closed = Conversation {
        closed: Some(CloseOutcome::Resolved),
        ..script
    };
    assert_eq!(expired(&closed, at), None);

    expect![[r#"
        Retention {
            delete_before_ms: 1761390000000,
            strip_before_ms: 1792926000000,
        }
    "#]]
    .assert_debug_eq(&Retention::of(&site, TUESDAY_11));
}

#[test]
fn beacons_make_events_with_ids_a_resent_beacon_repeats() {
    let batch = CampaignEvents {
        visitor: "v-1234567890".into(),
        events: vec![
            CampaignEvent {
                campaign: "pricing-help".into(),
                variant: None,
                held_out: false,
                what: CampaignWhat::Shown,
                at_ms: TUESDAY_11 - 60_000,
            },
            CampaignEvent {
                campaign: "club-banner".into(),
                variant: Some("b".into()),
                held_out: true,
                what: CampaignWhat::Clicked,
                // The browser's clock runs ahead: the event is put at the request's time.
                at_ms: TUESDAY_11 + 5_000,
            },
            // Counted by the worker, not the browser: ignored.
            CampaignEvent {
                campaign: "pricing-help".into(),
                variant: None,
                held_out: false,
                what: CampaignWhat::Handoff,
                at_ms: TUESDAY_11,
            },
        ],
    };
    let mut events = ledger::campaign_events("demo", &batch, TUESDAY_11);
    // Sent again a moment later: the same ids, so the ledger keeps the first.
    let ids =
        |events: &[Event]| -> Vec<String> { events.iter().map(|event| event.id.clone()).collect() };
    assert_eq!(
        ids(&events),
        ids(&ledger::campaign_events("demo", &batch, TUESDAY_11 + 1))
    );
    let lead = crate::handoff::check_lead(
        &demo(),
        &SubmitLead {
            campaign: "exit-wholesale".into(),
            fields: vec![
                crate::protocol::FieldValue {
                    id: "name".into(),
                    value: "Lee".into(),
                },
                crate::protocol::FieldValue {
                    id: "email".into(),
                    value: "lee@example.com".into(),
                },
            ],
            consent: true,
            visitor: "v-1234567890".into(),
            ..SubmitLead::default()
        },
    );
    match lead {
        Ok(lead) => events.push(ledger::lead("demo", "lead-7", &lead, TUESDAY_11)),
        Err(errors) => panic!("{errors:?}"),
    }
    let goal = TrackGoal {
        visitor: "v-1234567890".into(),
        goal: "purchase".into(),
        value: Some(49.5),
        conversation_id: Some("c1".into()),
    };
    events.push(ledger::goal("demo", &goal, TUESDAY_11 + 1_200));
    // The same goal within the same second is the same goal.
    assert_eq!(
        ledger::goal("demo", &goal, TUESDAY_11 + 1_900).id,
        ledger::goal("demo", &goal, TUESDAY_11 + 1_200).id
    );
    check(
        show(&events, TUESDAY_11),
        expect![[r#"
            campaign:v-1234567890:pricing-help:-:shown:1795517940000 +0s Visitor campaign {"campaign":"pricing-help","what":"shown"}
            campaign:v-1234567890:club-banner:b:clicked:1795518005000 +0s Visitor campaign {"campaign":"club-banner","held_out":true,"variant":"b","what":"clicked"}
            lead:lead-7 +0s Visitor lead {"campaign":"exit-wholesale"}
            goal:v-1234567890:purchase:1795518001 +1s Visitor goal {"goal":"purchase","value":49.5}"#]],
    );
}
