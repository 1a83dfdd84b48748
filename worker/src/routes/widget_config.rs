//! `GET /v1/sites/{site}/widget`: the widget's configuration and compiled FAQ index. Built once per configuration
//! version and cached in KV; answered with an `ETag` so a widget holding the current version gets a bodiless 304.
//! The visitor's country (`cf.country`, set by Cloudflare's edge and nothing the client can forge) rides along for
//! campaigns' `country` audience; it is not part of the version, so the answer is `private`: a shared cache must
//! never serve one visitor's country to another. JSON by default; in the compact wire encoding
//! (`baton_shared::protocol::wire`) when asked with `Accept: application/vnd.baton.wire`, as the widget does.

use baton_shared::protocol::WidgetConfig;
use worker::{Request, Response};

use crate::error::ApiError;
use crate::http::{asks_for_wire, reply};
use crate::store::{Kv, StoredSite};

/// The browser may reuse its copy for a minute, and a stale one for ten while revalidating: a configuration edit
/// reaches visitors within a minute without every page view asking. `private`: the body carries the visitor's
/// country, so no shared cache (a CDN, a corporate proxy) may keep it.
const CACHE_CONTROL: &str = "private, max-age=60, stale-while-revalidate=600";

pub async fn get(req: &Request, kv: &Kv, site: &StoredSite) -> Result<Response, ApiError> {
    let version = WidgetConfig::version_of(&site.json);
    let in_wire = asks_for_wire(req)?;
    let etag = WidgetConfig::etag(&version, in_wire);
    let unchanged = req
        .headers()
        .get("If-None-Match")?
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    let mut response = if unchanged {
        Response::empty()?.with_status(304)
    } else {
        let widget_config = match kv.widget_config(&site.config.id).await? {
            Some(cached) if cached.version == version => cached,
            _ => {
                let built = WidgetConfig::for_site(&site.config, &site.json);
                kv.put_widget_config(&site.config.id, &built).await?;
                built
            }
        };
        let widget_config = WidgetConfig {
            country: country(req),
            ..widget_config
        };
        reply(req, &widget_config, 200)?
    };
    let headers = response.headers_mut();
    headers.set("ETag", &etag)?;
    headers.set("Vary", "Accept")?;
    headers.set("Cache-Control", CACHE_CONTROL)?;
    Ok(response)
}

/// The visitor's country from Cloudflare's `cf.country` (ISO 3166 alpha-2), never from a header the client sends.
/// `XX` (unknown) and `T1` (Tor) say nothing about where the visitor is, so they count as none.
fn country(req: &Request) -> Option<String> {
    let country = req.cf()?.country()?;
    let country = country.trim().to_ascii_uppercase();
    let known = country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && country != "XX"
        && country != "T1";
    known.then_some(country)
}
