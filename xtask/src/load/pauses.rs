//! Where the latency tail under load comes from: queueing (every visitor a little slower) or pauses, stretches
//! during which no answer at all arrives while visitors wait, so that every message in flight takes the pause on
//! top of its own time. The message benchmark prints both for each run under load.

use std::time::Duration;

/// A stretch with no answer shorter than this is the ordinary spacing of answers (at 500 messages/s with 32
/// visitors one arrives every 2 ms), not a pause.
pub const PAUSE: Duration = Duration::from_millis(50);

/// One message of a run, on the run's clock: when it was sent and when its answer arrived.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub sent: Duration,
    pub answered: Duration,
}

impl Span {
    /// The message's round trip.
    pub fn round_trip(&self) -> Duration {
        self.answered - self.sent
    }
}

/// What a run's pauses were: how many, the longest, their total, and how many of the run's slowest 1% of messages
/// waited through one.
#[derive(Debug, PartialEq)]
pub struct Pauses {
    pub count: usize,
    pub longest: Duration,
    pub total: Duration,
    pub slowest: usize,
    pub slowest_in_a_pause: usize,
}

/// The pauses of `spans`: the stretches of at least [`PAUSE`] between two consecutive answers while at least one
/// message was waiting (sent before the stretch began).
pub fn pauses(spans: &[Span]) -> Pauses {
    let mut answers: Vec<Duration> = spans.iter().map(|span| span.answered).collect();
    answers.sort();
    let stretches: Vec<(Duration, Duration)> = answers
        .windows(2)
        .map(|pair| (pair[0], pair[1]))
        .filter(|(from, to)| *to - *from >= PAUSE)
        .filter(|(from, _)| {
            spans
                .iter()
                .any(|span| span.sent <= *from && span.answered > *from)
        })
        .collect();
    let mut by_latency: Vec<&Span> = spans.iter().collect();
    by_latency.sort_by_key(|span| std::cmp::Reverse(span.round_trip()));
    let slowest = spans.len().div_ceil(100);
    let slowest_in_a_pause = by_latency[..slowest]
        .iter()
        .filter(|span| {
            stretches
                .iter()
                .any(|(from, to)| span.sent <= *from && span.answered >= *to)
        })
        .count();
    Pauses {
        count: stretches.len(),
        longest: stretches
            .iter()
            .map(|(from, to)| *to - *from)
            .max()
            .unwrap_or_default(),
        total: stretches.iter().map(|(from, to)| *to - *from).sum(),
        slowest,
        slowest_in_a_pause,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    fn span(sent_ms: u64, answered_ms: u64) -> Span {
        Span {
            sent: Duration::from_millis(sent_ms),
            answered: Duration::from_millis(answered_ms),
        }
    }

    #[test]
    fn a_stretch_without_answers_while_messages_wait_is_a_pause() {
        // Answers every 2 ms, then none from 200 ms to 320 ms while four messages wait, then every 2 ms again.
        let mut spans: Vec<Span> = (0..100).map(|n| span(n * 2, n * 2 + 10)).collect();
        spans.extend((0..4).map(|n| span(190 + n, 320)));
        spans.extend((0..60).map(|n| span(330 + n * 2, 340 + n * 2)));
        expect![[r#"
            Pauses {
                count: 1,
                longest: 112ms,
                total: 112ms,
                slowest: 2,
                slowest_in_a_pause: 2,
            }"#]]
        .assert_eq(&format!("{:#?}", pauses(&spans)));
    }

    #[test]
    fn a_stretch_when_nobody_waits_and_short_gaps_are_no_pause() {
        // 40 ms gaps between answers, and a 100 ms stretch when nothing was sent: no pause.
        let mut spans: Vec<Span> = (0..10).map(|n| span(n * 40, n * 40 + 5)).collect();
        spans.push(span(500, 505));
        expect![[r#"
            Pauses {
                count: 0,
                longest: 0ns,
                total: 0ns,
                slowest: 1,
                slowest_in_a_pause: 0,
            }"#]]
        .assert_eq(&format!("{:#?}", pauses(&spans)));
    }
}
