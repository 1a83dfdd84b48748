use baton_shared::campaign::History;
use expect_test::expect;

use super::{Change, MAX_CAMPAIGNS, apply};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

#[test]
fn views_dismissals_and_goals_set_each_campaigns_clocks_and_held_out_views_are_not_shows() {
    let mut history = History::default();
    apply(&mut history, "a", Change::Viewed { held_out: false }, 1_000);
    apply(&mut history, "a", Change::Dismissed, 2_000);
    apply(&mut history, "b", Change::Viewed { held_out: true }, 3_000);
    apply(&mut history, "b", Change::Converted, 4_000);
    apply(&mut history, "a", Change::Viewed { held_out: false }, 5_000);
    apply(&mut history, "a", Change::Engaged, 6_000);
    expect![[r#"
        "{\"campaigns\":{\"a\":{\"views\":2,\"last_view_ms\":5000,\"dismissed_ms\":2000,\"engaged_ms\":6000,\"converted_ms\":null,\"held_out\":false},\"b\":{\"views\":1,\"last_view_ms\":3000,\"dismissed_ms\":null,\"engaged_ms\":null,\"converted_ms\":4000,\"held_out\":true}},\"shown_ms\":[1000,5000]}"
    "#]]
    .assert_debug_eq(&serde_json::to_string(&history).expect("json"));
}

#[test]
fn the_history_keeps_a_day_of_shows_and_the_most_recently_active_campaigns() {
    let mut history = History::default();
    for n in 0..(MAX_CAMPAIGNS as u64 + 5) {
        apply(
            &mut history,
            &format!("c{n:03}"),
            Change::Viewed { held_out: false },
            n,
        );
    }
    apply(
        &mut history,
        "late",
        Change::Viewed { held_out: false },
        2 * DAY_MS,
    );
    let kept: Vec<&String> = history.campaigns.keys().take(3).collect();
    expect![[r#"
        (
            100,
            [
                "c006",
                "c007",
                "c008",
            ],
            [
                172800000,
            ],
        )
    "#]]
    .assert_debug_eq(&(history.campaigns.len(), kept, &history.shown_ms));
}
