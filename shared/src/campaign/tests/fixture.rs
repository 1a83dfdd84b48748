//! What the evaluator's tables share: a campaign written as JSON over a plain one, a visit on a pricing page, and
//! the verdict printed one line per campaign (`id: shown (variant b)`, `id: not shown — dismissed`).

use serde_json::{Value, json};

use crate::campaign::{
    Campaign, CampaignLimits, Device, History, Moment, Staffed, Verdict, Visit, WhyNot, evaluate,
};

/// The checks' "now": 2027-01-14T08:00:00Z.
pub const NOW: u64 = 1_799_913_600_000;
pub const SECOND: u64 = 1_000;
pub const DAY: u64 = 86_400_000;

/// A live campaign shown on every page view, once, saying "Hi" and opening the chat; `fields` replace its
/// top-level fields (`json!({"trigger": {"kind": "dwell", "seconds": 20}})`).
pub fn campaign(id: &str, fields: Value) -> Campaign {
    let mut campaign = json!({
        "id": id, "name": id, "status": "live",
        "trigger": {"kind": "page_view"},
        "content": {"text": "Hi"},
        "action": {"kind": "open_chat"},
    });
    if let (Some(campaign), Value::Object(fields)) = (campaign.as_object_mut(), fields) {
        campaign.extend(fields);
    }
    serde_json::from_value(campaign).unwrap_or_else(|error| panic!("campaign {id}: {error}"))
}

/// One check: the campaigns and everything the evaluator is told.
pub struct Case {
    pub campaigns: Vec<Campaign>,
    pub limits: CampaignLimits,
    pub visit: Visit,
    pub history: History,
    pub staffed: Staffed,
    pub moment: Moment,
    pub visitor: String,
    pub now_ms: u64,
}

impl Case {
    /// A returning French desktop visitor 30 s into `https://shop.example/pricing?plan=pro` (5 minutes into the
    /// visit, last active 1 s ago), Sales online during business hours, generous site limits, a `Tick`.
    pub fn new(campaigns: Vec<Campaign>) -> Case {
        Case {
            campaigns,
            limits: CampaignLimits {
                per_session: 20,
                per_day: 100,
                quiet_after_chat_seconds: 600,
            },
            visit: Visit {
                url: "https://shop.example/pricing?plan=pro".into(),
                referrer: "https://www.google.com/".into(),
                visits: 2,
                device: Some(Device::Desktop),
                language: "fr-CA".into(),
                country: Some("FR".into()),
                page_started_ms: NOW - 30 * SECOND,
                visit_started_ms: NOW - 300 * SECOND,
                last_activity_ms: NOW - SECOND,
                ..Visit::default()
            },
            history: History::default(),
            staffed: Staffed {
                teams_online: vec!["sales".into()],
                open: true,
                unknown: false,
            },
            moment: Moment::Tick,
            visitor: "visitor-1".into(),
            now_ms: NOW,
        }
    }

    /// A case with one campaign, `fields` over the plain one (its id is `c`).
    pub fn one(fields: Value) -> Case {
        Case::new(vec![campaign("c", fields)])
    }

    pub fn verdict(&self) -> Verdict {
        evaluate(
            &self.campaigns,
            &self.limits,
            &self.visit,
            &self.history,
            &self.staffed,
            &self.moment,
            &self.visitor,
            self.now_ms,
        )
    }

    /// The verdict, one line per campaign in configuration order, then the recheck timer if any.
    pub fn run(&self) -> String {
        let verdict = self.verdict();
        let mut lines = String::new();
        for campaign in &self.campaigns {
            lines.push_str(&format!(
                "{}: {}\n",
                campaign.id,
                line(&verdict, &campaign.id)
            ));
        }
        if let Some(wait) = verdict.recheck_in_ms {
            lines.push_str(&format!("recheck in {wait} ms\n"));
        }
        lines
    }

    /// The verdict on the only campaign, on one line: `shown`, `not shown — dismissed`, with the recheck timer.
    pub fn short(&self) -> String {
        let verdict = self.verdict();
        let id = self
            .campaigns
            .first()
            .map_or("", |campaign| campaign.id.as_str());
        let mut short = line(&verdict, id);
        if let Some(wait) = verdict.recheck_in_ms {
            short.push_str(&format!(" (recheck in {wait} ms)"));
        }
        short
    }

    /// The campaign `id`'s history, created empty when missing.
    pub fn clocks(&mut self, id: &str) -> &mut crate::campaign::CampaignHistory {
        self.history.campaigns.get_or_default(id)
    }
}

/// What the verdict says of campaign `id`.
fn line(verdict: &Verdict, id: &str) -> String {
    if let Some(pick) = verdict.show.as_ref().filter(|pick| pick.id == id) {
        return match (&pick.variant, pick.held_out) {
            (_, true) => "shown (held out)".into(),
            (Some(variant), false) => format!("shown (variant {variant})"),
            (None, false) => "shown".into(),
        };
    }
    match verdict
        .not_shown
        .iter()
        .find(|(not_shown, _)| not_shown == id)
    {
        Some((_, why)) => format!("not shown — {}", reason(why)),
        None => "missing from the verdict".into(),
    }
}

/// `WhyNot` as its JSON tag: `not_triggered`.
pub fn reason(why: &WhyNot) -> String {
    serde_json::to_value(why)
        .ok()
        .and_then(|value| value["why"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Rows of a table: `label: outcome`, aligned.
pub fn table(rows: Vec<(&str, String)>) -> String {
    let width = rows
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(label, outcome)| format!("{label:<width$}  {outcome}\n"))
        .collect()
}
