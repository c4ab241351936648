//! Every deserialization error of a profile in one run. serde stops at the
//! first error; this deserializes the YAML value again and again, each time
//! setting the offending node aside (an unknown field removed, a wrong value
//! replaced by a stand-in of a type that fits, a missing field filled in),
//! until the profile deserializes or [`MAX_ERRORS`] are found. Only run when
//! the fast path (straight from the text) has failed; positions are looked
//! up afterwards, so this knows only field paths.

use serde::de::DeserializeOwned;
use serde_yaml_ng::{Mapping, Value};

use super::wording::{self, ErrorKind};

/// Most errors collected from one file.
pub(super) const MAX_ERRORS: usize = 50;

/// One deserialization error: the field path and serde's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    /// Field path (`serverless[0].input_usd_per_mtok`).
    pub path: String,
    /// serde's message (reworded later).
    pub message: String,
}

/// What recovery found: the errors, the fields set aside, and the profile
/// with stand-ins when every error could be set aside.
pub(super) struct Recovered<T> {
    /// Errors, in the order found.
    pub errors: Vec<Found>,
    /// Paths whose values are stand-ins: checks of meaning there are moot.
    pub set_aside: Vec<String>,
    /// The profile with stand-ins, for the checks of meaning elsewhere.
    pub value: Option<T>,
}

/// Collects the deserialization errors of `value`.
pub(super) fn all_errors<T: DeserializeOwned>(mut value: Value) -> Recovered<T> {
    let mut errors = Vec::new();
    let mut set_aside: Vec<String> = Vec::new();
    while errors.len() < MAX_ERRORS {
        let found = match attempt::<T>(&value) {
            Ok(t) => {
                return Recovered {
                    errors,
                    set_aside,
                    value: Some(t),
                }
            }
            Err(found) => found,
        };
        let kind = wording::kind(&found.message);
        let target = match &kind {
            ErrorKind::MissingField(field) => join(&found.path, field),
            _ => found.path.clone(),
        };
        if set_aside.contains(&target) {
            break;
        }
        errors.push(Found {
            path: target.clone(),
            message: found.message,
        });
        if !set_aside_node::<T>(&mut value, &target, &kind) {
            break;
        }
        set_aside.push(target);
    }
    Recovered {
        errors,
        set_aside,
        value: None,
    }
}

fn attempt<T: DeserializeOwned>(value: &Value) -> Result<T, Found> {
    serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let path = e.path().to_string();
        Found {
            path: if path == "." { String::new() } else { path },
            message: e.inner().to_string(),
        }
    })
}

/// Replaces the node at `path` by the first stand-in after which the
/// error is no longer at `path` (or removes the node); false when the path
/// cannot be reached or nothing helps.
fn set_aside_node<T: DeserializeOwned>(value: &mut Value, path: &str, kind: &ErrorKind) -> bool {
    let segments = segments(path);
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut stand_ins: Vec<Option<Value>> = Vec::new();
    if let ErrorKind::UnknownVariant(Some(first)) = kind {
        stand_ins.push(Some(Value::from(first.as_str())));
    }
    if matches!(kind, ErrorKind::UnknownField) {
        stand_ins.push(None);
    } else {
        stand_ins.extend(
            [
                Value::Null,
                Value::from(0),
                Value::from(""),
                Value::Bool(false),
                Value::Sequence(Vec::new()),
                Value::Mapping(Mapping::new()),
            ]
            .map(Some),
        );
        if !matches!(kind, ErrorKind::MissingField(_)) {
            // Last: removing the field lets serde take its default, if any
            // (tried last, since serde reports a missing field in declaration
            // order, which can hide that this one is now missing).
            stand_ins.push(None);
        }
    }
    for stand_in in stand_ins {
        let mut trial = value.clone();
        let Some(parent) = node_mut(&mut trial, parents) else {
            return false;
        };
        if !put(parent, last, stand_in) {
            continue;
        }
        let still_here = match attempt::<T>(&trial) {
            Ok(_) => false,
            Err(f) => {
                let at = match wording::kind(&f.message) {
                    ErrorKind::MissingField(field) => join(&f.path, &field),
                    _ => f.path,
                };
                at == path
                    || at.starts_with(&format!("{path}."))
                    || at.starts_with(&format!("{path}["))
            }
        };
        if !still_here {
            *value = trial;
            return true;
        }
    }
    false
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `serverless[0].input_usd_per_mtok` as its steps.
fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key.to_string()));
        }
        for index in indices.split('[').filter(|s| !s.is_empty()) {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn node_mut<'a>(mut node: &'a mut Value, path: &[Segment]) -> Option<&'a mut Value> {
    for step in path {
        node = match (step, node) {
            (Segment::Key(k), Value::Mapping(m)) => m.get_mut(k.as_str())?,
            (Segment::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Sets (or, with `None`, removes) the child `step` of `parent`.
fn put(parent: &mut Value, step: &Segment, stand_in: Option<Value>) -> bool {
    match (step, parent, stand_in) {
        (Segment::Key(k), Value::Mapping(m), Some(v)) => {
            m.insert(Value::from(k.as_str()), v);
            true
        }
        (Segment::Key(k), Value::Mapping(m), None) => m.shift_remove(k.as_str()).is_some(),
        (Segment::Index(i), Value::Sequence(s), Some(v)) if *i < s.len() => {
            s[*i] = v;
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Workload;

    #[test]
    fn four_typos_are_found_in_one_pass() {
        let text = "workload: w\nname: n\nmodel: m\nrequests_per_day: many\ninput_tokens: 10\noutput_tokns: 5\ntraffic: {shape: spiky}\nepisode: {turns: 2.5}\n";
        let value: Value = serde_yaml_ng::from_str(text).unwrap();
        let r = all_errors::<Workload>(value);
        let paths: Vec<&str> = r.errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "requests_per_day",
                "output_tokns",
                "traffic.shape",
                "episode.turns",
                "episode.episodes_per_day",
                "episode.initial_prompt_tokens",
                "episode.context_growth_per_turn",
                "episode.generation_tokens",
            ]
        );
        assert!(r.value.is_some());
    }

    #[test]
    fn paths_split_into_steps() {
        assert_eq!(
            segments("dedicated.deployments[2].gpu"),
            vec![
                Segment::Key("dedicated".into()),
                Segment::Key("deployments".into()),
                Segment::Index(2),
                Segment::Key("gpu".into()),
            ]
        );
    }
}
