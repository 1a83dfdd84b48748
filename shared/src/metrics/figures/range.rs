//! A report's dates: `from` and `to` (both included) as instants in the site's timezone, the intervals of the
//! series, and the weekday and hour of an instant there.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::protocol::metrics::{Interval, MetricsQuery};

/// The instants a report covers: from the start of `from` to the start of the day after `to`, in the site's
/// timezone (so a day is 23 or 25 hours on the days clocks change).
#[derive(Debug, Clone)]
pub struct Range {
    pub from: String,
    pub to: String,
    /// The start of `from` (ms since the epoch), included.
    pub start_ms: u64,
    /// The start of the day after `to`, excluded.
    pub end_ms: u64,
    pub interval: Interval,
    timezone: TimeZone,
    from_date: Date,
    to_date: Date,
}

impl Range {
    /// The range of a checked query (`MetricsQuery::from_pairs`) in `timezone` (an IANA name; UTC when unknown,
    /// which a validated site never has). `None` only for dates out of jiff's range.
    pub fn new(query: &MetricsQuery, timezone: &str) -> Option<Range> {
        let timezone = TimeZone::get(timezone).unwrap_or(TimeZone::UTC);
        let from_date: Date = query.from.parse().ok()?;
        let to_date: Date = query.to.parse().ok()?;
        let start_ms = day_start(from_date, &timezone)?;
        let end_ms = day_start(to_date.tomorrow().ok()?, &timezone)?;
        Some(Range {
            from: query.from.clone(),
            to: query.to.clone(),
            start_ms,
            end_ms,
            interval: query.interval,
            timezone,
            from_date,
            to_date,
        })
    }

    pub fn contains(&self, at_ms: u64) -> bool {
        (self.start_ms..self.end_ms).contains(&at_ms)
    }

    fn local(&self, at_ms: u64) -> Option<Zoned> {
        let at = Timestamp::from_millisecond(i64::try_from(at_ms).ok()?).ok()?;
        Some(at.to_zoned(self.timezone.clone()))
    }

    /// The first day of the series' first interval: `from`, or the Monday on or before it for weeks.
    fn first_day(&self) -> Date {
        match self.interval {
            Interval::Day => self.from_date,
            Interval::Week => {
                let back = i64::from(self.from_date.weekday().to_monday_zero_offset());
                self.from_date
                    .checked_sub(jiff::Span::new().days(back))
                    .unwrap_or(self.from_date)
            }
        }
    }

    fn interval_days(&self) -> i32 {
        match self.interval {
            Interval::Day => 1,
            Interval::Week => 7,
        }
    }

    /// The first day (`YYYY-MM-DD`) of each interval of the series, in order.
    pub fn interval_starts(&self) -> Vec<String> {
        let mut starts = Vec::new();
        let mut day = self.first_day();
        while day <= self.to_date {
            starts.push(day.to_string());
            match day.checked_add(jiff::Span::new().days(self.interval_days())) {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        starts
    }

    /// Where `at_ms` (an instant in the range) falls in the site's timezone: the index of the series' interval
    /// holding it, its weekday (0 for Monday) and its hour.
    pub fn place(&self, at_ms: u64) -> Option<(usize, usize, usize)> {
        let local = self.local(at_ms)?;
        let days = self.first_day().until(local.date()).ok()?.get_days();
        let interval = usize::try_from(days / self.interval_days()).ok()?;
        let weekday = usize::try_from(local.weekday().to_monday_zero_offset()).ok()?;
        Some((interval, weekday, usize::try_from(local.hour()).ok()?))
    }
}

fn day_start(date: Date, timezone: &TimeZone) -> Option<u64> {
    let zoned = date.to_zoned(timezone.clone()).ok()?;
    u64::try_from(zoned.timestamp().as_millisecond()).ok()
}
