//! Validation of `campaigns` and `campaign_limits`. TODO(campaigns helper).

use super::{Campaign, CampaignLimits};

/// Every rule the campaigns break, as (path, problem) with paths such as `campaigns[2].trigger.seconds`; `teams`
/// are the site's team ids. `config` turns them into its `ConfigError`s.
pub fn validate_campaigns(
    campaigns: &[Campaign],
    limits: &CampaignLimits,
    teams: &[&str],
) -> Vec<(String, String)> {
    let _ = (campaigns, limits, teams);
    Vec::new()
}
