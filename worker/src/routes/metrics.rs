//! The metrics routes, for staff: `GET …/metrics` (the report), `GET …/metrics/conversations?figure=…` (the
//! conversations behind a figure) and `GET …/metrics.csv` (one row per conversation). Each decodes the query (every
//! bad parameter named, 400), decides who may see what (a site's admins everything; a plain agent their teams'
//! conversations, and 403 for another team), reads the ledger (`reports.rs`) and hands it to the pure figures
//! (`baton_shared::metrics::figures`).

use baton_shared::config::SiteConfig;
use baton_shared::metrics::figures::{self, Ledger, Range, Request as FigureRequest, Scope};
use baton_shared::protocol::agent::AgentRole;
use baton_shared::protocol::metrics::{Figure, MetricsQuery};
use worker::{Env, Request, Response};

use crate::error::ApiError;
use crate::http::json_response;
use crate::reports::Reports;
use crate::{accounts, clock};

/// Staff figures change with every conversation: no cache keeps them.
const CACHE_CONTROL: &str = "private, no-store";

/// A decoded, authorised metrics request.
struct Asked {
    query: MetricsQuery,
    range: Range,
    scope: Scope,
    now_ms: u64,
}

impl Asked {
    fn figures<'a>(&'a self, site: &'a SiteConfig) -> FigureRequest<'a> {
        FigureRequest {
            config: site,
            query: &self.query,
            range: &self.range,
            scope: &self.scope,
            now_ms: self.now_ms,
        }
    }
}

/// Who asks (the operator and other sites' agents are refused), what they ask (400 naming the parameter), whether
/// they may (403 for a team a plain agent is not in).
async fn decode(req: &Request, env: &Env, site: &SiteConfig) -> Result<Asked, ApiError> {
    let agent = accounts::agent(req, env, site).await?;
    let scope = match agent.role {
        AgentRole::Admin => Scope::Site,
        AgentRole::Agent => Scope::Teams(agent.teams.clone()),
    };
    let url = req.url()?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let query = MetricsQuery::from_pairs(
        pairs
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    )
    .map_err(ApiError::InvalidFields)?;
    match scope.check_team(&query, site) {
        Err(error) => return Err(ApiError::InvalidFields(vec![error])),
        Ok(false) => {
            return Err(ApiError::Forbidden(format!(
                "{} is not in team \"{}\"; agents see the metrics of their own teams",
                agent.name,
                query.team.as_deref().unwrap_or_default()
            )));
        }
        Ok(true) => {}
    }
    let range = Range::new(&query, &site.timezone).ok_or_else(|| {
        ApiError::InvalidFields(vec![baton_shared::protocol::field_error(
            "from",
            "is out of the range of dates Baton knows",
        )])
    })?;
    Ok(Asked {
        query,
        range,
        scope,
        now_ms: clock::now_ms(req, env),
    })
}

/// The ledger's rows for an asked report.
async fn read(env: &Env, site: &SiteConfig, asked: &Asked) -> Result<Ledger, ApiError> {
    Reports::from_env(env)?
        .ledger(
            &site.id,
            &asked.range,
            figures::lookahead_ms(site),
            asked.query.campaign.as_deref(),
        )
        .await
}

fn no_store(mut response: Response) -> Result<Response, ApiError> {
    response.headers_mut().set("Cache-Control", CACHE_CONTROL)?;
    Ok(response)
}

/// `GET …/metrics?from&to&team&agent&intent&campaign&interval`: every figure with its series.
pub async fn report(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let asked = decode(req, env, site).await?;
    let ledger = read(env, site, &asked).await?;
    let report = figures::report(&asked.figures(site), &ledger);
    no_store(json_response(&report, 200)?)
}

/// `GET …/metrics/conversations?figure=…` (and the report's filters): the conversations a figure counts.
pub async fn conversations(
    req: &Request,
    env: &Env,
    site: &SiteConfig,
) -> Result<Response, ApiError> {
    let figure = req
        .url()?
        .query_pairs()
        .find(|(name, _)| name == "figure")
        .map(|(_, value)| value.into_owned());
    // A bad figure is named with the other parameters' problems, before the ledger is read.
    let (asked, figure) = match (
        decode(req, env, site).await,
        Figure::from_param(figure.as_deref()),
    ) {
        (Ok(asked), Ok(figure)) => (asked, figure),
        (Err(ApiError::InvalidFields(mut errors)), Err(error)) => {
            errors.push(error);
            return Err(ApiError::InvalidFields(errors));
        }
        (Err(error), _) => return Err(error),
        (Ok(_), Err(error)) => return Err(ApiError::InvalidFields(vec![error])),
    };
    let ledger = read(env, site, &asked).await?;
    let listed = figures::conversations(&asked.figures(site), &ledger, figure);
    no_store(json_response(&listed, 200)?)
}

/// `GET …/metrics.csv` (the report's filters): one row per conversation the report counts, as a download.
pub async fn csv(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let asked = decode(req, env, site).await?;
    let ledger = read(env, site, &asked).await?;
    let rows = figures::rows(&asked.figures(site), &ledger);
    let mut response = Response::ok(figures::csv(&rows, &site.timezone))?;
    let headers = response.headers_mut();
    headers.set("Content-Type", "text/csv; charset=utf-8")?;
    // Site ids and days are letters, digits and `-`: nothing in the name needs quoting beyond the quotes.
    headers.set(
        "Content-Disposition",
        &format!(
            "attachment; filename=\"baton-{}-{}-{}.csv\"",
            site.id, asked.query.from, asked.query.to
        ),
    )?;
    no_store(response)
}
