use expect_test::expect;

use super::*;
use crate::handoff::HandoffReason;
use crate::intent::Intent;
use crate::protocol::agent::AgentRole;

pub(super) fn item(id: &str, team: &str, at_ms: u64) -> InboxItem {
    InboxItem {
        conversation_id: id.into(),
        team: Some(team.into()),
        reason: HandoffReason::AskedForPerson,
        intent: Intent::Support,
        summary: format!("visitor {id}"),
        visitor_name: None,
        verified: false,
        page_url: None,
        handed_off_at_ms: at_ms,
        opens_at_ms: None,
        state: ItemState::Waiting,
        first_reply_at_ms: None,
        missed: false,
        last_seq: 0,
        read_seq: 0,
        campaign_name: None,
    }
}

pub(super) fn agent(id: &str, teams: &[&str]) -> AgentProfile {
    AgentProfile {
        id: id.into(),
        site_id: "demo".into(),
        name: format!("Agent {id}"),
        teams: teams.iter().map(|team| team.to_string()).collect(),
        role: AgentRole::Agent,
        created_at_ms: 0,
        disabled: false,
    }
}

pub(super) fn presence(
    id: &str,
    teams: &[&str],
    status: PresenceStatus,
    last_seen_ms: u64,
) -> AgentPresence {
    AgentPresence {
        agent_id: id.into(),
        name: id.into(),
        teams: teams.iter().map(|team| team.to_string()).collect(),
        status,
        last_seen_ms,
    }
}

#[test]
fn queue_positions_are_per_team_and_oldest_first() {
    let mut inbox = Inbox::default();
    inbox.hand_over(item("b", "support", 20));
    inbox.hand_over(item("a", "support", 10));
    inbox.hand_over(item("s", "sales", 5));
    let mut after_hours = item("night", "support", 1);
    after_hours.opens_at_ms = Some(1_000);
    inbox.hand_over(after_hours);
    let positions: Vec<_> = ["a", "b", "s", "night", "nope"]
        .iter()
        .map(|id| inbox.position(id))
        .collect();
    expect![[r#"[Some(1), Some(2), Some(1), Some(3), None]"#]].assert_eq(&format!("{positions:?}"));
    // Claimed conversations leave the queue.
    inbox
        .claim("a", &agent("ana", &["support"]))
        .expect("waiting");
    assert_eq!(inbox.position("b"), Some(1));
    assert_eq!(inbox.position("a"), None);
}

#[test]
fn the_first_claim_wins_and_teams_are_respected() {
    let mut inbox = Inbox::default();
    inbox.hand_over(item("c1", "support", 0));
    let ana = agent("ana", &["support"]);
    let bob = agent("bob", &["support"]);
    let sam = agent("sam", &["sales"]);
    let outcomes = [
        inbox.claim("c1", &sam).map(|item| item.state.clone()),
        inbox.claim("c1", &ana).map(|item| item.state.clone()),
        inbox.claim("c1", &bob).map(|item| item.state.clone()),
        inbox.claim("c1", &ana).map(|item| item.state.clone()),
        inbox.claim("zz", &ana).map(|item| item.state.clone()),
    ];
    let shown: Vec<String> = outcomes
        .iter()
        .map(|outcome| match outcome {
            Ok(state) => format!("ok {state:?}"),
            Err(refused) => format!("refused: {refused}"),
        })
        .collect();
    expect![[r#"
        [
            "refused: this conversation is in the \"support\" queue, which is not one of your teams",
            "ok Assigned { agent_id: \"ana\", agent_name: \"Agent ana\" }",
            "refused: Agent ana already took this conversation",
            "ok Assigned { agent_id: \"ana\", agent_name: \"Agent ana\" }",
            "refused: this conversation was never handed over",
        ]
    "#]]
    .assert_debug_eq(&shown);
    inbox.close("c1", CloseOutcome::Resolved);
    assert_eq!(inbox.claim("c1", &ana), Err(ClaimRefused::Closed));
    // Handed over again, a closed conversation waits again; an assigned one keeps its agent.
    inbox.hand_over(item("c1", "support", 50));
    assert_eq!(
        inbox.item("c1").map(|item| &item.state),
        Some(&ItemState::Waiting)
    );
    inbox.claim("c1", &bob).expect("waiting again");
    inbox.hand_over(item("c1", "sales", 60));
    assert!(matches!(
        inbox.item("c1").map(|item| &item.state),
        Some(ItemState::Assigned { agent_id, .. }) if agent_id == "bob"
    ));
}

#[test]
fn the_wait_estimate_follows_recent_first_replies() {
    let mut inbox = Inbox::default();
    // No history: the team's promise, once per conversation ahead.
    assert_eq!(inbox.expected_wait_ms(2, 3), 360_000);
    for (n, waited) in [30_000, 60_000, 90_000, 600_000].iter().enumerate() {
        let id = format!("c{n}");
        inbox.hand_over(item(&id, "support", 1_000));
        inbox.agent_replied(&id, 1_000 + waited);
        // A second reply does not count again.
        inbox.agent_replied(&id, 1_000_000);
    }
    expect!["[30000, 60000, 90000, 600000]"].assert_eq(&format!("{:?}", inbox.reply_times_ms));
    assert_eq!(inbox.expected_wait_ms(1, 3), 90_000);
    inbox.hand_over(item("next", "support", 5_000));
    assert_eq!(
        inbox.queued("next", 3),
        Some(Queued {
            position: 1,
            expected_wait_ms: 90_000
        })
    );
}

#[test]
fn presence_round_robin_and_teams_online() {
    let now = 100_000;
    let agents = [
        presence("b", &["support"], PresenceStatus::Online, now),
        presence(
            "a",
            &["support", "sales"],
            PresenceStatus::Online,
            now - 1_000,
        ),
        presence("c", &["support"], PresenceStatus::Away, now),
        presence(
            "d",
            &["billing"],
            PresenceStatus::Online,
            now - 4 * HEARTBEAT_MS,
        ),
    ];
    expect![[r#"["sales", "support"]"#]].assert_eq(&format!("{:?}", teams_online(&agents, now)));
    let mut inbox = Inbox::default();
    let picks: Vec<_> = (0..4)
        .map(|_| {
            inbox
                .next_agent(Some("support"), &agents, now)
                .map(|agent| agent.agent_id.clone())
        })
        .collect();
    expect![[r#"[Some("a"), Some("b"), Some("a"), Some("b")]"#]].assert_eq(&format!("{picks:?}"));
    assert_eq!(inbox.next_agent(Some("billing"), &agents, now), None);
}

#[test]
fn agents_see_their_teams_and_closed_items_leave_after_a_day() {
    let mut inbox = Inbox::default();
    inbox.hand_over(item("s", "support", 0));
    inbox.hand_over(item("b", "billing", 0));
    let ids = |items: Vec<InboxItem>| -> Vec<String> {
        items.into_iter().map(|item| item.conversation_id).collect()
    };
    assert_eq!(ids(inbox.visible_to(&agent("ana", &["support"]))), ["s"]);
    let mut admin = agent("root", &[]);
    admin.role = AgentRole::Admin;
    assert_eq!(ids(inbox.visible_to(&admin)), ["s", "b"]);
    inbox.close("s", CloseOutcome::Converted);
    inbox.prune(CLOSED_KEPT_MS - 1);
    assert_eq!(inbox.items.len(), 2);
    inbox.prune(CLOSED_KEPT_MS);
    assert_eq!(ids(inbox.items.clone()), ["b"]);
}

#[test]
fn transfers_are_for_whoever_has_the_conversation_or_an_admin() {
    let ana = agent("ana", &["support"]);
    let bob = agent("bob", &["support"]);
    let sam = agent("sam", &["sales"]);
    let admin = AgentProfile {
        role: AgentRole::Admin,
        ..agent("root", &[])
    };
    let disabled = AgentProfile {
        disabled: true,
        ..agent("dis", &["sales"])
    };
    let mut inbox = Inbox::default();
    inbox.hand_over(item("c1", "support", 10));
    let mut shown = Vec::new();
    let mut show = |inbox: &mut Inbox,
                    what: &str,
                    by: &AgentProfile,
                    team: Option<&str>,
                    to: Option<&AgentProfile>| {
        let result = inbox
            .transfer("c1", by, team.map(str::to_string), to)
            .map(|item| (item.team.clone().unwrap_or_default(), item.state.clone()));
        shown.push(match result {
            Ok((team, state)) => format!("{what}: ok, {team} {state:?}"),
            Err(refused) => format!("{what}: refused, {refused}"),
        });
    };
    show(
        &mut inbox,
        "bob, waiting, to himself",
        &bob,
        None,
        Some(&bob),
    );
    inbox.claim("c1", &ana).expect("ana claims");
    show(&mut inbox, "bob steals ana's", &bob, None, Some(&bob));
    show(&mut inbox, "ana to sam in support", &ana, None, Some(&sam));
    show(
        &mut inbox,
        "ana to a disabled agent",
        &ana,
        Some("sales"),
        Some(&disabled),
    );
    show(
        &mut inbox,
        "ana to sam in sales",
        &ana,
        Some("sales"),
        Some(&sam),
    );
    show(
        &mut inbox,
        "admin back to the support queue",
        &admin,
        Some("support"),
        None,
    );
    inbox.close("c1", CloseOutcome::Resolved);
    show(&mut inbox, "admin, closed", &admin, None, Some(&ana));
    expect![[r#"
        [
            "bob, waiting, to himself: refused, this conversation is waiting in its queue; claim it before transferring it",
            "bob steals ana's: refused, Agent ana has this conversation; only they or an admin can transfer it",
            "ana to sam in support: refused, Agent sam cannot take it: they are not in the \"support\" team (or their account is disabled)",
            "ana to a disabled agent: refused, Agent dis cannot take it: they are not in the \"sales\" team (or their account is disabled)",
            "ana to sam in sales: ok, sales Assigned { agent_id: \"sam\", agent_name: \"Agent sam\" }",
            "admin back to the support queue: ok, support Waiting",
            "admin, closed: refused, this conversation is closed; a transfer does not reopen it",
        ]
    "#]]
    .assert_debug_eq(&shown);
    assert_eq!(
        inbox.transfer("zz", &admin, None, None).err(),
        Some(TransferRefused::NotInInbox)
    );
}

#[test]
fn presence_counts_each_agent_once_by_their_liveliest_console() {
    let agents = presence_of([
        presence("ana", &["support"], PresenceStatus::Away, 10),
        presence("ana", &["support"], PresenceStatus::Online, 5),
        presence("ana", &["support"], PresenceStatus::Away, 20),
        presence("bob", &["sales"], PresenceStatus::Away, 1),
        presence("bob", &["sales"], PresenceStatus::Away, 3),
    ]);
    let shown: Vec<(String, PresenceStatus, u64)> = agents
        .into_iter()
        .map(|agent| (agent.agent_id, agent.status, agent.last_seen_ms))
        .collect();
    expect![[r#"
        [
            (
                "ana",
                Away,
                20,
            ),
            (
                "bob",
                Away,
                3,
            ),
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn forgetting_a_conversation_removes_its_item() {
    let mut inbox = Inbox::default();
    inbox.hand_over(item("c", "support", 0));
    inbox.hand_over(item("d", "support", 0));
    assert_eq!((inbox.forget("c"), inbox.forget("c")), (1, 0));
    assert!(inbox.item("d").is_some());
}
