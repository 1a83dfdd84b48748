//! [`TextMap`]: a map from text keys kept as a list sorted by key, for the few entries a visitor's `identify`
//! attributes and campaign history hold. It reads and writes exactly as a `BTreeMap<String, V>` does (a JSON object
//! in key order, the same bytes in the wire encoding) for a fraction of the code: the widget downloads this code
//! on every page view, and a `BTreeMap`'s two instantiations there were about 8 % of its page-load module.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Text keys to values, each key once, in key order; see the module.
#[derive(Clone, PartialEq, Eq)]
pub struct TextMap<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for TextMap<V> {
    fn default() -> Self {
        TextMap {
            entries: Vec::new(),
        }
    }
}

impl<V> TextMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Where `key` is, or where it would go.
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|(known, _)| known.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        let at = self.find(key).ok()?;
        Some(&self.entries[at].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let at = self.find(key).ok()?;
        Some(&mut self.entries[at].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`; gives the value it had.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        let at = self.find(key).ok()?;
        Some(self.entries.remove(at).1)
    }

    /// The value of `key`, made with `V::default()` when there was none.
    pub fn get_or_default(&mut self, key: &str) -> &mut V
    where
        V: Default,
    {
        let at = match self.find(key) {
            Ok(at) => at,
            Err(at) => {
                self.entries.insert(at, (key.to_string(), V::default()));
                at
            }
        };
        &mut self.entries[at].1
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(key, _)| key)
    }
}

impl<V> Extend<(String, V)> for TextMap<V> {
    /// A key given again takes the new value, as in a `BTreeMap`.
    fn extend<I: IntoIterator<Item = (String, V)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.insert(key, value);
        }
    }
}

impl<V> FromIterator<(String, V)> for TextMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        let mut map = TextMap::new();
        map.extend(entries);
        map
    }
}

impl<V> IntoIterator for TextMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    /// The entries in key order.
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<V: fmt::Debug> fmt::Debug for TextMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: Serialize> Serialize for TextMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for TextMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = TextMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of texts")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<TextMap<V>, A::Error> {
                let mut map = TextMap::new();
                while let Some((key, value)) = access.next_entry::<String, V>()? {
                    map.insert(key, value);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::TextMap;

    #[test]
    fn it_keeps_key_order_and_reads_and_writes_json_as_a_btree_map() {
        let pairs = [
            ("plan", "pro"),
            ("company", "Acme"),
            ("seats", "5"),
            ("plan", "team"),
        ];
        let map: TextMap<String> = pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        let btree: BTreeMap<String, String> = pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        assert_eq!(format!("{map:?}"), format!("{btree:?}"));
        let json = serde_json::to_string(&map).expect("json");
        assert_eq!(json, serde_json::to_string(&btree).expect("json"));
        let back: TextMap<String> = serde_json::from_str(&json).expect("json");
        assert_eq!(back, map);
    }

    #[test]
    fn entries_are_found_changed_and_removed() {
        let mut map = TextMap::<u32>::new();
        *map.get_or_default("b") += 2;
        *map.get_or_default("a") += 1;
        *map.get_or_default("b") += 2;
        assert_eq!(map.insert("c".into(), 9), None);
        assert_eq!(map.insert("c".into(), 3), Some(9));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!((map.get("b"), map.get("z")), (Some(&4), None));
        assert!(map.contains_key("a") && !map.contains_key("z"));
        assert_eq!(map.remove("a"), Some(1));
        assert_eq!(map.remove("a"), None);
        if let Some(value) = map.get_mut("c") {
            *value = 30;
        }
        assert_eq!(
            map.into_iter().collect::<Vec<_>>(),
            [("b".into(), 4), ("c".into(), 30)]
        );
        let error = serde_json::from_str::<TextMap<u32>>("[1]").expect_err("not a map");
        assert_eq!(
            error.to_string(),
            "invalid type: sequence, expected a map of texts at line 1 column 0"
        );
    }
}
