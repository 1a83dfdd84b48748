//! Baton's Cloudflare Worker: the versioned HTTP API under `/v1`. Static files (loader, widget, demo and console
//! pages) are served by the assets binding before this code runs; `wrangler.toml` sends only `/v1/*` here.
//!
//! The whole route table is [`Route::parse`] plus the `match` in [`dispatch`]; each route is one named async fn in
//! `routes/`. Every handler decodes into `baton-shared` types, calls a pure decision, and performs the effects.

mod abuse;
mod accounts;
mod ai;
mod clock;
mod cors;
mod error;
mod http;
mod random;
mod rate_limit;
mod rooms;
mod routes;
mod store;
mod turnstile;
mod vars;
mod webhooks;

pub use rooms::{ConversationRoom, SiteDirectory, SiteInbox};

use std::rc::Rc;

use baton_shared::origin;
use worker::{Context, Env, Method, Request, Response, event};

use crate::error::ApiError;
use crate::store::{Store, StoredSite};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    handle(req, env).await
}

/// Every API route, decoded from the path alone.
#[derive(Debug, PartialEq)]
pub(crate) enum Route {
    Health,
    SiteSchema,
    /// The operator: create a site and its first admin.
    Sites,
    WidgetConfig {
        site_id: String,
    },
    Conversations {
        site_id: String,
    },
    Messages {
        site_id: String,
        conversation_id: String,
    },
    Identify {
        site_id: String,
        conversation_id: String,
    },
    Form {
        site_id: String,
        conversation_id: String,
    },
    /// The visitor's WebSocket (`?access_token=…&since=N`).
    Live {
        site_id: String,
        conversation_id: String,
    },
    /// The visitor's rating after the close.
    Csat {
        site_id: String,
        conversation_id: String,
    },
    /// Admin: accounts, and erasure.
    Agents {
        site_id: String,
    },
    /// Admin: disable, enable or delete one account.
    Agent {
        site_id: String,
        agent_id: String,
    },
    /// A single-use ticket for one socket (visitor or agent).
    SocketTickets {
        site_id: String,
    },
    Erasure {
        site_id: String,
    },
    /// Agent console.
    AgentMe {
        site_id: String,
    },
    AgentInbox {
        site_id: String,
    },
    AgentWebhooks {
        site_id: String,
    },
    AgentConversation {
        site_id: String,
        conversation_id: String,
        action: AgentAction,
    },
}

/// What an agent does with one conversation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum AgentAction {
    View,
    Live,
    Claim,
    Transfer,
    Close,
}

impl Route {
    pub(crate) fn parse(path: &str) -> Option<Route> {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match segments.as_slice() {
            ["v1", "health"] => Some(Route::Health),
            ["v1", "schema", "site.json"] => Some(Route::SiteSchema),
            ["v1", "sites"] => Some(Route::Sites),
            ["v1", "sites", site, "agents", agent] => Some(Route::Agent {
                site_id: (*site).to_string(),
                agent_id: (*agent).to_string(),
            }),
            ["v1", "sites", site, "widget"] => Some(Route::WidgetConfig {
                site_id: (*site).to_string(),
            }),
            ["v1", "sites", site, "conversations"] => Some(Route::Conversations {
                site_id: (*site).to_string(),
            }),
            ["v1", "sites", site, "conversations", conversation, resource] => {
                let (site_id, conversation_id) = ((*site).to_string(), (*conversation).to_string());
                match *resource {
                    "messages" => Some(Route::Messages {
                        site_id,
                        conversation_id,
                    }),
                    "identify" => Some(Route::Identify {
                        site_id,
                        conversation_id,
                    }),
                    "form" => Some(Route::Form {
                        site_id,
                        conversation_id,
                    }),
                    "live" => Some(Route::Live {
                        site_id,
                        conversation_id,
                    }),
                    "csat" => Some(Route::Csat {
                        site_id,
                        conversation_id,
                    }),
                    _ => None,
                }
            }
            ["v1", "sites", site, resource] => {
                let site_id = (*site).to_string();
                match *resource {
                    "agents" => Some(Route::Agents { site_id }),
                    "erasure" => Some(Route::Erasure { site_id }),
                    "socket-tickets" => Some(Route::SocketTickets { site_id }),
                    _ => None,
                }
            }
            ["v1", "sites", site, "agent", resource] => {
                let site_id = (*site).to_string();
                match *resource {
                    "me" => Some(Route::AgentMe { site_id }),
                    "inbox" => Some(Route::AgentInbox { site_id }),
                    "webhooks" => Some(Route::AgentWebhooks { site_id }),
                    _ => None,
                }
            }
            [
                "v1",
                "sites",
                site,
                "agent",
                "conversations",
                conversation,
                rest @ ..,
            ] => {
                let action = match rest {
                    [] => AgentAction::View,
                    ["live"] => AgentAction::Live,
                    ["claim"] => AgentAction::Claim,
                    ["transfer"] => AgentAction::Transfer,
                    ["close"] => AgentAction::Close,
                    _ => return None,
                };
                Some(Route::AgentConversation {
                    site_id: (*site).to_string(),
                    conversation_id: (*conversation).to_string(),
                    action,
                })
            }
            _ => None,
        }
    }

    /// The conversation whose room handles this route (the visitor's routes); `None` for the rest.
    fn room(&self) -> Option<(&str, Option<&str>)> {
        match self {
            Route::Conversations { site_id } => Some((site_id, None)),
            Route::Messages {
                site_id,
                conversation_id,
            }
            | Route::Identify {
                site_id,
                conversation_id,
            }
            | Route::Form {
                site_id,
                conversation_id,
            }
            | Route::Live {
                site_id,
                conversation_id,
            }
            | Route::Csat {
                site_id,
                conversation_id,
            } => Some((site_id, Some(conversation_id))),
            _ => None,
        }
    }

    /// Agent and admin routes: authenticated by token, called from the console (same origin), never by the widget.
    fn is_staff(&self) -> bool {
        matches!(
            self,
            Route::Sites
                | Route::Agents { .. }
                | Route::Agent { .. }
                | Route::Erasure { .. }
                | Route::AgentMe { .. }
                | Route::AgentInbox { .. }
                | Route::AgentWebhooks { .. }
                | Route::AgentConversation { .. }
        )
    }

    pub(crate) fn site_id(&self) -> Option<&str> {
        match self {
            Route::Health | Route::SiteSchema | Route::Sites => None,
            Route::WidgetConfig { site_id }
            | Route::Conversations { site_id }
            | Route::Messages { site_id, .. }
            | Route::Identify { site_id, .. }
            | Route::Form { site_id, .. }
            | Route::Live { site_id, .. }
            | Route::Csat { site_id, .. }
            | Route::Agents { site_id }
            | Route::Agent { site_id, .. }
            | Route::SocketTickets { site_id }
            | Route::Erasure { site_id }
            | Route::AgentMe { site_id }
            | Route::AgentInbox { site_id }
            | Route::AgentWebhooks { site_id }
            | Route::AgentConversation { site_id, .. } => Some(site_id),
        }
    }

    /// The conversation a route writes to, for the per-visitor rate limit (checked by its room).
    pub(crate) fn conversation_id(&self) -> Option<&str> {
        match self {
            Route::Messages {
                conversation_id, ..
            }
            | Route::Identify {
                conversation_id, ..
            }
            | Route::Form {
                conversation_id, ..
            }
            | Route::Csat {
                conversation_id, ..
            } => Some(conversation_id),
            _ => None,
        }
    }

    /// The methods this route answers, for 405 responses and CORS preflights.
    fn allowed_methods(&self) -> &'static str {
        match self {
            Route::Health
            | Route::SiteSchema
            | Route::WidgetConfig { .. }
            | Route::Live { .. }
            | Route::AgentMe { .. }
            | Route::AgentInbox { .. }
            | Route::AgentWebhooks { .. } => "GET",
            Route::Sites
            | Route::SocketTickets { .. }
            | Route::Conversations { .. }
            | Route::Identify { .. }
            | Route::Form { .. }
            | Route::Csat { .. }
            | Route::Erasure { .. } => "POST",
            Route::Agent { .. } => "PATCH, DELETE",
            Route::Messages { .. } | Route::Agents { .. } => "GET, POST",
            Route::AgentConversation { action, .. } => match action {
                AgentAction::View | AgentAction::Live => "GET",
                AgentAction::Claim | AgentAction::Transfer | AgentAction::Close => "POST",
            },
        }
    }
}

async fn handle(mut req: Request, env: Env) -> worker::Result<Response> {
    let path = req.path();
    // Anything the visitor path or a room reads from these headers is set by the worker itself.
    for header in [
        rooms::SITE_HEADER,
        rooms::CONVERSATION_HEADER,
        rooms::AGENT_HEADER,
    ] {
        if req.headers().has(header)? {
            return with_security_headers(
                ApiError::InvalidJson(format!(
                    "the {header} header is Baton's own; do not send it"
                ))
                .into_response()?,
            )
            .await;
        }
    }
    let Some(route) = Route::parse(&path) else {
        return with_security_headers(
            ApiError::NotFound(format!("there is no API route {path}")).into_response()?,
        )
        .await;
    };
    let store = match Store::from_env(&env) {
        Ok(store) => store,
        Err(error) => return with_security_headers(ApiError::from(error).into_response()?).await,
    };
    // Site routes: the site must exist, and a browser caller's origin must be on its allowlist.
    let site = match route.site_id() {
        None => None,
        Some(site_id) => match load_site(&store, site_id).await {
            Ok(site) => Some(site),
            Err(error) => return with_security_headers(error.into_response()?).await,
        },
    };
    // The console calls the API from the worker's own origin; the site's allowlist is for the pages that embed it.
    let own_origin = req.url()?.origin().ascii_serialization();
    let origin = req
        .headers()
        .get("Origin")
        .ok()
        .flatten()
        .filter(|origin| !route.is_staff() && *origin != own_origin);
    if let (Some(site), Some(origin)) = (&site, &origin)
        && !origin::is_allowed(&site.config.allowed_origins, origin)
    {
        return with_security_headers(
            ApiError::OriginNotAllowed(format!(
                "origin {origin} is not in the allowed_origins of site \"{}\"",
                site.config.id
            ))
            .into_response()?,
        )
        .await;
    }
    let cors = origin.filter(|_| site.is_some()).map(|origin| cors::Cors {
        origin,
        allowed_methods: route.allowed_methods(),
    });
    let response = if req.method() == Method::Options && cors.is_some() {
        Ok(Response::empty()?.with_status(204))
    } else {
        let admitted = match req.method() {
            Method::Post | Method::Patch | Method::Delete => admit(&env, &req).await,
            _ => Ok(()),
        };
        match admitted {
            Err(refused) => Err(refused),
            Ok(()) => match route.room() {
                Some((site_id, conversation_id)) => {
                    let version = site.as_ref().map(|site| site.version.clone());
                    forward_to_room(req, &env, site_id, conversation_id, version).await
                }
                None => dispatch(&mut req, &env, &store, route, site.as_deref()).await,
            },
        }
    };
    let response = match response {
        Ok(response) => response,
        Err(error) => error.into_response()?,
    };
    let response = match cors {
        // A WebSocket upgrade needs no CORS (the origin was checked above), and its headers cannot change.
        Some(cors) if response.status_code() != 101 => cors.apply(response)?,
        _ => response,
    };
    with_security_headers(response).await
}

/// The limit a writing request passes before it is handled: its address's rate limit. The conversation's own rate
/// limit is checked by its room, after the visitor's token; so are the hourly limits of scripts without an `Origin`
/// (`abuse.rs`), counted only for conversations actually started and handoffs actually made.
async fn admit(env: &Env, req: &Request) -> Result<(), ApiError> {
    rate_limit::address(env, req).await
}

/// Every API answer says its content type is what it declares (no sniffing); a socket's upgrade is left alone. A
/// Durable Object's answer has immutable headers, so it is copied first.
async fn with_security_headers(mut response: Response) -> worker::Result<Response> {
    if response.status_code() == 101 {
        return Ok(response);
    }
    if response
        .headers_mut()
        .set("X-Content-Type-Options", "nosniff")
        .is_err()
    {
        response = rooms::relay(response).await?;
        response
            .headers_mut()
            .set("X-Content-Type-Options", "nosniff")?;
    }
    Ok(response)
}

/// Sends a visitor's request to its conversation's room (a new conversation gets its id here), and passes the
/// room's answer back.
async fn forward_to_room(
    req: Request,
    env: &Env,
    site_id: &str,
    conversation_id: Option<&str>,
    site_version: Option<String>,
) -> Result<Response, ApiError> {
    let conversation_id = match conversation_id {
        Some(id) if store::is_key_segment(id) => id.to_string(),
        Some(id) => {
            return Err(ApiError::NotFound(format!(
                "conversation \"{id}\" does not exist on site \"{site_id}\""
            )));
        }
        None => random::uuid()?,
    };
    let headers = req.headers().clone();
    headers.set(rooms::CONVERSATION_HEADER, &conversation_id)?;
    headers.set(rooms::SITE_HEADER, site_id)?;
    if let Some(version) = site_version {
        headers.set(rooms::SITE_VERSION_HEADER, &version)?;
    }
    let mut init = worker::RequestInit::new();
    init.with_method(req.method()).with_headers(headers);
    let mut req = req;
    if !matches!(req.method(), Method::Get | Method::Head) {
        init.with_body(Some(req.bytes().await?.into()));
    }
    let forwarded = Request::new_with_init(req.url()?.as_ref(), &init)?;
    let stub = rooms::conversation_stub(env, site_id, &conversation_id)?;
    let response = stub.fetch_with_request(forwarded).await?;
    Ok(rooms::relay(response).await?)
}

pub(crate) async fn dispatch(
    req: &mut Request,
    env: &Env,
    store: &Store,
    route: Route,
    site: Option<&StoredSite>,
) -> Result<Response, ApiError> {
    let method = req.method();
    match (&route, method, site) {
        (Route::Health, Method::Get, _) => routes::health::get(),
        (Route::SiteSchema, Method::Get, _) => routes::schema::get(),
        (Route::Sites, Method::Post, _) => routes::agents::create_site(req, env, store).await,
        (Route::SocketTickets { .. }, Method::Post, Some(site)) => {
            routes::agent::ticket(req, env, &site.config).await
        }
        (Route::WidgetConfig { .. }, Method::Get, Some(site)) => {
            routes::widget_config::get(req, store, site).await
        }
        (Route::Conversations { .. }, Method::Post, Some(site)) => {
            routes::conversations::create(req, env, store, &site.config).await
        }
        (
            Route::Messages {
                conversation_id, ..
            },
            Method::Post,
            Some(site),
        ) => routes::messages::post(req, env, store, site, conversation_id).await,
        (
            Route::Messages {
                conversation_id, ..
            },
            Method::Get,
            Some(site),
        ) => routes::messages::history(req, store, &site.config, conversation_id).await,
        (
            Route::Identify {
                conversation_id, ..
            },
            Method::Post,
            Some(site),
        ) => routes::visitor::identify(req, env, store, &site.config, conversation_id).await,
        (
            Route::Form {
                conversation_id, ..
            },
            Method::Post,
            Some(site),
        ) => routes::visitor::submit_form(req, env, store, site, conversation_id).await,
        (
            Route::Csat {
                conversation_id, ..
            },
            Method::Post,
            Some(site),
        ) => routes::visitor::rate(req, store, &site.config, conversation_id).await,
        (Route::Agents { .. }, Method::Post, Some(site)) => {
            routes::agents::create(req, env, &site.config).await
        }
        (Route::Agents { .. }, Method::Get, Some(site)) => {
            routes::agents::list(req, env, &site.config).await
        }
        (Route::Agent { agent_id, .. }, Method::Patch, Some(site)) => {
            routes::agents::update(req, env, &site.config, agent_id).await
        }
        (Route::Agent { agent_id, .. }, Method::Delete, Some(site)) => {
            routes::agents::delete(req, env, &site.config, agent_id).await
        }
        (Route::Erasure { .. }, Method::Post, Some(site)) => {
            routes::agents::erase(req, env, store, &site.config).await
        }
        (Route::AgentMe { .. }, Method::Get, Some(site)) => {
            routes::agent::me(req, env, &site.config).await
        }
        (Route::AgentInbox { .. }, Method::Get, Some(site)) => {
            routes::agent::inbox(req.clone()?, env, &site.config).await
        }
        (Route::AgentWebhooks { .. }, Method::Get, Some(site)) => {
            routes::agent::deliveries(req, env, &site.config).await
        }
        (
            Route::AgentConversation {
                conversation_id,
                action,
                ..
            },
            method,
            Some(site),
        ) if method.to_string() == route.allowed_methods() => {
            let site = &site.config;
            match action {
                AgentAction::View => {
                    routes::agent::conversation(req, env, store, site, conversation_id).await
                }
                AgentAction::Live => {
                    routes::agent::live(req.clone()?, env, site, conversation_id).await
                }
                AgentAction::Claim => {
                    routes::agent::claim(req, env, store, site, conversation_id).await
                }
                AgentAction::Transfer => {
                    routes::agent::transfer(req, env, store, site, conversation_id).await
                }
                AgentAction::Close => {
                    routes::agent::close(req, env, store, site, conversation_id).await
                }
            }
        }
        (route, method, _) => Err(ApiError::MethodNotAllowed {
            allow: route.allowed_methods(),
            message: format!(
                "{method} is not allowed on {}; use {}",
                req.path(),
                route.allowed_methods()
            ),
        }),
    }
}

pub(crate) async fn load_site(store: &Store, site_id: &str) -> Result<Rc<StoredSite>, ApiError> {
    store
        .site(site_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("site \"{site_id}\" does not exist")))
}

#[cfg(test)]
mod tests;
