//! URL paths of the HTTP API, in one place so the widget, the worker's route table and the tests agree.

/// `GET`: liveness of the worker.
pub const HEALTH: &str = "/v1/health";

/// `GET`: what the widget needs to run on a site on every page view: the public configuration
/// ([`super::WidgetConfig`]).
pub fn widget_config(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/widget")
}

/// `GET`: what the chat needs for instant answers: the site's FAQ and its compiled index ([`super::WidgetFaq`]).
pub fn widget_faq(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/widget/faq")
}

/// `POST`: start a conversation on a site.
pub fn conversations(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/conversations")
}

/// `POST`: add a visitor message to a conversation. `GET` (with `?since=N`): the messages after sequence
/// number `N`, as [`super::MessagesAppended`].
pub fn messages(site_id: &str, conversation_id: &str) -> String {
    format!("/v1/sites/{site_id}/conversations/{conversation_id}/messages")
}

/// `GET`: the messages of a conversation after sequence number `since`.
pub fn history(site_id: &str, conversation_id: &str, since: u64) -> String {
    format!("{}?since={since}", messages(site_id, conversation_id))
}

/// `POST`: who the visitor is ([`super::Identify`]); a `user_id` needs a token signed by the site.
pub fn identify(site_id: &str, conversation_id: &str) -> String {
    format!("/v1/sites/{site_id}/conversations/{conversation_id}/identify")
}

/// `POST`: the pre-chat form's answers ([`super::SubmitForm`]).
pub fn form(site_id: &str, conversation_id: &str) -> String {
    format!("/v1/sites/{site_id}/conversations/{conversation_id}/form")
}

/// WebSocket (`?ticket={socket ticket}&since=N`): the conversation live ([`super::live`]).
pub fn live(site_id: &str, conversation_id: &str) -> String {
    format!("/v1/sites/{site_id}/conversations/{conversation_id}/live")
}

/// `POST`: the visitor's rating after the close ([`super::agent::Rate`]).
pub fn csat(site_id: &str, conversation_id: &str) -> String {
    format!("/v1/sites/{site_id}/conversations/{conversation_id}/csat")
}

/// Admin. `POST`: create an agent ([`super::agent::CreateAgent`]); `GET`: list them.
pub fn agents(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/agents")
}

/// Admin. `POST`: erase everything stored about one visitor ([`super::agent::Erase`]).
pub fn erasure(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/erasure")
}

/// Agent. `GET`: who the token belongs to ([`super::agent::AgentSession`]).
pub fn agent_me(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/agent/me")
}

/// Agent. `GET`: the inbox's items as JSON, or with `Upgrade: websocket` the live inbox.
pub fn agent_inbox(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/agent/inbox")
}

/// Agent. `GET`: recent webhook deliveries and their status.
pub fn agent_webhooks(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/agent/webhooks")
}

/// Agent. `GET`: a handed-over conversation ([`super::agent::AgentConversation`]); with `action` (`live`,
/// `claim`, `transfer`, `close`), that action's route.
pub fn agent_conversation(site_id: &str, conversation_id: &str, action: Option<&str>) -> String {
    match action {
        None => format!("/v1/sites/{site_id}/agent/conversations/{conversation_id}"),
        Some(action) => {
            format!("/v1/sites/{site_id}/agent/conversations/{conversation_id}/{action}")
        }
    }
}

/// Operator (`BATON_ADMIN_TOKEN`). `POST`: create a site with a starter configuration and its first admin
/// ([`super::agent::CreateSite`]).
pub const SITES: &str = "/v1/sites";

/// Admin. `PATCH`: disable or enable an agent ([`super::agent::UpdateAgent`]); `DELETE`: delete it. Either
/// stops the agent's token at once and closes their open sockets.
pub fn agent(site_id: &str, agent_id: &str) -> String {
    format!("/v1/sites/{site_id}/agents/{agent_id}")
}

/// `POST` with a bearer token (the visitor's or an agent's): a short-lived, single-use ticket for one
/// WebSocket ([`super::ticket::RequestTicket`] → [`super::ticket::SocketTicket`]). Sockets open with
/// `?ticket=…` (plus `since`), never with a long-lived token in the URL.
pub fn socket_tickets(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/socket-tickets")
}

/// `GET`: who can answer now ([`super::StaffingNow`]), for campaigns' `staffing` and `schedule.hours`.
pub fn staffing(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/staffing")
}

/// `POST`: a batch of campaign events from the browser ([`super::CampaignEvents`]; `text/plain` too, for
/// `navigator.sendBeacon`).
pub fn campaign_events(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/campaign-events")
}

/// Staff. `GET`: what happened to each campaign's variants from `from` to `to` (`YYYY-MM-DD`, UTC, both included)
/// ([`super::CampaignResults`]).
pub fn campaign_results(site_id: &str, from: &str, to: &str) -> String {
    format!("/v1/sites/{site_id}/campaigns/results?from={from}&to={to}")
}

/// `POST`: a campaign's lead form ([`super::SubmitLead`] → [`super::LeadCreated`]).
pub fn leads(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/leads")
}

/// `POST`: a goal the page tracked (`Baton('track', goal, {value})`, [`super::metrics::TrackGoal`]).
pub fn goals(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/goals")
}

/// Staff. `GET`: the report ([`super::metrics::MetricsReport`]); `query` is the query string without `?`
/// (`from=2026-11-01&to=2026-11-30&team=sales&interval=day`, see [`metrics_query`]).
pub fn metrics(site_id: &str, query: &str) -> String {
    format!("/v1/sites/{site_id}/metrics?{query}")
}

/// Staff. `GET`: the conversations behind a figure ([`super::metrics::FigureConversations`]); `query` as for
/// [`metrics`] plus `figure=…`.
pub fn metrics_conversations(site_id: &str, query: &str) -> String {
    format!("/v1/sites/{site_id}/metrics/conversations?{query}")
}

/// Staff. `GET`: one CSV row per conversation in the range; `query` as for [`metrics`].
pub fn metrics_csv(site_id: &str, query: &str) -> String {
    format!("/v1/sites/{site_id}/metrics.csv?{query}")
}

/// The query string of a metrics request (values percent-encoded).
pub fn metrics_query(
    query: &super::metrics::MetricsQuery,
    figure: Option<super::metrics::Figure>,
) -> String {
    let mut parts = vec![
        format!("from={}", encode(&query.from)),
        format!("to={}", encode(&query.to)),
    ];
    for (name, value) in [
        ("team", &query.team),
        ("agent", &query.agent),
        ("intent", &query.intent),
        ("campaign", &query.campaign),
    ] {
        if let Some(value) = value {
            parts.push(format!("{name}={}", encode(value)));
        }
    }
    if query.interval == super::metrics::Interval::Week {
        parts.push("interval=week".to_owned());
    }
    if let Some(figure) = figure {
        parts.push(format!("figure={}", figure.name()));
    }
    parts.join("&")
}

/// Percent-encodes everything but unreserved characters.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Admin. `GET`: the published configuration and the draft ([`super::site_config::ConfigState`]).
pub fn site_config(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/config")
}

/// Admin. `PUT`: save the draft ([`super::site_config::SaveDraft`] → [`super::site_config::Draft`]); `DELETE`:
/// discard it (→ [`super::site_config::ConfigState`], 200).
pub fn config_draft(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/config/draft")
}

/// Admin. `POST`: publish the draft ([`super::site_config::PublishDraft`] → [`super::site_config::VersionSummary`]).
pub fn config_publish(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/config/publish")
}

/// Admin. `GET`: the published versions, newest first ([`super::site_config::VersionList`]).
pub fn config_versions(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/config/versions")
}

/// Admin. `GET`: one version with its configuration ([`super::site_config::ConfigVersion`]).
pub fn config_version(site_id: &str, version: u32) -> String {
    format!("/v1/sites/{site_id}/config/versions/{version}")
}

/// Admin. `POST`: publish a new version equal to `version` ([`super::site_config::RestoreVersion`] →
/// [`super::site_config::VersionSummary`]).
pub fn config_restore(site_id: &str, version: u32) -> String {
    format!("/v1/sites/{site_id}/config/versions/{version}/restore")
}

/// Admin. `POST`: send one webhook a signed sample handoff ([`crate::config::Webhook`] →
/// [`super::site_config::WebhookTestResult`]).
pub fn config_webhook_test(site_id: &str) -> String {
    format!("/v1/sites/{site_id}/config/webhooks/test")
}

/// Admin. `GET`: what changed from `from` to `to` (version numbers, or `draft`) ([`super::site_config::ConfigDiff`]).
pub fn config_diff(site_id: &str, from: &str, to: &str) -> String {
    format!("/v1/sites/{site_id}/config/diff?from={from}&to={to}")
}
