use expect_test::{Expect, expect};

use super::{StoredVisit, VISIT_GAP_MS, page_of, query_value};

#[track_caller]
fn check(pages: &[(&str, u64)], expect: Expect) {
    let mut stored = None;
    let mut lines = Vec::new();
    for (url, at) in pages {
        let visit = StoredVisit::page(stored.take(), url, *at);
        lines.push(format!(
            "{url} at {at}: visit {} since {}, utm {:?}",
            visit.count, visit.started_ms, visit.utm
        ));
        stored = Some(visit);
    }
    expect.assert_debug_eq(&lines);
}

#[test]
fn a_visit_keeps_its_first_pages_utm_and_ends_after_30_minutes_without_a_page() {
    let gap = VISIT_GAP_MS;
    check(
        &[
            (
                "https://shop.example/?utm_source=news%20letter&utm_medium=email",
                1_000,
            ),
            ("https://shop.example/pricing?utm_source=other", 2_000),
            ("https://shop.example/pricing", 2_000 + gap - 1),
            (
                "https://shop.example/?utm_campaign=winter+sale#top",
                2_000 + 2 * gap,
            ),
        ],
        expect![[r#"
            [
                "https://shop.example/?utm_source=news%20letter&utm_medium=email at 1000: visit 1 since 1000, utm [Some(\"news letter\"), Some(\"email\"), None]",
                "https://shop.example/pricing?utm_source=other at 2000: visit 1 since 1000, utm [Some(\"news letter\"), Some(\"email\"), None]",
                "https://shop.example/pricing at 1801999: visit 1 since 1000, utm [Some(\"news letter\"), Some(\"email\"), None]",
                "https://shop.example/?utm_campaign=winter+sale#top at 3602000: visit 2 since 3602000, utm [None, None, Some(\"winter sale\")]",
            ]
        "#]],
    );
}

#[test]
fn query_values_and_pages() {
    expect![[r#"
        (
            Some(
                "open",
            ),
            None,
            None,
            Some(
                "100%",
            ),
            "https://shop.example/a?b=1",
        )
    "#]]
    .assert_debug_eq(&(
        query_value("?baton=open", "baton"),
        query_value("https://shop.example/#?baton=open", "baton"),
        query_value("https://shop.example/?baton=", "baton"),
        query_value("https://shop.example/?x=100%25", "x"),
        page_of("https://shop.example/a?b=1#baton-chat"),
    ));
}
