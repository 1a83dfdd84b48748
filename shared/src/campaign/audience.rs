//! Who may see a campaign: the `audience` tree (`all` / `any` / `not` over conditions) tested against the visit and
//! the visitor's campaign history.

use super::model::{Audience, CampaignRule, CampaignState, VisitorKind};
use super::pages::test_option;
use super::visit::{History, Visit};

/// A day in milliseconds, the unit of every `*_days` setting.
pub const DAY_MS: u64 = 86_400_000;

/// Whether an instant `at_ms` falls within the last `days` days before `now_ms` (an instant after `now_ms`, from
/// a clock that moved back, counts as within).
pub fn within_days(at_ms: u64, days: u32, now_ms: u64) -> bool {
    now_ms.saturating_sub(at_ms) < u64::from(days) * DAY_MS
}

impl Audience {
    /// Whether the visitor belongs to this audience now. `all` of nothing holds, `any` of nothing does not.
    pub fn holds(&self, visit: &Visit, history: &History, now_ms: u64) -> bool {
        match self {
            Audience::All(list) => list.iter().all(|node| node.holds(visit, history, now_ms)),
            Audience::Any(list) => list.iter().any(|node| node.holds(visit, history, now_ms)),
            Audience::Not(node) => !node.holds(visit, history, now_ms),
            // `visits` counts this one: a first visit is 1 (0 when the widget could not count).
            Audience::Visitor(VisitorKind::New) => visit.visits <= 1,
            Audience::Visitor(VisitorKind::Returning) => visit.visits >= 2,
            Audience::Visits { at_least } => visit.visits >= *at_least,
            Audience::Referrer(rule) => rule.test(&visit.referrer),
            Audience::UtmSource(rule) => rule.test_option(visit.utm_source.as_deref()),
            Audience::UtmMedium(rule) => rule.test_option(visit.utm_medium.as_deref()),
            Audience::UtmCampaign(rule) => rule.test_option(visit.utm_campaign.as_deref()),
            Audience::Device(device) => visit.device == Some(*device),
            Audience::Language(language) => {
                let language_tag = visit.language.as_str();
                let end = language_tag
                    .bytes()
                    .position(|b| b == b'-' || b == b'_')
                    .unwrap_or(language_tag.len());
                let primary = &language_tag[..end];
                !primary.is_empty() && primary.eq_ignore_ascii_case(language)
            }
            Audience::Country(country) => visit
                .country
                .as_deref()
                .is_some_and(|known| known.eq_ignore_ascii_case(country)),
            Audience::Identified(identified) => visit.identified == *identified,
            Audience::Attribute(rule) => test_option(
                rule.op,
                &rule.value,
                visit.attributes.get(&rule.name).map(String::as_str),
            ),
            Audience::Campaign(rule) => campaign_was(rule, history, now_ms),
        }
    }
}

/// `campaign {id, was, within_days}`: the visitor saw (not merely held out), dismissed or converted on that
/// campaign, ever or within the days given.
fn campaign_was(rule: &CampaignRule, history: &History, now_ms: u64) -> bool {
    let Some(clocks) = history.campaigns.get(&rule.id) else {
        return false;
    };
    let at_ms = match rule.was {
        CampaignState::Seen => clocks.last_view_ms.filter(|_| !clocks.held_out),
        CampaignState::Dismissed => clocks.dismissed_ms,
        CampaignState::Converted => clocks.converted_ms,
    };
    at_ms.is_some_and(|at_ms| {
        rule.within_days
            .is_none_or(|days| within_days(at_ms, days, now_ms))
    })
}
