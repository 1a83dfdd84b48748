//! The metrics read API on real workerd and real local D1 (`tests/sites/metrics.json`, UTC, no business hours):
//! known conversations played once through the public API (the test clock `X-Baton-Now` for the visitor's and
//! agents' HTTP calls, the platform's clock for the agent's socket reply), then every figure of the report, the
//! conversations behind each and the CSV, checked exactly. `metrics_access.rs` checks who may read them.
//!
//! Played: yesterday from 10:00 (UTC) an AI-resolved conversation, a missed handoff, a Sales handoff converted by
//! a purchase of 49, a visitor left on a fallback who came back the next hour (repeat contact) and was answered,
//! and a campaign's lead form handed to Sales (campaign figures only: the visitor never wrote); and just now a
//! handoff answered by an agent 30 s later, closed and rated 4.

use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use baton_shared::protocol::agent::{AgentRole, CloseConversation, Rate};
use baton_shared::protocol::live::{CloseOutcome, LiveCommand};
use baton_shared::protocol::metrics::{
    Figure, FigureConversations, Interval, MetricsQuery, MetricsReport, TrackGoal,
};
use baton_shared::protocol::{
    Author, CampaignEvent, CampaignEvents, CampaignWhat, CreateConversation, FieldValue,
    LeadCreated, PostMessage, SubmitLead, paths,
};
use expect_test::expect;
use serde::Serialize;

use super::live::{admin_token, agent_socket, bearer, create_agent, get_as, messages, unique};
use super::{Answer, Chat, post_json};

pub(crate) const SITE: &str = "metrics";
const ORIGIN: (&str, &str) = ("Origin", "http://localhost:3000");
const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// What was played: the conversations' ids (and the agent's) by name, the two days of the range, the agent.
pub(crate) struct Played {
    pub(crate) names: Vec<(String, &'static str)>,
    pub(crate) yesterday: String,
    pub(crate) today: String,
    /// The agent of team `support` who answered.
    pub(crate) ana_token: String,
}

impl Played {
    /// The report's query over yesterday and today.
    pub(crate) fn query(&self) -> MetricsQuery {
        MetricsQuery {
            from: self.yesterday.clone(),
            to: self.today.clone(),
            interval: Interval::Day,
            ..MetricsQuery::default()
        }
    }

    /// A conversation id as the name it was played under (other ids as they are).
    pub(crate) fn name(&self, id: &str) -> String {
        self.names
            .iter()
            .find(|(known, _)| known == id)
            .map_or_else(|| id.to_string(), |(_, name)| (*name).to_string())
    }

    /// `text` with every conversation id (and the agent's) replaced by its name and the two days by `YESTERDAY`
    /// and `TODAY`.
    pub(crate) fn anonymised(&self, text: &str) -> String {
        let mut text = text
            .replace(&self.yesterday, "YESTERDAY")
            .replace(&self.today, "TODAY");
        for (id, name) in &self.names {
            text = text.replace(id.as_str(), name);
        }
        text
    }
}

fn at(ms: u64) -> String {
    ms.to_string()
}

/// Milliseconds since the epoch on this machine, which is the worker's too.
fn platform_now() -> u64 {
    let since = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970");
    u64::try_from(since.as_millis()).expect("in range")
}

/// `YYYY-MM-DD` of a UTC instant.
fn day_of(ms: u64) -> String {
    let at =
        jiff::Timestamp::from_millisecond(i64::try_from(ms).expect("in range")).expect("valid");
    at.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

fn browser_post<T: Serialize>(path: &str, body: &T, now: u64, token: Option<&str>) -> Answer {
    let now = at(now);
    let bearer = token.map(bearer);
    let mut headers = vec![ORIGIN, ("X-Baton-Now", now.as_str())];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer.as_str()));
    }
    post_json(path, &headers, body)
}

fn start(visitor: &str, now: u64) -> Chat {
    let answer = browser_post(
        &paths::conversations(SITE),
        &CreateConversation {
            page_url: Some("http://localhost:3000/pricing".into()),
            visitor: Some(visitor.into()),
            ..Default::default()
        },
        now,
        None,
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    Chat {
        site: SITE,
        created: answer.json(),
    }
}

fn say(chat: &Chat, id: &str, text: &str, now: u64) {
    let body = PostMessage {
        client_message_id: id.into(),
        text: text.into(),
        instant_answer: None,
        chose_person: false,
        choice: None,
    };
    let path = paths::messages(SITE, &chat.conversation_id);
    let answer = browser_post(&path, &body, now, Some(&chat.visitor_token));
    assert_eq!(answer.status, 200, "{}", answer.body);
}

/// Plays every conversation once per test run, whichever test asks first.
pub(crate) fn played() -> &'static Played {
    static PLAYED: OnceLock<Played> = OnceLock::new();
    PLAYED.get_or_init(play)
}

fn play() -> Played {
    let now = platform_now();
    let yesterday = (now / DAY - 1) * DAY;
    let base = yesterday + 10 * HOUR;
    let mut names = Vec::new();

    let resolved = start("v-metrics-resolved", base);
    say(
        &resolved,
        "m1",
        "How long does delivery take?",
        base + 10_000,
    );
    names.push((resolved.conversation_id.clone(), "resolved"));

    let missed = start("v-metrics-missed", base + HOUR);
    say(
        &missed,
        "m1",
        "I want to talk to a person about my order",
        base + HOUR + 10_000,
    );
    names.push((missed.conversation_id.clone(), "missed"));

    let buyer = start("v-metrics-buyer", base + 2 * HOUR);
    let asked = base + 2 * HOUR + 10_000;
    say(
        &buyer,
        "m1",
        "I'd like to talk to someone about wholesale pricing for my café",
        asked,
    );
    names.push((buyer.conversation_id.clone(), "converted"));
    let goal = TrackGoal {
        visitor: "v-metrics-buyer".into(),
        goal: "purchase".into(),
        value: Some(49.0),
        conversation_id: None,
    };
    let tracked = browser_post(&paths::goals(SITE), &goal, base + 3 * HOUR, None);
    assert_eq!(tracked.status, 204, "{}", tracked.body);

    let left = start("v-metrics-repeat", base + 4 * HOUR);
    say(&left, "m1", "zxqv blorp fnord", base + 4 * HOUR + 10_000);
    names.push((left.conversation_id.clone(), "left-on-fallback"));
    let back = start("v-metrics-repeat", base + 5 * HOUR);
    say(
        &back,
        "m1",
        "How long does delivery take?",
        base + 5 * HOUR + 10_000,
    );
    names.push((back.conversation_id.clone(), "came-back"));

    // The lead form's visitor saw the popup and clicked it; a held-out visitor would have seen it.
    let shown_at = base + 6 * HOUR;
    let campaign_event = |what, held_out| CampaignEvent {
        campaign: "wholesale".into(),
        variant: None,
        held_out,
        what,
        at_ms: shown_at,
    };
    for (visitor, events) in [
        (
            "v-metrics-lead",
            vec![
                campaign_event(CampaignWhat::Shown, false),
                campaign_event(CampaignWhat::Clicked, false),
            ],
        ),
        (
            "v-metrics-holdout",
            vec![campaign_event(CampaignWhat::Shown, true)],
        ),
    ] {
        let batch = CampaignEvents {
            visitor: visitor.into(),
            events,
        };
        let sent = browser_post(
            &paths::campaign_events(SITE),
            &batch,
            shown_at + 1_000,
            None,
        );
        assert_eq!(sent.status, 204, "{}", sent.body);
    }
    let lead = SubmitLead {
        campaign: "wholesale".into(),
        variant: None,
        fields: vec![FieldValue {
            id: "email".into(),
            value: "cafe@example.com".into(),
        }],
        consent: false,
        page_url: Some("http://localhost:3000/wholesale".into()),
        timezone: None,
        visitor: "v-metrics-lead".into(),
        turnstile_token: None,
    };
    let sent = browser_post(&paths::leads(SITE), &lead, shown_at + MINUTE, None);
    assert_eq!(sent.status, 201, "{}", sent.body);
    let created: LeadCreated = sent.json();
    names.push((created.conversation_id.expect("handed to Sales"), "lead"));

    // Just now: handed off 30 s ago (the test clock), answered now on the agent's socket (the platform's clock).
    let ana = create_agent(SITE, &unique("Ana"), &["support"], AgentRole::Agent);
    names.push((ana.agent.id.clone(), "ana"));
    let now = platform_now();
    let answered = start("v-metrics-answered", now - MINUTE);
    say(
        &answered,
        "m1",
        "I want to talk to a person about my order",
        now - 30_000,
    );
    names.push((answered.conversation_id.clone(), "answered"));
    let conversation =
        |action| paths::agent_conversation(SITE, &answered.conversation_id, Some(action));
    let claimed = post_json(
        &conversation("claim"),
        &[("Authorization", &bearer(&ana.token))],
        &(),
    );
    assert_eq!(claimed.status, 200, "{}", claimed.body);
    let mut socket = agent_socket(SITE, &ana.token, &answered.conversation_id, 0);
    socket.send(&LiveCommand::Send {
        client_message_id: "a1".into(),
        text: "Hi, I'm looking at your order now.".into(),
    });
    socket.until(|event| {
        messages(event)?
            .into_iter()
            .find(|message| message.author == Author::Agent)
    });
    let close = CloseConversation {
        outcome: CloseOutcome::Resolved,
    };
    let closed = post_json(
        &conversation("close"),
        &[("Authorization", &bearer(&ana.token))],
        &close,
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    let rated = post_json(
        &paths::csat(SITE, &answered.conversation_id),
        &[ORIGIN, ("Authorization", &bearer(&answered.visitor_token))],
        &Rate { rating: 4 },
    );
    assert_eq!(rated.status, 200, "{}", rated.body);
    Played {
        names,
        yesterday: day_of(yesterday),
        today: day_of(platform_now()),
        ana_token: ana.token,
    }
}

/// The report for `query` as the site's admin, once the ledger (written in the background) has everything: within
/// 45 s, past a room's retry of a failed send (see `ledger::d1_until`).
pub(crate) fn settled_report(query: &MetricsQuery) -> MetricsReport {
    let admin = admin_token(SITE);
    let path = paths::metrics(SITE, &paths::metrics_query(query, None));
    let deadline = Instant::now() + Duration::from_secs(45);
    loop {
        let answer = get_as(&admin, &path);
        assert_eq!(answer.status, 200, "{}", answer.body);
        let report: MetricsReport = answer.json();
        let complete = report.conversations == 7
            && report.csat.responses == 1
            && report.conversions_after_handoff.count == 1
            && report.first_human_reply_ms.count == 1
            && report
                .campaigns
                .iter()
                .any(|row| row.leads == 1 && row.handoffs == 1);
        if complete {
            return report;
        }
        assert!(
            Instant::now() < deadline,
            "the ledger never had it all: {}",
            answer.body
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn the_report_has_every_figure_of_the_conversations_played() {
    let played = played();
    let report = settled_report(&played.query());
    // Handed off 30 s before the agent's socket reply: 30 s and the time the reply took to travel.
    let reply = report.first_human_reply_ms;
    for value in [
        reply.median,
        reply.p90,
        reply.business_hours_median,
        reply.business_hours_p90,
    ] {
        let value = value.expect("one reply");
        assert!((30_000..35_000).contains(&value), "{value} ms");
    }
    let handoffs = &report.handoffs;
    let csat = &report.csat;
    let campaigns: Vec<String> = report
        .campaigns
        .iter()
        .map(|row| {
            format!(
                "{} held_out={} views={} clicks={} dismissals={} leads={} conversations={} handoffs={} goals={} goal_rate={:?}",
                row.id, row.held_out, row.views, row.clicks, row.dismissals, row.leads, row.conversations,
                row.handoffs, row.goals, row.goal_rate
            )
        })
        .collect();
    let series: Vec<String> = report
        .series
        .iter()
        .map(|point| point.start.clone())
        .collect();
    let heatmap: u64 = report.heatmap.iter().flatten().sum();
    let shown = format!(
        "{} to {} in {}\nconversations {}\nai_resolved {:?}\nhandoffs {} ({:?}) by reason {:?} by team {:?} by intent {:?}\n\
         first human reply: {} replied, about 30 s\nmissed {:?}\nconverted after handoff {:?}; without handoff {:?}\n\
         csat {} responses, mean {:?}, response rate {:?}, distribution {:?}, ai only {:?}, with a person {:?}\n\
         repeat contact {:?}\ncampaigns {campaigns:#?}\nseries {series:?}, {} conversations in all; heatmap {heatmap}\n\
         pages {:?}\nintents {:?}\nunanswered {:?}",
        report.from,
        report.to,
        report.timezone,
        report.conversations,
        report.ai_resolved,
        handoffs.count,
        handoffs.rate,
        handoffs.by_reason,
        handoffs.by_team,
        handoffs.by_intent,
        reply.count,
        report.missed,
        report.conversions_after_handoff,
        report.conversions_without_handoff,
        csat.responses,
        csat.mean,
        csat.response_rate,
        csat.distribution,
        (csat.ai_only.responses, csat.ai_only.mean),
        (csat.with_person.responses, csat.with_person.mean),
        report.repeat_contact,
        report
            .series
            .iter()
            .map(|point| point.conversations)
            .sum::<u64>(),
        report.pages,
        report.intents,
        report.unanswered,
    );
    expect![[r#"
        YESTERDAY to TODAY in UTC
        conversations 7
        ai_resolved Rate { count: 2, rate: 0.2857 }
        handoffs 4 (0.5714) by reason {"asked_for_person": 3, "lead_form": 1} by team {"sales": 2, "support": 2} by intent {"sales": 2, "support": 2}
        first human reply: 1 replied, about 30 s
        missed Rate { count: 3, rate: 0.75 }
        converted after handoff Conversions { count: 1, rate: 0.25, value: 49.0 }; without handoff Conversions { count: 0, rate: 0.0, value: 0.0 }
        csat 1 responses, mean Some(4.0), response rate 1.0, distribution [0, 0, 0, 1, 0], ai only (0, None), with a person (1, Some(4.0))
        repeat contact Rate { count: 1, rate: 0.1429 }
        campaigns [
            "wholesale held_out=false views=1 clicks=1 dismissals=0 leads=1 conversations=1 handoffs=1 goals=0 goal_rate=0.0",
            "wholesale held_out=true views=1 clicks=0 dismissals=0 leads=0 conversations=0 handoffs=0 goals=0 goal_rate=0.0",
        ]
        series ["YESTERDAY", "TODAY"], 7 conversations in all; heatmap 7
        pages [Count { key: "http://localhost:3000/pricing", count: 6 }, Count { key: "http://localhost:3000/wholesale", count: 1 }]
        intents [Count { key: "sales", count: 2 }, Count { key: "support", count: 2 }]
        unanswered [Unanswered { question: "zxqv blorp fnord", count: 1, conversation_ids: ["left-on-fallback"] }]"#]].assert_eq(&played.anonymised(&shown));
}

#[test]
fn every_figure_lists_the_conversations_it_counts() {
    let played = played();
    settled_report(&played.query());
    let admin = admin_token(SITE);
    let listed: Vec<String> = Figure::ALL
        .into_iter()
        .map(|figure| {
            let path = paths::metrics_conversations(
                SITE,
                &paths::metrics_query(&played.query(), Some(figure)),
            );
            let answer = get_as(&admin, &path);
            assert_eq!(answer.status, 200, "{}", answer.body);
            let listed: FigureConversations = answer.json();
            assert_eq!(listed.figure, Some(figure));
            let names: Vec<String> = listed
                .conversations
                .iter()
                .map(|row| played.name(&row.id))
                .collect();
            format!("{}: {}", figure.name(), names.join(" "))
        })
        .collect();
    expect![[r#"
        [
            "conversations: answered lead came-back left-on-fallback converted missed resolved",
            "ai_resolved: came-back resolved",
            "handoffs: answered lead converted missed",
            "missed: lead converted missed",
            "conversions_after_handoff: converted",
            "csat: answered",
            "repeat_contact: left-on-fallback",
        ]
    "#]]
    .assert_debug_eq(&listed);
}
