//! Baton's Cloudflare Worker: the versioned HTTP API under `/v1`. Static files (loader, widget, demo and console
//! pages) are served by the assets binding before this code runs; `wrangler.toml` sends only `/v1/*` here.
//!
//! A request is decoded into a [`route::Route`] (the one route table), checked (site, origin, method, rate limit),
//! and handed to its handler in `routes/` by [`dispatch`]. Handlers decode the body into `baton-shared` types;
//! a visitor's request then goes to its conversation's room (`rooms/`) as a typed call (`calls/`), where the
//! turn (`baton_shared::turn`) decides and the room performs.

mod abuse;
mod accounts;
mod ai;
mod calls;
mod clock;
mod cors;
mod error;
mod http;
mod ledger;
mod random;
mod rate_limit;
mod reports;
mod rooms;
mod route;
mod routes;
mod store;
mod turnstile;
mod vars;
mod webhooks;

pub use rooms::{ConversationRoom, SiteDirectory, SiteInbox};

use baton_shared::origin;
use worker::{
    Context, Env, Method, Request, Response, ScheduleContext, ScheduledEvent, console_error, event,
};

use crate::error::ApiError;
use crate::route::{Endpoint, Route, Verb};
use crate::store::{Kv, StoredSite};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    handle(req, env).await
}

/// The daily Cron Trigger (`[triggers]` in `wrangler.toml`): the metrics ledger's retention sweep.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if let Err(error) = ledger::sweep(&env, clock::scheduled_ms(&event, &env)).await {
        console_error!("the ledger's retention sweep failed: {error:?}");
    }
}

async fn handle(mut req: Request, env: Env) -> worker::Result<Response> {
    let path = req.path();
    // The envelope of an internal call rides in this header; only the worker writes it, to its own objects.
    if req.headers().has(calls::CALL_HEADER)? {
        let refused = ApiError::BadRequest(format!(
            "the {} header is Baton's own; do not send it",
            calls::CALL_HEADER
        ));
        return with_security_headers(refused.into_response()?).await;
    }
    // The work counted per site, on test and benchmark stacks only (`calls/tally.rs`).
    if path == calls::tally::PATH && req.method() == Method::Get {
        let response = match tally(&req, &env) {
            Ok(response) => response,
            Err(error) => error.into_response()?,
        };
        return with_security_headers(response).await;
    }
    let Some(route) = Route::parse(&path) else {
        return with_security_headers(
            ApiError::NotFound(format!("there is no API route {path}")).into_response()?,
        )
        .await;
    };
    let kv = match Kv::from_env(&env) {
        Ok(kv) => kv,
        Err(error) => return with_security_headers(ApiError::from(error).into_response()?).await,
    };
    // Site routes: the site must exist, and a browser caller's origin must be on its allowlist.
    let site = match &route.site_id {
        None => None,
        Some(site_id) => match store::site(&kv, site_id).await {
            Ok(Some(site)) => Some(site),
            Ok(None) => {
                let missing = ApiError::NotFound(format!("site \"{site_id}\" does not exist"));
                return with_security_headers(missing.into_response()?).await;
            }
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
        match verb(&req.method()).filter(|verb| route.allows(*verb)) {
            None => Err(ApiError::MethodNotAllowed {
                message: format!(
                    "{} is not allowed on {path}; use {}",
                    req.method(),
                    route.allowed_methods()
                ),
                allow: route.allowed_methods(),
            }),
            Some(verb) => match admit(&env, &req, verb, route.site_id.as_deref()).await {
                Err(refused) => Err(refused),
                Ok(()) => dispatch(&mut req, &env, &kv, &route, verb, site.as_deref()).await,
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

/// `GET /v1/__tally?site=…`: the site's tally so far (`calls/tally.rs`), for the operator, on a stack with
/// `BATON_TALLY = "on"`; elsewhere the route does not exist.
fn tally(req: &Request, env: &Env) -> Result<Response, ApiError> {
    if vars::text(env, calls::tally::SWITCH).as_deref() != Some("on") {
        return Err(ApiError::NotFound(format!(
            "there is no API route {}",
            calls::tally::PATH
        )));
    }
    let token = accounts::bearer(req)?;
    let operator = vars::text(env, accounts::ADMIN_TOKEN)
        .is_some_and(|admin| accounts::constant_time_eq(admin.as_bytes(), token.as_bytes()));
    if !operator {
        return Err(ApiError::Forbidden(
            "only the operator's token (BATON_ADMIN_TOKEN) reads the tally".into(),
        ));
    }
    let site = req
        .url()?
        .query_pairs()
        .find(|(name, _)| name == "site")
        .map(|(_, value)| value.into_owned())
        .ok_or_else(|| {
            ApiError::InvalidFields(vec![baton_shared::protocol::field_error(
                "site",
                "is required: the site whose tally to read",
            )])
        })?;
    Ok(http::json_response(&calls::tally::of(&site), 200)?)
}

fn verb(method: &Method) -> Option<Verb> {
    match method {
        Method::Get => Some(Verb::Get),
        Method::Post => Some(Verb::Post),
        Method::Put => Some(Verb::Put),
        Method::Patch => Some(Verb::Patch),
        Method::Delete => Some(Verb::Delete),
        _ => None,
    }
}

/// The limit a writing request passes before it is handled: its address's rate limit. The conversation's own rate
/// limit is checked by its room, after the visitor's token; so are the hourly limits of scripts without an `Origin`
/// (`abuse.rs`), counted only for conversations actually started and handoffs actually made.
async fn admit(
    env: &Env,
    req: &Request,
    verb: Verb,
    site_id: Option<&str>,
) -> Result<(), ApiError> {
    match verb {
        Verb::Get => Ok(()),
        Verb::Post | Verb::Put | Verb::Patch | Verb::Delete => {
            rate_limit::address(env, req, site_id).await
        }
    }
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
        response = calls::relay(response).await?;
        response
            .headers_mut()
            .set("X-Content-Type-Options", "nosniff")?;
    }
    Ok(response)
}

/// Binds each route and method of the table to its handler.
async fn dispatch(
    req: &mut Request,
    env: &Env,
    kv: &Kv,
    route: &Route,
    verb: Verb,
    site: Option<&StoredSite>,
) -> Result<Response, ApiError> {
    let Some(site) = site else {
        return match (route.endpoint, verb) {
            (Endpoint::Health, Verb::Get) => routes::health::get(),
            (Endpoint::SiteSchema, Verb::Get) => routes::schema::get(),
            (Endpoint::Sites, Verb::Post) => routes::agents::create_site(req, env, kv).await,
            _ => Err(ApiError::Internal(format!(
                "{:?} has no handler without a site",
                route.endpoint
            ))),
        };
    };
    let config = &site.config;
    let conversation_id = route.conversation_id.as_deref().unwrap_or_default();
    let agent_id = route.agent_id.as_deref().unwrap_or_default();
    let version = route.version.as_deref().unwrap_or_default();
    match (route.endpoint, verb) {
        (Endpoint::WidgetConfig, Verb::Get) => routes::widget_config::get(req, kv, site).await,
        (Endpoint::WidgetFaq, Verb::Get) => routes::widget_config::get_faq(req, kv, site).await,
        (Endpoint::Conversations, Verb::Post) => {
            routes::conversations::create(req, env, site).await
        }
        (Endpoint::Messages, Verb::Post) => {
            routes::messages::post(req, env, site, conversation_id).await
        }
        (Endpoint::Messages, Verb::Get) => {
            routes::messages::history(req, env, site, conversation_id).await
        }
        (Endpoint::Identify, Verb::Post) => {
            routes::visitor::identify(req, env, site, conversation_id).await
        }
        (Endpoint::Form, Verb::Post) => {
            routes::visitor::submit_form(req, env, site, conversation_id).await
        }
        (Endpoint::Csat, Verb::Post) => {
            routes::visitor::rate(req, env, site, conversation_id).await
        }
        (Endpoint::Live, Verb::Get) => routes::visitor::live(req, env, site, conversation_id).await,
        (Endpoint::Staffing, Verb::Get) => routes::campaigns::staffing(req, env, config).await,
        (Endpoint::CampaignEvents, Verb::Post) => routes::campaigns::events(req, env, config).await,
        (Endpoint::CampaignResults, Verb::Get) => {
            routes::campaigns::results(req, env, config).await
        }
        (Endpoint::Leads, Verb::Post) => routes::leads::create(req, env, kv, site).await,
        (Endpoint::Goals, Verb::Post) => routes::goals::track(req, env, config).await,
        (Endpoint::Metrics, Verb::Get) => routes::metrics::report(req, env, config).await,
        (Endpoint::MetricsConversations, Verb::Get) => {
            routes::metrics::conversations(req, env, config).await
        }
        (Endpoint::MetricsCsv, Verb::Get) => routes::metrics::csv(req, env, config).await,
        (Endpoint::SiteConfig, Verb::Get) => routes::site_config::state(req, env, config).await,
        (Endpoint::ConfigDraft, Verb::Put) => {
            routes::site_config::save_draft(req, env, config).await
        }
        (Endpoint::ConfigDraft, Verb::Delete) => {
            routes::site_config::discard_draft(req, env, config).await
        }
        (Endpoint::ConfigPublish, Verb::Post) => {
            routes::site_config::publish(req, env, config).await
        }
        (Endpoint::ConfigVersions, Verb::Get) => {
            routes::site_config::versions(req, env, config).await
        }
        (Endpoint::ConfigVersion, Verb::Get) => {
            routes::site_config::version(req, env, config, version).await
        }
        (Endpoint::ConfigRestore, Verb::Post) => {
            routes::site_config::restore(req, env, config, version).await
        }
        (Endpoint::ConfigDiff, Verb::Get) => routes::site_config::diff(req, env, config).await,
        (Endpoint::ConfigWebhookTest, Verb::Post) => {
            routes::site_config::test_webhook(req, env, config).await
        }
        (Endpoint::SocketTickets, Verb::Post) => routes::agent::ticket(req, env, config).await,
        (Endpoint::Agents, Verb::Post) => routes::agents::create(req, env, config).await,
        (Endpoint::Agents, Verb::Get) => routes::agents::list(req, env, config).await,
        (Endpoint::Agent, Verb::Patch) => routes::agents::update(req, env, config, agent_id).await,
        (Endpoint::Agent, Verb::Delete) => routes::agents::delete(req, env, config, agent_id).await,
        (Endpoint::Erasure, Verb::Post) => routes::agents::erase(req, env, kv, config).await,
        (Endpoint::AgentMe, Verb::Get) => routes::agent::me(req, env, config).await,
        (Endpoint::AgentInbox, Verb::Get) => routes::agent::inbox(req, env, config).await,
        (Endpoint::AgentWebhooks, Verb::Get) => routes::agent::deliveries(req, env, config).await,
        (Endpoint::AgentConversation, Verb::Get) => {
            routes::agent::conversation(req, env, kv, config, conversation_id).await
        }
        (Endpoint::AgentLive, Verb::Get) => {
            routes::agent::live(req, env, config, conversation_id).await
        }
        (Endpoint::Claim, Verb::Post) => {
            routes::agent::claim(req, env, kv, config, conversation_id).await
        }
        (Endpoint::Transfer, Verb::Post) => {
            routes::agent::transfer(req, env, kv, config, conversation_id).await
        }
        (Endpoint::Close, Verb::Post) => {
            routes::agent::close(req, env, kv, config, conversation_id).await
        }
        (endpoint, verb) => Err(ApiError::Internal(format!(
            "the route table allows {verb:?} on {endpoint:?}, but no handler is bound"
        ))),
    }
}
