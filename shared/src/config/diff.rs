//! What changed between two configurations, field by field, for the history's diff (`GET …/config/diff`) and the
//! studio: paths written as validation writes them (`faq[2].answer`, `teams[0].reply_minutes`), so a change and a
//! problem at the same place read the same.
//!
//! The rules: objects are compared key by key; a list whose items all have a distinct `id` is compared item by
//! item, matched by `id` (an FAQ entry moved is not a change of every entry after it), each at its index in the newer
//! configuration (the older one for a removal); other lists of objects or lists are compared by position; a scalar,
//! or a list of scalars, that differs is one `changed`. A whole item added or removed is one change, not one per
//! field. Works on any JSON, so a draft with problems can be compared too.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What happened at one field path between two configurations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One change: `faq[2].answer` changed from … to …. Paths are written as validation writes them (`faq[2].answer`,
/// `hours.weekly.mon[0].start`); list items that have an `id` are matched by it (an FAQ entry moved is not a
/// change of every entry after it), at their index in the newer configuration (the older one for removals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigChange {
    pub path: String,
    pub kind: ChangeKind,
    /// The value before (absent for an addition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after (absent for a removal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// Every change from `before` to `after`, in the order of the fields (keys in name order, as the configuration is
/// stored), a list's changed and added items in the newer order followed by its removed items in the older order.
pub fn diff(before: &Value, after: &Value) -> Vec<ConfigChange> {
    let mut changes = Vec::new();
    walk("", before, after, &mut changes);
    changes
}

fn walk(path: &str, before: &Value, after: &Value, changes: &mut Vec<ConfigChange>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(old), Value::Object(new)) => {
            let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let child = field(path, key);
                match (old.get(key), new.get(key)) {
                    (Some(old), Some(new)) => walk(&child, old, new, changes),
                    (Some(old), None) => changes.push(removed(child, old)),
                    (None, Some(new)) => changes.push(added(child, new)),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(old), Value::Array(new)) if has_containers(old) || has_containers(new) => {
            match (ids(old), ids(new)) {
                (Some(old_ids), Some(new_ids)) => {
                    for (index, (id, item)) in new_ids.iter().zip(new).enumerate() {
                        let at = item_path(path, index);
                        match old_ids.iter().position(|old_id| old_id == id) {
                            Some(was) => walk(&at, &old[was], item, changes),
                            None => changes.push(added(at, item)),
                        }
                    }
                    for (index, (id, item)) in old_ids.iter().zip(old).enumerate() {
                        if !new_ids.contains(id) {
                            changes.push(removed(item_path(path, index), item));
                        }
                    }
                }
                _ => {
                    for index in 0..old.len().max(new.len()) {
                        let at = item_path(path, index);
                        match (old.get(index), new.get(index)) {
                            (Some(old), Some(new)) => walk(&at, old, new, changes),
                            (Some(old), None) => changes.push(removed(at, old)),
                            (None, Some(new)) => changes.push(added(at, new)),
                            (None, None) => {}
                        }
                    }
                }
            }
        }
        _ => changes.push(ConfigChange {
            path: path.to_string(),
            kind: ChangeKind::Changed,
            before: Some(before.clone()),
            after: Some(after.clone()),
        }),
    }
}

/// Whether a list holds objects or lists (else it is a list of scalars, compared as one value).
fn has_containers(items: &[Value]) -> bool {
    items.iter().any(|item| item.is_object() || item.is_array())
}

/// The items' ids, when every item is an object with an `id` and no two share one (an empty list has none to
/// contradict, so it matches by id too). The merge matches lists the same way.
pub(super) fn ids(items: &[Value]) -> Option<Vec<&Value>> {
    let ids: Vec<&Value> = items
        .iter()
        .map(|item| {
            item.get("id")
                .filter(|id| !id.is_object() && !id.is_array())
        })
        .collect::<Option<_>>()?;
    let distinct = ids
        .iter()
        .enumerate()
        .all(|(index, id)| !ids[..index].contains(id));
    distinct.then_some(ids)
}

fn field(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn item_path(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

fn added(path: String, value: &Value) -> ConfigChange {
    ConfigChange {
        path,
        kind: ChangeKind::Added,
        before: None,
        after: Some(value.clone()),
    }
}

fn removed(path: String, value: &Value) -> ConfigChange {
    ConfigChange {
        path,
        kind: ChangeKind::Removed,
        before: Some(value.clone()),
        after: None,
    }
}

#[cfg(test)]
mod tests;
