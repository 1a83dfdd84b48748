use baton_shared::handoff::HandoffReason;
use baton_shared::protocol::agent::AgentRole;
use baton_shared::protocol::live::CloseOutcome;
use expect_test::expect;

use super::*;

fn item(id: &str, team: &str, at: u64, state: ItemState) -> InboxItem {
    InboxItem {
        conversation_id: id.into(),
        team: Some(team.into()),
        reason: HandoffReason::AskedForPerson,
        intent: Intent::Support,
        summary: String::new(),
        visitor_name: None,
        verified: false,
        page_url: None,
        handed_off_at_ms: at,
        opens_at_ms: None,
        state,
        first_reply_at_ms: None,
        missed: false,
        last_seq: 4,
        read_seq: 0,
        campaign_name: None,
    }
}

fn ana() -> AgentProfile {
    AgentProfile {
        id: "ana".into(),
        site_id: "demo".into(),
        name: "Ana".into(),
        teams: vec!["support".into()],
        role: AgentRole::Agent,
        created_at_ms: 0,
        disabled: false,
    }
}

fn assigned(agent: &str) -> ItemState {
    ItemState::Assigned {
        agent_id: agent.into(),
        agent_name: agent.into(),
    }
}

#[test]
fn the_inbox_is_grouped_mine_first_then_queues_oldest_first() {
    let items = [
        item("late", "support", 30, ItemState::Waiting),
        item("early", "support", 10, ItemState::Waiting),
        item("sales", "sales", 5, ItemState::Waiting),
        item("mine", "support", 20, assigned("ana")),
        item("bobs", "support", 20, assigned("bob")),
        item(
            "done",
            "support",
            1,
            ItemState::Closed {
                outcome: CloseOutcome::Resolved,
            },
        ),
    ];
    let teams = [
        ("sales".to_string(), "Sales".to_string()),
        ("support".to_string(), "Customer Care".to_string()),
    ];
    let shown: Vec<String> = queues(&items, &ana(), &teams)
        .into_iter()
        .map(|queue| {
            let ids: Vec<String> = queue
                .items
                .into_iter()
                .map(|item| item.conversation_id)
                .collect();
            format!("{}: {}", queue.title, ids.join(", "))
        })
        .collect();
    expect![[r#"
        [
            "Mine: mine",
            "Customer Care queue: early, late",
            "With colleagues: bobs",
            "Closed: done",
        ]
    "#]]
    .assert_debug_eq(&shown);
    assert_eq!(unread_total(&items, &ana()), 4 + 4 + 4 + 4);
}

#[test]
fn waiting_times_read_naturally() {
    let mut waiting_item = item("c", "support", 0, ItemState::Waiting);
    let labels: Vec<String> = [5_000, 240_000, 3_900_000]
        .iter()
        .map(|now| waiting(&waiting_item, *now))
        .collect();
    expect![[r#"["waiting 5 s", "waiting 4 min", "waiting 1 h 05 min"]"#]]
        .assert_eq(&format!("{labels:?}"));
    waiting_item.opens_at_ms = Some(7_200_000);
    assert_eq!(waiting(&waiting_item, 0), "opens in 2 h 00 min");
    waiting_item.first_reply_at_ms = Some(8_000_000);
    assert_eq!(waiting(&waiting_item, 9_000_000), "answered");
}

#[test]
fn a_link_signs_in_with_the_token_alone_and_the_token_never_stays_in_the_address_bar() {
    let shown: Vec<String> = [
        "#token=bat_demo.abc123",
        "#token=bat_demo.abc123&conversation=c-42",
        "#site=demo&token=bat_0123abcd",
        "#conversation=c-42",
        "#token=&x=1",
        "",
    ]
    .iter()
    .map(|hash| {
        let link = read_link(hash);
        format!(
            "{hash:?} → token {:?}, site {:?}, conversation {:?}, keeps {:?}, signs in to {:?}",
            link.token,
            link.site,
            link.conversation,
            link.clean_hash,
            link.token
                .as_deref()
                .map(|token| sign_in_site(token, link.site.as_deref())),
        )
    })
    .collect();
    expect![[r##"
        [
            "\"#token=bat_demo.abc123\" → token Some(\"bat_demo.abc123\"), site None, conversation None, keeps \"\", signs in to Some(Ok(\"demo\"))",
            "\"#token=bat_demo.abc123&conversation=c-42\" → token Some(\"bat_demo.abc123\"), site None, conversation Some(\"c-42\"), keeps \"conversation=c-42\", signs in to Some(Ok(\"demo\"))",
            "\"#site=demo&token=bat_0123abcd\" → token Some(\"bat_0123abcd\"), site Some(\"demo\"), conversation None, keeps \"site=demo\", signs in to Some(Ok(\"demo\"))",
            "\"#conversation=c-42\" → token None, site None, conversation Some(\"c-42\"), keeps \"conversation=c-42\", signs in to None",
            "\"#token=&x=1\" → token None, site None, conversation None, keeps \"x=1\", signs in to None",
            "\"\" → token None, site None, conversation None, keeps \"\", signs in to None",
        ]
    "##]]
    .assert_debug_eq(&shown);
    assert_eq!(
        sign_in_site("bat_0123abcd", None),
        Err("This token does not name its site: enter the site id too.")
    );
    // The token names its site; a site typed beside it does not override it.
    assert_eq!(
        sign_in_site(" bat_live.abc ", Some("demo")),
        Ok("live".to_string())
    );
}
