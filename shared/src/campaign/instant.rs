//! A campaign schedule's instants (`schedule.starts`, `schedule.ends`): RFC 3339 text to milliseconds since the Unix
//! epoch. Written by hand so that the widget, which checks schedules on every page view, does not link a date library:
//! jiff's parser alone weighed several kilobytes of every page's download. Validation uses the same function, so what
//! the studio accepts is exactly what the widget understands.
//!
//! Accepted: `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or an offset `±HH:MM` (`T`, `Z` in either case, or a
//! space for `T`). Years 0000–9999; a leap second (`:60`) is not accepted.

/// Milliseconds since 1970-01-01T00:00:00Z of `text`, or `None` when it is not such an instant.
pub fn parse_instant_ms(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let mut at = Cursor { bytes, index: 0 };
    let year = at.digits(4)?;
    at.expect(b'-')?;
    let month = at.digits(2)?;
    at.expect(b'-')?;
    let day = at.digits(2)?;
    if !matches!(at.next()?, b'T' | b't' | b' ') {
        return None;
    }
    let hour = at.digits(2)?;
    at.expect(b':')?;
    let minute = at.digits(2)?;
    let mut second = 0;
    let mut millis = 0;
    if at.peek() == Some(b':') {
        at.index += 1;
        second = at.digits(2)?;
        if at.peek() == Some(b'.') {
            at.index += 1;
            let start = at.index;
            while at.peek().is_some_and(|byte| byte.is_ascii_digit()) {
                at.index += 1;
            }
            let fraction = &bytes[start..at.index];
            if fraction.is_empty() || fraction.len() > 9 {
                return None;
            }
            millis = fraction
                .iter()
                .chain(b"00".iter())
                .take(3)
                .fold(0, |sum, digit| sum * 10 + i64::from(digit - b'0'));
        }
    }
    let offset_minutes = match at.next()? {
        b'Z' | b'z' => 0,
        sign @ (b'+' | b'-') => {
            let hours = at.digits(2)?;
            at.expect(b':')?;
            let minutes = at.digits(2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 60 + minutes;
            if sign == b'-' { -offset } else { offset }
        }
        _ => return None,
    };
    if at.index != bytes.len()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    index: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.index).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.index += 1;
        Some(byte)
    }

    fn expect(&mut self, wanted: u8) -> Option<()> {
        (self.next()? == wanted).then_some(())
    }

    /// Exactly `count` ASCII digits as a number.
    fn digits(&mut self, count: usize) -> Option<i64> {
        let mut value = 0;
        for _ in 0..count {
            let byte = self.next()?;
            if !byte.is_ascii_digit() {
                return None;
            }
            value = value * 10 + i64::from(byte - b'0');
        }
        Some(value)
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::parse_instant_ms;

    #[test]
    fn instants_and_non_instants() {
        let cases = [
            "1970-01-01T00:00:00Z",
            "2026-12-01T00:00:00Z",
            "2026-12-01t00:00:00z",
            "2026-12-01 00:00Z",
            "2026-12-01T09:30:00+09:30",
            "2026-12-01T00:00:00-05:00",
            "2024-02-29T12:00:00.5Z",
            "2024-02-29T12:00:00.123456789Z",
            "1969-12-31T23:59:59.999Z",
            "0000-01-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-31T23:59:60Z",
            "2026-12-01T00:00:00",
            "2026-12-01",
            "2026-12-01T00:00:00.Z",
            "2026-12-01T00:00:00.1234567890Z",
            "2026-12-01T00:00:00+0100",
            "2026-12-01T00:00:00Z ",
            "26-12-01T00:00:00Z",
            "",
        ];
        let got: String = cases
            .iter()
            .map(|case| format!("{case:?} → {:?}\n", parse_instant_ms(case)))
            .collect();
        expect![[r#"
            "1970-01-01T00:00:00Z" → Some(0)
            "2026-12-01T00:00:00Z" → Some(1796083200000)
            "2026-12-01t00:00:00z" → Some(1796083200000)
            "2026-12-01 00:00Z" → Some(1796083200000)
            "2026-12-01T09:30:00+09:30" → Some(1796083200000)
            "2026-12-01T00:00:00-05:00" → Some(1796101200000)
            "2024-02-29T12:00:00.5Z" → Some(1709208000500)
            "2024-02-29T12:00:00.123456789Z" → Some(1709208000123)
            "1969-12-31T23:59:59.999Z" → Some(-1)
            "0000-01-01T00:00:00Z" → Some(-62167219200000)
            "2023-02-29T00:00:00Z" → None
            "2026-13-01T00:00:00Z" → None
            "2026-12-01T24:00:00Z" → None
            "2026-12-31T23:59:60Z" → None
            "2026-12-01T00:00:00" → None
            "2026-12-01" → None
            "2026-12-01T00:00:00.Z" → None
            "2026-12-01T00:00:00.1234567890Z" → None
            "2026-12-01T00:00:00+0100" → None
            "2026-12-01T00:00:00Z " → None
            "26-12-01T00:00:00Z" → None
            "" → None
        "#]]
        .assert_eq(&got);
    }

    /// Every instant this parser accepts means what jiff says it means, over generated valid instants.
    #[cfg(not(target_arch = "wasm32"))]
    mod against_jiff {
        use proptest::prelude::*;

        use super::super::parse_instant_ms;

        proptest! {
            #[test]
            fn agrees_with_jiff(
                year in 1i64..=9998, month in 1i64..=12, day in 1i64..=31, hour in 0i64..=23, minute in 0i64..=59,
                second in 0i64..=59, millis in 0i64..=999, offset in -1439i64..=1439,
            ) {
                let sign = if offset < 0 { '-' } else { '+' };
                let text = format!(
                    "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}{sign}{:02}:{:02}",
                    offset.abs() / 60, offset.abs() % 60,
                );
                let ours = parse_instant_ms(&text);
                let theirs = text.parse::<jiff::Timestamp>().ok().map(|at| at.as_millisecond());
                prop_assert_eq!(ours, theirs, "{}", text);
            }
        }
    }
}
