//! Whether the site is open at an instant, and when it next opens, in the site's timezone.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::config::{Interval, SiteConfig, parse_date, parse_time};

/// How far ahead to look for the next opening.
const LOOKAHEAD_DAYS: i64 = 31;

fn site_now(config: &SiteConfig, now_ms: u64) -> Option<Zoned> {
    zoned(&config.timezone, now_ms)
}

/// `at_ms` in an IANA timezone; `None` for an unknown zone or an instant out of range.
fn zoned(timezone: &str, at_ms: u64) -> Option<Zoned> {
    let tz = TimeZone::get(timezone).ok()?;
    let at = Timestamp::from_millisecond(i64::try_from(at_ms).ok()?).ok()?;
    Some(at.to_zoned(tz))
}

/// The opening intervals of a date: its override's if it has one, none on a holiday, else its weekday's.
fn intervals(config: &SiteConfig, date: Date) -> &[Interval] {
    let hours = &config.business_hours;
    let is = |text: &str| {
        parse_date(text).is_ok_and(|(y, m, d)| (y, m, d) == (date.year(), date.month(), date.day()))
    };
    if let Some(special) = hours.overrides.iter().find(|special| is(&special.date)) {
        return &special.intervals;
    }
    let holiday = hours.holidays.iter().any(|holiday| is(&holiday.date));
    if holiday {
        return &[];
    }
    match date.weekday() {
        Weekday::Monday => &hours.mon,
        Weekday::Tuesday => &hours.tue,
        Weekday::Wednesday => &hours.wed,
        Weekday::Thursday => &hours.thu,
        Weekday::Friday => &hours.fri,
        Weekday::Saturday => &hours.sat,
        Weekday::Sunday => &hours.sun,
    }
}

/// Whether `now_ms` falls inside an opening interval. A site with an unknown timezone counts as closed.
pub fn is_open(config: &SiteConfig, now_ms: u64) -> bool {
    let Some(now) = site_now(config, now_ms) else {
        return false;
    };
    let minute = i32::from(now.hour()) * 60 + i32::from(now.minute());
    intervals(config, now.date()).iter().any(|interval| {
        matches!((parse_time(&interval.opens), parse_time(&interval.closes)),
            (Ok(opens), Ok(closes)) if (i32::from(opens)..i32::from(closes)).contains(&minute))
    })
}

/// The next instant (ms since the epoch) an interval opens after `now_ms`, within a month.
pub fn next_opening(config: &SiteConfig, now_ms: u64) -> Option<u64> {
    let now = site_now(config, now_ms)?;
    let today = now.date();
    for offset in 0..LOOKAHEAD_DAYS {
        let date = today.checked_add(jiff::Span::new().days(offset)).ok()?;
        let mut opens: Vec<u16> = intervals(config, date)
            .iter()
            .filter_map(|interval| parse_time(&interval.opens).ok())
            .collect();
        opens.sort_unstable();
        for minute in opens {
            let time = jiff::civil::time(
                i8::try_from(minute / 60).ok()?,
                i8::try_from(minute % 60).ok()?,
                0,
                0,
            );
            let zoned = date
                .to_datetime(time)
                .to_zoned(now.time_zone().clone())
                .ok()?;
            if zoned.timestamp() > now.timestamp() {
                return u64::try_from(zoned.timestamp().as_millisecond()).ok();
            }
        }
    }
    None
}

/// How much of `[from_ms, to_ms)` falls inside business hours, in ms (the metrics' business-hours reply times). A
/// site without hours is always open, so all of it counts; an unknown timezone counts as closed.
pub fn open_ms_between(config: &SiteConfig, from_ms: u64, to_ms: u64) -> u64 {
    if to_ms <= from_ms {
        return 0;
    }
    if config.business_hours.is_empty() {
        return to_ms - from_ms;
    }
    let (Some(from), Some(to)) = (site_now(config, from_ms), site_now(config, to_ms)) else {
        return 0;
    };
    let at = |date: Date, minute: u16| -> Option<u64> {
        let time = jiff::civil::time(
            i8::try_from(minute / 60).ok()?,
            i8::try_from(minute % 60).ok()?,
            0,
            0,
        );
        let zoned = date
            .to_datetime(time)
            .to_zoned(from.time_zone().clone())
            .ok()?;
        u64::try_from(zoned.timestamp().as_millisecond()).ok()
    };
    let mut open_ms = 0;
    let mut date = from.date();
    while date <= to.date() {
        for interval in intervals(config, date) {
            let (Ok(opens), Ok(closes)) =
                (parse_time(&interval.opens), parse_time(&interval.closes))
            else {
                continue;
            };
            // "24:00" closes at the next midnight.
            let closes_at = if closes >= 24 * 60 {
                date.tomorrow().ok().and_then(|next| at(next, 0))
            } else {
                at(date, closes)
            };
            if let (Some(opens_at), Some(closes_at)) = (at(date, opens), closes_at) {
                let start = opens_at.max(from_ms);
                let end = closes_at.min(to_ms);
                open_ms += end.saturating_sub(start);
            }
        }
        let Ok(next) = date.tomorrow() else {
            break;
        };
        date = next;
    }
    open_ms
}

/// `Monday 09:00` in the visitor's timezone (or the site's when the visitor's is unknown), with the zone's name.
pub fn describe(config: &SiteConfig, at_ms: u64, visitor_timezone: Option<&str>) -> Option<String> {
    let at = visitor_timezone
        .and_then(|name| zoned(name, at_ms))
        .or_else(|| zoned(&config.timezone, at_ms))?;
    Some(at.strftime("%A %H:%M").to_string())
}

/// The time at `now_ms` in an IANA timezone, as an agent reads it: `Tue 14:05, Europe/Paris`.
pub fn local_time(timezone: &str, now_ms: u64) -> Option<String> {
    Some(format!(
        "{}, {timezone}",
        zoned(timezone, now_ms)?.strftime("%a %H:%M")
    ))
}
