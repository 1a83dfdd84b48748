//! Baton's Cloudflare Worker: the versioned HTTP API under `/v1`. Static files (loader, widget, demo and console
//! pages) are served by the assets binding before this code runs; `wrangler.toml` sends only `/v1/*` here.
//!
//! The whole route table is [`Route::parse`] plus the `match` in [`dispatch`]; each route is one named async fn in
//! `routes/`. Every handler decodes into `baton-shared` types, calls a pure decision, and performs the effects.

mod ai;
mod clock;
mod cors;
mod error;
mod http;
mod random;
mod rate_limit;
mod routes;
mod store;
mod vars;

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
enum Route {
    Health,
    SiteSchema,
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
}

impl Route {
    fn parse(path: &str) -> Option<Route> {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match segments.as_slice() {
            ["v1", "health"] => Some(Route::Health),
            ["v1", "schema", "site.json"] => Some(Route::SiteSchema),
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
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn site_id(&self) -> Option<&str> {
        match self {
            Route::Health | Route::SiteSchema => None,
            Route::WidgetConfig { site_id }
            | Route::Conversations { site_id }
            | Route::Messages { site_id, .. }
            | Route::Identify { site_id, .. }
            | Route::Form { site_id, .. } => Some(site_id),
        }
    }

    /// The conversation a route writes to, for the per-visitor rate limit.
    fn conversation_id(&self) -> Option<&str> {
        match self {
            Route::Messages {
                conversation_id, ..
            }
            | Route::Identify {
                conversation_id, ..
            }
            | Route::Form {
                conversation_id, ..
            } => Some(conversation_id),
            Route::Health
            | Route::SiteSchema
            | Route::WidgetConfig { .. }
            | Route::Conversations { .. } => None,
        }
    }

    /// The methods this route answers, for 405 responses and CORS preflights.
    fn allowed_methods(&self) -> &'static str {
        match self {
            Route::Health | Route::SiteSchema | Route::WidgetConfig { .. } => "GET",
            Route::Conversations { .. } | Route::Identify { .. } | Route::Form { .. } => "POST",
            Route::Messages { .. } => "GET, POST",
        }
    }
}

async fn handle(mut req: Request, env: Env) -> worker::Result<Response> {
    let path = req.path();
    let Some(route) = Route::parse(&path) else {
        return ApiError::NotFound(format!("there is no API route {path}")).into_response();
    };
    let store = match Store::from_env(&env) {
        Ok(store) => store,
        Err(error) => return ApiError::from(error).into_response(),
    };
    // Site routes: the site must exist, and a browser caller's origin must be on its allowlist.
    let site = match route.site_id() {
        None => None,
        Some(site_id) => match load_site(&store, site_id).await {
            Ok(site) => Some(site),
            Err(error) => return error.into_response(),
        },
    };
    let origin = req.headers().get("Origin").ok().flatten();
    if let (Some(site), Some(origin)) = (&site, &origin)
        && !origin::is_allowed(&site.config.allowed_origins, origin)
    {
        return ApiError::OriginNotAllowed(format!(
            "origin {origin} is not in the allowed_origins of site \"{}\"",
            site.config.id
        ))
        .into_response();
    }
    let cors = origin.filter(|_| site.is_some()).map(|origin| cors::Cors {
        origin,
        allowed_methods: route.allowed_methods(),
    });
    let response = if req.method() == Method::Options && cors.is_some() {
        Ok(Response::empty()?.with_status(204))
    } else if let (Method::Post, Some(site_id)) = (req.method(), route.site_id()) {
        match rate_limit::check(&env, &req, site_id, route.conversation_id()).await {
            Ok(()) => dispatch(&mut req, &env, &store, route, site.as_deref()).await,
            Err(limited) => Err(limited),
        }
    } else {
        dispatch(&mut req, &env, &store, route, site.as_deref()).await
    };
    let response = match response {
        Ok(response) => response,
        Err(error) => error.into_response()?,
    };
    match cors {
        Some(cors) => cors.apply(response),
        None => Ok(response),
    }
}

async fn dispatch(
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

async fn load_site(store: &Store, site_id: &str) -> Result<Rc<StoredSite>, ApiError> {
    store
        .site(site_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("site \"{site_id}\" does not exist")))
}

#[cfg(test)]
mod tests;
