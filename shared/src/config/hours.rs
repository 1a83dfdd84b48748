//! Business hours: a weekly schedule of opening intervals in the site's timezone, holidays when it is closed, and
//! dates with other hours than their weekday's (`overrides`).

use serde::{Deserialize, Serialize};

/// When people are there to answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    #[serde(default)]
    pub mon: Vec<Interval>,
    #[serde(default)]
    pub tue: Vec<Interval>,
    #[serde(default)]
    pub wed: Vec<Interval>,
    #[serde(default)]
    pub thu: Vec<Interval>,
    #[serde(default)]
    pub fri: Vec<Interval>,
    #[serde(default)]
    pub sat: Vec<Interval>,
    #[serde(default)]
    pub sun: Vec<Interval>,
    /// Days closed all day, as `YYYY-MM-DD` in the site's timezone.
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// Dates with other hours than their weekday's (a late opening, a short day before a holiday); they win over
    /// the weekly schedule and the holidays. An override without intervals closes the day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<DateOverride>,
}

/// One date's own hours, `YYYY-MM-DD` in the site's timezone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateOverride {
    pub date: String,
    /// Why, for the people who edit it ("Christmas Eve").
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub intervals: Vec<Interval>,
}

/// One opening interval of a day, `"09:00"` to `"17:30"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub date: String,
    #[serde(default)]
    pub name: String,
}

impl BusinessHours {
    /// The schedule of each weekday, Monday first, with its field name.
    pub fn days(&self) -> [(&'static str, &[Interval]); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }

    /// Whether no day has any opening: such a site is never "after hours", it has no hours at all.
    pub fn is_empty(&self) -> bool {
        self.days()
            .iter()
            .all(|(_, intervals)| intervals.is_empty())
    }
}

/// Minutes since midnight of `"HH:MM"` (`"24:00"` allowed as the end of a day).
pub fn parse_time(text: &str) -> Result<u16, String> {
    let problem = || format!("\"{text}\" must be a time HH:MM between 00:00 and 24:00");
    let (hours, minutes) = text.split_once(':').ok_or_else(problem)?;
    if hours.len() != 2 || minutes.len() != 2 {
        return Err(problem());
    }
    let hours: u16 = hours.parse().map_err(|_| problem())?;
    let minutes: u16 = minutes.parse().map_err(|_| problem())?;
    if minutes >= 60 || hours > 24 || (hours == 24 && minutes > 0) {
        return Err(problem());
    }
    Ok(hours * 60 + minutes)
}

/// `(year, month, day)` of a `"YYYY-MM-DD"` date.
pub fn parse_date(text: &str) -> Result<(i16, i8, i8), String> {
    let problem = || format!("\"{text}\" must be a date YYYY-MM-DD");
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(problem());
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return Err(problem());
    }
    let year: i16 = year.parse().map_err(|_| problem())?;
    let month: i8 = month.parse().map_err(|_| problem())?;
    let day: i8 = day.parse().map_err(|_| problem())?;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return Err(problem()),
    };
    if day < 1 || day > days_in_month {
        return Err(problem());
    }
    Ok((year, month, day))
}
