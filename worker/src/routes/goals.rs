//! `POST /v1/sites/{site}/goals`: a site goal the page tracked (`Baton('track', goal, {value})`), a beacon from
//! the site's pages like campaign events (origin-checked; JSON or `text/plain`). The goal must be one of the site's
//! `goals`; it goes into the metrics ledger as it arrives (`goal:{visitor}:{goal}:{second}`, so a beacon sent
//! twice counts once). 204.

use baton_shared::config::SiteConfig;
use baton_shared::metrics::ledger::goal;
use baton_shared::protocol::field_error;
use baton_shared::protocol::metrics::TrackGoal;
use worker::{Env, Request, Response};

use crate::clock;
use crate::error::ApiError;
use crate::http::{read_beacon_json, reject_field_errors};
use crate::ledger::Ledger;
use crate::store::is_key_segment;

pub async fn track(req: &mut Request, env: &Env, site: &SiteConfig) -> Result<Response, ApiError> {
    let now_ms = clock::now_ms(req, env);
    let tracked: TrackGoal = read_beacon_json(req).await?;
    let mut errors = tracked.validate();
    if !errors.iter().any(|error| error.path == "goal")
        && !site.goals.iter().any(|known| known.event == tracked.goal)
    {
        let known: Vec<&str> = site
            .goals
            .iter()
            .map(|known| known.event.as_str())
            .collect();
        errors.push(field_error(
            "goal",
            format!(
                "site \"{}\" has no goal \"{}\" (its goals: {})",
                site.id,
                tracked.goal,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        ));
    }
    if let Some(conversation_id) = &tracked.conversation_id
        && !is_key_segment(conversation_id)
    {
        errors.push(field_error("conversation_id", "is not a conversation id"));
    }
    reject_field_errors(errors)?;
    // A goal changes no conversation's facts (reports match goals to conversations), so only its event is written.
    Ledger::from_env(env)?
        .append(&[goal(&site.id, &tracked, now_ms)])
        .await?;
    Ok(Response::empty()?.with_status(204))
}
