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

fn intervals(config: &SiteConfig, date: Date) -> &[Interval] {
    let hours = &config.business_hours;
    let holiday = hours.holidays.iter().any(|holiday| {
        parse_date(&holiday.date)
            .is_ok_and(|(y, m, d)| (y, m, d) == (date.year(), date.month(), date.day()))
    });
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
