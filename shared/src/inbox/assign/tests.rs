use expect_test::expect;

use super::*;
use crate::inbox::tests::{agent, item, presence};
use crate::protocol::agent::{HEARTBEAT_MS, PresenceStatus};

#[test]
fn auto_assign_gives_a_waiting_conversation_to_the_next_online_agent_with_a_console() {
    let now = 100_000;
    let (ana, bob) = (agent("ana", &["support"]), agent("bob", &["support"]));
    let seats = [ana.clone(), bob.clone()];
    let presence = [
        presence("ana", &["support"], PresenceStatus::Online, now),
        presence("bob", &["support"], PresenceStatus::Online, now),
    ];
    let on = AutoAssign {
        enabled: true,
        seats: &seats,
        presence: &presence,
        now_ms: now,
    };
    let mut inbox = Inbox::default();
    for id in ["c1", "c2", "c3"] {
        inbox.hand_over(item(id, "support", now));
    }
    let given: Vec<Option<String>> = ["c1", "c2", "c3"]
        .iter()
        .map(|id| inbox.auto_assign(id, &on).map(|agent| agent.id))
        .collect();
    expect![[r#"
        [
            Some(
                "ana",
            ),
            Some(
                "bob",
            ),
            Some(
                "ana",
            ),
        ]
    "#]]
    .assert_debug_eq(&given);
    assert!(matches!(
        inbox.item("c2").map(|item| &item.state),
        Some(ItemState::Assigned { agent_id, .. }) if agent_id == "bob"
    ));
    // Taken already, off, another team, nobody online, or online without a console: nobody is given it.
    assert_eq!(inbox.auto_assign("c1", &on), None);
    inbox.hand_over(item("c4", "support", now));
    let off = AutoAssign {
        enabled: false,
        ..on
    };
    assert_eq!(inbox.auto_assign("c4", &off), None);
    inbox.hand_over(item("s1", "sales", now));
    assert_eq!(inbox.auto_assign("s1", &on), None);
    let later = AutoAssign {
        now_ms: now + 10 * HEARTBEAT_MS,
        ..on
    };
    assert_eq!(inbox.auto_assign("c4", &later), None);
    let no_console = AutoAssign { seats: &[], ..on };
    assert_eq!(inbox.auto_assign("c4", &no_console), None);
    assert_eq!(
        inbox.item("c4").map(|item| &item.state),
        Some(&ItemState::Waiting)
    );
}
