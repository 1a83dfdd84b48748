use expect_test::expect;
use serde::Serialize;

use super::{from_bytes, to_bytes};
use crate::campaign::{Action, Campaign, Trigger};
use crate::config::SiteConfig;
use crate::protocol::{WidgetConfig, WidgetFaq};

/// Every site configuration in the repository: the demo and the tests' sites.
const SITES: &[(&str, &str)] = &[
    (
        "sites/demo.json",
        include_str!("../../../../sites/demo.json"),
    ),
    (
        "tests/sites/assign.json",
        include_str!("../../../../tests/sites/assign.json"),
    ),
    (
        "tests/sites/campaign-prefill.json",
        include_str!("../../../../tests/sites/campaign-prefill.json"),
    ),
    (
        "tests/sites/campaign-team.json",
        include_str!("../../../../tests/sites/campaign-team.json"),
    ),
    (
        "tests/sites/campaign-variants.json",
        include_str!("../../../../tests/sites/campaign-variants.json"),
    ),
    (
        "tests/sites/campaigns-solo.json",
        include_str!("../../../../tests/sites/campaigns-solo.json"),
    ),
    (
        "tests/sites/campaigns.json",
        include_str!("../../../../tests/sites/campaigns.json"),
    ),
    (
        "tests/sites/config-api.json",
        include_str!("../../../../tests/sites/config-api.json"),
    ),
    (
        "tests/sites/conversational.json",
        include_str!("../../../../tests/sites/conversational.json"),
    ),
    (
        "tests/sites/dashboard.json",
        include_str!("../../../../tests/sites/dashboard.json"),
    ),
    (
        "tests/sites/goals.json",
        include_str!("../../../../tests/sites/goals.json"),
    ),
    (
        "tests/sites/grounded-workers-ai.json",
        include_str!("../../../../tests/sites/grounded-workers-ai.json"),
    ),
    (
        "tests/sites/grounded.json",
        include_str!("../../../../tests/sites/grounded.json"),
    ),
    (
        "tests/sites/guarded.json",
        include_str!("../../../../tests/sites/guarded.json"),
    ),
    (
        "tests/sites/ledger.json",
        include_str!("../../../../tests/sites/ledger.json"),
    ),
    (
        "tests/sites/live.json",
        include_str!("../../../../tests/sites/live.json"),
    ),
    (
        "tests/sites/metrics.json",
        include_str!("../../../../tests/sites/metrics.json"),
    ),
    (
        "tests/sites/missed.json",
        include_str!("../../../../tests/sites/missed.json"),
    ),
    (
        "tests/sites/semantic.json",
        include_str!("../../../../tests/sites/semantic.json"),
    ),
    (
        "tests/sites/studio.json",
        include_str!("../../../../tests/sites/studio.json"),
    ),
    (
        "tests/sites/summarized.json",
        include_str!("../../../../tests/sites/summarized.json"),
    ),
    (
        "tests/sites/tally.json",
        include_str!("../../../../tests/sites/tally.json"),
    ),
    (
        "tests/sites/widget-campaigns.json",
        include_str!("../../../../tests/sites/widget-campaigns.json"),
    ),
    (
        "tests/sites/widget-leads.json",
        include_str!("../../../../tests/sites/widget-leads.json"),
    ),
];

fn widget_config(path: &str, json: &str) -> WidgetConfig {
    let config = SiteConfig::from_json(json).unwrap_or_else(|errors| panic!("{path}: {errors:?}"));
    WidgetConfig {
        country: Some("FR".into()),
        ..WidgetConfig::for_site(&config, json)
    }
}

fn demo() -> WidgetConfig {
    widget_config(SITES[0].0, SITES[0].1)
}

#[test]
fn every_site_round_trips_in_bytes_and_in_text() {
    for (path, json) in SITES {
        let config = widget_config(path, json);
        let bytes = config.to_wire();
        assert_eq!(
            WidgetConfig::from_wire(&bytes).as_ref(),
            Ok(&config),
            "{path}"
        );
        let text = super::to_text(&bytes);
        assert_eq!(
            WidgetConfig::from_wire_text(&text).as_ref(),
            Ok(&config),
            "{path}"
        );
        let site =
            SiteConfig::from_json(json).unwrap_or_else(|errors| panic!("{path}: {errors:?}"));
        let faq = WidgetFaq::for_site(&site, json);
        let text = super::to_text(&faq.to_wire());
        assert_eq!(
            WidgetFaq::from_wire_text(&text).as_ref(),
            Ok(&faq),
            "{path}"
        );
    }
}

/// Every trigger and action, with the fields JSON leaves out both present and absent (written as `0`).
#[test]
fn every_trigger_and_action_round_trips() {
    let base = demo().site.campaigns[0].clone();
    let triggers = [
        Trigger::PageView,
        Trigger::Dwell { seconds: 30 },
        Trigger::SiteTime { seconds: 300 },
        Trigger::Scroll { percent: 50 },
        Trigger::ExitIntent,
        Trigger::Inactivity { seconds: 45 },
        Trigger::Click {
            selector: "#buy".into(),
        },
        Trigger::Event {
            name: "cart".into(),
        },
        Trigger::Manual,
        Trigger::AiStruggled,
        Trigger::WaitingForPerson { seconds: 120 },
    ];
    let actions = [
        Action::OpenChat {
            message: None,
            send: false,
        },
        Action::OpenChat {
            message: Some("Hi".into()),
            send: true,
        },
        Action::Handoff {
            team: "sales".into(),
        },
        Action::LeadForm {
            fields: Vec::new(),
            consent: None,
            team: None,
            thanks: "Thanks".into(),
        },
        Action::LeadForm {
            fields: base_fields(),
            consent: Some("I agree".into()),
            team: Some("sales".into()),
            thanks: "Thanks".into(),
        },
        Action::Link {
            url: "https://example.com/".into(),
        },
    ];
    let mut campaigns = Vec::new();
    for trigger in &triggers {
        for action in &actions {
            let mut campaign = base.clone();
            campaign.trigger = trigger.clone();
            campaign.action = action.clone();
            campaign.priority = -3;
            campaigns.push(campaign);
        }
    }
    let mut with_variant = base.clone();
    with_variant.variants = vec![crate::campaign::Variant {
        id: "b".into(),
        weight: 1,
        content: base.content.clone(),
        action: Some(Action::Link {
            url: "https://example.com/b".into(),
        }),
    }];
    campaigns.push(with_variant);
    let decoded: Vec<Campaign> = from_bytes(&to_bytes(&campaigns)).expect("decodes");
    assert_eq!(decoded, campaigns);
}

fn base_fields() -> Vec<crate::vocab::FormField> {
    demo().site.pre_chat.fields
}

/// Where nothing is skipped, the bytes are postcard's own.
#[test]
fn the_encoding_is_postcards() {
    fn same<T: Serialize>(value: &T) {
        assert_eq!(
            to_bytes(value),
            postcard::to_allocvec(value).expect("postcard")
        );
    }
    let site = demo().site;
    same(&site.teams);
    same(&site.appearance);
    let json = SITES[0].1;
    let config = SiteConfig::from_json(json).expect("the demo site is valid");
    let faq = WidgetFaq::for_site(&config, json);
    same(&faq.faq);
    same(&faq.handoff);
    same(&site.pre_chat);
    same(&(
        -5_i32,
        i64::MIN,
        u64::MAX,
        200_u8,
        -7_i8,
        'é',
        3.5_f64,
        0.25_f32,
        u128::MAX,
        i16::MIN,
    ));
    same(&std::collections::BTreeMap::from([
        ("a", 1_u16),
        ("b", 300),
    ]));
}

/// What the widget reads in the wire encoding besides its configuration: the staffing answer and the campaign
/// history it keeps in `localStorage`.
#[test]
fn staffing_and_campaign_history_round_trip() {
    let staffing = crate::protocol::StaffingNow {
        teams_online: vec!["sales".into(), "*".into()],
        open: true,
    };
    assert_eq!(
        from_bytes::<crate::protocol::StaffingNow>(&to_bytes(&staffing)),
        Ok(staffing)
    );
    let mut history = crate::campaign::History::default();
    history.campaigns.insert(
        "welcome".into(),
        crate::campaign::CampaignHistory {
            views: 2,
            last_view_ms: Some(1_700_000_000_000),
            dismissed_ms: Some(1_700_000_060_000),
            held_out: true,
            ..Default::default()
        },
    );
    history.shown_ms = vec![1_700_000_000_000, u64::MAX];
    assert_eq!(
        from_bytes::<crate::campaign::History>(&to_bytes(&history)),
        Ok(history)
    );
}

/// What the widget's chat reads in the wire encoding: the answers of the visitor's routes and its socket's events,
/// every optional field set and unset, every variant.
#[test]
fn the_chat_answers_and_socket_events_round_trip() {
    use crate::protocol::agent::Rate;
    use crate::protocol::live::{CloseOutcome, LiveEvent};
    use crate::protocol::ticket::SocketTicket;
    use crate::protocol::{
        AnswerSource, Author, Choice, ConversationCreated, ConversationEvent, HandoffNotice,
        LeadCreated, Message, MessagesAppended,
    };
    use crate::vocab::HandoffReason;

    fn round_trip<T>(value: T)
    where
        T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        assert_eq!(from_bytes::<T>(&to_bytes(&value)), Ok(value));
    }
    let bare = Message {
        seq: 1,
        author: Author::Visitor,
        author_name: None,
        text: "Do you ship to Canada?".into(),
        sent_at_ms: 1_700_000_000_000,
        client_message_id: None,
        answer: None,
        choices: Vec::new(),
        choice: None,
        handoff: None,
        event: None,
    };
    let full = Message {
        seq: u64::MAX,
        author: Author::Ai,
        author_name: Some("Ana".into()),
        text: "Which one do you mean?".into(),
        sent_at_ms: u64::MAX,
        client_message_id: Some("m1700000000000".into()),
        answer: Some(AnswerSource {
            faq_entry_id: Some("shipping".into()),
            confidence: 0.875,
            sources: vec!["faq:shipping".into(), "kb:3.1".into()],
        }),
        choices: vec![
            Choice::FaqEntry {
                faq_entry_id: "shipping".into(),
                label: "Where do you ship?".into(),
            },
            Choice::Person {
                label: "None of these".into(),
            },
        ],
        choice: Some("shipping".into()),
        handoff: Some(HandoffNotice {
            reason: HandoffReason::VisitorChose,
            team: Some("Sales".into()),
            asks_for: vec!["email".into(), "company".into()],
            queued: true,
            next_opening_ms: Some(1_700_000_360_000),
            queue_position: Some(2),
            expected_wait_ms: Some(90_000),
        }),
        event: Some(ConversationEvent::Missed { asks_email: true }),
    };
    let events = [
        ConversationEvent::AgentJoined {
            agent_name: "Ana".into(),
        },
        ConversationEvent::Transferred {
            team: "Billing".into(),
        },
        ConversationEvent::Missed { asks_email: false },
        ConversationEvent::Closed {
            outcome: CloseOutcome::Converted,
        },
    ];
    let mut messages = vec![bare.clone(), full.clone()];
    messages.extend(events.into_iter().enumerate().map(|(at, event)| Message {
        seq: at as u64 + 3,
        author: Author::System,
        event: Some(event),
        ..bare.clone()
    }));
    round_trip(MessagesAppended {
        messages: messages.clone(),
    });
    round_trip(ConversationCreated {
        conversation_id: "c_1".into(),
        visitor_token: "vt_secret".into(),
        messages: vec![bare.clone()],
    });
    round_trip(SocketTicket {
        ticket: "t_1".into(),
        expires_at_ms: 1_700_000_030_000,
    });
    round_trip(Rate { rating: 5 });
    // The lead form's answers, which the widget keeps in `localStorage`.
    round_trip(vec![
        crate::protocol::FieldValue {
            id: "email".into(),
            value: "ada@example.com".into(),
        },
        crate::protocol::FieldValue {
            id: "company".into(),
            value: String::new(),
        },
    ]);
    for conversation_id in [None, Some("c_2".to_string())] {
        round_trip(LeadCreated {
            lead_id: "l_1".into(),
            conversation_id,
            thanks: "Thanks! We'll be in touch.".into(),
        });
    }
    for outcome in [
        CloseOutcome::Resolved,
        CloseOutcome::Converted,
        CloseOutcome::NoResponse,
    ] {
        round_trip(LiveEvent::Closed { outcome });
    }
    round_trip(LiveEvent::Messages { messages });
    for name in [None, Some("Ana".to_string())] {
        round_trip(LiveEvent::Typing {
            author: Author::Agent,
            name,
        });
    }
    round_trip(LiveEvent::Read {
        author: Author::Visitor,
        seq: 7,
    });
    round_trip(LiveEvent::Refused {
        message: "visitors post messages over HTTP".into(),
    });
}

/// A `TextMap` is written as a `BTreeMap` of the same entries is, and reads what one wrote.
#[test]
fn a_text_map_is_a_map_on_the_wire() {
    let pairs = [("plan", "pro"), ("company", "Acme"), ("seats", "5")];
    let map: crate::vocab::TextMap<String> = pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    let btree: std::collections::BTreeMap<String, String> = pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    assert_eq!(to_bytes(&map), to_bytes(&btree));
    assert_eq!(
        from_bytes::<crate::vocab::TextMap<String>>(&to_bytes(&btree)),
        Ok(map)
    );
}

#[test]
fn json_keeps_its_tags() {
    let campaign = &demo().site.campaigns[0];
    let json = serde_json::to_value(campaign).expect("json");
    assert!(json["trigger"]["kind"].is_string(), "{json}");
    assert!(json["action"]["kind"].is_string(), "{json}");
}

#[test]
fn the_wire_is_smaller_than_json() {
    let config = demo();
    let json = serde_json::to_string(&config).expect("json").len();
    let wire = config.to_wire().len();
    assert!(wire * 4 < json * 3, "wire {wire} B, json {json} B");
}

#[test]
fn bad_bytes_say_what_is_wrong() {
    let bytes = demo().to_wire();
    let errors = [
        WidgetConfig::from_wire(&bytes[..bytes.len() / 2]).expect_err("refused"),
        WidgetConfig::from_wire(&[bytes.as_slice(), &[7]].concat()).expect_err("refused"),
        WidgetConfig::from_wire(&[]).expect_err("refused"),
        WidgetConfig::from_wire_text("not base64!").expect_err("refused"),
        WidgetConfig::from_wire_text(&WidgetConfig::etag("v", true)).expect_err("refused"),
    ];
    let errors: Vec<String> = errors
        .into_iter()
        .map(|error| {
            error
                .replace(&(bytes.len() + 1).to_string(), "LEN+1")
                .replace(&bytes.len().to_string(), "LEN")
                .replace(&(bytes.len() / 2).to_string(), "HALF")
        })
        .collect();
    expect![[r#"
        [
            "widget configuration: not Baton's wire encoding: the data ends too early (in HALF bytes)",
            "widget configuration: not Baton's wire encoding: the value ends at byte LEN of LEN+1",
            "widget configuration: not Baton's wire encoding: the data ends too early (in 0 bytes)",
            "widget configuration: not base64 (a length of 11, not a multiple of 4)",
            "widget configuration: not base64 ('\"' at offset 0)",
        ]
    "#]].assert_debug_eq(&errors);
}
