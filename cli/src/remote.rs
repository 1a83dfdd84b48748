//! `baton pull`, `baton push` and `baton publish`: a site's configuration kept in git, through the worker's
//! configuration API (`GET …/config`, `PUT …/config/draft`, `POST …/config/publish`). The token is an admin's,
//! from the `BATON_TOKEN` environment variable only: never an argument (shell history, `ps`) nor a URL (logs).
//!
//! The HTTP client is ureq with rustls (ring, and Mozilla's root certificates from webpki-roots, built in: no system
//! certificate store is read), so the URL is a deployed worker's `https://…` or the local stack's `http://…`.

use std::io::Write;
use std::process::ExitCode;

use baton_shared::config::SiteConfig;
use baton_shared::protocol::ErrorBody;
use baton_shared::protocol::paths;
use baton_shared::protocol::site_config::{
    ConfigProblem, ConfigState, Draft, MAX_CONFIG_BYTES, PublishDraft, SaveDraft, VersionSummary,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Failure, Outcome};

/// The environment variable that holds the admin's token.
pub const TOKEN_VAR: &str = "BATON_TOKEN";

/// One of the three commands, its arguments read.
#[derive(Debug, PartialEq, Eq)]
pub enum Remote {
    /// Writes the published configuration as pretty JSON, to `out` or stdout.
    Pull { target: Target, out: Option<String> },
    /// Saves `file` as the draft, from the version published now.
    Push { target: Target, file: String },
    /// Publishes the draft from its base version.
    Publish { target: Target, note: String },
}

/// Which worker and site.
#[derive(Debug, PartialEq, Eq)]
pub struct Target {
    /// The worker's address without a trailing `/` (`http://127.0.0.1:8787`).
    pub url: String,
    pub site: String,
}

/// Reads `pull`, `push` or `publish` and their options (in any order); a sentence for the user when they are wrong.
pub fn parse(command: &str, args: &[&str]) -> Result<Remote, String> {
    let mut url = None;
    let mut site = None;
    let mut out = None;
    let mut note = None;
    let mut files = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .map(|value| value.to_string())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match *arg {
            "--url" => url = Some(value("--url")?),
            "--site" => site = Some(value("--site")?),
            "--out" if command == "pull" => out = Some(value("--out")?),
            "--note" if command == "publish" => note = Some(value("--note")?),
            "--token" => {
                return Err(format!(
                    "the token is not an argument (it would show in your shell history): set {TOKEN_VAR}"
                ));
            }
            option if option.starts_with("--") => {
                return Err(format!("baton {command} has no option {option}"));
            }
            file => files.push(file.to_string()),
        }
    }
    let url = url.ok_or_else(|| format!("baton {command} needs --url (the worker's address)"))?;
    if url.contains('?') || url.contains('#') {
        return Err("--url is the worker's address alone, with no query".into());
    }
    let target = Target {
        url: url.trim_end_matches('/').to_string(),
        site: site.ok_or_else(|| format!("baton {command} needs --site (the site's id)"))?,
    };
    match (command, files.as_slice()) {
        ("pull", []) => Ok(Remote::Pull { target, out }),
        ("push", [file]) => Ok(Remote::Push {
            target,
            file: file.clone(),
        }),
        ("push", []) => Err("baton push needs the configuration file to push".into()),
        ("publish", []) => Ok(Remote::Publish {
            target,
            note: note.unwrap_or_default(),
        }),
        (_, [extra, ..]) => Err(format!("baton {command} does not take \"{extra}\"")),
        _ => Err(format!("unknown command {command}")),
    }
}

/// Runs a parsed command with the token from [`TOKEN_VAR`].
pub fn run(out: &mut dyn Write, remote: Remote) -> Outcome {
    let token = std::env::var(TOKEN_VAR)
        .ok()
        .filter(|token| !token.trim().is_empty())
        .ok_or_else(|| {
            format!(
                "set {TOKEN_VAR} to the token of an admin of the site (it is never an argument)"
            )
        })?;
    let client = Client::new(token);
    match remote {
        Remote::Pull { target, out: file } => {
            let state: ConfigState = client.call(
                "GET",
                &target,
                &paths::site_config(&target.site),
                None::<&()>,
            )?;
            let json = pretty(&state.published.config)?;
            match file {
                Some(file) => {
                    std::fs::write(&file, json)
                        .map_err(|error| format!("cannot write {file}: {error}"))?;
                    writeln!(out, "version {} written to {file}", state.published.version)?;
                }
                None => write!(out, "{json}")?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Remote::Push { target, file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|error| format!("cannot read {file}: {error}"))?;
            let config: serde_json::Value = match serde_json::from_str(&text) {
                Ok(config) => config,
                Err(error) => {
                    writeln!(
                        out,
                        "{file}: line {}, column {}: {error}",
                        error.line(),
                        error.column()
                    )?;
                    return Ok(ExitCode::FAILURE);
                }
            };
            let state: ConfigState = client.call(
                "GET",
                &target,
                &paths::site_config(&target.site),
                None::<&()>,
            )?;
            let body = SaveDraft {
                config,
                base_version: state.published.version,
            };
            let draft: Draft = client.call(
                "PUT",
                &target,
                &paths::config_draft(&target.site),
                Some(&body),
            )?;
            let (report, clean) = push_report(&Draft {
                problems: with_file_positions(draft.problems, &text),
                ..draft
            });
            write!(out, "{report}")?;
            Ok(if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Remote::Publish { target, note } => {
            let state: ConfigState = client.call(
                "GET",
                &target,
                &paths::site_config(&target.site),
                None::<&()>,
            )?;
            let Some(draft) = state.draft else {
                return Err(Failure::Refused(format!(
                    "there is no draft to publish on site \"{}\": push one first (baton push FILE --url … --site …)",
                    target.site
                )));
            };
            let body = PublishDraft {
                note,
                base_version: draft.base_version,
            };
            let summary: VersionSummary = client.call(
                "POST",
                &target,
                &paths::config_publish(&target.site),
                Some(&body),
            )?;
            writeln!(out, "published version {}", summary.version)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What `baton push` prints: every problem as `path: problem` (and the draft is kept all the same), or that the
/// draft was saved; and whether it was clean.
pub fn push_report(draft: &Draft) -> (String, bool) {
    if draft.problems.is_empty() {
        return (
            format!("draft saved, base version {}\n", draft.base_version),
            true,
        );
    }
    let mut report: String = draft
        .problems
        .iter()
        .map(|ConfigProblem { path, problem }| format!("{path}: {problem}\n"))
        .collect();
    let count = draft.problems.len();
    report.push_str(&format!(
        "{count} problem{}: the draft is saved, but cannot be published until they are fixed\n",
        if count == 1 { "" } else { "s" }
    ));
    (report, false)
}

/// The problems of a pushed file, with a position the worker found (`line L, column C`, in the JSON it was sent,
/// written again) replaced by the same problem found in the file itself, at the file's own line and column.
pub fn with_file_positions(problems: Vec<ConfigProblem>, file_text: &str) -> Vec<ConfigProblem> {
    let positioned = |problem: &ConfigProblem| problem.path.starts_with("line ");
    if !problems.iter().any(positioned) {
        return problems;
    }
    let local: Vec<ConfigProblem> = match SiteConfig::from_json(file_text) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|error| ConfigProblem {
                path: error.path,
                problem: error.problem,
            })
            .filter(positioned)
            .collect(),
    };
    if local.is_empty() {
        return problems;
    }
    local
        .into_iter()
        .chain(problems.into_iter().filter(|problem| !positioned(problem)))
        .collect()
}

/// A refusal in plain words: the worker's message, with what to do for the usual ones.
pub fn refusal(status: u16, body: &str) -> String {
    let message = serde_json::from_str::<ErrorBody>(body)
        .map(|body| body.error.message)
        .unwrap_or_else(|_| body.chars().take(200).collect());
    match status {
        401 => format!("not signed in: {message} (check {TOKEN_VAR})"),
        403 => format!("not allowed: {message} (the token must be an admin's of this site)"),
        404 => format!("not found: {message} (check --url and --site)"),
        409 => format!(
            "not published: {message}\nSomeone published since your draft was started: pull the new version, \
             apply your change to it, push and publish again."
        ),
        400 => format!("refused, the draft has problems:\n{message}"),
        _ => format!("the worker answered {status}: {message}"),
    }
}

/// Pretty JSON with a final newline, as a file in git wants it.
fn pretty<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|json| json + "\n")
        .map_err(|error| Failure::Message(format!("cannot write the configuration: {error}")))
}

/// The worker's configuration API, with the admin's token.
struct Client {
    agent: ureq::Agent,
    authorization: String,
}

impl Client {
    fn new(token: String) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Client {
            agent,
            authorization: format!("Bearer {}", token.trim()),
        }
    }

    /// One call; a refusal or a failure becomes a sentence for the user.
    fn call<B: Serialize, R: DeserializeOwned>(
        &self,
        method: &str,
        target: &Target,
        path: &str,
        body: Option<&B>,
    ) -> Result<R, Failure> {
        let url = format!("{}{path}", target.url);
        let json = match body {
            Some(body) => serde_json::to_string(body)
                .map_err(|error| Failure::Message(format!("cannot encode the request: {error}")))?,
            None => String::new(),
        };
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("Authorization", &self.authorization)
            .header("Content-Type", "application/json")
            .body(json)
            .map_err(|error| Failure::Message(format!("bad address {url}: {error}")))?;
        let mut response = self
            .agent
            .run(request)
            .map_err(|error| Failure::Message(format!("cannot reach {url}: {error}")))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(4 * MAX_CONFIG_BYTES as u64)
            .read_to_string()
            .map_err(|error| {
                Failure::Message(format!("cannot read the answer of {url}: {error}"))
            })?;
        if !(200..300).contains(&status) {
            return Err(Failure::Refused(refusal(status, &text)));
        }
        serde_json::from_str(&text).map_err(|error| {
            Failure::Message(format!(
                "the worker's answer is not what baton expects: {error}"
            ))
        })
    }
}

#[cfg(test)]
mod tests;
