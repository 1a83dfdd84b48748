//! Calendar days for the report ranges and the chart's labels, written `YYYY-MM-DD` as the API takes them: a count
//! of days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`). A few lines
//! here instead of a date library, whose parsing and formatting would weigh on the console's download.

use std::fmt;

/// One calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(i64);

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Day {
    /// 1970-01-01.
    pub const EPOCH: Day = Day(0);

    /// The day, when it exists (`2026-02-30` does not).
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Day> {
        let date = Day(days_from_civil(year, month, day));
        (month >= 1 && day >= 1 && date.ymd() == (year, month, day)).then_some(date)
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next().filter(|part| part.len() == 4)?;
        let month = parts.next().filter(|part| part.len() == 2)?;
        let day = parts.next().filter(|part| part.len() == 2)?;
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if !(digits(year) && digits(month) && digits(day)) {
            return None;
        }
        Day::from_ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// Year, month (1–12) and day of the month.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// `days` later (earlier when negative).
    pub fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Days from `earlier` to this day.
    pub fn since(self, earlier: Day) -> i64 {
        self.0 - earlier.0
    }

    /// The first day of this day's month.
    pub fn first_of_month(self) -> Day {
        let (year, month, _) = self.ymd();
        Day(days_from_civil(year, month, 1))
    }

    /// "25 Nov", for the chart's axis.
    pub fn short(self) -> String {
        let (_, month, day) = self.ymd();
        format!("{day} {}", MONTHS[(month - 1) as usize % 12])
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
