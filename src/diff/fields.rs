//! Which profile fields changed: each vendor and workload present on both
//! sides is turned into a generic JSON value and the two are walked
//! together. List items are matched by what names them (`model`, `gpu`,
//! `tier`, `date`), so reordering a list is no change and a path reads
//! `serverless[kimi-k2.6/priority].input_usd_per_mtok`; lists of strings
//! (`sources`, `compliance`) are compared as sets, lists of numbers
//! (`traffic.hourly`) by position.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::profile::Profiles;

/// Fields that name a list item, in the order they appear in its key.
const ITEM_KEYS: &[&str] = &["model", "gpu", "tier", "date"];

/// The two kinds of profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfileKind {
    /// `vendors/<vendor>.yaml`.
    Vendor,
    /// `workloads/<workload>.yaml`.
    Workload,
}

impl ProfileKind {
    /// `vendor` or `workload`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileKind::Vendor => "vendor",
            ProfileKind::Workload => "workload",
        }
    }
}

/// A whole profile that only one side has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileRef {
    /// Vendor or workload.
    pub kind: ProfileKind,
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// One field that differs between the two sides of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Vendor or workload.
    pub kind: ProfileKind,
    /// The profile's id.
    pub id: String,
    /// Field path (`serverless[llama-3.3-70b].input_usd_per_mtok`).
    pub path: String,
    /// The base's value; null when the base does not have it.
    pub old: Option<Value>,
    /// The head's value; null when the head does not have it.
    pub new: Option<Value>,
    /// (new − old) / old, for numbers with old ≠ 0.
    pub change_share: Option<f64>,
}

/// Profiles added, profiles removed, and field changes of the profiles both
/// sides have; sorted by kind, then id, then field path as walked.
pub fn profile_changes(
    base: &Profiles,
    head: &Profiles,
) -> (Vec<ProfileRef>, Vec<ProfileRef>, Vec<FieldChange>) {
    let by_key = |profiles| {
        values(profiles)
            .into_iter()
            .map(|p| ((p.kind, p.id.clone()), p))
    };
    let all = super::pair_by_key(by_key(base), by_key(head));
    let (mut added, mut removed, mut changes) = (Vec::new(), Vec::new(), Vec::new());
    for ((kind, id), sides) in all {
        match sides {
            (Some(old), Some(new)) => {
                let mut found = Vec::new();
                walk("", Some(&old.value), Some(&new.value), &mut found);
                changes.extend(found.into_iter().map(|(path, old, new)| FieldChange {
                    kind,
                    id: id.clone(),
                    change_share: share(old.as_ref(), new.as_ref()),
                    path,
                    old,
                    new,
                }));
            }
            (None, Some(new)) => added.push(new.reference()),
            (Some(old), None) => removed.push(old.reference()),
            (None, None) => {}
        }
    }
    (added, removed, changes)
}

struct Profile {
    kind: ProfileKind,
    id: String,
    name: String,
    value: Value,
}

impl Profile {
    fn reference(&self) -> ProfileRef {
        ProfileRef {
            kind: self.kind,
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

fn values(profiles: &Profiles) -> Vec<Profile> {
    // Serializing profile structs into a Value cannot fail: their maps have
    // string keys, and a non-finite number (refused by validation anyway)
    // would become null.
    let vendors = profiles.vendors.iter().map(|v| Profile {
        kind: ProfileKind::Vendor,
        id: v.vendor.clone(),
        name: v.name.clone(),
        value: serde_json::to_value(v).unwrap_or(Value::Null),
    });
    let workloads = profiles.workloads.iter().map(|w| Profile {
        kind: ProfileKind::Workload,
        id: w.workload.clone(),
        name: w.name.clone(),
        value: serde_json::to_value(w).unwrap_or(Value::Null),
    });
    vendors.chain(workloads).collect()
}

fn share(old: Option<&Value>, new: Option<&Value>) -> Option<f64> {
    let (old, new) = (old?.as_f64()?, new?.as_f64()?);
    (old != 0.0).then(|| crate::format::sig9((new - old) / old))
}

type Found = Vec<(String, Option<Value>, Option<Value>)>;

/// Walks two values together and records every leaf that differs. A null
/// and a missing value are the same; a subtree only one side has is one
/// change, not one per leaf.
fn walk(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Found) {
    let old = old.filter(|v| !v.is_null());
    let new = new.filter(|v| !v.is_null());
    match (old, new) {
        (None, None) => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                walk(&join(path, k), a.get(k), b.get(k), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => walk_lists(path, a, b, out),
        (Some(a), Some(b)) if same(a, b) => {}
        (a, b) => out.push((path.to_string(), a.cloned(), b.cloned())),
    }
}

fn walk_lists(path: &str, a: &[Value], b: &[Value], out: &mut Found) {
    let all = || a.iter().chain(b);
    if all().all(Value::is_object) {
        let (old, new) = (keyed(a), keyed(b));
        let mut keys: Vec<&String> = old.iter().map(|(k, _)| k).collect();
        keys.extend(
            new.iter()
                .map(|(k, _)| k)
                .filter(|k| !old.iter().any(|(o, _)| o == *k)),
        );
        for k in keys {
            walk(&format!("{path}[{k}]"), find(&old, k), find(&new, k), out);
        }
    } else if all().all(Value::is_string) {
        for v in a.iter().filter(|v| !b.contains(v)) {
            out.push((path.to_string(), Some(v.clone()), None));
        }
        for v in b.iter().filter(|v| !a.contains(v)) {
            out.push((path.to_string(), None, Some(v.clone())));
        }
    } else if a.len() == b.len() {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            walk(&format!("{path}[{i}]"), Some(x), Some(y), out);
        }
    } else {
        out.push((
            path.to_string(),
            Some(Value::Array(a.to_vec())),
            Some(Value::Array(b.to_vec())),
        ));
    }
}

/// Names each item of a list of objects by its [`ITEM_KEYS`]; a second item
/// with the same name gets `#2`, and a list whose items have no name is
/// matched by position.
fn keyed(list: &[Value]) -> Vec<(String, &Value)> {
    let names: Option<Vec<String>> = list.iter().map(item_name).collect();
    let Some(names) = names else {
        return list
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect();
    };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    names
        .iter()
        .zip(list)
        .map(|(name, v)| {
            let n = seen.entry(name).or_insert(0);
            *n += 1;
            let key = if *n == 1 {
                name.clone()
            } else {
                format!("{name}#{n}")
            };
            (key, v)
        })
        .collect()
}

fn find<'a>(list: &[(String, &'a Value)], key: &str) -> Option<&'a Value> {
    list.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

fn item_name(v: &Value) -> Option<String> {
    let parts: Vec<&str> = ITEM_KEYS
        .iter()
        .filter_map(|k| v.get(k).and_then(Value::as_str))
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn changes(old: Value, new: Value) -> Vec<(String, Option<Value>, Option<Value>)> {
        let mut out = Vec::new();
        walk("", Some(&old), Some(&new), &mut out);
        out
    }

    #[test]
    fn reordered_list_items_are_no_change() {
        let a = json!({"serverless": [{"model": "a", "p": 1.0}, {"model": "b", "p": 2.0}]});
        let b = json!({"serverless": [{"model": "b", "p": 2.0}, {"model": "a", "p": 1.0}]});
        assert!(changes(a, b).is_empty());
    }

    #[test]
    fn list_items_are_named_by_model_and_tier() {
        let a = json!({"serverless": [{"model": "k", "tier": "fast", "p": 1.0}, {"model": "k", "tier": null, "p": 1.0}]});
        let b = json!({"serverless": [{"model": "k", "tier": "fast", "p": 1.5}, {"model": "k", "tier": null, "p": 1.0}]});
        assert_eq!(
            changes(a, b),
            vec![(
                "serverless[k/fast].p".to_string(),
                Some(json!(1.0)),
                Some(json!(1.5))
            )]
        );
    }

    #[test]
    fn string_lists_compare_as_sets_and_number_lists_by_position() {
        let a = json!({"compliance": ["soc2", "hipaa"], "hourly": [1.0, 2.0]});
        let b = json!({"compliance": ["hipaa", "gdpr"], "hourly": [1.0, 3.0]});
        assert_eq!(
            changes(a, b),
            vec![
                ("compliance".to_string(), Some(json!("soc2")), None),
                ("compliance".to_string(), None, Some(json!("gdpr"))),
                ("hourly[1]".to_string(), Some(json!(2.0)), Some(json!(3.0))),
            ]
        );
    }

    #[test]
    fn an_added_item_is_one_change_and_null_equals_missing() {
        let a = json!({"x": null, "list": [{"model": "a"}]});
        let b = json!({"list": [{"model": "a"}, {"model": "b", "p": 1.0}]});
        assert_eq!(
            changes(a, b),
            vec![(
                "list[b]".to_string(),
                None,
                Some(json!({"model": "b", "p": 1.0}))
            )]
        );
    }

    #[test]
    fn repeated_names_are_numbered() {
        let list = [
            json!({"model": "a"}),
            json!({"model": "a"}),
            json!({"p": 1}),
        ];
        let keys: Vec<String> = keyed(&list[..2]).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "a#2"]);
        let keys: Vec<String> = keyed(&list).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["0", "1", "2"]);
    }
}
