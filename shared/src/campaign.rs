//! Campaigns: when the chat speaks first. The configuration's types (`model.rs`), their validation with field paths
//! (`validate.rs`), and one pure evaluator (`evaluate.rs`) that the widget runs in the browser and the studio's
//! simulator runs on made-up visits: given the campaigns, the visit, the visitor's history, staffing and `now`, it
//! picks the campaign to show (one at a time, by priority) and says why every other one is not shown.
//! The evaluator's parts: page and string rules (`pages.rs`), the audience tree (`audience.rs`), variant and
//! holdout bucketing (`bucket.rs`), the campaign's team for staffing (`team.rs`).

mod audience;
mod bucket;
mod evaluate;
mod instant;
mod model;
mod pages;
mod tagged;
mod team;
mod validate;
mod visit;

pub use self::bucket::bucket;
pub use self::evaluate::{evaluate, goals_reached};
pub use self::instant::parse_instant_ms;
pub use self::model::{
    Action, AttributeRule, Audience, Campaign, CampaignLimits, CampaignRule, CampaignState,
    CampaignStatus, Content, Device, Format, Frequency, Goal, Hours, Match, PageRules, Schedule,
    Show, Staffing, StringOp, StringRule, Trigger, Variant, VisitorKind,
};
pub use self::validate::validate_campaigns;
pub use self::visit::{
    CampaignHistory, ChatState, History, Moment, Pick, Staffed, Verdict, Visit, WhyNot,
};

#[cfg(test)]
mod tests;
