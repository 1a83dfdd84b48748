use baton_shared::protocol::PostMessage;
use expect_test::expect;

use super::*;

fn body(client_message_id: &str) -> PostMessage {
    PostMessage {
        client_message_id: client_message_id.into(),
        text: format!("text of {client_message_id}"),
        instant_answer: None,
        chose_person: false,
        choice: None,
    }
}

fn ids(bodies: &[PostMessage]) -> String {
    let ids: Vec<&str> = bodies
        .iter()
        .map(|body| body.client_message_id.as_str())
        .collect();
    ids.join(", ")
}

#[test]
fn messages_go_one_at_a_time_in_the_order_they_were_written() {
    let mut outbox = Outbox::default();
    let mut log = Vec::new();
    log.push(format!(
        "push m1 starts a delivery: {}",
        outbox.push(body("m1"))
    ));
    log.push(format!(
        "push m2 starts a delivery: {}",
        outbox.push(body("m2"))
    ));
    let first = outbox.next();
    log.push(format!("sending {}", ids(first.as_slice())));
    log.push(format!(
        "push m3 starts a delivery: {}",
        outbox.push(body("m3"))
    ));
    while let Some(next) = outbox.next() {
        log.push(format!("sending {}", ids(&[next])));
    }
    log.push(format!(
        "push m4 starts a delivery: {}",
        outbox.push(body("m4"))
    ));
    expect![[r#"
        [
            "push m1 starts a delivery: true",
            "push m2 starts a delivery: false",
            "sending m1",
            "push m3 starts a delivery: false",
            "sending m2",
            "sending m3",
            "push m4 starts a delivery: true",
        ]
    "#]]
    .assert_debug_eq(&log);
}

#[test]
fn a_failed_message_fails_those_behind_it_so_a_retry_keeps_the_order() {
    let mut outbox = Outbox::default();
    for id in ["m1", "m2", "m3"] {
        outbox.push(body(id));
    }
    let sending = outbox.next().expect("m1 is next");
    let failed = outbox.fail(sending);
    assert_eq!(ids(&failed), "m1, m2, m3");
    assert_eq!(outbox.next(), None);
    // The delivery ended: the retry starts a new one.
    assert!(outbox.push(body("m1")));
}
