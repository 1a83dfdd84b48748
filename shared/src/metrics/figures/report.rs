//! The report's figures summed from the verdicts: counts, rates (each a share of its own whole, so never above
//! 100 %), medians and 90th percentiles (never means, which one forgotten chat drags for hours), the series, the
//! weekday × hour heatmap, pages, intents and the questions Baton could not answer.

use std::collections::BTreeMap;

use super::judge::Verdict;
use super::{Ledger, Request, campaigns, wire_name};
use crate::protocol::metrics::{
    Conversions, Count, Csat, CsatPart, Handoffs, MetricsReport, Rate, ReplyTimes, SeriesPoint,
    Unanswered,
};
use crate::vocab::HandoffReason;

/// How many pages and unanswered questions the report lists.
const TOP: usize = 20;

pub(super) fn build(request: &Request, ledger: &Ledger, verdicts: &[Verdict]) -> MetricsReport {
    let range = request.range;
    let counted: Vec<&Verdict> = verdicts.iter().filter(|verdict| verdict.counted).collect();
    let mut series: Vec<SeriesPoint> = range
        .interval_starts()
        .into_iter()
        .map(|start| SeriesPoint {
            start,
            ..SeriesPoint::default()
        })
        .collect();
    let mut buckets: Vec<Vec<&Verdict>> = vec![Vec::new(); series.len()];
    let mut heatmap = vec![[0_u64; 24]; 7];
    for verdict in &counted {
        let Some((interval, weekday, hour)) = range.place(verdict.facts.started_ms) else {
            continue;
        };
        if let Some(bucket) = buckets.get_mut(interval) {
            bucket.push(verdict);
        }
        heatmap[weekday][hour] += 1;
    }
    for (point, bucket) in series.iter_mut().zip(&buckets) {
        let handed_off = bucket.iter().filter(|verdict| verdict.handed_off);
        point.conversations = bucket.len() as u64;
        point.ai_resolved = count(bucket, |verdict| verdict.ai_resolved);
        point.handoffs = count(bucket, |verdict| verdict.handed_off);
        point.missed = count(bucket, |verdict| verdict.missed);
        point.conversions_after_handoff =
            handed_off.filter(|verdict| verdict.converted).count() as u64;
        point.first_human_reply_median_ms = percentile(
            bucket
                .iter()
                .filter_map(|verdict| verdict.reply_ms)
                .collect(),
            50,
        );
        point.csat_mean = mean(bucket.iter().filter_map(|verdict| verdict.facts.rating));
    }
    let conversations = counted.len() as u64;
    let handed_off: Vec<&Verdict> = counted
        .iter()
        .copied()
        .filter(|verdict| verdict.handed_off)
        .collect();
    let never_handed_off: Vec<&Verdict> = counted
        .iter()
        .copied()
        .filter(|verdict| !verdict.handed_off)
        .collect();
    MetricsReport {
        from: range.from.clone(),
        to: range.to.clone(),
        timezone: request.config.timezone.clone(),
        interval: range.interval,
        conversations,
        ai_resolved: rate(
            count(&counted, |verdict| verdict.ai_resolved),
            conversations,
        ),
        handoffs: handoffs(&handed_off, conversations),
        first_human_reply_ms: reply_times(&handed_off),
        missed: rate(
            count(&handed_off, |verdict| verdict.missed),
            handed_off.len() as u64,
        ),
        conversions_after_handoff: conversions(&handed_off),
        conversions_without_handoff: conversions(&never_handed_off),
        csat: csat(&counted),
        repeat_contact: rate(
            count(&counted, |verdict| verdict.repeat_contact),
            conversations,
        ),
        campaigns: campaigns::figures(request, ledger, verdicts),
        series,
        heatmap,
        pages: pages(&counted),
        intents: ranked(
            handed_off
                .iter()
                .filter_map(|verdict| verdict.facts.handoff.as_ref()?.intent)
                .map(|intent| intent.name()),
            usize::MAX,
        ),
        unanswered: unanswered(&counted),
    }
}

fn count(verdicts: &[&Verdict], test: impl Fn(&Verdict) -> bool) -> u64 {
    verdicts.iter().filter(|verdict| test(verdict)).count() as u64
}

/// `part / whole` to four decimals; 0 of nothing is 0.
pub(super) fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    round(part.min(whole) as f64 / whole as f64)
}

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

fn rate(count: u64, whole: u64) -> Rate {
    Rate {
        count,
        rate: share(count, whole),
    }
}

/// The nearest-rank percentile (`p` of 100) of the values: a value that happened, never an average of two.
fn percentile(mut values: Vec<u64>, p: usize) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = (values.len() * p).div_ceil(100).max(1);
    values.get(rank - 1).copied()
}

fn mean(values: impl Iterator<Item = u8>) -> Option<f64> {
    let (sum, n) = values.fold((0_u64, 0_u64), |(sum, n), value| {
        (sum + u64::from(value), n + 1)
    });
    (n > 0).then(|| round(sum as f64 / n as f64))
}

fn handoffs(handed_off: &[&Verdict], conversations: u64) -> Handoffs {
    let mut figures = Handoffs {
        count: handed_off.len() as u64,
        rate: share(handed_off.len() as u64, conversations),
        ..Handoffs::default()
    };
    // Counted by borrowed keys, named once at the end.
    let mut reasons: Vec<(HandoffReason, u64)> = Vec::new();
    let mut teams: BTreeMap<&str, u64> = BTreeMap::new();
    let mut intents: BTreeMap<&str, u64> = BTreeMap::new();
    for verdict in handed_off {
        let Some(handoff) = &verdict.facts.handoff else {
            continue;
        };
        match reasons
            .iter_mut()
            .find(|(reason, _)| *reason == handoff.reason)
        {
            Some((_, count)) => *count += 1,
            None => reasons.push((handoff.reason, 1)),
        }
        *teams
            .entry(super::team_of(verdict.facts).unwrap_or_default())
            .or_default() += 1;
        if let Some(intent) = handoff.intent {
            *intents.entry(intent.name()).or_default() += 1;
        }
    }
    figures.by_reason = reasons
        .into_iter()
        .map(|(reason, count)| (wire_name(&reason), count))
        .collect();
    figures.by_team = owned(teams);
    figures.by_intent = owned(intents);
    figures
}

fn reply_times(handed_off: &[&Verdict]) -> ReplyTimes {
    let wall: Vec<u64> = handed_off
        .iter()
        .filter_map(|verdict| verdict.reply_ms)
        .collect();
    let business: Vec<u64> = handed_off
        .iter()
        .filter_map(|verdict| verdict.business_reply_ms)
        .collect();
    ReplyTimes {
        count: wall.len() as u64,
        median: percentile(wall.clone(), 50),
        p90: percentile(wall, 90),
        business_hours_median: percentile(business.clone(), 50),
        business_hours_p90: percentile(business, 90),
    }
}

fn conversions(verdicts: &[&Verdict]) -> Conversions {
    let converted: Vec<&&Verdict> = verdicts
        .iter()
        .filter(|verdict| verdict.converted)
        .collect();
    let value = converted
        .iter()
        .filter_map(|verdict| verdict.goal_value)
        .fold(0.0, |sum, value| sum + value);
    Conversions {
        count: converted.len() as u64,
        rate: share(converted.len() as u64, verdicts.len() as u64),
        value: (value * 100.0).round() / 100.0,
    }
}

fn csat(counted: &[&Verdict]) -> Csat {
    let rated: Vec<(u8, bool)> = counted
        .iter()
        .filter_map(|verdict| Some((verdict.facts.rating?, verdict.facts.agent_replies > 0)))
        .collect();
    let mut distribution = [0_u64; 5];
    for (score, _) in &rated {
        if let Some(slot) = distribution.get_mut(usize::from(score.clamp(&1, &5) - 1)) {
            *slot += 1;
        }
    }
    let part = |with_person: bool| {
        let scores: Vec<u8> = rated
            .iter()
            .filter(|(_, person)| *person == with_person)
            .map(|(score, _)| *score)
            .collect();
        CsatPart {
            responses: scores.len() as u64,
            mean: mean(scores.into_iter()),
        }
    };
    Csat {
        responses: rated.len() as u64,
        mean: mean(rated.iter().map(|(score, _)| *score)),
        response_rate: share(
            rated.len() as u64,
            count(counted, |verdict| verdict.rating_offered),
        ),
        distribution,
        ai_only: part(false),
        with_person: part(true),
    }
}

fn owned(counts: BTreeMap<&str, u64>) -> BTreeMap<String, u64> {
    counts
        .into_iter()
        .map(|(key, count)| (key.to_owned(), count))
        .collect()
}

/// Keys by how often they occur, most first (ties by key), at most `top`.
fn ranked<'k>(keys: impl Iterator<Item = &'k str>, top: usize) -> Vec<Count> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(top)
        .map(|(key, count)| Count {
            key: key.to_owned(),
            count,
        })
        .collect()
}

/// The page a conversation started on, without its query or fragment (which carry ids and tokens).
fn pages(counted: &[&Verdict]) -> Vec<Count> {
    ranked(
        counted.iter().filter_map(|verdict| {
            let url = verdict.facts.page_url.as_deref()?;
            // Bytes, not chars: both marks are ASCII, and a month's pages are thousands of URLs.
            let end = url
                .bytes()
                .position(|byte| byte == b'?' || byte == b'#')
                .unwrap_or(url.len());
            Some(&url[..end])
        }),
        TOP,
    )
}

/// A question's key: case, spacing and final punctuation folded, so "Do you ship to Spain?" and "do you ship to
/// spain" are one question.
fn question_key(question: &str) -> String {
    let words: Vec<&str> = question.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches(['?', '!', '.', ' '])
        .to_lowercase()
}

fn unanswered(counted: &[&Verdict]) -> Vec<Unanswered> {
    let mut questions: BTreeMap<String, Unanswered> = BTreeMap::new();
    // Newest first: each question is shown as last asked, with its latest conversations.
    let mut asked: Vec<&&Verdict> = counted
        .iter()
        .filter(|verdict| !verdict.facts.unanswered.is_empty())
        .collect();
    asked.sort_by(|a, b| super::newest_first(a, b));
    for verdict in asked {
        for question in &verdict.facts.unanswered {
            let key = question_key(question);
            if key.is_empty() {
                continue;
            }
            let entry = questions.entry(key).or_insert_with(|| Unanswered {
                question: question.split_whitespace().collect::<Vec<_>>().join(" "),
                ..Unanswered::default()
            });
            entry.count += 1;
            let id = &verdict.facts.conversation_id;
            // A conversation's questions come together, so its id is the last one listed if it is listed at all.
            if entry.conversation_ids.len() < TOP && entry.conversation_ids.last() != Some(id) {
                entry.conversation_ids.push(id.clone());
            }
        }
    }
    let mut list: Vec<Unanswered> = questions.into_values().collect();
    list.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.question.cmp(&b.question))
    });
    list.truncate(TOP);
    list
}
