use expect_test::expect;

use super::*;
use crate::handoff::HandoffReason;
use crate::intent::Intent;
use crate::protocol::agent::AgentRole;

fn item(id: &str, team: &str, at_ms: u64) -> InboxItem {
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
    }
}

fn agent(id: &str, teams: &[&str]) -> AgentProfile {
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

fn presence(id: &str, teams: &[&str], status: PresenceStatus, last_seen_ms: u64) -> AgentPresence {
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
fn missed_chats_are_found_once_and_the_alarm_follows_the_oldest() {
    let mut inbox = Inbox::default();
    inbox.hand_over(item("old", "support", 1_000));
    inbox.hand_over(item("new", "support", 5_000));
    inbox.hand_over(item("answered", "support", 0));
    inbox.agent_replied("answered", 100);
    assert_eq!(inbox.next_missed_check_ms(3_000), Some(4_000));
    assert_eq!(inbox.mark_missed(3_999, 3_000), Vec::<String>::new());
    assert_eq!(inbox.mark_missed(4_000, 3_000), ["old"]);
    assert_eq!(inbox.mark_missed(4_500, 3_000), Vec::<String>::new());
    assert_eq!(inbox.next_missed_check_ms(3_000), Some(8_000));
    inbox.close("new", CloseOutcome::NoResponse);
    assert_eq!(inbox.next_missed_check_ms(3_000), None);
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
fn every_item_expires_with_the_retention() {
    let mut inbox = Inbox::default();
    inbox.hand_over(item("old", "support", 10));
    inbox.hand_over(item("new", "support", 500));
    inbox
        .claim("new", &agent("ana", &["support"]))
        .expect("claimed");
    assert_eq!(inbox.next_expiry_ms(1_000), Some(1_010));
    assert_eq!(inbox.expire(1_009, 1_000), Vec::<String>::new());
    assert_eq!(inbox.expire(1_010, 1_000), vec!["old".to_string()]);
    assert_eq!(inbox.expire(1_500, 1_000), vec!["new".to_string()]);
    assert_eq!(inbox.next_expiry_ms(1_000), None);
}

#[test]
fn a_callers_times_move_onto_the_inbox_clock() {
    // A test hands a conversation over "on Saturday 2024" with the next opening on Monday 09:00; the inbox's
    // clock says 2026. The wait starts now and still lasts until the opening, two days away.
    let saturday = 1_718_460_000_000;
    let monday = saturday + 2 * 86_400_000;
    let inbox_now = 1_790_000_000_000;
    let clock = InboxClock {
        caller_now_ms: saturday,
        inbox_now_ms: inbox_now,
    };
    let mut after_hours = item("c", "support", saturday);
    after_hours.opens_at_ms = Some(monday);
    let moved = clock.item(after_hours);
    assert_eq!(moved.handed_off_at_ms, inbox_now);
    assert_eq!(moved.opens_at_ms, Some(inbox_now + 2 * 86_400_000));
    assert_eq!(clock.now_ms(), inbox_now);
    // A caller ahead of the inbox moves times back, never before the epoch; one clock moves nothing.
    let ahead = InboxClock {
        caller_now_ms: 5_000,
        inbox_now_ms: 1_000,
    };
    assert_eq!((ahead.rebase(4_500), ahead.rebase(100)), (500, 0));
    let same = InboxClock::inbox_only(7_000);
    assert_eq!(
        same.item(item("d", "support", 6_000)).handed_off_at_ms,
        6_000
    );
}

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

#[test]
fn the_alarm_marks_missed_chats_expires_old_items_and_rings_again_for_the_next() {
    let waits = Waits {
        missed_after_ms: 2_000,
        retention_ms: 100_000,
    };
    let mut inbox = Inbox::default();
    inbox.hand_over(item("old", "support", 0));
    inbox.hand_over(item("late", "support", 99_000));
    inbox.hand_over(item("fresh", "support", 100_500));
    // The next delivery is sooner than any wait; a time already past rings a moment after now.
    assert_eq!(inbox.next_alarm_ms(waits, Some(50), 0), Some(50));
    assert_eq!(inbox.next_alarm_ms(waits, None, 5_000), Some(5_010));
    let missed: Vec<String> = inbox
        .on_alarm(101_000, waits)
        .into_iter()
        .map(|item| item.conversation_id)
        .collect();
    assert_eq!(missed, ["late"]);
    assert!(inbox.item("old").is_none(), "past the retention");
    assert!(inbox.item("late").is_some_and(|item| item.missed));
    assert!(inbox.on_alarm(101_000, waits).is_empty(), "missed once");
    assert_eq!(inbox.next_alarm_ms(waits, None, 101_000), Some(102_500));
    assert_eq!(Inbox::default().next_alarm_ms(waits, None, 0), None);
}

#[test]
fn a_missed_visitor_is_asked_for_an_email_only_when_there_is_none() {
    let site = crate::config::SiteConfig::from_json(include_str!("../../../sites/demo.json"))
        .expect("the demo site is valid");
    let waits = Waits::of(&site);
    assert_eq!(
        waits.missed_after_ms,
        u64::from(site.handoff.missed_after_seconds) * 1_000
    );
    let notice = missed_notice(&item("c", "support", 0), &site.teams);
    expect![[r#"
        HandoffNotice {
            reason: AskedForPerson,
            team: Some(
                "Customer Care",
            ),
            asks_for: [],
            queued: true,
            next_opening_ms: None,
            queue_position: None,
            expected_wait_ms: None,
        }
    "#]]
    .assert_debug_eq(&notice);
    let unknown_team = missed_notice(&item("c", "nobody", 0), &site.teams);
    assert_eq!(unknown_team.team, None);
    let asks = missed_notice_to_visitor(&notice, Some("email"), false).expect("asks");
    assert_eq!(
        (asks.asks_for, asks.team),
        (vec!["email".to_string()], notice.team.clone())
    );
    assert_eq!(missed_notice_to_visitor(&notice, Some("email"), true), None);
    assert_eq!(missed_notice_to_visitor(&notice, None, false), None);
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
