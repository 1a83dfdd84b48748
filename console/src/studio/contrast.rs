//! WCAG 2 contrast between the theme colour and the white text the widget writes on it: AA asks at least 4.5:1 for
//! normal text.

/// The contrast ratio of two `#rrggbb` colours (1 to 21), `None` when one is not written that way.
pub fn ratio(first: &str, second: &str) -> Option<f64> {
    let (first, second) = (luminance(first)?, luminance(second)?);
    let (light, dark) = if first > second {
        (first, second)
    } else {
        (second, first)
    };
    Some((light + 0.05) / (dark + 0.05))
}

/// The ratio AA asks of normal text.
pub const AA: f64 = 4.5;

fn luminance(colour: &str) -> Option<f64> {
    let hex = colour.strip_prefix('#').filter(|hex| hex.len() == 6)?;
    let channel = |at: usize| -> Option<f64> {
        let value = f64::from(u8::from_str_radix(hex.get(at..at + 2)?, 16).ok()?) / 255.0;
        Some(if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}
