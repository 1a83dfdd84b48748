//! A site's configuration history, kept by its directory, whose calls run one at a time (behind the directory's
//! configuration lock, held across the KV write too): the published version's number, each version's summary and
//! text, and the draft. Publishing and restoring write the new version, the new head and (for a publish) the
//! draft's removal in one atomic storage write, then the text to KV `site:{id}`, which visitors are served from.
//!
//! Durable Object storage limits a value's size (128 KiB for key-value-backed objects), and a configuration may
//! be up to [`MAX_CONFIG_BYTES`] of JSON; so a text is stored in chunks of [`CHUNK_BYTES`](super::chunks::CHUNK_BYTES) under keys that sort in
//! order, beside a small record that says how many there are. A site whose configuration is in KV but has no
//! history yet (seeded before versions existed) gets it as version 1, authored `seed`, on the first call.
//!
//! Keys: `config:head` (the published version), `config:summary:{n}` (a [`StoredVersion`]), `config:text:{n}:{i}`
//! (its text's chunks), `config:draft` (the draft's chunk count) and `config:draft:{i}` (the [`Draft`] as JSON, in
//! chunks). Version numbers and chunk indexes are zero-padded, so key order is number order.

//!
//! [`MAX_CONFIG_BYTES`]: baton_shared::protocol::site_config::MAX_CONFIG_BYTES

use baton_shared::config::SiteConfig;
use baton_shared::protocol::site_config::{
    ConfigRef, ConfigState, ConfigVersion, Draft, PublishedConfig, VersionAuthor, VersionList,
    VersionSummary, draft_problems,
};
use baton_shared::protocol::{ErrorCode, ErrorDetail};
use serde::{Deserialize, Serialize};
use worker::{Env, ListOptions, Response, Storage};

use super::chunks::{chunks, put_all, read_chunks};
use super::{get_json, keys_with_prefix, reply};
use crate::calls::directory::DirectoryCall;
use crate::calls::to_json;
use crate::error::ApiError;
use crate::store::Kv;

const HEAD: &str = "config:head";
const SUMMARY_PREFIX: &str = "config:summary:";
const TEXT_PREFIX: &str = "config:text:";
const DRAFT: &str = "config:draft";
const DRAFT_CHUNK_PREFIX: &str = "config:draft:";
/// A version as stored: its summary, and how many chunks its text has.
#[derive(Debug, Serialize, Deserialize)]
struct StoredVersion {
    summary: VersionSummary,
    chunks: u32,
}

/// The author of a configuration written before versions were kept.
fn seed_author() -> VersionAuthor {
    VersionAuthor {
        id: "seed".into(),
        name: "seed".into(),
    }
}

/// Answers one configuration call (the caller holds the configuration lock).
pub async fn answer(
    storage: &Storage,
    env: &Env,
    site_id: &str,
    now_ms: u64,
    call: DirectoryCall,
) -> Result<Response, ApiError> {
    if let DirectoryCall::CreateSite { text, note, author } = call {
        return create(storage, env, site_id, now_ms, &text, note, author).await;
    }
    let head = published(storage, env, site_id, now_ms).await?;
    match call {
        DirectoryCall::ConfigState => reply(&state(storage, head).await?),
        DirectoryCall::SaveDraft { draft } => {
            write_draft(storage, &draft).await?;
            reply(&draft)
        }
        DirectoryCall::DiscardDraft => {
            delete_draft(storage).await?;
            reply(&state(storage, head).await?)
        }
        DirectoryCall::Publish {
            base_version,
            note,
            author,
        } => {
            let Some(draft) = read_draft(storage).await? else {
                return Err(ApiError::Conflict(
                    "there is no draft to publish: save one first (PUT …/config/draft)".into(),
                ));
            };
            check_base(head, base_version)?;
            let problems = draft_problems(site_id, &draft.config);
            if !problems.is_empty() {
                // Every problem, one `path: problem` per line (a draft may have many).
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                return Err(ApiError::Relayed(ErrorDetail {
                    code: ErrorCode::InvalidField,
                    message: lines.join("\n"),
                }));
            }
            let text = to_json(&draft.config)?;
            let summary = VersionSummary {
                version: head + 1,
                author,
                published_at_ms: now_ms,
                note,
                restored_from: None,
            };
            publish(storage, env, site_id, summary, &text, true).await
        }
        DirectoryCall::Restore {
            version,
            base_version,
            note,
            author,
        } => {
            let (_, text) = read_version(storage, version).await?;
            check_base(head, base_version)?;
            let summary = VersionSummary {
                version: head + 1,
                author,
                published_at_ms: now_ms,
                note,
                restored_from: Some(version),
            };
            publish(storage, env, site_id, summary, &text, false).await
        }
        DirectoryCall::Versions => {
            let listed = storage
                .list_with_options(ListOptions::new().prefix(SUMMARY_PREFIX).reverse(true))
                .await?;
            let mut versions = Vec::new();
            for value in listed.values() {
                let json = value
                    .ok()
                    .and_then(|value| value.as_string())
                    .unwrap_or_default();
                let stored: StoredVersion = serde_json::from_str(&json).map_err(|error| {
                    ApiError::Internal(format!("a stored version does not parse: {error}"))
                })?;
                versions.push(stored.summary);
            }
            reply(&VersionList {
                published: head,
                versions,
            })
        }
        DirectoryCall::Version { version } => {
            let (summary, text) = read_version(storage, version).await?;
            reply(&ConfigVersion {
                summary,
                config: parse_config(&text, version)?,
            })
        }
        DirectoryCall::ConfigJson { of } => {
            let json = match of {
                ConfigRef::Draft => match read_draft(storage).await? {
                    Some(draft) => draft.config,
                    None => {
                        return Err(ApiError::NotFound(
                            "there is no draft: save one first (PUT …/config/draft)".into(),
                        ));
                    }
                },
                ConfigRef::Version(version) => {
                    let (_, text) = read_version(storage, version).await?;
                    serde_json::from_str(&text).map_err(|error| {
                        ApiError::Internal(format!(
                            "stored version {version} does not parse: {error}"
                        ))
                    })?
                }
            };
            reply(&as_read(json))
        }
        other => Err(ApiError::Internal(format!(
            "{other:?} is not a configuration call"
        ))),
    }
}

/// The published version's number; when the site has no history yet, its configuration in KV becomes version 1.
async fn published(
    storage: &Storage,
    env: &Env,
    site_id: &str,
    now_ms: u64,
) -> Result<u32, ApiError> {
    if let Some(head) = get_json::<u32>(storage, HEAD).await? {
        return Ok(head);
    }
    let kv = Kv::from_env(env)?;
    let Some(text) = kv.site_json(site_id).await? else {
        return Err(ApiError::NotFound(format!(
            "site \"{site_id}\" does not exist"
        )));
    };
    let summary = VersionSummary {
        version: 1,
        author: seed_author(),
        published_at_ms: now_ms,
        note: String::new(),
        restored_from: None,
    };
    write_version(storage, summary, &text, false).await?;
    Ok(1)
}

/// A new site (`POST /v1/sites`): its starter becomes version 1, then the text visitors are served from. Refused
/// (409) when the site has a history or a configuration in KV (a seeded site): nothing existing is replaced.
async fn create(
    storage: &Storage,
    env: &Env,
    site_id: &str,
    now_ms: u64,
    text: &str,
    note: String,
    author: VersionAuthor,
) -> Result<Response, ApiError> {
    let kv = Kv::from_env(env)?;
    if get_json::<u32>(storage, HEAD).await?.is_some() || kv.site_json(site_id).await?.is_some() {
        return Err(ApiError::Conflict(format!(
            "site \"{site_id}\" already exists"
        )));
    }
    let summary = VersionSummary {
        version: 1,
        author,
        published_at_ms: now_ms,
        note,
        restored_from: None,
    };
    write_version(storage, summary.clone(), text, false).await?;
    kv.put_site(site_id, text).await?;
    reply(&summary)
}

fn check_base(head: u32, base_version: u32) -> Result<(), ApiError> {
    if base_version == head {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "version {head} is published now, not {base_version}: someone published since you started; \
             compare with version {head}, then publish again from it"
        )))
    }
}

/// Writes a new version as the published one (and the draft's removal, when `clear_draft`), then its text to KV,
/// where visitors are served from.
async fn publish(
    storage: &Storage,
    env: &Env,
    site_id: &str,
    summary: VersionSummary,
    text: &str,
    clear_draft: bool,
) -> Result<Response, ApiError> {
    let stale_draft = if clear_draft {
        draft_keys(storage).await?
    } else {
        Vec::new()
    };
    write_version(storage, summary.clone(), text, clear_draft).await?;
    if !stale_draft.is_empty() {
        storage.delete_multiple(stale_draft).await?;
    }
    Kv::from_env(env)?.put_site(site_id, text).await?;
    reply(&summary)
}

/// One atomic write: the version's summary, its text's chunks and the new head (and the draft's chunk count set
/// to none, when `clear_draft`: a draft without a count is no draft, whatever chunks remain).
async fn write_version(
    storage: &Storage,
    summary: VersionSummary,
    text: &str,
    clear_draft: bool,
) -> Result<(), ApiError> {
    let version = summary.version;
    let chunks = chunks(text);
    let mut entries: Vec<(String, String)> = chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| (text_key(version, index), chunk.to_string()))
        .collect();
    let stored = StoredVersion {
        summary,
        chunks: chunks.len() as u32,
    };
    entries.push((summary_key(version), to_json(&stored)?));
    entries.push((HEAD.to_string(), version.to_string()));
    if clear_draft {
        entries.push((DRAFT.to_string(), "0".to_string()));
    }
    put_all(storage, entries).await
}

async fn read_version(
    storage: &Storage,
    version: u32,
) -> Result<(VersionSummary, String), ApiError> {
    let Some(stored) = get_json::<StoredVersion>(storage, &summary_key(version)).await? else {
        return Err(ApiError::NotFound(format!(
            "there is no version {version} of this site's configuration"
        )));
    };
    let text = read_chunks(
        storage,
        &format!("{TEXT_PREFIX}{version:010}:"),
        stored.chunks,
    )
    .await?;
    Ok((stored.summary, text))
}

async fn state(storage: &Storage, head: u32) -> Result<ConfigState, ApiError> {
    let (_, text) = read_version(storage, head).await?;
    Ok(ConfigState {
        published: PublishedConfig {
            version: head,
            config: parse_config(&text, head)?,
        },
        draft: read_draft(storage).await?,
    })
}

/// A configuration as the worker reads it, defaults written out, when it can be read (a draft may not be): a
/// seeded file that leaves a default out and a published one that writes it are then the same to a diff.
fn as_read(json: serde_json::Value) -> serde_json::Value {
    // Through text, not `to_value`: a text writes an `f32` as it reads (`0.3`), a `Value` as its `f64` widening.
    let read = serde_json::from_value::<SiteConfig>(json.clone())
        .ok()
        .and_then(|config| serde_json::to_string(&config).ok())
        .and_then(|text| serde_json::from_str(&text).ok());
    read.unwrap_or(json)
}

fn parse_config(text: &str, version: u32) -> Result<SiteConfig, ApiError> {
    serde_json::from_str(text).map_err(|error| {
        ApiError::Internal(format!("stored version {version} does not parse: {error}"))
    })
}

async fn read_draft(storage: &Storage) -> Result<Option<Draft>, ApiError> {
    let count = get_json::<u32>(storage, DRAFT).await?.unwrap_or(0);
    if count == 0 {
        return Ok(None);
    }
    let json = read_chunks(storage, DRAFT_CHUNK_PREFIX, count).await?;
    let draft = serde_json::from_str(&json)
        .map_err(|error| ApiError::Internal(format!("the stored draft does not parse: {error}")))?;
    Ok(Some(draft))
}

/// Replaces the draft in one atomic write (its chunks and their count), then removes the old draft's extra chunks.
async fn write_draft(storage: &Storage, draft: &Draft) -> Result<(), ApiError> {
    let json = to_json(draft)?;
    let chunks = chunks(&json);
    let mut entries: Vec<(String, String)> = chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| (draft_chunk_key(index), chunk.to_string()))
        .collect();
    entries.push((DRAFT.to_string(), chunks.len().to_string()));
    put_all(storage, entries).await?;
    let extra: Vec<String> = keys_with_prefix(storage, DRAFT_CHUNK_PREFIX)
        .await?
        .into_iter()
        .filter(|key| {
            key.strip_prefix(DRAFT_CHUNK_PREFIX)
                .and_then(|index| index.parse::<usize>().ok())
                .is_none_or(|index| index >= chunks.len())
        })
        .collect();
    if !extra.is_empty() {
        storage.delete_multiple(extra).await?;
    }
    Ok(())
}

async fn delete_draft(storage: &Storage) -> Result<(), ApiError> {
    let keys = draft_keys(storage).await?;
    if !keys.is_empty() {
        storage.delete_multiple(keys).await?;
    }
    Ok(())
}

/// The draft's count and chunks (`config:draft` and `config:draft:{i}` share the prefix).
async fn draft_keys(storage: &Storage) -> Result<Vec<String>, ApiError> {
    keys_with_prefix(storage, DRAFT).await
}

fn summary_key(version: u32) -> String {
    format!("{SUMMARY_PREFIX}{version:010}")
}

fn text_key(version: u32, index: usize) -> String {
    format!("{TEXT_PREFIX}{version:010}:{index:04}")
}

fn draft_chunk_key(index: usize) -> String {
    format!("{DRAFT_CHUNK_PREFIX}{index:04}")
}
