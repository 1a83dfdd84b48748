//! The configuration API's bodies: a site's published configuration and its draft, publishing, the version history,
//! the diff between two versions and restoring one (paths in `paths.rs`: [`super::paths::site_config`] and the
//! functions after it). Site admins only.
//!
//! A draft is kept whatever it holds, as long as it is a JSON object, so that unsaved work is never lost; its
//! problems (every one, with its field path, worded as `baton check` words them) come back with it. Publishing a draft
//! that has problems is refused, and nothing published changes.

use serde::{Deserialize, Serialize};

use crate::config::SiteConfig;
pub use crate::config::diff::{ChangeKind, ConfigChange};

/// The longest draft the worker takes, in bytes of JSON (the configuration routes' own body limit, larger than
/// [`super::MAX_BODY_BYTES`]).
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// A problem in a draft: where (`faq[3].question`, or `line 4, column 7` for JSON that does not parse) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigProblem {
    pub path: String,
    pub problem: String,
}

/// Response of `GET /v1/sites/{site}/config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigState {
    pub published: PublishedConfig,
    /// The draft being edited, if any (none after it is published or discarded).
    pub draft: Option<Draft>,
}

/// The configuration visitors get now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedConfig {
    /// Its version number: 1 for the first, one more for each publish or restore.
    pub version: u32,
    pub config: SiteConfig,
}

/// A draft as stored: the JSON as the editor left it, and its problems (empty when it could be published).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub config: serde_json::Value,
    pub problems: Vec<ConfigProblem>,
    /// Who saved it last (agent id and name) and when (ms since the epoch).
    pub saved_by: VersionAuthor,
    pub saved_at_ms: u64,
    /// The published version the draft was started from (what `base_version` should be when publishing it).
    pub base_version: u32,
}

/// Body of `PUT …/config/draft`: the whole configuration as edited. Response: the stored [`Draft`] (200), its
/// problems listed (the draft is kept either way; an `id` other than the site's is a problem, see
/// [`draft_problems`]). 400 `invalid_field` (`config`) when `config` is not a JSON object; 413 over
/// [`MAX_CONFIG_BYTES`]. `DELETE …/config/draft` discards it and answers the [`ConfigState`] after (200).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveDraft {
    pub config: serde_json::Value,
    /// The published version the editor started from; a draft saved over another base is still kept (publishing
    /// checks the base).
    pub base_version: u32,
}

/// Body of `POST …/config/publish`. Response: the new version's [`VersionSummary`] (201). 409 `conflict` when
/// there is no draft (checked first) or `base_version` is no longer the published one; 400 `invalid_field` listing
/// every problem (`path: problem`, one per line) when the draft has problems. The draft's problems are found again
/// at publishing, by the same [`draft_problems`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishDraft {
    /// Why: shown in the history ("New pricing answers"). May be empty.
    #[serde(default)]
    pub note: String,
    pub base_version: u32,
}

/// Body of `POST …/config/versions/{n}/restore`: publishes a new version equal to version `n`. Response: the new
/// version's [`VersionSummary`] (201); 409 when `base_version` is no longer the published one. The draft, if any,
/// is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestoreVersion {
    #[serde(default)]
    pub note: String,
    pub base_version: u32,
}

/// Who published or saved: the admin's agent id and name (`seed` for a configuration written before versions
/// existed, or written to KV by `cargo xtask dev` or `wrangler kv` on a site without history). The operator secret
/// may not use the configuration routes (403), so no version is authored by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionAuthor {
    pub id: String,
    pub name: String,
}

/// One published version, without its configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub version: u32,
    pub author: VersionAuthor,
    pub published_at_ms: u64,
    pub note: String,
    /// The version this one restored, when it is a restore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<u32>,
}

/// Response of `GET …/config/versions`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionList {
    pub published: u32,
    pub versions: Vec<VersionSummary>,
}

/// Response of `GET …/config/versions/{n}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigVersion {
    pub summary: VersionSummary,
    pub config: SiteConfig,
}

/// Response of `GET …/config/diff?from=&to=`: `from` and `to` are version numbers, or `draft`. 400 `invalid_field`
/// naming `from` or `to` when one is missing or neither a version number (1 or more) nor `draft`; 404 for an
/// unknown version, or `draft` when there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigDiff {
    pub from: String,
    pub to: String,
    /// [`crate::config::diff::diff`] of the two sides, each as the worker reads it (defaults written out, when it
    /// parses), so a file that leaves a default out and one that writes it differ in nothing: keys in name order;
    /// within a list, changed and added items in the newer order, then removed ones in the older order.
    pub changes: Vec<ConfigChange>,
}

/// Response of `POST …/config/webhooks/test`, whose body is a [`crate::config::Webhook`] (`{"url", "format"}`, from
/// the draft or the published configuration: it need not be saved yet). The worker sends that endpoint a sample
/// handoff exactly as it sends real ones (the format's body, `X-Baton-Signature` under the site's webhook secret
/// when it has one) and answers 200 with what happened, whatever the endpoint answered; 400 `invalid_field` (`url`)
/// for a URL a webhook may not have, worded as `baton check` words it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookTestResult {
    /// The endpoint as admins see deliveries (host only: a Slack URL's path is its secret).
    pub endpoint: String,
    /// The HTTP status the endpoint answered; none when it could not be reached.
    pub status: Option<u16>,
    /// Whether it answered 2xx, as a real delivery counts it.
    pub delivered: bool,
    /// Why it was not delivered (the endpoint's status, or the network error).
    pub error: Option<String>,
    /// How long sending took, in ms.
    pub elapsed_ms: u64,
    /// Whether the request carried a signature (the site has a webhook secret).
    pub signed: bool,
    /// The sample's conversation id, so a receiver's logs can be matched (`webhook-test-…`).
    pub conversation_id: String,
}

/// One side of a diff: a published version, or the draft (`?from=3&to=draft`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigRef {
    Version(u32),
    Draft,
}

impl ConfigRef {
    /// `draft`, or a version number of 1 or more; `None` for anything else.
    pub fn parse(text: &str) -> Option<ConfigRef> {
        match text {
            "draft" => Some(ConfigRef::Draft),
            number => number
                .parse::<u32>()
                .ok()
                .filter(|version| *version >= 1)
                .map(ConfigRef::Version),
        }
    }
}

impl std::fmt::Display for ConfigRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigRef::Version(version) => write!(f, "{version}"),
            ConfigRef::Draft => f.write_str("draft"),
        }
    }
}

/// Every problem of a draft of site `site_id`, found as `baton check` finds them ([`SiteConfig::from_json`] on the
/// draft written as pretty JSON with its keys in name order: a problem serde finds, such as an unknown field, has a
/// `line L, column C` of that text, which `baton push` replaces by the position in the file it sent), and an `id`
/// other than the site's: a configuration is published under the site it belongs to.
pub fn draft_problems(site_id: &str, config: &serde_json::Value) -> Vec<ConfigProblem> {
    let json = serde_json::to_string_pretty(config).unwrap_or_default();
    let mut problems: Vec<ConfigProblem> = match SiteConfig::from_json(&json) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|error| ConfigProblem {
                path: error.path,
                problem: error.problem,
            })
            .collect(),
    };
    if let Some(id) = config.get("id").and_then(serde_json::Value::as_str)
        && id != site_id
    {
        problems.push(ConfigProblem {
            path: "id".into(),
            problem: format!("must be this site's id \"{site_id}\", got \"{id}\""),
        });
    }
    problems
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}
