//! No campaigns, visit, history or moment make the evaluator panic, and its verdict always lists every campaign
//! exactly once.

use proptest::prelude::*;
use serde_json::json;

use super::fixture::{Case, NOW, campaign};
use crate::campaign::{Moment, goals_reached};

/// A campaign built from small numbers: each picks one of a few trigger, page, audience, staffing, frequency and
/// schedule settings, so every branch of the evaluator is reached.
fn arbitrary_campaign(index: usize, choice: [u8; 8], priority: i8) -> crate::campaign::Campaign {
    let triggers = [
        json!({"kind": "page_view"}),
        json!({"kind": "dwell", "seconds": 20}),
        json!({"kind": "site_time", "seconds": 1}),
        json!({"kind": "scroll", "percent": 50}),
        json!({"kind": "exit_intent"}),
        json!({"kind": "inactivity", "seconds": 5}),
        json!({"kind": "click", "selector": "#buy"}),
        json!({"kind": "event", "name": "signup"}),
        json!({"kind": "manual"}),
        json!({"kind": "ai_struggled"}),
        json!({"kind": "waiting_for_person", "seconds": 30}),
    ];
    let audiences = [
        json!(null),
        json!({"visitor": "new"}),
        json!({"any": [{"device": "mobile"}, {"not": {"language": "fr"}}]}),
        json!({"campaign": {"id": "c0", "was": "seen", "within_days": 1}}),
    ];
    let pick =
        |list: &[serde_json::Value], at: usize| list[usize::from(choice[at]) % list.len()].clone();
    let statuses = ["live", "live", "live", "paused", "draft"];
    let staffing = ["any", "people_online", "nobody_online"];
    let show = [
        json!("once"),
        json!("always"),
        json!("until_engaged"),
        json!({"max": 2}),
    ];
    let rules = [
        json!([]),
        json!([{"op": "matches", "value": "/p*g"}]),
        json!([{"op": "equals", "value": "/"}]),
    ];
    let starts = [
        json!(null),
        json!("2027-01-01T00:00:00Z"),
        json!("2030-01-01T00:00:00Z"),
        json!("garbage"),
    ];
    let mut fields = json!({
        "status": statuses[usize::from(choice[0]) % statuses.len()],
        "priority": priority,
        "trigger": pick(&triggers, 1),
        "pages": {"rules": pick(&rules, 2)},
        "staffing": staffing[usize::from(choice[3]) % staffing.len()],
        "frequency": {"show": pick(&show, 4), "after_dismiss_days": choice[5] % 3},
        "schedule": {"starts": pick(&starts, 6)},
        "holdout_percent": choice[7] % 101,
        "variants": if choice[7].is_multiple_of(2) { json!([]) } else {
            json!([{"id": "a", "weight": choice[6] % 3, "content": {"text": "A"}}, {"id": "b", "weight": 1, "content": {"text": "B"}}])
        },
    });
    let audience = pick(&audiences, 5);
    if !audience.is_null() {
        fields["audience"] = audience;
    }
    campaign(&format!("c{}", index % 7), fields)
}

proptest! {
    #[test]
    fn the_evaluator_never_panics_and_lists_every_campaign_once(
        campaigns in prop::collection::vec((any::<[u8; 8]>(), any::<i8>()), 0..12),
        times in any::<[u64; 6]>(),
        small in any::<[u8; 6]>(),
        moment in 0u8..6,
        url in "(https://shop\\.example)?(/[a-z]{0,6}){0,3}(\\?[a-z=]{0,5})?",
        visitor in ".{0,12}",
    ) {
        let campaigns: Vec<_> = campaigns
            .iter()
            .enumerate()
            .map(|(index, (choice, priority))| arbitrary_campaign(index, *choice, *priority))
            .collect();
        let mut case = Case::new(campaigns);
        let around = |time: u64| NOW.wrapping_add(time % 200_000_000).wrapping_sub(100_000_000);
        case.visit.url = url;
        case.visit.page_started_ms = around(times[0]);
        case.visit.visit_started_ms = around(times[1]);
        case.visit.last_activity_ms = times[2];
        case.visit.scroll_percent = small[0];
        case.visit.visits = u32::from(small[1]);
        case.visit.chat.panel_open = small[2] % 5 == 0;
        case.visit.chat.handed_over_at_ms = (small[2] % 3 == 0).then_some(around(times[3]));
        case.visit.chat.person_replied = small[2] % 7 == 0;
        case.visit.chat.struggling_answers = u32::from(small[3] % 4);
        case.visit.chat.last_message_ms = (small[3] % 2 == 0).then_some(around(times[4]));
        case.staffed.unknown = small[4] % 4 == 0;
        case.staffed.open = small[4] % 3 == 0;
        case.limits.per_session = u32::from(small[5] % 4);
        case.now_ms = if small[5] % 9 == 0 { times[5] } else { NOW };
        for id in ["c0", "c1", "c2"] {
            let clocks = case.clocks(id);
            clocks.views = u32::from(small[0] % 3);
            clocks.last_view_ms = Some(around(times[1] ^ times[2]));
            clocks.dismissed_ms = (small[1] % 2 == 0).then_some(around(times[3]));
            clocks.held_out = small[1] % 5 == 0;
        }
        case.history.shown_ms = vec![around(times[4]), around(times[5])];
        case.moment = match moment {
            0 => Moment::Tick,
            1 => Moment::ExitIntent,
            2 => Moment::Click { matched: vec!["c1".into(), "c3".into()] },
            3 => Moment::Event { name: "signup".into() },
            4 => Moment::Show { id: "c2".into(), force: false },
            _ => Moment::Show { id: "c4".into(), force: true },
        };
        case.visitor = visitor;
        let verdict = case.verdict();
        let listed = verdict.not_shown.len() + usize::from(verdict.show.is_some());
        prop_assert_eq!(listed, case.campaigns.len());
        let mut ids: Vec<&str> = verdict.not_shown.iter().map(|(id, _)| id.as_str()).collect();
        ids.extend(verdict.show.as_ref().map(|pick| pick.id.as_str()));
        let mut expected: Vec<&str> = case.campaigns.iter().map(|campaign| campaign.id.as_str()).collect();
        ids.sort_unstable();
        expected.sort_unstable();
        prop_assert_eq!(ids, expected);
        prop_assert!(verdict.recheck_in_ms.is_none_or(|wait| wait > 0));
        let _ = goals_reached(&case.campaigns, &case.history, "signup", &case.visitor, case.now_ms);
    }
}
