//! Made-up but realistic metrics history for a site: conversations as the ledger would have recorded them (the
//! shared `Event`s, folded into facts with `ConversationFacts::from_events`), spread over days with the site's busy
//! hours, AI answers and fallbacks, handoffs to the team of their intent (after hours outside the site's business
//! hours), agents' replies (some too late, some never), closes, ratings, goals, returning visitors, and what
//! visitors did with the site's campaigns. Deterministic for a seed.
//!
//! `cargo xtask dev --history` seeds a week of it for the demo site (`dev.rs`); `cargo xtask bench metrics` seeds
//! 100,000 events and times the report over them (`bench_metrics.rs`). `history/sql.rs` writes it into local D1.

mod campaigns;
mod sql;
#[cfg(test)]
mod tests;

use baton_shared::config::SiteConfig;
use baton_shared::handoff::{is_open, next_opening};
use baton_shared::metrics::facts::ConversationFacts;
use baton_shared::metrics::{Actor, AnswerKind, ClosedBy, Event, EventKind};
use baton_shared::protocol::live::CloseOutcome;
use baton_shared::vocab::{HandoffReason, Intent};

pub use self::sql::seed;

const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;
pub const DAY: u64 = 24 * HOUR;

/// The prefix of every id the history makes, so that seeding it again replaces it.
pub const ID_PREFIX: &str = "history-";

/// How busy each hour of the day is (site time is approximated by UTC here: the demo site is in London).
const HOURLY_WEIGHTS: [u32; 24] = [
    1, 1, 1, 1, 1, 2, 3, 5, 8, 12, 14, 14, 12, 13, 14, 13, 11, 9, 8, 7, 6, 4, 3, 2,
];

const PAGES: &[&str] = &[
    "/demo/",
    "/demo/pricing.html",
    "/demo/#delivery",
    "/demo/#subscriptions",
    "/demo/#cafes",
];

/// Questions Baton could not answer, as visitors typed them.
const UNANSWERED: &[&str] = &[
    "Do you ship to Norway?",
    "Can I pay with Klarna?",
    "is the decaf swiss water processed",
    "Do you sell gift cards?",
    "Can I change the grind on my next delivery?",
    "Do you have oat milk?",
    "What's the caffeine content of the house blend?",
];

/// A small deterministic generator (SplitMix64): history must be the same for the same seed.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the weights given.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.below(u64::from(total)) as u32;
        for (index, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return index;
            }
            roll -= weight;
        }
        weights.len() - 1
    }
}

/// A history: every event, and the facts of each conversation.
#[derive(Default)]
pub struct History {
    pub events: Vec<Event>,
    pub facts: Vec<ConversationFacts>,
}

/// What to make: conversations started on `days` days from `from_ms` (a midnight) and before `until_ms`, until
/// about `events` events.
pub struct Plan<'a> {
    pub site: &'a SiteConfig,
    pub from_ms: u64,
    pub days: u64,
    pub until_ms: u64,
    pub events: usize,
    pub seed: u64,
}

/// Events in a made-up week of the demo site: a few hundred conversations.
const WEEK_EVENTS: usize = 2_500;

/// `cargo xtask dev --history`: the week up to now for `site`, written to the local ledger of `persist_dir`.
pub fn demo_week(persist_dir: &std::path::Path, site: &SiteConfig) -> crate::Result<()> {
    crate::seed::migrations(persist_dir)?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|error| format!("the clock is before 1970: {error}"))?
        .as_millis() as u64;
    let history = generate(&Plan {
        site,
        from_ms: (now_ms / DAY - 6) * DAY,
        days: 7,
        until_ms: now_ms,
        events: WEEK_EVENTS,
        seed: now_ms / DAY,
    });
    println!(
        "xtask: writing a week of metrics history for site \"{}\" ({} conversations, {} events)",
        site.id,
        history.facts.len(),
        history.events.len()
    );
    seed(persist_dir, &site.id, &history)
}

/// Makes the history of a plan.
pub fn generate(plan: &Plan) -> History {
    let mut dice = Dice::new(plan.seed);
    let mut history = History::default();
    let mut visitors: Vec<String> = Vec::new();
    let mut n = 0;
    while history.events.len() < plan.events {
        let day = dice.below(plan.days);
        let hour = dice.weighted(&HOURLY_WEIGHTS) as u64;
        let started = plan.from_ms + day * DAY + hour * HOUR + dice.below(HOUR);
        if started >= plan.until_ms {
            continue;
        }
        let visitor = if !visitors.is_empty() && dice.chance(12) {
            dice.pick(&visitors).clone()
        } else {
            let visitor = format!("{ID_PREFIX}visitor-{}", visitors.len());
            visitors.push(visitor.clone());
            visitor
        };
        let mut chat = Chat {
            id: format!("{ID_PREFIX}{n}"),
            site: plan.site,
            visitor,
            team: None,
            agent: None,
            seq: 0,
            events: Vec::new(),
        };
        chat.play(&mut dice, started);
        if let Some(facts) = ConversationFacts::from_events(&chat.events) {
            history.facts.push(facts);
        }
        history.events.append(&mut chat.events);
        n += 1;
        // A campaign's views and clicks beside every few conversations, as its pages are visited.
        if n % 3 == 0 {
            campaigns::events(plan.site, &mut dice, &mut history.events, started, n);
        }
    }
    history
}

/// One conversation being made up.
struct Chat<'a> {
    id: String,
    site: &'a SiteConfig,
    visitor: String,
    team: Option<String>,
    agent: Option<String>,
    seq: u64,
    events: Vec<Event>,
}

impl Chat<'_> {
    fn push(&mut self, at_ms: u64, actor: Actor, kind: EventKind) {
        self.seq += 1;
        self.events.push(Event {
            id: format!("{}:{:06}", self.id, self.seq),
            site_id: self.site.id.clone(),
            conversation_id: Some(self.id.clone()),
            visitor_id: Some(self.visitor.clone()),
            at_ms,
            actor,
            team: self.team.clone(),
            agent: self.agent.clone(),
            kind,
        });
    }

    fn play(&mut self, dice: &mut Dice, started: u64) {
        let campaign = (!self.site.campaigns.is_empty() && dice.chance(8))
            .then(|| dice.pick(&self.site.campaigns).id.clone());
        let page = format!("http://127.0.0.1:8787{}", dice.pick(PAGES));
        let kind = EventKind::ConversationStarted {
            page_url: Some(page),
            referrer: None,
            campaign,
            variant: None,
        };
        self.push(started, Actor::System, kind);
        // Some open the chat and never write.
        if dice.chance(6) {
            return;
        }
        let mut at = started + 5_000 + dice.below(40_000);
        let turns = 1 + dice.below(3);
        for turn in 0..turns {
            let seq = self.seq + 1;
            self.push(at, Actor::Visitor, EventKind::VisitorMessage { seq });
            at += 800 + dice.below(1_500);
            let last = turn + 1 == turns;
            let roll = dice.below(100);
            if last && roll < 30 {
                return self.hand_off(dice, at);
            }
            let seq = self.seq + 1;
            let kind = if roll < 42 {
                let text = Some((*dice.pick(UNANSWERED)).to_string());
                if dice.chance(60) {
                    EventKind::Fallback { seq, text }
                } else {
                    EventKind::Clarify { seq, text }
                }
            } else if dice.chance(40) {
                EventKind::InstantAnswer {
                    seq,
                    faq_entry_id: None,
                    confidence: 0.9,
                }
            } else {
                EventKind::AiAnswer {
                    seq,
                    source: AnswerKind::Faq,
                    confidence: 0.8,
                }
            };
            self.push(at, Actor::Ai, kind);
            at += 20_000 + dice.below(120_000);
        }
        // Some buy after the AI answered them, for the comparison with those who talked to a person.
        if dice.chance(5) {
            self.goal(dice, at);
        }
    }

    /// A purchase within two days of `after`, of 20 to 199.
    fn goal(&mut self, dice: &mut Dice, after: u64) {
        let goal = self
            .site
            .goals
            .first()
            .map_or("purchase".to_string(), |goal| goal.event.clone());
        let value = Some((20 + dice.below(180)) as f64);
        self.events.push(Event {
            id: format!("{ID_PREFIX}goal:{}", self.id),
            site_id: self.site.id.clone(),
            conversation_id: None,
            visitor_id: Some(self.visitor.clone()),
            at_ms: after + dice.below(2 * DAY),
            actor: Actor::Visitor,
            team: None,
            agent: None,
            kind: EventKind::Goal { goal, value },
        });
    }

    fn hand_off(&mut self, dice: &mut Dice, at: u64) {
        let reasons = [
            HandoffReason::AskedForPerson,
            HandoffReason::VisitorChose,
            HandoffReason::SalesMoment,
            HandoffReason::Frustration,
            HandoffReason::Sensitive,
            HandoffReason::LowConfidence,
            HandoffReason::UnansweredTurns,
        ];
        let reason = reasons[dice.weighted(&[30, 20, 18, 8, 10, 8, 6])];
        let intent = if reason == HandoffReason::SalesMoment {
            Intent::Sales
        } else {
            Intent::ALL[dice.weighted(&[10, 45, 20, 15, 10])]
        };
        let team = self
            .site
            .teams
            .iter()
            .find(|team| team.intents.contains(&intent));
        self.team = team.map(|team| team.id.clone());
        let reply_minutes = team.map_or(3, |team| u64::from(team.reply_minutes));
        let open = self.site.business_hours.is_empty() || is_open(self.site, at);
        let opens_at_ms = (!open).then(|| next_opening(self.site, at)).flatten();
        let kind = EventKind::Handoff {
            reason,
            intent: Some(intent),
            queued: true,
            after_hours: !open,
            opens_at_ms,
        };
        self.push(at, Actor::System, kind);
        let clock_from = opens_at_ms.unwrap_or(at);
        // Most get a reply within the team's promise; some late; some never (the visitor leaves).
        let roll = dice.below(100);
        if roll < 14 {
            let left = at + 2 * MINUTE + dice.below(20 * MINUTE);
            self.push(
                left,
                Actor::System,
                EventKind::Closed {
                    outcome: None,
                    by: ClosedBy::Visitor,
                },
            );
            return;
        }
        let wait = if roll < 80 {
            15_000 + dice.below(reply_minutes * MINUTE)
        } else {
            reply_minutes * MINUTE + dice.below(40 * MINUTE)
        };
        self.agent = Some(format!("{ID_PREFIX}agent-{}", dice.below(4)));
        let replied = clock_from + wait;
        self.push(replied - 2_000, Actor::Agent, EventKind::AgentJoined);
        let seq = self.seq + 1;
        self.push(replied, Actor::Agent, EventKind::AgentReply { seq });
        let closed = replied + 3 * MINUTE + dice.below(15 * MINUTE);
        let converted = intent == Intent::Sales && dice.chance(35);
        let outcome = if converted {
            CloseOutcome::Converted
        } else if dice.chance(90) {
            CloseOutcome::Resolved
        } else {
            CloseOutcome::NoResponse
        };
        self.push(
            closed,
            Actor::Agent,
            EventKind::Closed {
                outcome: Some(outcome),
                by: ClosedBy::Agent,
            },
        );
        if dice.chance(55) {
            let score = [5, 4, 3, 2, 1][dice.weighted(&[45, 30, 12, 7, 6])];
            self.push(closed + 30_000, Actor::Visitor, EventKind::Rating { score });
        }
        if converted || dice.chance(6) {
            self.goal(dice, closed);
        }
    }
}
