//! Which profile fields changed: each vendor and workload present on both
//! sides, as written (the profiles `load` returns, nothing the resolve
//! stage derives), is turned into a generic JSON value and the two are
//! walked together. The items of a vendor's lists are named by their typed
//! key ([`crate::profile::OfferKey`] for offers and deployments, the date of
//! a price change, the item of a compliance item not offered) and matched
//! by that name, so reordering a list is no change and a path reads
//! `serverless[kimi-k2.6/priority].input_usd_per_mtok` or
//! `dedicated.deployments[llama-3.3-70b/2×h100-80gb].decode_tokens_per_s`;
//! lists of strings (`sources`, `compliance`) are compared as sets, lists
//! of numbers (`traffic.hourly`) by position.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::profile::{
    Deployment, PredictionOffer, Profiles, ServerlessOffer, TrainingOffer, Vendor,
};

/// The two kinds of profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ProfileKind {
    /// `vendors/<vendor>.yaml`.
    Vendor,
    /// `workloads/<workload>.yaml`.
    Workload,
}

impl ProfileKind {
    /// `vendor` or `workload`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ProfileKind::Vendor => "vendor",
            ProfileKind::Workload => "workload",
        }
    }
}

/// A whole profile that only one side has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ProfileRef {
    /// Vendor or workload.
    pub kind: ProfileKind,
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// One field that differs between the two sides of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FieldChange {
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
pub(super) fn profile_changes(
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
        value: vendor_value(v),
    });
    let workloads = profiles.workloads.iter().map(|w| Profile {
        kind: ProfileKind::Workload,
        id: w.workload.clone(),
        name: w.name.clone(),
        value: serde_json::to_value(w).unwrap_or(Value::Null),
    });
    vendors.chain(workloads).collect()
}

/// A vendor as a JSON value whose lists of offers, deployments, price
/// changes and compliance items not offered are maps from each item's
/// name (`[key]`) to the item.
fn vendor_value(v: &Vendor) -> Value {
    let mut value = serde_json::to_value(v).unwrap_or(Value::Null);
    let serverless = names(&v.serverless, ServerlessOffer::key);
    name_items(&mut value, &["serverless"], serverless);
    let predictions = names(&v.predictions, PredictionOffer::key);
    name_items(&mut value, &["predictions"], predictions);
    let training = names(&v.training, TrainingOffer::key);
    name_items(&mut value, &["training"], training);
    if let Some(d) = &v.dedicated {
        let deployments = names(&d.deployments, Deployment::key);
        name_items(&mut value, &["dedicated", "deployments"], deployments);
    }
    let dates = names(&v.price_changes, |c| c.date);
    name_items(&mut value, &["price_changes"], dates);
    let items = names(&v.compliance_not_offered, |c| c.item.clone());
    name_items(&mut value, &["compliance_not_offered"], items);
    value
}

/// Each item's name: its key, as text.
fn names<T, K: ToString>(items: &[T], key: impl Fn(&T) -> K) -> Vec<String> {
    items.iter().map(|i| key(i).to_string()).collect()
}

/// Replaces the list at `path` by a map from `[name]` to its item, `names`
/// being the items' names in list order; a second item of the same name
/// gets `#2` (validation refuses two offers or deployments with one key,
/// not two price changes of one date).
fn name_items(value: &mut Value, path: &[&str], names: Vec<String>) {
    let Some(slot) = path.iter().try_fold(value, |v, k| v.get_mut(*k)) else {
        return;
    };
    let Value::Array(items) = slot.take() else {
        return;
    };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut named = Map::new();
    for (name, item) in names.iter().zip(items) {
        let n = seen.entry(name).or_insert(0);
        *n += 1;
        let key = if *n == 1 {
            format!("[{name}]")
        } else {
            format!("[{name}#{n}]")
        };
        named.insert(key, item);
    }
    *slot = Value::Object(named);
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
    if all().all(Value::is_string) {
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

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// `path.key`, or `path[name]` for a named list item.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() || key.starts_with('[') {
        format!("{path}{key}")
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

    /// A vendor with two per-token tiers of one model and two sizes of one
    /// deployment, in the order given.
    fn vendor(serverless: [&str; 2], deployments: [&str; 2]) -> Profiles {
        let text = format!(
            "vendor: v\nname: V\nsegment: gpu-platform\npositioning: x\nas_of: 2026-01-01\nsources: [https://example.com]\nserverless:\n{}{}dedicated:\n  billing: per-second\n  scaling: always-on\n  gpus:\n    h100-80gb: {{usd_per_hour: 3.0}}\n  deployments:\n{}{}",
            serverless[0], serverless[1], deployments[0], deployments[1]
        );
        let v = crate::profile::parse::vendor("v.yaml", "v", &text).expect("a valid vendor");
        Profiles {
            vendors: vec![v],
            workloads: Vec::new(),
        }
    }

    const FAST: &str =
        "  - {model: m, tier: fast, input_usd_per_mtok: 2, output_usd_per_mtok: 2}\n";
    const BASE: &str = "  - {model: m, input_usd_per_mtok: 1, output_usd_per_mtok: 1}\n";
    const TWO: &str = "    - {model: m, gpu: h100-80gb, gpus_per_replica: 2, prefill_tokens_per_s: 12200, decode_tokens_per_s: 4205}\n";
    const ONE: &str = "    - {model: m, gpu: h100-80gb, gpus_per_replica: 1, prefill_tokens_per_s: 2000, decode_tokens_per_s: 600}\n";

    #[test]
    fn reordered_offers_and_deployments_are_no_change() {
        let base = vendor([BASE, FAST], [TWO, ONE]);
        let head = vendor([FAST, BASE], [ONE, TWO]);
        let (added, removed, fields) = profile_changes(&base, &head);
        assert!(added.is_empty() && removed.is_empty());
        assert_eq!(fields, []);
    }

    #[test]
    fn deployments_are_named_by_model_gpu_count_and_gpu() {
        let base = vendor([BASE, FAST], [TWO, ONE]);
        let head = vendor(
            [
                BASE,
                &FAST.replace("input_usd_per_mtok: 2", "input_usd_per_mtok: 3"),
            ],
            [TWO, &ONE.replace("600", "700")],
        );
        let (_, _, fields) = profile_changes(&base, &head);
        let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "dedicated.deployments[m/1×h100-80gb].decode_tokens_per_s",
                "serverless[m/fast].input_usd_per_mtok",
            ]
        );
        // 600 → 700: (700 − 600) / 600.
        assert_eq!(
            fields[0].change_share,
            Some(crate::format::sig9(100.0 / 600.0))
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
        let mut a = json!({"x": null, "list": [{"model": "a"}]});
        let mut b = json!({"list": [{"model": "a"}, {"model": "b", "p": 1.0}]});
        name_items(&mut a, &["list"], vec!["a".into()]);
        name_items(&mut b, &["list"], vec!["a".into(), "b".into()]);
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
        let mut list = json!({"l": [{"p": 1}, {"p": 2}, {"p": 3}]});
        name_items(&mut list, &["l"], vec!["a".into(), "a".into(), "b".into()]);
        let mut keys: Vec<&String> = list["l"].as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["[a#2]", "[a]", "[b]"]);
    }
}
