//! What one visitor message costs the platform, counted by the worker itself (`GET /v1/__tally`, on the test stack
//! only): Durable Object calls, object storage reads and writes, D1 queries, KV and the rate limiters, the
//! background work (the ledger's send, the inbox's update) included. The `tally` site is used by these tests alone,
//! so other tests running meanwhile count nothing here.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use expect_test::expect;

use super::live::{bearer, operator_token};
use super::{Chat, request, say, start_conversation_on};

const SITE: &str = "tally";

fn tally() -> BTreeMap<String, u64> {
    let token = bearer(&operator_token());
    let answer = request(
        "GET",
        &format!("/v1/__tally?site={SITE}"),
        &[("Authorization", token.as_str())],
        None,
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// The tally once the background work is over: the same on two reads 5 s apart (a room gathers the ledger's events
/// for 2 to 4 s, by its id, and the inbox's update for at most 1 s).
fn settled() -> BTreeMap<String, u64> {
    let started = Instant::now();
    let mut last = tally();
    loop {
        std::thread::sleep(Duration::from_millis(5_000));
        let now = tally();
        if now == last {
            return now;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the tally kept changing for 30 s"
        );
        last = now;
    }
}

/// What happened between two tallies, one count a line.
fn difference(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> String {
    after
        .iter()
        .map(|(name, count)| format!("{name}: {}\n", count - before.get(name).unwrap_or(&0)))
        .collect()
}

/// A message answered from the FAQ, in a conversation whose room is awake (its retention alarm and the ledger's
/// cover already set by the first message).
fn one_message(chat: &Chat, n: usize, text: &str) -> String {
    let before = settled();
    let answer = say(chat, &format!("tally-{n}"), text);
    assert_eq!(answer.status, 200, "{}", answer.body);
    difference(&before, &settled())
}

#[test]
fn a_visitor_message_costs_one_object_call_and_one_storage_write_before_the_ledger() {
    let chat = start_conversation_on(SITE, &[]);
    let first = say(&chat, "tally-0", "How long does delivery take?");
    assert_eq!(first.status, 200, "{}", first.body);
    // The worker: one limiter check (the address), one call to the room, and one KV read (it compares its copy of
    // the site with KV at most every 5 s, and the waits here are longer; under load that read is shared by every
    // message of those 5 s). The room: one limiter check (the conversation), one storage write (the two messages,
    // the header and the ledger's events). In the background, the ledger's send: one D1 query (the events appended
    // and the facts folded from them and the events the room's first send read back, one batch) and the outbox
    // cleared; no storage read (the room knows its outbox and its alarms).
    expect![[r#"
        d1_queries: 1
        kv_reads: 1
        kv_writes: 0
        limiter_checks: 2
        object_calls: 1
        storage_reads: 0
        storage_writes: 2
    "#]]
    .assert_eq(&one_message(&chat, 1, "How long does delivery take?"));
}
