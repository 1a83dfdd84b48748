//! Validation of `campaigns` and `campaign_limits`: every rule serde cannot check, each broken rule reported with
//! its field path (`campaigns[2].trigger.seconds`), all at once, in field order.

mod audience;
mod content;

use super::instant::parse_instant_ms;
use super::model::{Campaign, CampaignLimits, Frequency, Goal, Schedule, Show, Trigger};
use super::team::is_slug;

/// The most campaigns a site may have: the widget evaluates them all on every check.
pub const MAX_CAMPAIGNS: usize = 100;

/// Every rule the campaigns break, as (path, problem) with paths such as `campaigns[2].trigger.seconds`; `teams`
/// are the site's team ids. `config` turns them into its `ConfigError`s.
pub fn validate_campaigns(
    campaigns: &[Campaign],
    limits: &CampaignLimits,
    teams: &[&str],
) -> Vec<(String, String)> {
    let mut errors = Errors::default();
    if campaigns.len() > MAX_CAMPAIGNS {
        errors.push(
            "campaigns",
            format!(
                "must hold at most {MAX_CAMPAIGNS} campaigns (got {})",
                campaigns.len()
            ),
        );
    }
    let ids: Vec<&str> = campaigns
        .iter()
        .map(|campaign| campaign.id.as_str())
        .collect();
    let site = Site {
        teams,
        campaigns: &ids,
    };
    for (index, campaign) in campaigns.iter().enumerate() {
        let path = format!("campaigns[{index}]");
        errors.check_id(&path, &ids, index);
        errors.check_text(&format!("{path}.name"), &campaign.name, 80);
        errors.check_schedule(&path, &campaign.schedule);
        errors.check_trigger(&format!("{path}.trigger"), &campaign.trigger);
        for (rule, page) in campaign.pages.rules.iter().enumerate() {
            errors.check_text(
                &format!("{path}.pages.rules[{rule}].value"),
                &page.value,
                2_048,
            );
        }
        if let Some(tree) = &campaign.audience {
            errors.check_audience(&format!("{path}.audience"), tree, &site);
        }
        errors.check_frequency(&format!("{path}.frequency"), &campaign.frequency);
        errors.check_content(&format!("{path}.content"), &campaign.content, &site);
        errors.check_action(&format!("{path}.action"), &campaign.action, &site);
        errors.check_variants(&path, &campaign.variants, &site);
        if campaign.holdout_percent > 90 {
            errors.push(
                format!("{path}.holdout_percent"),
                format!(
                    "must be between 0 and 90 percent (got {})",
                    campaign.holdout_percent
                ),
            );
        }
        if let Some(goal) = &campaign.goal {
            errors.check_goal(&format!("{path}.goal"), goal);
        }
    }
    errors.check_range(
        "campaign_limits.per_session",
        limits.per_session,
        1..=20,
        "campaigns",
    );
    errors.check_range(
        "campaign_limits.per_day",
        limits.per_day,
        1..=100,
        "campaigns",
    );
    errors.check_range(
        "campaign_limits.quiet_after_chat_seconds",
        limits.quiet_after_chat_seconds,
        0..=86_400,
        "seconds",
    );
    errors.0
}

/// What the campaigns may refer to: the site's team ids and the campaigns' own ids.
struct Site<'a> {
    teams: &'a [&'a str],
    campaigns: &'a [&'a str],
}

impl Site<'_> {
    /// "is not a team of the site (its teams: a, b)", or "… (the site has no teams)".
    fn no_such_team(&self, team: &str) -> String {
        if self.teams.is_empty() {
            format!("\"{team}\" is not a team of the site (the site has no teams)")
        } else {
            format!(
                "\"{team}\" is not a team of the site (its teams: {})",
                self.teams.join(", ")
            )
        }
    }
}

#[derive(Default)]
struct Errors(Vec<(String, String)>);

impl Errors {
    fn push(&mut self, path: impl Into<String>, problem: impl Into<String>) {
        self.0.push((path.into(), problem.into()));
    }

    /// Not blank, and at most `max_chars` characters.
    fn check_text(&mut self, path: &str, value: &str, max_chars: usize) {
        let chars = value.chars().count();
        if value.trim().is_empty() {
            self.push(path, "must not be empty");
        } else if chars > max_chars {
            self.push(
                path,
                format!("must be at most {max_chars} characters (got {chars})"),
            );
        }
    }

    fn check_range(
        &mut self,
        path: &str,
        value: u32,
        range: std::ops::RangeInclusive<u32>,
        unit: &str,
    ) {
        if !range.contains(&value) {
            self.push(
                path,
                format!(
                    "must be between {} and {} {unit} (got {value})",
                    range.start(),
                    range.end()
                ),
            );
        }
    }

    fn check_slug(&mut self, path: &str, value: &str) {
        if !is_slug(value) {
            self.push(
                path,
                format!("\"{value}\" must be 1-64 lowercase letters, digits or '-'"),
            );
        }
    }

    /// `{list}.id` of item `index` among `ids`: a slug, and not the id of an earlier item of the list.
    fn check_id(&mut self, item: &str, ids: &[&str], index: usize) {
        let Some(id) = ids.get(index) else {
            return;
        };
        let path = format!("{item}.id");
        self.check_slug(&path, id);
        if let Some(first) = ids[..index].iter().position(|earlier| earlier == id) {
            let list = item.rsplit_once('[').map_or(item, |(list, _)| list);
            self.push(path, format!("duplicates {list}[{first}].id \"{id}\""));
        }
    }

    fn check_schedule(&mut self, campaign: &str, schedule: &Schedule) {
        let mut instant = |field: &str, text: &Option<String>| {
            let text = text.as_deref()?;
            let parsed = parse_instant_ms(text);
            if parsed.is_none() {
                self.push(
                    format!("{campaign}.schedule.{field}"),
                    format!("\"{text}\" must be an RFC 3339 instant such as 2026-12-01T00:00:00Z"),
                );
            }
            parsed
        };
        let starts = instant("starts", &schedule.starts);
        let ends = instant("ends", &schedule.ends);
        if let (Some(starts), Some(ends)) = (starts, ends)
            && ends <= starts
        {
            self.push(
                format!("{campaign}.schedule.ends"),
                "must be after schedule.starts",
            );
        }
    }

    fn check_trigger(&mut self, path: &str, trigger: &Trigger) {
        match trigger {
            Trigger::Dwell { seconds }
            | Trigger::SiteTime { seconds }
            | Trigger::Inactivity { seconds }
            | Trigger::WaitingForPerson { seconds } => {
                self.check_range(&format!("{path}.seconds"), *seconds, 1..=86_400, "seconds");
            }
            Trigger::Scroll { percent } => {
                self.check_range(
                    &format!("{path}.percent"),
                    u32::from(*percent),
                    1..=100,
                    "percent",
                );
            }
            Trigger::Click { selector } => {
                let path = format!("{path}.selector");
                self.check_text(&path, selector, 200);
                if selector.contains(['{', '}', '<']) {
                    self.push(
                        path,
                        format!(
                            "\"{selector}\" must be a CSS selector such as #buy or .pricing a, \
                             without {{, }} or <"
                        ),
                    );
                }
            }
            Trigger::Event { name } => self.check_text(&format!("{path}.name"), name, 64),
            Trigger::PageView | Trigger::ExitIntent | Trigger::Manual | Trigger::AiStruggled => {}
        }
    }

    fn check_frequency(&mut self, path: &str, frequency: &Frequency) {
        if frequency.show == Show::Max(0) {
            self.push(format!("{path}.show.max"), "must be at least 1 view");
        }
        for (field, days) in [
            ("after_dismiss_days", frequency.after_dismiss_days),
            ("after_goal_days", frequency.after_goal_days),
        ] {
            self.check_range(&format!("{path}.{field}"), days, 0..=3_650, "days");
        }
    }

    fn check_goal(&mut self, path: &str, goal: &Goal) {
        self.check_text(&format!("{path}.event"), &goal.event, 64);
        self.check_range(
            &format!("{path}.within_days"),
            goal.within_days,
            1..=365,
            "days",
        );
    }
}
