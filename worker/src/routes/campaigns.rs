//! The campaign routes but leads (`leads.rs`): `GET …/staffing`, who can answer now, for campaigns' `staffing` and
//! `schedule.hours`; `POST …/campaign-events`, the widget's batches of what visitors did with campaigns, counted
//! per day in the site's directory and appended to the metrics ledger; and `GET …/campaigns/results`, those counts summed for staff.
//!
//! The browser reports `shown`, `clicked`, `dismissed` and `goal`; the worker counts `lead`, `conversation` and
//! `handoff` itself (`leads.rs`, the conversation's room), and ignores them from a browser.

use baton_shared::config::SiteConfig;
use baton_shared::handoff;
use baton_shared::metrics::ledger::campaign_events;
use baton_shared::protocol::{
    CampaignCount, CampaignEvents, CampaignResults, days_between, field_error, parse_day,
};
use worker::{Env, Request, Response};

use super::query;
use crate::calls::directory::{self, DirectoryCall};
use crate::calls::inbox;
use crate::error::ApiError;
use crate::http::{json_response, read_beacon_json, reject_field_errors, reply};
use crate::ledger::Ledger;
use crate::{accounts, clock};

/// The answer is the site's, not the visitor's: any cache may keep it for 30 s, the freshness campaigns ask for.
const STAFFING_CACHE_CONTROL: &str = "public, max-age=30";
/// The longest range of days one results request sums.
const MAX_RESULT_DAYS: i32 = 366;

/// `GET …/staffing`: the teams with an agent online (heartbeats at most 30 s old) and whether business hours are
/// open; JSON, or the wire encoding when asked for it (as the widget does: its page-load module reads no JSON).
pub async fn staffing(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let online = inbox::online(env, &site.id, now_ms).await;
    let staffing = handoff::staffing_now(site, &online, now_ms);
    let mut response = reply(req, &staffing, 200)?;
    response
        .headers_mut()
        .set("Cache-Control", STAFFING_CACHE_CONTROL)?;
    Ok(response)
}

/// `POST …/campaign-events`: a batch, checked whole (every problem with its path), then counted. 204.
pub async fn events(req: &mut Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let batch: CampaignEvents = read_beacon_json(req).await?;
    reject_field_errors(batch.check(&site.campaigns, now_ms))?;
    // The ledger first: its ids make a batch sent again count once there.
    let events = campaign_events(&site.id, &batch, now_ms);
    if !events.is_empty() {
        Ledger::from_env(env)?.append(&events).await?;
    }
    let counts = batch.tally();
    if !counts.is_empty() {
        let call = DirectoryCall::CountCampaigns { counts };
        directory::ask::<()>(env, &site.id, now_ms, call).await?;
    }
    Ok(Response::empty()?.with_status(204))
}

/// `GET …/campaigns/results?from=YYYY-MM-DD&to=YYYY-MM-DD`: for the site's agents and admins.
pub async fn results(req: &Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    accounts::agent(req, env, site).await?;
    let mut errors = Vec::new();
    let mut day = |name: &str| match query(req, name) {
        Ok(Some(text)) => parse_day(&text).or_else(|| {
            errors.push(field_error(
                name,
                format!("must be a day as YYYY-MM-DD, got \"{text}\""),
            ));
            None
        }),
        _ => {
            errors.push(field_error(name, "is needed, as YYYY-MM-DD"));
            None
        }
    };
    let (from, to) = (day("from"), day("to"));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::InvalidFields(errors));
    };
    let span = days_between(&from, &to).unwrap_or(i32::MAX);
    if !(0..MAX_RESULT_DAYS).contains(&span) {
        return Err(ApiError::InvalidFields(vec![field_error(
            "to",
            format!("must be on or after `from`, and at most {MAX_RESULT_DAYS} days later"),
        )]));
    }
    let call = DirectoryCall::CampaignCounts {
        from: from.clone(),
        to: to.clone(),
    };
    let counts: Vec<CampaignCount> =
        directory::ask(env, &site.id, clock::now_ms(req, env), call).await?;
    let results = CampaignResults::sum(&from, &to, &site.campaigns, &counts);
    Ok(json_response(&results, 200)?)
}
