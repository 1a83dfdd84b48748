//! `GET /v1/sites/{site}/widget`: the widget's configuration and compiled FAQ index. Built once per configuration
//! version and cached in KV; answered with an `ETag` so a widget holding the current version gets a bodiless 304.

use baton_shared::protocol::WidgetConfig;
use worker::{Request, Response};

use crate::error::ApiError;
use crate::http::json_response;
use crate::store::{Kv, StoredSite};

/// Browsers and CDNs may reuse a copy for a minute, and a stale one for ten while revalidating: a configuration
/// edit reaches visitors within a minute without every page view asking.
const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=600";

pub async fn get(req: &Request, kv: &Kv, site: &StoredSite) -> Result<Response, ApiError> {
    let version = WidgetConfig::version_of(&site.json);
    let etag = format!("\"{version}\"");
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
        json_response(&widget_config, 200)?
    };
    let headers = response.headers_mut();
    headers.set("ETag", &etag)?;
    headers.set("Cache-Control", CACHE_CONTROL)?;
    Ok(response)
}
