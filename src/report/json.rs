//! The JSON contract as files: `report.json` with every workload, and one
//! `<workload>/report.json` each. Each workload is serialized once: its
//! entry reads the same, byte for byte, in both files (the same contract at
//! the same depth), so the two files are put together from one fragment.

use serde::Serialize;

use crate::contract::{Report, WorkloadResult};

/// Pretty JSON with a final newline: one field a line, so diffs stay small.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing plain structs of strings and finite numbers cannot fail.
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Indentation of a workload inside `"workloads": [...]`: two levels.
const ENTRY_INDENT: &[u8] = b"    ";

/// A report's fields before its workloads, up to and including
/// `"workloads": `; what follows is [`open`], entries, [`CLOSE`].
pub(crate) fn header(report: &Report) -> Vec<u8> {
    let empty = Report {
        schema_version: report.schema_version,
        as_of: report.as_of,
        profiles: report.profiles.clone(),
        stale_vendors: report.stale_vendors.clone(),
        workloads: Vec::new(),
    };
    let mut bytes = to_json(&empty);
    // `to_json` of an empty list ends the document with `[]`, `}` and a newline.
    bytes.truncate(bytes.len() - b"[]\n}\n".len());
    bytes
}

/// What follows the header: `[` and a newline, or `[]` and the end when
/// there is no workload.
pub(crate) fn open(empty: bool) -> &'static [u8] {
    if empty {
        b"[]\n}\n"
    } else {
        b"[\n"
    }
}

/// Between two entries.
pub(crate) const SEPARATOR: &[u8] = b",\n";

/// After the last entry.
pub(crate) const CLOSE: &[u8] = b"\n  ]\n}\n";

/// One workload's entry as it reads inside `"workloads"`: pretty JSON
/// indented two levels. JSON strings hold no raw newline, so indenting
/// every line is exact.
pub(crate) fn entry(w: &WorkloadResult) -> Vec<u8> {
    let plain = serde_json::to_vec_pretty(w).unwrap_or_default();
    let mut bytes = Vec::with_capacity(plain.len() + plain.len() / 8);
    for line in plain.split(|&b| b == b'\n') {
        if !bytes.is_empty() {
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(ENTRY_INDENT);
        bytes.extend_from_slice(line);
    }
    bytes
}

/// `<workload>/report.json`: the same contract with the one workload.
pub(crate) fn workload_file(header: &[u8], entry: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(header.len() + entry.len() + 16);
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(open(false));
    bytes.extend_from_slice(entry);
    bytes.extend_from_slice(CLOSE);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Settings};
    use crate::profile::{self, ProfileFile};

    /// The pieces put together read exactly as serde writes the whole report.
    #[test]
    fn pieces_make_the_same_bytes_as_one_serialization() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |d: &str| ProfileFile::read_dir(&root.join(d)).unwrap();
        let profiles = profile::load(&read("vendors"), &read("workloads")).unwrap();
        let report = engine::run(&profiles, &Settings::default());
        let head = header(&report);
        let mut whole = head.clone();
        whole.extend_from_slice(open(false));
        for (i, w) in report.workloads.iter().enumerate() {
            if i > 0 {
                whole.extend_from_slice(SEPARATOR);
            }
            whole.extend_from_slice(&entry(w));
        }
        whole.extend_from_slice(CLOSE);
        assert_eq!(
            String::from_utf8(whole).unwrap(),
            String::from_utf8(to_json(&report)).unwrap()
        );
        let w = &report.workloads[0];
        let single = Report {
            workloads: vec![w.clone()],
            ..report.clone()
        };
        assert_eq!(workload_file(&head, &entry(w)), to_json(&single));
        let none = Report {
            workloads: Vec::new(),
            ..report
        };
        let mut empty = header(&none);
        empty.extend_from_slice(open(true));
        assert_eq!(empty, to_json(&none));
    }
}
