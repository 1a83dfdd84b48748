use baton_shared::protocol::paths;
use expect_test::expect;

use super::{Endpoint, Route, Verb};

fn show(path: &str) -> String {
    match Route::parse(path) {
        None => format!("{path} => none"),
        Some(route) => {
            let ids: Vec<String> = [
                ("site", &route.site_id),
                ("conversation", &route.conversation_id),
                ("agent", &route.agent_id),
                ("version", &route.version),
            ]
            .iter()
            .filter_map(|(name, id)| id.as_ref().map(|id| format!("{name}={id}")))
            .collect();
            format!(
                "{path} => {:?} [{}] {}{}",
                route.endpoint,
                route.allowed_methods(),
                ids.join(" "),
                if route.is_staff() { " (staff)" } else { "" }
            )
        }
    }
}

#[test]
fn routes_parse_from_paths() {
    let parsed: Vec<String> = [
        "/v1/health",
        "/v1/schema/site.json",
        "/v1/sites/demo/widget",
        "/v1/sites/demo/widget/faq",
        "/v1/sites/demo/conversations",
        "/v1/sites/demo/conversations/",
        "/v1/sites/demo/conversations/abc/other",
        "/v1/sites/demo",
        "/v1/sites//widget",
        "/v1/sites/demo/conversations/abc/messages/extra",
        "/v1/sites/demo/agent/conversations/abc/reopen",
        "/v1/sites/demo/config/versions/3/restore",
        "/v2/health",
    ]
    .iter()
    .map(|path| show(path))
    .collect();
    expect![[r#"
        /v1/health => Health [GET] 
        /v1/schema/site.json => SiteSchema [GET] 
        /v1/sites/demo/widget => WidgetConfig [GET] site=demo
        /v1/sites/demo/widget/faq => WidgetFaq [GET] site=demo
        /v1/sites/demo/conversations => Conversations [POST] site=demo
        /v1/sites/demo/conversations/ => Conversations [POST] site=demo
        /v1/sites/demo/conversations/abc/other => none
        /v1/sites/demo => none
        /v1/sites//widget => none
        /v1/sites/demo/conversations/abc/messages/extra => none
        /v1/sites/demo/agent/conversations/abc/reopen => none
        /v1/sites/demo/config/versions/3/restore => ConfigRestore [POST] site=demo version=3 (staff)
        /v2/health => none"#]]
    .assert_eq(&parsed.join("\n"));
}

/// Every path a client builds (`protocol::paths`) parses back to its route, with the ids it was built from.
#[test]
fn every_path_the_clients_build_parses_back_to_its_route() {
    let (s, c, a) = ("shop-1", "c_9", "agent-7");
    let built: Vec<(String, Endpoint)> = vec![
        (paths::HEALTH.to_string(), Endpoint::Health),
        (paths::SITES.to_string(), Endpoint::Sites),
        (paths::widget_config(s), Endpoint::WidgetConfig),
        (paths::widget_faq(s), Endpoint::WidgetFaq),
        (paths::conversations(s), Endpoint::Conversations),
        (paths::messages(s, c), Endpoint::Messages),
        (paths::identify(s, c), Endpoint::Identify),
        (paths::form(s, c), Endpoint::Form),
        (paths::live(s, c), Endpoint::Live),
        (paths::csat(s, c), Endpoint::Csat),
        (paths::agents(s), Endpoint::Agents),
        (paths::agent(s, a), Endpoint::Agent),
        (paths::socket_tickets(s), Endpoint::SocketTickets),
        (paths::erasure(s), Endpoint::Erasure),
        (paths::agent_me(s), Endpoint::AgentMe),
        (paths::agent_inbox(s), Endpoint::AgentInbox),
        (paths::agent_webhooks(s), Endpoint::AgentWebhooks),
        (
            paths::agent_conversation(s, c, None),
            Endpoint::AgentConversation,
        ),
        (
            paths::agent_conversation(s, c, Some("live")),
            Endpoint::AgentLive,
        ),
        (
            paths::agent_conversation(s, c, Some("claim")),
            Endpoint::Claim,
        ),
        (
            paths::agent_conversation(s, c, Some("transfer")),
            Endpoint::Transfer,
        ),
        (
            paths::agent_conversation(s, c, Some("close")),
            Endpoint::Close,
        ),
        (paths::staffing(s), Endpoint::Staffing),
        (paths::campaign_events(s), Endpoint::CampaignEvents),
        (paths::leads(s), Endpoint::Leads),
        (paths::goals(s), Endpoint::Goals),
        // The results add a query, which is not part of the path.
        (
            paths::campaign_results(s, "2026-12-01", "2026-12-07")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_string(),
            Endpoint::CampaignResults,
        ),
        (
            without_query(paths::metrics(s, "from=2026-12-01&to=2026-12-07")),
            Endpoint::Metrics,
        ),
        (
            without_query(paths::metrics_conversations(s, "figure=missed")),
            Endpoint::MetricsConversations,
        ),
        (
            without_query(paths::metrics_csv(s, "from=2026-12-01&to=2026-12-07")),
            Endpoint::MetricsCsv,
        ),
        (paths::site_config(s), Endpoint::SiteConfig),
        (paths::config_draft(s), Endpoint::ConfigDraft),
        (paths::config_publish(s), Endpoint::ConfigPublish),
        (paths::config_versions(s), Endpoint::ConfigVersions),
        (paths::config_version(s, 3), Endpoint::ConfigVersion),
        (paths::config_restore(s, 3), Endpoint::ConfigRestore),
        (paths::config_webhook_test(s), Endpoint::ConfigWebhookTest),
        (
            without_query(paths::config_diff(s, "2", "draft")),
            Endpoint::ConfigDiff,
        ),
    ];
    for (path, endpoint) in &built {
        let route = Route::parse(path).unwrap_or_else(|| panic!("{path} does not parse"));
        assert_eq!(route.endpoint, *endpoint, "{path}");
        let wants_site = path.starts_with("/v1/sites/");
        assert_eq!(route.site_id.as_deref(), wants_site.then_some(s), "{path}");
        assert_eq!(
            route.conversation_id.as_deref(),
            path.contains(c).then_some(c),
            "{path}"
        );
        assert_eq!(
            route.agent_id.as_deref(),
            path.contains(a).then_some(a),
            "{path}"
        );
    }
    // The history adds a query, which is not part of the path.
    let history = paths::history(s, c, 4);
    let path = history.split('?').next().unwrap_or_default();
    assert_eq!(
        Route::parse(path).map(|route| route.endpoint),
        Some(Endpoint::Messages)
    );
    // Every endpoint is built by some client path, but the schema (fetched by editors, by URL).
    let covered: Vec<Endpoint> = built.iter().map(|(_, endpoint)| *endpoint).collect();
    let missing: Vec<Endpoint> = super::ROUTES
        .iter()
        .map(|row| row.endpoint)
        .filter(|endpoint| !covered.contains(endpoint) && *endpoint != Endpoint::SiteSchema)
        .collect();
    assert_eq!(missing, Vec::<Endpoint>::new());
}

#[test]
fn methods_come_from_the_table() {
    let messages = Route::parse(&paths::messages("demo", "c")).expect("parses");
    assert!(messages.allows(Verb::Get) && messages.allows(Verb::Post));
    assert!(!messages.allows(Verb::Delete));
    let agent = Route::parse(&paths::agent("demo", "a")).expect("parses");
    assert_eq!(agent.allowed_methods(), "PATCH, DELETE");
}

/// A built URL's path: a query is not part of the route.
fn without_query(url: String) -> String {
    url.split('?').next().unwrap_or_default().to_string()
}
