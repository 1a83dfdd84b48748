//! Page rules (every operator, `any` and `all`, path or full URL) and audience conditions (each one, nested
//! `all` / `any` / `not`, and the visitor's history with other campaigns).

use expect_test::expect;
use serde_json::{Value, json};

use super::fixture::{Case, DAY, NOW, table};
use crate::campaign::{Device, PageRules, StringOp, StringRule};

/// Whether `rule` (`op value`) passes on `url`.
fn page(url: &str, op: &str, value: &str) -> String {
    let rules: PageRules = serde_json::from_value(json!({"rules": [{"op": op, "value": value}]}))
        .expect("a page rule");
    let verdict = if rules.matches(url) { "matches" } else { "no" };
    format!("{op} {value:?} on {url}: {verdict}")
}

#[test]
fn every_page_operator() {
    let url = "https://shop.example/blog/2026/pricing?ref=nav#plans";
    let lines: Vec<String> = vec![
        page(url, "equals", "/blog/2026/pricing"),
        page(url, "equals", "/blog/2026/pricing?ref=nav"),
        page(url, "not_equals", "/blog"),
        page(url, "contains", "2026"),
        page(url, "contains", "ref=nav"),
        page(url, "not_contains", "/checkout"),
        page(url, "starts_with", "/blog/"),
        page(url, "ends_with", "/pricing"),
        page(url, "matches", "/blog/*/pricing"),
        page(url, "matches", "/blog/*"),
        page(url, "matches", "*/pricing"),
        page(url, "matches", "/blog/*/checkout"),
        page(url, "matches", "/BLOG/*"),
        page(url, "starts_with", "https://shop.example/blog"),
        page(url, "contains", "http"),
        page(url, "matches", "https://*.example/*?ref=*"),
        page("https://shop.example", "equals", "/"),
        page("https://shop.example?x=1", "equals", "/"),
        page("/relative/path?x", "equals", "/relative/path"),
    ];
    expect![[r#"
        equals "/blog/2026/pricing" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        equals "/blog/2026/pricing?ref=nav" on https://shop.example/blog/2026/pricing?ref=nav#plans: no
        not_equals "/blog" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        contains "2026" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        contains "ref=nav" on https://shop.example/blog/2026/pricing?ref=nav#plans: no
        not_contains "/checkout" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        starts_with "/blog/" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        ends_with "/pricing" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        matches "/blog/*/pricing" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        matches "/blog/*" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        matches "*/pricing" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        matches "/blog/*/checkout" on https://shop.example/blog/2026/pricing?ref=nav#plans: no
        matches "/BLOG/*" on https://shop.example/blog/2026/pricing?ref=nav#plans: no
        starts_with "https://shop.example/blog" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        contains "http" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        matches "https://*.example/*?ref=*" on https://shop.example/blog/2026/pricing?ref=nav#plans: matches
        equals "/" on https://shop.example: matches
        equals "/" on https://shop.example?x=1: matches
        equals "/relative/path" on /relative/path?x: matches
    "#]].assert_eq(&(lines.join("\n") + "\n"));
}

#[test]
fn any_and_all_page_rules() {
    let rules = |match_: &str| {
        json!({"pages": {"match": match_, "rules": [
            {"op": "starts_with", "value": "/pricing"}, {"op": "contains", "value": "enterprise"}]}})
    };
    let at = |fields: Value, url: &str| {
        let mut case = Case::one(fields);
        case.visit.url = url.into();
        case.short()
    };
    expect![[r#"
        any, /pricing             shown
        any, /enterprise          shown
        any, /blog                not shown — page_not_matched
        all, /pricing             not shown — page_not_matched
        all, /pricing/enterprise  shown
        no rules, /blog           shown
    "#]]
    .assert_eq(&table(vec![
        (
            "any, /pricing",
            at(rules("any"), "https://shop.example/pricing"),
        ),
        (
            "any, /enterprise",
            at(rules("any"), "https://shop.example/enterprise"),
        ),
        ("any, /blog", at(rules("any"), "https://shop.example/blog")),
        (
            "all, /pricing",
            at(rules("all"), "https://shop.example/pricing"),
        ),
        (
            "all, /pricing/enterprise",
            at(rules("all"), "https://shop.example/pricing/enterprise"),
        ),
        (
            "no rules, /blog",
            at(
                json!({"pages": {"match": "all", "rules": []}}),
                "https://shop.example/blog",
            ),
        ),
    ]));
}

/// Whether the fixture's visitor (returning, 2 visits, French desktop, `fr-CA`, from Google, `plan=pro`
/// identified as a pro, no UTM) is in `audience`.
fn audience(audience: Value) -> String {
    let mut case = Case::one(json!({ "audience": audience }));
    case.visit.identified = true;
    case.visit.utm_medium = Some("email".into());
    case.visit.attributes.insert("plan".into(), "pro".into());
    case.clocks("welcome").last_view_ms = Some(NOW - 2 * DAY);
    case.clocks("control").last_view_ms = Some(NOW - 2 * DAY);
    case.clocks("control").held_out = true;
    case.clocks("sale").dismissed_ms = Some(NOW - 10 * DAY);
    case.clocks("trial").converted_ms = Some(NOW - 40 * DAY);
    match case.short().as_str() {
        "shown" => "in".into(),
        "not shown — audience_not_matched" => "out".into(),
        other => other.into(),
    }
}

#[test]
fn every_audience_condition() {
    let rule = |op: &str, value: &str| json!({"op": op, "value": value});
    let was = |id: &str, was: &str, days: Option<u32>| json!({"campaign": {"id": id, "was": was, "within_days": days}});
    expect![[r#"
        visitor new                              out
        visitor returning                        in
        visits at_least 2                        in
        visits at_least 3                        out
        referrer contains google                 in
        referrer equals ""                       out
        utm_source equals newsletter (none)      out
        utm_source not_equals newsletter (none)  in
        utm_source not_contains news (none)      in
        utm_medium equals email                  in
        utm_campaign matches * (none)            out
        device desktop                           in
        device mobile                            out
        language fr (fr-CA)                      in
        language en                              out
        country FR                               in
        country DE                               out
        identified true                          in
        identified false                         out
        attribute plan equals pro                in
        attribute plan equals free               out
        attribute seats not_equals 1 (none)      in
        attribute seats equals 1 (none)          out
        campaign welcome seen                    in
        campaign welcome seen within 1 day       out
        campaign control seen (held out)         out
        campaign sale dismissed within 30 days   in
        campaign sale dismissed within 7 days    out
        campaign trial converted                 in
        campaign welcome converted               out
        campaign unknown seen                    out
    "#]]
    .assert_eq(&table(vec![
        ("visitor new", audience(json!({"visitor": "new"}))),
        (
            "visitor returning",
            audience(json!({"visitor": "returning"})),
        ),
        (
            "visits at_least 2",
            audience(json!({"visits": {"at_least": 2}})),
        ),
        (
            "visits at_least 3",
            audience(json!({"visits": {"at_least": 3}})),
        ),
        (
            "referrer contains google",
            audience(json!({"referrer": rule("contains", "google")})),
        ),
        (
            "referrer equals \"\"",
            audience(json!({"referrer": rule("equals", "")})),
        ),
        (
            "utm_source equals newsletter (none)",
            audience(json!({"utm_source": rule("equals", "newsletter")})),
        ),
        (
            "utm_source not_equals newsletter (none)",
            audience(json!({"utm_source": rule("not_equals", "newsletter")})),
        ),
        (
            "utm_source not_contains news (none)",
            audience(json!({"utm_source": rule("not_contains", "news")})),
        ),
        (
            "utm_medium equals email",
            audience(json!({"utm_medium": rule("equals", "email")})),
        ),
        (
            "utm_campaign matches * (none)",
            audience(json!({"utm_campaign": rule("matches", "*")})),
        ),
        ("device desktop", audience(json!({"device": "desktop"}))),
        ("device mobile", audience(json!({"device": "mobile"}))),
        ("language fr (fr-CA)", audience(json!({"language": "fr"}))),
        ("language en", audience(json!({"language": "en"}))),
        ("country FR", audience(json!({"country": "FR"}))),
        ("country DE", audience(json!({"country": "DE"}))),
        ("identified true", audience(json!({"identified": true}))),
        ("identified false", audience(json!({"identified": false}))),
        (
            "attribute plan equals pro",
            audience(json!({"attribute": {"name": "plan", "op": "equals", "value": "pro"}})),
        ),
        (
            "attribute plan equals free",
            audience(json!({"attribute": {"name": "plan", "op": "equals", "value": "free"}})),
        ),
        (
            "attribute seats not_equals 1 (none)",
            audience(json!({"attribute": {"name": "seats", "op": "not_equals", "value": "1"}})),
        ),
        (
            "attribute seats equals 1 (none)",
            audience(json!({"attribute": {"name": "seats", "op": "equals", "value": "1"}})),
        ),
        (
            "campaign welcome seen",
            audience(was("welcome", "seen", None)),
        ),
        (
            "campaign welcome seen within 1 day",
            audience(was("welcome", "seen", Some(1))),
        ),
        (
            "campaign control seen (held out)",
            audience(was("control", "seen", None)),
        ),
        (
            "campaign sale dismissed within 30 days",
            audience(was("sale", "dismissed", Some(30))),
        ),
        (
            "campaign sale dismissed within 7 days",
            audience(was("sale", "dismissed", Some(7))),
        ),
        (
            "campaign trial converted",
            audience(was("trial", "converted", None)),
        ),
        (
            "campaign welcome converted",
            audience(was("welcome", "converted", None)),
        ),
        (
            "campaign unknown seen",
            audience(was("unknown", "seen", None)),
        ),
    ]));
}

#[test]
fn audience_trees_nest() {
    let returning = json!({"visitor": "returning"});
    let mobile = json!({"device": "mobile"});
    let french = json!({"language": "fr"});
    expect![[r#"
        all []                                         in
        any []                                         out
        all [returning, french]                        in
        all [returning, mobile]                        out
        any [mobile, french]                           in
        not mobile                                     in
        not returning                                  out
        all [french, not any [mobile, new]]            in
        any [mobile, all [returning, not not french]]  in
    "#]]
    .assert_eq(&table(vec![
        ("all []", audience(json!({"all": []}))),
        ("any []", audience(json!({"any": []}))),
        (
            "all [returning, french]",
            audience(json!({"all": [returning, french]})),
        ),
        (
            "all [returning, mobile]",
            audience(json!({"all": [returning, mobile]})),
        ),
        (
            "any [mobile, french]",
            audience(json!({"any": [mobile, french]})),
        ),
        ("not mobile", audience(json!({"not": mobile}))),
        ("not returning", audience(json!({"not": returning}))),
        (
            "all [french, not any [mobile, new]]",
            audience(json!({"all": [french, {"not": {"any": [mobile, {"visitor": "new"}]}}]})),
        ),
        (
            "any [mobile, all [returning, not not french]]",
            audience(json!({"any": [mobile, {"all": [returning, {"not": {"not": french}}]}]})),
        ),
    ]));
}

#[test]
fn string_rules_on_values_that_may_be_absent() {
    let rule = StringRule {
        op: StringOp::Contains,
        value: "a".into(),
    };
    assert!(rule.test_option(Some("cat")));
    assert!(!rule.test_option(None));
    let mut case = Case::one(json!({"audience": {"device": "desktop"}}));
    case.visit.device = None;
    expect!["not shown — audience_not_matched"].assert_eq(&case.short());
    case.visit.device = Some(Device::Desktop);
    expect!["shown"].assert_eq(&case.short());
}
