//! Putting a draft's own changes on top of a version someone else published meanwhile: a three-way merge of JSON
//! configurations (the draft's base, the draft, their newer version), for the studio's answer to a 409 on publish.
//!
//! The rules follow [`super::diff`]'s: objects key by key; lists whose items all have a distinct `id` item by item,
//! matched by `id` (an entry they added and one the draft added both stay; one removed on one side and untouched on
//! the other goes); other lists and scalars as one value. Where only one side changed a field, that change is
//! taken; where both changed the same field path differently, the draft's value is kept and the path is listed as
//! a [`Conflict`], so the admin sees exactly which of their edits would replace someone else's. A list item's path
//! is its index in the merged list.

use super::diff::ids;
use serde_json::{Map, Value};

/// A field path both sides changed differently: what it was, the draft's value (kept) and theirs (replaced).
/// `None` stands for "absent" (removed, or never there).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub path: String,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
}

/// The merged configuration and the paths where the draft's value replaced theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub config: Value,
    pub conflicts: Vec<Conflict>,
}

/// The draft `ours`, started from `base`, rebased onto `theirs` (published since `base`).
pub fn merge(base: &Value, ours: &Value, theirs: &Value) -> Merged {
    let mut conflicts = Vec::new();
    let config =
        merge_at("", Some(base), Some(ours), Some(theirs), &mut conflicts).unwrap_or(Value::Null);
    Merged { config, conflicts }
}

/// The merged value at `path` (`None`: absent), each side `None` where the field is absent.
fn merge_at(
    path: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    if ours == theirs || theirs == base {
        return ours.cloned();
    }
    if ours == base {
        return theirs.cloned();
    }
    match (base, ours, theirs) {
        (base, Some(Value::Object(ours)), Some(Value::Object(theirs))) => {
            let empty = Map::new();
            let base = base.and_then(Value::as_object).unwrap_or(&empty);
            Some(Value::Object(merge_objects(
                path, base, ours, theirs, conflicts,
            )))
        }
        (base, Some(Value::Array(ours)), Some(Value::Array(theirs))) => {
            let none = Vec::new();
            let base = base.and_then(Value::as_array).unwrap_or(&none);
            match (ids(base), ids(ours), ids(theirs)) {
                (Some(_), Some(_), Some(_)) => Some(Value::Array(merge_by_id(
                    path, base, ours, theirs, conflicts,
                ))),
                _ => conflict(
                    path,
                    Some(&Value::Array(base.clone())),
                    Some(&Value::Array(ours.clone())),
                    Some(&Value::Array(theirs.clone())),
                    conflicts,
                ),
            }
        }
        _ => conflict(path, base, ours, theirs, conflicts),
    }
}

/// Both changed `path` differently: the draft's value is kept.
fn conflict(
    path: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    conflicts.push(Conflict {
        path: path.to_string(),
        base: base.cloned(),
        ours: ours.cloned(),
        theirs: theirs.cloned(),
    });
    ours.cloned()
}

fn merge_objects(
    path: &str,
    base: &Map<String, Value>,
    ours: &Map<String, Value>,
    theirs: &Map<String, Value>,
    conflicts: &mut Vec<Conflict>,
) -> Map<String, Value> {
    let mut keys: Vec<&String> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    keys.sort();
    keys.dedup();
    let mut merged = Map::new();
    for key in keys {
        let child = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if let Some(value) = merge_at(
            &child,
            base.get(key),
            ours.get(key),
            theirs.get(key),
            conflicts,
        ) {
            merged.insert(key.clone(), value);
        }
    }
    merged
}

/// Lists of items with ids: their order, then the draft's new items in its order; each item merged by id.
fn merge_by_id(
    path: &str,
    base: &[Value],
    ours: &[Value],
    theirs: &[Value],
    conflicts: &mut Vec<Conflict>,
) -> Vec<Value> {
    let find = |items: &'_ [Value], id: &Value| -> Option<Value> {
        items
            .iter()
            .find(|item| item.get("id") == Some(id))
            .cloned()
    };
    let mut order: Vec<Value> = theirs
        .iter()
        .filter_map(|item| item.get("id").cloned())
        .collect();
    for item in ours {
        if let Some(id) = item.get("id")
            && !order.contains(id)
        {
            order.push(id.clone());
        }
    }
    // Removed by them but still in the draft, untouched or not: merged like the rest (it may be a conflict).
    for item in base {
        if let Some(id) = item.get("id")
            && !order.contains(id)
        {
            order.push(id.clone());
        }
    }
    let mut merged = Vec::new();
    for id in order {
        let (base, ours, theirs) = (find(base, &id), find(ours, &id), find(theirs, &id));
        let at = format!("{path}[{}]", merged.len());
        if let Some(item) = merge_at(
            &at,
            base.as_ref(),
            ours.as_ref(),
            theirs.as_ref(),
            conflicts,
        ) {
            merged.push(item);
        }
    }
    merged
}

#[cfg(test)]
mod tests;
