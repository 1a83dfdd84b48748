use expect_test::expect;

use super::Route;

#[test]
fn routes_parse_from_paths() {
    let parsed: Vec<String> = [
        "/v1/health",
        "/v1/schema/site.json",
        "/v1/sites/demo/widget",
        "/v1/sites/demo/conversations",
        "/v1/sites/demo/conversations/",
        "/v1/sites/demo/conversations/abc/messages",
        "/v1/sites/demo/conversations/abc/identify",
        "/v1/sites/demo/conversations/abc/form",
        "/v1/sites/demo/conversations/abc/other",
        "/v1/sites/demo",
        "/v1/sites/demo/conversations/abc/messages/extra",
        "/v2/health",
    ]
    .iter()
    .map(|path| format!("{path} => {:?}", Route::parse(path)))
    .collect();
    expect![[r#"
        [
            "/v1/health => Some(Health)",
            "/v1/schema/site.json => Some(SiteSchema)",
            "/v1/sites/demo/widget => Some(WidgetConfig { site_id: \"demo\" })",
            "/v1/sites/demo/conversations => Some(Conversations { site_id: \"demo\" })",
            "/v1/sites/demo/conversations/ => Some(Conversations { site_id: \"demo\" })",
            "/v1/sites/demo/conversations/abc/messages => Some(Messages { site_id: \"demo\", conversation_id: \"abc\" })",
            "/v1/sites/demo/conversations/abc/identify => Some(Identify { site_id: \"demo\", conversation_id: \"abc\" })",
            "/v1/sites/demo/conversations/abc/form => Some(Form { site_id: \"demo\", conversation_id: \"abc\" })",
            "/v1/sites/demo/conversations/abc/other => None",
            "/v1/sites/demo => None",
            "/v1/sites/demo/conversations/abc/messages/extra => None",
            "/v2/health => None",
        ]
    "#]]
    .assert_debug_eq(&parsed);
}
