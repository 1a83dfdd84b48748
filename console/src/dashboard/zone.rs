//! Instants in the site's time zone, where the report cuts its days and hours, through the browser's `Intl`: the
//! weekday and hour of a heatmap slot, and when a listed conversation started. A time zone the browser does not
//! know falls back to the browser's own.

use js_sys::{Array, Function, Intl::DateTimeFormat, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

pub struct Zone {
    slot: DateTimeFormat,
    stamp: DateTimeFormat,
}

impl Zone {
    pub fn new(timezone: &str) -> Zone {
        Zone {
            slot: formatter(
                timezone,
                &[
                    ("weekday", "short"),
                    ("hour", "numeric"),
                    ("hourCycle", "h23"),
                ],
            ),
            stamp: formatter(
                timezone,
                &[
                    ("weekday", "short"),
                    ("day", "numeric"),
                    ("month", "short"),
                    ("hour", "2-digit"),
                    ("minute", "2-digit"),
                    ("hourCycle", "h23"),
                ],
            ),
        }
    }

    /// The weekday (0 is Monday) and hour of `at_ms`.
    pub fn slot(&self, at_ms: u64) -> Option<(u8, u8)> {
        let parts = self.slot.format_to_parts(&date(at_ms));
        let (mut weekday, mut hour) = (None, None);
        for part in parts.iter() {
            let field = |name: &str| {
                Reflect::get(&part, &JsValue::from_str(name))
                    .ok()
                    .and_then(|value| value.as_string())
            };
            match field("type").as_deref() {
                Some("weekday") => {
                    weekday = field("value").and_then(|value| {
                        super::format::WEEKDAYS
                            .iter()
                            .position(|known| *known == value)
                    });
                }
                Some("hour") => hour = field("value").and_then(|value| value.parse::<u8>().ok()),
                _ => {}
            }
        }
        Some((weekday? as u8, hour? % 24))
    }

    /// "Mon 2 Nov, 14:05".
    pub fn stamp(&self, at_ms: u64) -> String {
        self.stamp
            .format()
            .call1(&JsValue::NULL, &date(at_ms))
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default()
    }
}

fn date(at_ms: u64) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(at_ms as f64))
}

/// An English `Intl.DateTimeFormat` in `timezone` (or the browser's, when it refuses that one).
fn formatter(timezone: &str, fields: &[(&str, &str)]) -> DateTimeFormat {
    let make = |timezone: Option<&str>| -> Option<DateTimeFormat> {
        let options = Object::new();
        for (name, value) in fields {
            Reflect::set(&options, &(*name).into(), &(*value).into()).ok()?;
        }
        if let Some(timezone) = timezone {
            Reflect::set(&options, &"timeZone".into(), &timezone.into()).ok()?;
        }
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let constructor: Function = Reflect::get(&intl, &"DateTimeFormat".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let arguments = Array::of2(&"en-GB".into(), &options);
        Reflect::construct(&constructor, &arguments)
            .ok()
            .map(JsCast::unchecked_into)
    };
    make(Some(timezone))
        .or_else(|| make(None))
        .unwrap_or_else(|| DateTimeFormat::new(&Array::new(), &Object::new()))
}
