use expect_test::{Expect, expect};

use super::*;

#[track_caller]
fn check(origin: &str, expect: Expect) {
    let allowed: Vec<String> = [
        "http://127.0.0.1:*",
        "http://localhost:*",
        "https://shop.example",
        "https://admin.shop.example:8443",
    ]
    .map(String::from)
    .to_vec();
    expect.assert_eq(&is_allowed(&allowed, origin).to_string());
}

#[test]
fn origins() {
    check("http://127.0.0.1:8787", expect!["true"]);
    check("http://localhost:3000", expect!["true"]);
    check("http://localhost", expect!["true"]);
    check("https://localhost:3000", expect!["false"]);
    check("https://shop.example", expect!["true"]);
    check("https://shop.example:443", expect!["true"]);
    check("https://SHOP.example", expect!["true"]);
    check("https://shop.example:444", expect!["false"]);
    check("https://shop.example.evil.test", expect!["false"]);
    check("https://admin.shop.example:8443", expect!["true"]);
    check("https://admin.shop.example", expect!["false"]);
    check("null", expect!["false"]);
    check("", expect!["false"]);
}

#[test]
fn invalid_patterns_are_explained() {
    let problems: Vec<String> = [
        "shop.example",
        "https://shop.example/",
        "https://a:port",
        "https://:1",
    ]
    .iter()
    .map(|p| OriginPattern::parse(p).expect_err("invalid"))
    .collect();
    expect![[r#"
        [
            "\"shop.example\" must start with http:// or https://",
            "\"https://shop.example/\" must be an origin only (scheme, host and port), without a path",
            "\"https://a:port\" has an invalid port \"port\"",
            "\"https://:1\" has an invalid host \"\"",
        ]
    "#]]
    .assert_debug_eq(&problems);
}
