//! The studio's working copy of a configuration: a JSON value edited in place at field paths written as validation
//! writes them (`faq[2].answer`, `business_hours.mon[0].opens`), so that a field, its value and its problems share
//! one key. Plain functions on `serde_json::Value`, unit-tested natively.

use serde_json::{Map, Value};

/// One step of a field path: an object's key or a list's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The steps of `faq[2].links[0].url`; `None` for a path that is not written that way.
pub fn steps(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if key.is_empty() && steps.is_empty() {
            return None;
        }
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']')?;
            steps.push(Step::Index(inner[..close].parse().ok()?));
            rest = &inner[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// The value at `path`, if there is one.
pub fn get<'a>(document: &'a Value, path: &str) -> Option<&'a Value> {
    steps(path)?
        .iter()
        .try_fold(document, |value, step| match step {
            Step::Key(key) => value.get(key.as_str()),
            Step::Index(index) => value.get(*index),
        })
}

/// The text at `path` (a number or boolean written out; empty when absent or null).
pub fn text(document: &Value, path: &str) -> String {
    match get(document, path) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The list at `path`'s length (0 when absent).
pub fn len(document: &Value, path: &str) -> usize {
    get(document, path)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// Sets the value at `path`, making the objects on the way; `Value::Null` removes an object's key instead (optional
/// fields are left out rather than written as `null`). A path into a list past its end does nothing.
pub fn set(document: &mut Value, path: &str, value: Value) {
    let Some(steps) = steps(path) else {
        return;
    };
    let Some((last, parents)) = steps.split_last() else {
        return;
    };
    let mut at = document;
    for step in parents {
        at = match step {
            Step::Key(key) => {
                if !at.is_object() {
                    *at = Value::Object(Map::new());
                }
                let Value::Object(object) = at else {
                    return;
                };
                object.entry(key.clone()).or_insert(Value::Null)
            }
            Step::Index(index) => match at.get_mut(*index) {
                Some(item) => item,
                None => return,
            },
        };
        if at.is_null() {
            *at = Value::Object(Map::new());
        }
    }
    match last {
        Step::Key(key) => {
            if !at.is_object() {
                *at = Value::Object(Map::new());
            }
            if let Value::Object(object) = at {
                if value.is_null() {
                    object.remove(key);
                } else {
                    object.insert(key.clone(), value);
                }
            }
        }
        Step::Index(index) => {
            if let Some(item) = at.get_mut(*index) {
                *item = value;
            }
        }
    }
}

/// Appends `item` to the list at `path` (making the list when absent).
pub fn push(document: &mut Value, path: &str, item: Value) {
    let mut list = get(document, path)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.push(item);
    set(document, path, Value::Array(list));
}

/// Removes item `index` of the list at `path`.
pub fn remove(document: &mut Value, path: &str, index: usize) {
    if let Some(Value::Array(list)) = get_mut(document, path)
        && index < list.len()
    {
        list.remove(index);
    }
}

/// Swaps item `index` of the list at `path` with the one before it (`up`) or after it.
pub fn shift(document: &mut Value, path: &str, index: usize, up: bool) {
    if let Some(Value::Array(list)) = get_mut(document, path) {
        let other = if up {
            index.checked_sub(1)
        } else {
            Some(index + 1)
        };
        if let Some(other) = other.filter(|other| *other < list.len())
            && index < list.len()
        {
            list.swap(index, other);
        }
    }
}

fn get_mut<'a>(document: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    steps(path)?
        .iter()
        .try_fold(document, |value, step| match step {
            Step::Key(key) => value.get_mut(key.as_str()),
            Step::Index(index) => value.get_mut(*index),
        })
}

/// `path` as an element id: `faq[2].answer` → `field-faq-2-answer`.
pub fn field_id(path: &str) -> String {
    let mut id = String::from("field-");
    for character in path.chars() {
        match character {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => id.push(character),
            ']' => {}
            _ => id.push('-'),
        }
    }
    id
}
