//! The JSON contract as files: `report.json` with every workload, and one
//! `<workload>/report.json` each.

use std::path::PathBuf;

use serde::Serialize;

use super::Files;
use crate::contract::{Report, WorkloadResult};

/// Pretty JSON with a final newline: one field a line, so diffs stay small.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing plain structs of strings and finite numbers cannot fail.
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The report of one workload, in the same contract with a single entry.
pub fn workload_report(report: &Report, w: &WorkloadResult) -> Report {
    // Field by field: `..report.clone()` would copy every workload for each
    // one, which made a 1,000-workload report quadratic.
    Report {
        schema_version: report.schema_version,
        as_of: report.as_of,
        profiles: report.profiles.clone(),
        stale_vendors: report.stale_vendors.clone(),
        workloads: vec![w.clone()],
    }
}

/// Adds `report.json` and `<workload>/report.json`.
pub fn render(report: &Report, files: &mut Files) {
    files.insert(PathBuf::from("report.json"), to_json(report));
    for w in &report.workloads {
        files.insert(
            PathBuf::from(&w.workload).join("report.json"),
            to_json(&workload_report(report, w)),
        );
    }
}
