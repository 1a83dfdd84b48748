//! `validate_campaigns` through the site configuration, as the worker and the CLI meet it: one broken site, the
//! full list of problems, `path: problem`.

use expect_test::{Expect, expect};

use crate::config::SiteConfig;

#[track_caller]
fn check(json: &str, expect: Expect) {
    let outcome = match SiteConfig::from_json(json) {
        Ok(config) => format!("ok: {} campaigns", config.campaigns.len()),
        Err(errors) => errors.iter().map(|error| format!("{error}\n")).collect(),
    };
    expect.assert_eq(&outcome);
}

/// A site with the teams `sales` and `support`, and these campaigns.
fn site(campaigns: &str) -> String {
    format!(
        r#"{{"id": "shop", "name": "Shop", "allowed_origins": ["https://shop.example"], "faq": [],
            "teams": [{{"id": "sales", "name": "Sales", "intents": ["sales"]}}],
            "campaigns": {campaigns}}}"#
    )
}

#[test]
fn every_broken_rule_is_reported_with_its_path() {
    check(
        include_str!("every_rule_broken.json"),
        expect![[r#"
        campaigns[0].id: "Pricing Help" must be 1-64 lowercase letters, digits or '-'
        campaigns[0].name: must not be empty
        campaigns[0].schedule.starts: "2026-12-01" must be an RFC 3339 instant such as 2026-12-01T00:00:00Z
        campaigns[0].schedule.ends: "2026-13-01T00:00:00Z" must be an RFC 3339 instant such as 2026-12-01T00:00:00Z
        campaigns[0].trigger.seconds: must be between 1 and 86400 seconds (got 0)
        campaigns[0].pages.rules[0].value: must not be empty
        campaigns[0].content.from: "marketing" is not a team of the site (its teams: sales, support); a person's name starts with a capital letter
        campaigns[0].content.title: must not be empty
        campaigns[0].content.text: must not be empty
        campaigns[0].content.button: must be at most 40 characters (got 54)
        campaigns[0].action.send: needs a message to send; add `message` or remove `send`
        campaigns[1].schedule.ends: must be after schedule.starts
        campaigns[1].trigger.percent: must be between 1 and 100 percent (got 101)
        campaigns[1].audience.all[0].language: "fr-CA" must be a language's primary subtag, 2-3 lowercase letters such as fr
        campaigns[1].audience.all[1].country: "fr" must be an ISO 3166 code, 2 uppercase letters such as FR
        campaigns[1].audience.all[2].attribute.name: "plan tier" must be 1-40 letters, digits, '_' or '-', as identify accepts
        campaigns[1].audience.all[3].campaign.id: "nope" is not a campaign of the site
        campaigns[1].audience.all[3].campaign.within_days: must be between 1 and 3650 days (got 0)
        campaigns[1].frequency.show.max: must be at least 1 view
        campaigns[1].frequency.after_dismiss_days: must be between 0 and 3650 days (got 4000)
        campaigns[1].frequency.after_goal_days: must be between 0 and 3650 days (got 3651)
        campaigns[1].content.from: must be at most 80 characters (got 88)
        campaigns[1].action.team: "billing" is not a team of the site (its teams: sales, support)
        campaigns[1].holdout_percent: must be between 0 and 90 percent (got 91)
        campaigns[1].goal.event: must not be empty
        campaigns[1].goal.within_days: must be between 1 and 365 days (got 366)
        campaigns[2].id: duplicates campaigns[1].id "exit"
        campaigns[2].trigger.selector: "a[href]{color:red}" must be a CSS selector such as #buy or .pricing a, without {, } or <
        campaigns[2].action.fields: must list between 1 and 8 fields (got 0)
        campaigns[2].action.consent: must not be empty
        campaigns[2].action.team: "billing" is not a team of the site (its teams: sales, support)
        campaigns[2].action.thanks: must not be empty
        campaigns[3].trigger.name: must not be empty
        campaigns[3].action.fields[1].id: duplicates campaigns[3].action.fields[0].id "email"
        campaigns[3].action.fields[1].label: must not be empty
        campaigns[3].variants[0].weight: must be at least 1
        campaigns[3].variants[0].content.text: must not be empty
        campaigns[3].variants[1].id: duplicates campaigns[3].variants[0].id "a"
        campaigns[3].variants[1].action.url: "http://shop.example/pricing" must be an https:// URL of at most 2048 characters (http:// only on localhost or 127.0.0.1)
        campaigns[4].trigger.seconds: must be between 1 and 86400 seconds (got 86401)
        campaigns[4].action.url: "javascript:alert(1)" must be an https:// URL of at most 2048 characters (http:// only on localhost or 127.0.0.1)
        campaigns[4].variants[1].action.url: "http://localhost.evil.example/" must be an https:// URL of at most 2048 characters (http:// only on localhost or 127.0.0.1)
        campaigns[5].audience: nests 9 levels deep; at most 8
        campaign_limits.per_session: must be between 1 and 20 campaigns (got 0)
        campaign_limits.per_day: must be between 1 and 100 campaigns (got 101)
        campaign_limits.quiet_after_chat_seconds: must be between 0 and 86400 seconds (got 86401)
    "#]],
    );
}

#[test]
fn a_complete_campaign_is_valid() {
    check(
        &site(
            r#"[{ "id": "pricing-help", "name": "Help on the pricing page", "status": "live", "priority": 10,
              "schedule": { "starts": "2026-12-01T00:00:00Z", "ends": null, "hours": "any" },
              "trigger": { "kind": "dwell", "seconds": 20 },
              "pages": { "match": "any", "rules": [ { "op": "starts_with", "value": "/pricing" } ] },
              "audience": { "all": [ { "visitor": "returning" },
                                     { "utm_source": { "op": "equals", "value": "newsletter" } },
                                     { "campaign": { "id": "pricing-help", "was": "dismissed" } } ] },
              "staffing": "people_online",
              "frequency": { "show": "once", "after_dismiss_days": 7, "after_goal_days": 90 },
              "format": "bubble",
              "content": { "from": "sales", "title": null, "text": "Questions about plans? Someone from Sales is online now." },
              "action": { "kind": "open_chat", "message": "I have a question about pricing" },
              "variants": [], "holdout_percent": 0,
              "goal": { "event": "signup", "within_days": 7 } }]"#,
        ),
        expect!["ok: 1 campaigns"],
    );
}

#[test]
fn a_hundred_campaigns_at_most() {
    let campaign = |index: usize| {
        format!(
            r#"{{"id": "c{index}", "name": "C", "trigger": {{"kind": "page_view"}},
                "content": {{"text": "Hi"}}, "action": {{"kind": "open_chat"}}}}"#
        )
    };
    let list = |count: usize| {
        format!(
            "[{}]",
            (0..count).map(campaign).collect::<Vec<_>>().join(",")
        )
    };
    check(&site(&list(100)), expect!["ok: 100 campaigns"]);
    check(
        &site(&list(101)),
        expect![[r#"
        campaigns: must hold at most 100 campaigns (got 101)
    "#]],
    );
}

#[test]
fn an_audience_has_at_most_fifty_nodes() {
    let conditions = |count: usize| vec![r#"{"visitor": "new"}"#; count].join(",");
    let with_audience = |count: usize| {
        site(&format!(
            r#"[{{"id": "c", "name": "C", "trigger": {{"kind": "page_view"}}, "audience": {{"any": [{}]}},
                "content": {{"text": "Hi"}}, "action": {{"kind": "open_chat"}}}}]"#,
            conditions(count)
        ))
    };
    check(&with_audience(49), expect!["ok: 1 campaigns"]);
    check(
        &with_audience(50),
        expect![[r#"
        campaigns[0].audience: has 51 groups and conditions; at most 50
    "#]],
    );
}
