//! The API's routes, one row each: its path pattern, its methods and who may call it ([`super::Route::parse`] reads
//! them).

use super::Audience::{Public, Staff, Visitor};
use super::Verb::{Delete, Get, Patch, Post, Put};
use super::{Audience, Endpoint, Verb};

/// One row: `{site}`, `{conversation}`, `{agent}` and `{version}` in a pattern capture one path segment each.
pub(super) struct Row {
    pub pattern: &'static str,
    pub endpoint: Endpoint,
    pub methods: &'static [Verb],
    pub audience: Audience,
}

pub(super) const ROUTES: &[Row] = &[
    row("/v1/health", Endpoint::Health, &[Get], Public),
    row("/v1/schema/site.json", Endpoint::SiteSchema, &[Get], Public),
    row("/v1/sites", Endpoint::Sites, &[Post], Staff),
    row(
        "/v1/sites/{site}/widget",
        Endpoint::WidgetConfig,
        &[Get],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/widget/faq",
        Endpoint::WidgetFaq,
        &[Get],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/conversations",
        Endpoint::Conversations,
        &[Post],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/conversations/{conversation}/messages",
        Endpoint::Messages,
        &[Get, Post],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/conversations/{conversation}/identify",
        Endpoint::Identify,
        &[Post],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/conversations/{conversation}/form",
        Endpoint::Form,
        &[Post],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/conversations/{conversation}/live",
        Endpoint::Live,
        &[Get],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/conversations/{conversation}/csat",
        Endpoint::Csat,
        &[Post],
        Visitor,
    ),
    // Tickets are asked for by the widget (visitor token) and the console (agent token) alike.
    row(
        "/v1/sites/{site}/socket-tickets",
        Endpoint::SocketTickets,
        &[Post],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/staffing",
        Endpoint::Staffing,
        &[Get],
        Visitor,
    ),
    row(
        "/v1/sites/{site}/campaign-events",
        Endpoint::CampaignEvents,
        &[Post],
        Visitor,
    ),
    row("/v1/sites/{site}/leads", Endpoint::Leads, &[Post], Visitor),
    row("/v1/sites/{site}/goals", Endpoint::Goals, &[Post], Visitor),
    row(
        "/v1/sites/{site}/campaigns/results",
        Endpoint::CampaignResults,
        &[Get],
        Staff,
    ),
    row("/v1/sites/{site}/metrics", Endpoint::Metrics, &[Get], Staff),
    row(
        "/v1/sites/{site}/metrics/conversations",
        Endpoint::MetricsConversations,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/metrics.csv",
        Endpoint::MetricsCsv,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/config",
        Endpoint::SiteConfig,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/config/draft",
        Endpoint::ConfigDraft,
        &[Put, Delete],
        Staff,
    ),
    row(
        "/v1/sites/{site}/config/publish",
        Endpoint::ConfigPublish,
        &[Post],
        Staff,
    ),
    row(
        "/v1/sites/{site}/config/versions",
        Endpoint::ConfigVersions,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/config/versions/{version}",
        Endpoint::ConfigVersion,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/config/versions/{version}/restore",
        Endpoint::ConfigRestore,
        &[Post],
        Staff,
    ),
    row(
        "/v1/sites/{site}/config/diff",
        Endpoint::ConfigDiff,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/config/webhooks/test",
        Endpoint::ConfigWebhookTest,
        &[Post],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agents",
        Endpoint::Agents,
        &[Get, Post],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agents/{agent}",
        Endpoint::Agent,
        &[Patch, Delete],
        Staff,
    ),
    row(
        "/v1/sites/{site}/erasure",
        Endpoint::Erasure,
        &[Post],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agent/me",
        Endpoint::AgentMe,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agent/inbox",
        Endpoint::AgentInbox,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agent/webhooks",
        Endpoint::AgentWebhooks,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agent/conversations/{conversation}",
        Endpoint::AgentConversation,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agent/conversations/{conversation}/live",
        Endpoint::AgentLive,
        &[Get],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agent/conversations/{conversation}/claim",
        Endpoint::Claim,
        &[Post],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agent/conversations/{conversation}/transfer",
        Endpoint::Transfer,
        &[Post],
        Staff,
    ),
    row(
        "/v1/sites/{site}/agent/conversations/{conversation}/close",
        Endpoint::Close,
        &[Post],
        Staff,
    ),
];

const fn row(
    pattern: &'static str,
    endpoint: Endpoint,
    methods: &'static [Verb],
    audience: Audience,
) -> Row {
    Row {
        pattern,
        endpoint,
        methods,
        audience,
    }
}
