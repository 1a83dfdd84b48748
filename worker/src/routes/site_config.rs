//! The configuration API, for a site's admins: `GET …/config` (the published version and the draft), `PUT` and
//! `DELETE …/config/draft`, `POST …/config/publish`, `GET …/config/versions[/{n}]`, `POST …/config/versions/{n}/restore`
//! `GET …/config/diff?from=&to=` and `POST …/config/webhooks/test` (a signed sample handoff to one endpoint). Each route checks that an enabled admin of this site is asking (the operator's
//! secret is refused), decodes its input, and asks the site's directory, which keeps the history and publishes one
//! change at a time (`rooms/directory/config.rs`). Bodies are `shared::protocol::site_config`'s.

use baton_shared::config::diff::diff as config_diff;
use baton_shared::config::{SiteConfig, Webhook};
use baton_shared::protocol::agent::AgentProfile;
use baton_shared::protocol::field_error;
use baton_shared::protocol::site_config::{
    ConfigDiff, ConfigRef, ConfigState, ConfigVersion, Draft, MAX_CONFIG_BYTES, PublishDraft,
    RestoreVersion, SaveDraft, VersionAuthor, VersionList, VersionSummary, draft_problems,
};
use worker::{Env, Request, Response};

use super::query;
use crate::accounts;
use crate::calls::directory::{self, DirectoryCall};
use crate::clock;
use crate::error::ApiError;
use crate::http::{json_response, read_json, read_json_within};
use crate::{store, webhooks};

/// `GET …/config`: the published configuration and the draft, if any.
pub async fn state(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    accounts::admin(req, env, site).await?;
    let state: ConfigState = ask(req, env, site, DirectoryCall::ConfigState).await?;
    Ok(json_response(&state, 200)?)
}

/// `PUT …/config/draft`: keeps the draft whatever it holds, as long as it is a JSON object, with every problem
/// listed. Nothing published changes.
pub async fn save_draft(
    req: &mut Request,
    env: &Env,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    let admin = accounts::admin(req, env, site).await?;
    let body: SaveDraft = read_json_within(req, MAX_CONFIG_BYTES).await?;
    if !body.config.is_object() {
        return Err(ApiError::InvalidFields(vec![field_error(
            "config",
            "must be a JSON object: the whole site configuration",
        )]));
    }
    let draft = Draft {
        problems: draft_problems(&site.id, &body.config),
        config: body.config,
        saved_by: author(&admin),
        saved_at_ms: clock::now_ms(req, env),
        base_version: body.base_version,
    };
    let draft: Draft = ask(req, env, site, DirectoryCall::SaveDraft { draft }).await?;
    Ok(json_response(&draft, 200)?)
}

/// `DELETE …/config/draft`: discards the draft (none is no error); answers the [`ConfigState`] after.
pub async fn discard_draft(
    req: &Request,
    env: &Env,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    accounts::admin(req, env, site).await?;
    let state: ConfigState = ask(req, env, site, DirectoryCall::DiscardDraft).await?;
    Ok(json_response(&state, 200)?)
}

/// `POST …/config/publish`: the draft becomes the next version, served at once by this isolate.
pub async fn publish(
    req: &mut Request,
    env: &Env,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    let admin = accounts::admin(req, env, site).await?;
    let body: PublishDraft = read_json(req).await?;
    let call = DirectoryCall::Publish {
        base_version: body.base_version,
        note: body.note,
        author: author(&admin),
    };
    let summary: VersionSummary = ask(req, env, site, call).await?;
    store::forget_site(&site.id);
    Ok(json_response(&summary, 201)?)
}

/// `GET …/config/versions`: newest first.
pub async fn versions(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    accounts::admin(req, env, site).await?;
    let list: VersionList = ask(req, env, site, DirectoryCall::Versions).await?;
    Ok(json_response(&list, 200)?)
}

/// `GET …/config/versions/{n}`.
pub async fn version(
    req: &Request,
    env: &Env,
    site: &SiteConfig,
    version: &str,
) -> Result<Response, ApiError> {
    accounts::admin(req, env, site).await?;
    let version = version_number(version)?;
    let found: ConfigVersion = ask(req, env, site, DirectoryCall::Version { version }).await?;
    Ok(json_response(&found, 200)?)
}

/// `POST …/config/versions/{n}/restore`: a new version equal to version `n`; the draft is kept.
pub async fn restore(
    req: &mut Request,
    env: &Env,
    site: &SiteConfig,
    version: &str,
) -> Result<Response, ApiError> {
    let admin = accounts::admin(req, env, site).await?;
    let version = version_number(version)?;
    let body: RestoreVersion = read_json(req).await?;
    let call = DirectoryCall::Restore {
        version,
        base_version: body.base_version,
        note: body.note,
        author: author(&admin),
    };
    let summary: VersionSummary = ask(req, env, site, call).await?;
    store::forget_site(&site.id);
    Ok(json_response(&summary, 201)?)
}

/// `GET …/config/diff?from=&to=`: version numbers or `draft`; each bad parameter is named.
pub async fn diff(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    accounts::admin(req, env, site).await?;
    let mut problems = Vec::new();
    let mut side = |name: &str| -> Result<Option<ConfigRef>, ApiError> {
        let value = query(req, name)?;
        let parsed = value.as_deref().and_then(ConfigRef::parse);
        match (&value, parsed) {
            (_, Some(_)) => {}
            (None, None) => problems.push(field_error(
                name,
                "is missing: give a version number or \"draft\"",
            )),
            (Some(value), None) => problems.push(field_error(
                name,
                format!("must be a version number (1 or more) or \"draft\", got \"{value}\""),
            )),
        }
        Ok(parsed)
    };
    let (from, to) = (side("from")?, side("to")?);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::InvalidFields(problems));
    };
    let before: serde_json::Value =
        ask(req, env, site, DirectoryCall::ConfigJson { of: from }).await?;
    let after: serde_json::Value =
        ask(req, env, site, DirectoryCall::ConfigJson { of: to }).await?;
    let body = ConfigDiff {
        from: from.to_string(),
        to: to.to_string(),
        changes: config_diff(&before, &after),
    };
    Ok(json_response(&body, 200)?)
}

/// `POST …/config/webhooks/test`: sends the endpoint (from the draft, saved or not) a signed sample handoff, as
/// real ones are sent, and says what it answered and how long it took.
pub async fn test_webhook(
    req: &mut Request,
    env: &Env,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    accounts::admin(req, env, site).await?;
    let endpoint: Webhook = read_json(req).await?;
    if let Some(problem) = endpoint.url_problem() {
        return Err(ApiError::InvalidFields(vec![field_error("url", problem)]));
    }
    let result = webhooks::send_test(env, site, &endpoint, clock::now_ms(req, env)).await;
    Ok(json_response(&result, 200)?)
}

async fn ask<T: serde::de::DeserializeOwned>(
    req: &Request,
    env: &Env,
    site: &SiteConfig,
    call: DirectoryCall,
) -> Result<T, ApiError> {
    directory::ask(env, &site.id, clock::now_ms(req, env), call).await
}

/// A version number from the path; anything else names no version.
fn version_number(text: &str) -> Result<u32, ApiError> {
    match ConfigRef::parse(text) {
        Some(ConfigRef::Version(version)) => Ok(version),
        _ => Err(ApiError::NotFound(format!(
            "there is no version \"{text}\" of this site's configuration: versions are numbered from 1"
        ))),
    }
}

fn author(admin: &AgentProfile) -> VersionAuthor {
    VersionAuthor {
        id: admin.id.clone(),
        name: admin.name.clone(),
    }
}
