use baton_shared::protocol::{Author, Message};
use expect_test::expect;

use crate::ApiBase;
use crate::backoff::Backoff;
use crate::ended::{socket_ended, ticket_refused};
use crate::messages::{insert, last_seq, merge};

fn message(seq: u64) -> Message {
    Message {
        seq,
        author: Author::Visitor,
        author_name: None,
        text: format!("m{seq}"),
        sent_at_ms: 0,
        client_message_id: None,
        answer: None,
        handoff: None,
        event: None,
        choices: Vec::new(),
        choice: None,
    }
}

#[test]
fn addresses_are_built_on_the_workers_origin() {
    let shown: Vec<String> = ["http://127.0.0.1:8788/", "https://chat.example.com"]
        .iter()
        .flat_map(|base| {
            let api = ApiBase::new(base);
            [
                api.url("/v1/sites/demo/widget"),
                api.socket_url("/v1/sites/demo/agent/inbox/live", "tk1", None),
                api.socket_url("/v1/sites/demo/conversations/c1/live", "tk2", Some(7)),
            ]
        })
        .collect();
    expect![[r#"
        [
            "http://127.0.0.1:8788/v1/sites/demo/widget",
            "ws://127.0.0.1:8788/v1/sites/demo/agent/inbox/live?ticket=tk1",
            "ws://127.0.0.1:8788/v1/sites/demo/conversations/c1/live?ticket=tk2&since=7",
            "https://chat.example.com/v1/sites/demo/widget",
            "wss://chat.example.com/v1/sites/demo/agent/inbox/live?ticket=tk1",
            "wss://chat.example.com/v1/sites/demo/conversations/c1/live?ticket=tk2&since=7",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn reconnecting_waits_longer_after_each_failure_and_starts_over_once_connected() {
    let mut backoff = Backoff::default();
    let first: Vec<u64> = (0..7).map(|_| backoff.next_delay_ms()).collect();
    backoff.reset();
    let after_connecting = backoff.next_delay_ms();
    expect![[r#"
        (
            [
                500,
                1000,
                2000,
                5000,
                10000,
                10000,
                10000,
            ],
            500,
        )
    "#]]
    .assert_debug_eq(&(first, after_connecting));
}

#[test]
fn messages_merge_by_sequence_number_once() {
    let mut messages = vec![message(1), message(3)];
    assert_eq!(last_seq(&messages), 3);
    assert_eq!(
        merge(&mut messages, vec![message(2), message(3), message(4)]),
        2
    );
    let seqs: Vec<u64> = messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    assert!(!insert(&mut messages, message(2)));
    assert!(insert(&mut messages, message(9)));
    assert_eq!(last_seq(&messages), 9);
    assert_eq!(last_seq(&[]), 0);
}

#[test]
fn sockets_stop_for_good_on_the_final_close_codes_and_on_refused_tickets() {
    let closes: Vec<String> = [
        (4401, "Ana was disabled by an admin."),
        (4403, ""),
        (4410, "This conversation was erased."),
        (1006, ""),
        (1000, "bye"),
    ]
    .iter()
    .map(|(code, reason)| format!("{code}: {:?}", socket_ended(*code, reason)))
    .collect();
    expect![[r#"
        [
            "4401: Some(Revoked(\"Ana was disabled by an admin.\"))",
            "4403: Some(AccessLost(\"You no longer have access to this conversation.\"))",
            "4410: Some(Erased(\"This conversation was erased.\"))",
            "1006: None",
            "1000: None",
        ]
    "#]]
    .assert_debug_eq(&closes);
    let tickets: Vec<String> = [None, Some(401), Some(403), Some(404), Some(429), Some(500)]
        .iter()
        .map(|status| format!("{status:?}: {:?}", ticket_refused(*status, "refused")))
        .collect();
    expect![[r#"
        [
            "None: None",
            "Some(401): Some(Revoked(\"refused\"))",
            "Some(403): Some(AccessLost(\"refused\"))",
            "Some(404): Some(Erased(\"refused\"))",
            "Some(429): None",
            "Some(500): None",
        ]
    "#]]
    .assert_debug_eq(&tickets);
}
