//! This isolate's cache of sites: each parsed and indexed once, and compared with KV at most every
//! [`SITE_FRESH_MS`] (on the platform's clock, whatever time a request is handled at).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use baton_shared::config::SiteConfig;
use baton_shared::faq::FaqIndex;
use baton_shared::grounding::Knowledge;
use baton_shared::protocol::WidgetConfig;

use super::{Kv, is_key_segment};
use crate::clock;
use crate::error::ApiError;

/// A site's configuration, parsed, with the text it was stored as (its version is a fingerprint of that text), and
/// what is built from it once: the FAQ index and the searchable knowledge.
pub struct StoredSite {
    pub config: SiteConfig,
    pub json: String,
    /// The fingerprint of `json` (`WidgetConfig::version_of`).
    pub version: String,
    pub index: FaqIndex,
    pub knowledge: Knowledge,
}

/// How long this isolate trusts its copy of a site without reading KV again. KV itself takes up to 60 s to show
/// an edit everywhere, so a few seconds more changes nothing a site owner sees, and it saves a KV read on nearly
/// every request.
pub const SITE_FRESH_MS: u64 = 5_000;

/// A site this isolate parsed and indexed, and when it last compared it with KV.
struct CachedSite {
    site: Rc<StoredSite>,
    checked_at_ms: u64,
}

thread_local! {
    /// Sites already parsed and indexed by this isolate, by id. Used without a KV read for [`SITE_FRESH_MS`]; after
    /// that the stored text is read again, and the copy kept only while the text is the same.
    static SITES: RefCell<HashMap<String, CachedSite>> = RefCell::new(HashMap::new());
}

/// A site's configuration. Ids that could never be stored are answered as absent without a KV read.
pub async fn site(kv: &Kv, site_id: &str) -> Result<Option<Rc<StoredSite>>, ApiError> {
    read_site(kv, site_id, true).await
}

/// The site, from this isolate's copy while it is fresh and `trust_copy` holds, else compared with KV.
async fn read_site(
    kv: &Kv,
    site_id: &str,
    trust_copy: bool,
) -> Result<Option<Rc<StoredSite>>, ApiError> {
    if !is_key_segment(site_id) {
        return Ok(None);
    }
    let now_ms = clock::system_ms();
    let cached = SITES.with_borrow(|sites| {
        sites
            .get(site_id)
            .map(|cached| (Rc::clone(&cached.site), cached.checked_at_ms))
    });
    if let Some((site, checked_at_ms)) = &cached
        && trust_copy
        && now_ms.saturating_sub(*checked_at_ms) < SITE_FRESH_MS
    {
        return Ok(Some(Rc::clone(site)));
    }
    let Some(json) = kv.site_json(site_id).await? else {
        SITES.with_borrow_mut(|sites| sites.remove(site_id));
        return Ok(None);
    };
    let site = match cached.filter(|(site, _)| site.json == json) {
        Some((site, _)) => site,
        None => {
            let config: SiteConfig = serde_json::from_str(&json).map_err(|error| {
                ApiError::Internal(format!("stored site {site_id} does not parse: {error}"))
            })?;
            Rc::new(StoredSite {
                index: FaqIndex::for_site(&config),
                knowledge: Knowledge::for_site(&config),
                version: WidgetConfig::version_of(&json),
                config,
                json,
            })
        }
    };
    SITES.with_borrow_mut(|sites| {
        sites.insert(
            site_id.to_string(),
            CachedSite {
                site: Rc::clone(&site),
                checked_at_ms: now_ms,
            },
        )
    });
    Ok(Some(site))
}

/// The site as this isolate has it, when that is `version`: the worker read the site from KV for this very
/// request and passes its version along, so a room need not read it again. Otherwise, read as usual.
pub async fn site_at(
    kv: &Kv,
    site_id: &str,
    version: Option<&str>,
) -> Result<Option<Rc<StoredSite>>, ApiError> {
    let cached =
        SITES.with_borrow(|sites| sites.get(site_id).map(|cached| Rc::clone(&cached.site)));
    match (cached, version) {
        (Some(site), Some(version)) if site.version == version => Ok(Some(site)),
        // The worker saw another version than this isolate has: KV decides.
        (Some(_), Some(_)) => read_site(kv, site_id, false).await,
        _ => site(kv, site_id).await,
    }
}

/// Drops this isolate's copy of a site, so the next request reads KV: after a publish, this isolate serves the new
/// version at once (others within [`SITE_FRESH_MS`]).
pub fn forget_site(site_id: &str) {
    SITES.with_borrow_mut(|sites| sites.remove(site_id));
}
