//! Malformed profiles and the exact errors they get: each
//! `tests/invalid/{vendors,workloads}/<case>.yaml` sits beside
//! `<case>.expected`, the text infercost prints for it. Rewrite the expected
//! files with `UPDATE_GOLDEN=1 cargo test --test it invalid::` and review the diff.

use std::path::Path;

use infercost::profile::{parse, Diagnostic};

fn check(kind: &str, parse: fn(&str, &str, &str) -> Result<(), Vec<Diagnostic>>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/invalid")
        .join(kind);
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "cases in {}", dir.display());
    let mut mismatches = Vec::new();
    for case in cases {
        let stem = case.file_stem().unwrap().to_str().unwrap();
        let name = format!("{kind}/{stem}.yaml");
        let text = std::fs::read_to_string(&case).unwrap();
        let errors = parse(&name, stem, &text).expect_err(&format!("{name} must be rejected"));
        let actual: String = errors.iter().map(|d| format!("{d}\n")).collect();
        let expected_path = case.with_extension("expected");
        if crate::common::updating() {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            mismatches.push(format!(
                "--- {name}\nexpected:\n{expected}\nactual:\n{actual}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn malformed_vendor_profiles_get_precise_errors() {
    check("vendors", |f, s, t| parse::vendor(f, s, t).map(|_| ()));
}

#[test]
fn malformed_workload_profiles_get_precise_errors() {
    check("workloads", |f, s, t| parse::workload(f, s, t).map(|_| ()));
}
