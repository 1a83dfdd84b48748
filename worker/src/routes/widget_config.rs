//! `GET /v1/sites/{site}/widget`: the widget's configuration, downloaded on every page view; and `GET
//! /v1/sites/{site}/widget/faq`: the FAQ and its compiled index, downloaded with the chat's module. Each is built
//! once per configuration version and cached in KV, and answered with an `ETag` so a widget holding the current
//! version gets a bodiless 304. The visitor's country (`cf.country`, set by Cloudflare's edge and nothing the
//! client can forge) rides along with the configuration for campaigns' `country` audience; it is not part of the
//! version, so that answer is `private`: a shared cache must never serve one visitor's country to another. JSON by
//! default; in the compact wire encoding (`baton_shared::protocol::wire`) when asked with `Accept:
//! application/vnd.baton.wire`, as the widget does.

use baton_shared::config::SiteConfig;
use baton_shared::protocol::{WidgetConfig, WidgetFaq};
use worker::{Request, Response};

use crate::error::ApiError;
use crate::http::{asks_for_wire, reply};
use crate::store::{Kv, StoredSite, WidgetPart};

/// The browser may reuse its copy for a minute, and a stale one for ten while revalidating: a configuration edit
/// reaches visitors within a minute without every page view asking. `private`: the configuration carries the
/// visitor's country, so no shared cache (a CDN, a corporate proxy) may keep it; the FAQ is the same for every
/// visitor but answered with the same rule, so both halves of one version age together.
const CACHE_CONTROL: &str = "private, max-age=60, stale-while-revalidate=600";

/// A half of what the widget downloads, as this route serves it.
trait Served: WidgetPart {
    fn build(config: &SiteConfig, stored_json: &str) -> Self;
    fn version(&self) -> &str;
    fn etag(version: &str, wire: bool) -> String;
}

impl Served for WidgetConfig {
    fn build(config: &SiteConfig, stored_json: &str) -> Self {
        WidgetConfig::for_site(config, stored_json)
    }
    fn version(&self) -> &str {
        &self.version
    }
    fn etag(version: &str, wire: bool) -> String {
        WidgetConfig::etag(version, wire)
    }
}

impl Served for WidgetFaq {
    fn build(config: &SiteConfig, stored_json: &str) -> Self {
        WidgetFaq::for_site(config, stored_json)
    }
    fn version(&self) -> &str {
        &self.version
    }
    fn etag(version: &str, wire: bool) -> String {
        WidgetFaq::etag(version, wire)
    }
}

pub async fn get(req: &Request, kv: &Kv, site: &StoredSite) -> Result<Response, ApiError> {
    serve(req, kv, site, |widget_config: WidgetConfig| WidgetConfig {
        country: country(req),
        ..widget_config
    })
    .await
}

pub async fn get_faq(req: &Request, kv: &Kv, site: &StoredSite) -> Result<Response, ApiError> {
    serve(req, kv, site, |faq: WidgetFaq| faq).await
}

/// Answers with `T` for the site's current version: 304 when the request names it, else the cached copy (or one
/// built and cached now), given to `finish` before it is sent.
async fn serve<T: Served>(
    req: &Request,
    kv: &Kv,
    site: &StoredSite,
    finish: impl FnOnce(T) -> T,
) -> Result<Response, ApiError> {
    let version = WidgetConfig::version_of(&site.json);
    let in_wire = asks_for_wire(req)?;
    let etag = T::etag(&version, in_wire);
    let unchanged = req
        .headers()
        .get("If-None-Match")?
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    let mut response = if unchanged {
        Response::empty()?.with_status(304)
    } else {
        let part = match kv.widget_part::<T>(&site.config.id).await? {
            Some(cached) if cached.version() == version => cached,
            _ => {
                let built = T::build(&site.config, &site.json);
                kv.put_widget_part(&site.config.id, &built).await?;
                built
            }
        };
        reply(req, &finish(part), 200)?
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
