//! One campaign's checks, in the order of [`WhyNot`]'s variants: the first that holds it back is its reason.
//!
//! Decisions:
//! - The campaign's team is `content.from` when it is a team id, and a team id is a slug (lowercase letters,
//!   digits, `-`); validation makes sure such a `from` names a team of the site, so a person's name ("Anna") never
//!   looks like one. With no team, any team online will do (`teams_online` not empty, `"*"` included).
//! - While staffing is unknown, campaigns that depend on it (`staffing` other than `any`, or `schedule.hours`
//!   other than `any`) wait with the reason `Staffing`.
//! - `campaign_limits.quiet_after_chat_seconds` does not hold back `ai_struggled` and `waiting_for_person`
//!   campaigns: they are about the chat in progress, so the visitor's last message is their reason to exist.
//! - A held-out visitor counts as having seen the campaign: `once` holds back after a held-out view, and so does
//!   `until_engaged` (a control never engages, one control view is enough); `max` counts held-out views.
//! - `after_dismiss_days` and `after_goal_days` of 0 mean "only on this page": the clock holds back until the next
//!   page (or single-page route) starts.

use super::super::audience::within_days;
use super::super::instant::parse_instant_ms;
use super::super::model::{Campaign, CampaignStatus, Hours, Show, Staffing, Trigger};
use super::super::team::team;
use super::super::visit::{CampaignHistory, WhyNot};
use super::Context;
use super::trigger::{self, Triggered};

/// Whether this campaign was asked for by `Baton('show', id)` in this check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    None,
    /// `Baton('show', id)`: the trigger is skipped.
    Shown,
    /// `Baton('show', id, {force: true})`: the trigger, pages, audience, staffing and every frequency clock and
    /// limit are skipped.
    Forced,
}

/// What one campaign's checks say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// It may show now.
    Open,
    /// Everything but its trigger allows it; a time-based trigger comes due at `due_ms`.
    Waiting { due_ms: Option<u64> },
    /// Held back by something other than its trigger.
    Closed(WhyNot),
}

/// Runs the checks on `campaign`, stopping at the first that holds it back.
pub fn check(campaign: &Campaign, context: &Context, request: Request) -> Gate {
    match blocked(campaign, context, request) {
        Some(why) => Gate::Closed(why),
        None if request != Request::None => Gate::Open,
        None => match trigger::state(campaign, context) {
            Triggered::Yes => Gate::Open,
            Triggered::No { due_ms } => Gate::Waiting { due_ms },
        },
    }
}

/// The first reason before the trigger.
fn blocked(campaign: &Campaign, context: &Context, request: Request) -> Option<WhyNot> {
    let forced = request == Request::Forced;
    let visit = context.visit;
    let staffed = context.staffed;
    let now_ms = context.now_ms;
    if campaign.status != CampaignStatus::Live {
        return Some(WhyNot::NotLive);
    }
    if let Some(why) = schedule(campaign, now_ms) {
        return Some(why);
    }
    if campaign.schedule.hours != Hours::Any {
        if staffed.unknown {
            return Some(WhyNot::Staffing);
        }
        if staffed.open != (campaign.schedule.hours == Hours::Open) {
            return Some(WhyNot::OutsideHours);
        }
    }
    if !forced {
        if !campaign.pages.matches_page(&visit.url, context.path) {
            return Some(WhyNot::PageNotMatched);
        }
        if let Some(audience) = &campaign.audience
            && !audience.holds(visit, context.history, now_ms)
        {
            return Some(WhyNot::AudienceNotMatched);
        }
        if !staffing_allows(campaign, context) {
            return Some(WhyNot::Staffing);
        }
    }
    if visit.chat.panel_open {
        return Some(WhyNot::ChatOpen);
    }
    let waits_for_person = matches!(campaign.trigger, Trigger::WaitingForPerson { .. });
    if visit.chat.person_replied || (visit.chat.handed_over_at_ms.is_some() && !waits_for_person) {
        return Some(WhyNot::PersonInConversation);
    }
    if forced {
        return None;
    }
    let about_this_chat = waits_for_person || campaign.trigger == Trigger::AiStruggled;
    let quiet_ms = u64::from(context.limits.quiet_after_chat_seconds) * 1_000;
    if !about_this_chat
        && visit
            .chat
            .last_message_ms
            .is_some_and(|message_ms| now_ms.saturating_sub(message_ms) < quiet_ms)
    {
        return Some(WhyNot::QuietAfterChat);
    }
    let default_clocks = CampaignHistory::default();
    let clocks = context
        .history
        .campaigns
        .get(&campaign.id)
        .unwrap_or(&default_clocks);
    let seen = clocks.views >= 1 || clocks.held_out;
    let frequency_reached = match campaign.frequency.show {
        Show::Once => seen,
        Show::UntilEngaged => clocks.engaged_ms.is_some() || clocks.held_out,
        Show::Max(max) => clocks.views >= max,
        Show::Always => false,
    };
    if frequency_reached {
        return Some(WhyNot::Frequency);
    }
    let suppressed = |at_ms: Option<u64>, days: u32| {
        at_ms.is_some_and(|at_ms| {
            if days == 0 {
                at_ms >= visit.page_started_ms
            } else {
                within_days(at_ms, days, now_ms)
            }
        })
    };
    if suppressed(clocks.dismissed_ms, campaign.frequency.after_dismiss_days) {
        return Some(WhyNot::Dismissed);
    }
    if suppressed(clocks.converted_ms, campaign.frequency.after_goal_days) {
        return Some(WhyNot::Converted);
    }
    let limits = context.limits;
    let per_session = usize::try_from(limits.per_session).unwrap_or(usize::MAX);
    let per_day = usize::try_from(limits.per_day).unwrap_or(usize::MAX);
    if context.shown_this_visit >= per_session || context.shown_today >= per_day {
        return Some(WhyNot::SiteLimit);
    }
    None
}

/// `NotStarted` before `schedule.starts`, `Ended` from `schedule.ends` on. An instant that does not parse (the
/// configuration was not validated) holds the campaign back rather than showing it outside its dates.
fn schedule(campaign: &Campaign, now_ms: u64) -> Option<WhyNot> {
    let now = i64::try_from(now_ms).unwrap_or(i64::MAX);
    let instant = parse_instant_ms;
    if let Some(starts) = &campaign.schedule.starts
        && instant(starts).is_none_or(|starts| now < starts)
    {
        return Some(WhyNot::NotStarted);
    }
    if let Some(ends) = &campaign.schedule.ends
        && instant(ends).is_none_or(|ends| now >= ends)
    {
        return Some(WhyNot::Ended);
    }
    None
}

/// `staffing` against who is online: the campaign's team (see the module's notes), or anyone.
fn staffing_allows(campaign: &Campaign, context: &Context) -> bool {
    if campaign.staffing == Staffing::Any {
        return true;
    }
    let staffed = context.staffed;
    if staffed.unknown {
        return false;
    }
    let online = match team(campaign) {
        Some(team) => staffed.teams_online.iter().any(|online| online == team),
        None => !staffed.teams_online.is_empty(),
    };
    online == (campaign.staffing == Staffing::PeopleOnline)
}
