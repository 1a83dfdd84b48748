//! The API's route table: one row per route, with its path pattern, its methods and who may call it. Parsing, the
//! `Allow` header, CORS and the staff check are derived from it; `lib.rs` binds each (endpoint, method) to its handler.
//! Adding a route is a row in `route/table.rs`, a variant of [`Endpoint`], a `protocol::paths` builder and a handler.

mod table;

use table::ROUTES;

/// Every API route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Health,
    SiteSchema,
    /// The operator: create a site and its first admin.
    Sites,
    WidgetConfig,
    /// The FAQ and its index, fetched with the chat's module.
    WidgetFaq,
    Conversations,
    Messages,
    Identify,
    Form,
    /// The visitor's WebSocket (`?ticket=…&since=N`).
    Live,
    /// The visitor's rating after the close.
    Csat,
    /// Admin: accounts.
    Agents,
    /// Admin: disable, enable or delete one account.
    Agent,
    /// A single-use ticket for one socket (visitor or agent).
    SocketTickets,
    /// Admin: erase a visitor's conversations.
    Erasure,
    AgentMe,
    /// The agent's inbox: a WebSocket, or the items as JSON.
    AgentInbox,
    AgentWebhooks,
    /// One conversation with its package and history.
    AgentConversation,
    /// The agent's socket on a conversation.
    AgentLive,
    Claim,
    Transfer,
    Close,
    /// Who can answer now, for campaigns.
    Staffing,
    /// The widget's batches of campaign events.
    CampaignEvents,
    /// Staff: what happened to each campaign.
    CampaignResults,
    /// A campaign's lead form.
    Leads,
    /// A site goal the page tracked, for the metrics.
    Goals,
    /// Staff: the metrics report.
    Metrics,
    /// Staff: the conversations behind one figure of the report.
    MetricsConversations,
    /// Staff: the report's conversations as a CSV download.
    MetricsCsv,
    /// Admin: the published configuration and the draft.
    SiteConfig,
    /// Admin: save (`PUT`) or discard (`DELETE`) the draft.
    ConfigDraft,
    /// Admin: publish the draft as a new version.
    ConfigPublish,
    /// Admin: the published versions, newest first.
    ConfigVersions,
    /// Admin: one version with its configuration.
    ConfigVersion,
    /// Admin: publish a new version equal to an older one.
    ConfigRestore,
    /// Admin: what changed between two versions, or a version and the draft.
    ConfigDiff,
    /// Admin: send one webhook a signed sample handoff.
    ConfigWebhookTest,
}

/// An HTTP method, as the table knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        }
    }
}

/// Who calls a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, site or not (health, the schema).
    Public,
    /// The widget, from the pages on the site's `allowed_origins` (or scripts without an `Origin`).
    Visitor,
    /// Agents, admins and the operator, by token, from the console on the worker's own origin.
    Staff,
}

/// A request's route: its row, and the ids its path named.
#[derive(Debug, PartialEq)]
pub struct Route {
    pub endpoint: Endpoint,
    pub site_id: Option<String>,
    pub conversation_id: Option<String>,
    pub agent_id: Option<String>,
    /// A configuration version, as the path wrote it (the handler parses it).
    pub version: Option<String>,
    methods: &'static [Verb],
    audience: Audience,
}

impl Route {
    /// The route of a path (a trailing `/` is ignored); `None` when no row matches.
    pub fn parse(path: &str) -> Option<Route> {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        ROUTES.iter().find_map(|row| {
            let pattern: Vec<&str> = row.pattern.split('/').collect();
            if pattern.len() != segments.len() {
                return None;
            }
            let mut route = Route {
                endpoint: row.endpoint,
                site_id: None,
                conversation_id: None,
                agent_id: None,
                version: None,
                methods: row.methods,
                audience: row.audience,
            };
            for (expected, segment) in pattern.iter().zip(&segments) {
                let captured = Some((*segment).to_string());
                match *expected {
                    _ if expected.starts_with('{') && segment.is_empty() => return None,
                    "{site}" => route.site_id = captured,
                    "{conversation}" => route.conversation_id = captured,
                    "{agent}" => route.agent_id = captured,
                    "{version}" => route.version = captured,
                    literal if literal == *segment => {}
                    _ => return None,
                }
            }
            Some(route)
        })
    }

    /// Whether the route answers `verb`.
    pub fn allows(&self, verb: Verb) -> bool {
        self.methods.contains(&verb)
    }

    /// The methods this route answers, for 405 responses and CORS preflights (`"GET, POST"`).
    pub fn allowed_methods(&self) -> String {
        let names: Vec<&str> = self.methods.iter().map(|verb| verb.as_str()).collect();
        names.join(", ")
    }

    /// Agent and admin routes: authenticated by token, called from the console (same origin), never by the widget.
    pub fn is_staff(&self) -> bool {
        self.audience == Audience::Staff
    }
}

#[cfg(test)]
mod tests;
