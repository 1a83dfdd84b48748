//! How the reports write numbers: counts with thousands separators, shares as percentages, durations in words
//! ("1 min 30 s"), ratings out of 5, and "—" wherever there is nothing to measure (never a 0 or NaN that reads as
//! a result). Pure, tested natively.

use baton_shared::intent::Intent;
use baton_shared::vocab::HandoffReason;

/// What is shown when a figure has no data.
pub const NONE: &str = "—";

/// `1,234`.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A count and its noun: "1 rating", "2 ratings".
pub fn counted(value: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(value), if value == 1 { one } else { many })
}

/// A share in [0, 1] of `of` things as a percentage ("42%", "7.5%", "100%"); "—" when there were none to share.
pub fn percent(rate: f64, of: u64) -> String {
    if of == 0 || !rate.is_finite() {
        return NONE.into();
    }
    let percent = rate * 100.0;
    let rounded = (percent * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}%")
    } else {
        format!("{rounded:.1}%")
    }
}

/// A duration in words: "45 s", "1 min 30 s", "12 min", "2 h 05 min", "3 d 4 h"; "—" for none.
pub fn duration(ms: Option<u64>) -> String {
    let Some(ms) = ms else {
        return NONE.into();
    };
    let seconds = (ms + 500) / 1_000;
    let (minutes, hours, days) = (seconds / 60, seconds / 3_600, seconds / 86_400);
    match seconds {
        0..60 => format!("{seconds} s"),
        60..600 if !seconds.is_multiple_of(60) => format!("{minutes} min {} s", seconds % 60),
        60..3_600 => format!("{minutes} min"),
        3_600..86_400 => format!("{hours} h {:02} min", minutes % 60),
        _ => format!("{days} d {} h", hours % 24),
    }
}

/// A mean rating out of 5 ("4.3 / 5"); "—" without ratings.
pub fn rating(mean: Option<f64>) -> String {
    match mean {
        Some(mean) if mean.is_finite() => format!("{mean:.1} / 5"),
        _ => NONE.into(),
    }
}

/// A sum of goal values ("1,250", "12.5").
pub fn value(sum: f64) -> String {
    if !sum.is_finite() {
        return NONE.into();
    }
    let whole = sum.trunc();
    let cents = ((sum - whole) * 100.0).round();
    if cents == 0.0 {
        count(whole as u64)
    } else {
        format!("{}.{:02}", count(whole as u64), cents as u64)
    }
}

/// A handoff reason's snake_case name as agents read it elsewhere in the console ("asked for a person").
pub fn reason(name: &str) -> String {
    serde_json::from_value::<HandoffReason>(serde_json::Value::String(name.into()))
        .map(|reason| reason.label().to_string())
        .unwrap_or_else(|_| name.replace('_', " "))
}

/// An intent's snake_case name, capitalised ("Billing").
pub fn intent(name: &str) -> String {
    let name = Intent::from_name(name).map_or(name.to_string(), |intent| intent.name().to_string());
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A team's name from its id (the id itself for a team the site no longer has; "No team" for `""`).
pub fn team(id: &str, teams: &[(String, String)]) -> String {
    if id.is_empty() {
        return "No team".into();
    }
    teams
        .iter()
        .find(|(known, _)| known == id)
        .map_or_else(|| id.to_string(), |(_, name)| name.clone())
}

/// The weekdays of the heatmap's rows, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
