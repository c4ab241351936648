//! The JSON Schema of the profiles: the committed copies in `docs/schema/`
//! equal what `infercost schema` generates, every bundled and fixture
//! profile validates against it (with a JSON Schema validator, as an editor
//! would), broken ones are rejected, and every bundled profile points an
//! editor at it.
//!
//! `UPDATE_GOLDEN=1 cargo test --test it schema::` rewrites `docs/schema/`.

use crate::common::{golden, root};
use std::path::{Path, PathBuf};
use std::process::Command;

use infercost::profile::schema::{self, Kind};
use serde_json::Value;

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema is a valid JSON Schema")
}

/// A YAML profile as the JSON value an editor's YAML support checks.
fn yaml(text: &str) -> Value {
    serde_yaml_ng::from_str(text).expect("valid YAML")
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no profiles in {}", dir.display());
    files
}

/// Every error of `instance`, as `path: message` lines.
fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    validator(schema)
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

#[test]
fn committed_schemas_are_the_generated_ones() {
    for kind in [Kind::Vendor, Kind::Workload] {
        let generated = schema::to_text(&schema::of(kind));
        let path = root().join("docs/schema").join(kind.file_name());
        golden(&path, generated.as_bytes());
    }
}

#[test]
fn the_schema_command_prints_the_generated_schemas() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_infercost"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        run(&["schema", "--kind", "vendor"]),
        schema::to_text(&schema::of(Kind::Vendor))
    );
    assert_eq!(
        run(&["schema", "--kind", "workload"]),
        schema::to_text(&schema::of(Kind::Workload))
    );
    assert_eq!(run(&["schema"]), schema::to_text(&schema::either()));
}

#[test]
fn every_bundled_and_fixture_profile_validates() {
    let folders = [
        ("vendors", Kind::Vendor),
        ("workloads", Kind::Workload),
        ("tests/fixtures/basic/vendors", Kind::Vendor),
        ("tests/fixtures/basic/workloads", Kind::Workload),
        ("tests/fixtures/diff/head/vendors", Kind::Vendor),
        ("tests/fixtures/diff/head/workloads", Kind::Workload),
    ];
    let either = schema::either();
    for (folder, kind) in folders {
        let own = schema::of(kind);
        for file in yaml_files(&root().join(folder)) {
            let profile = yaml(&std::fs::read_to_string(&file).unwrap());
            let found = errors(&own, &profile);
            assert!(found.is_empty(), "{}: {found:#?}", file.display());
            let found = errors(&either, &profile);
            assert!(found.is_empty(), "{} (either): {found:#?}", file.display());
        }
    }
}

#[test]
fn every_bundled_profile_points_an_editor_at_its_schema() {
    for (folder, kind) in [("vendors", Kind::Vendor), ("workloads", Kind::Workload)] {
        let modeline = format!(
            "# yaml-language-server: $schema=../docs/schema/{}",
            kind.file_name()
        );
        for file in yaml_files(&root().join(folder)) {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(
                text.lines().next(),
                Some(modeline.as_str()),
                "{}",
                file.display()
            );
        }
    }
}

const VENDOR: &str = "
vendor: api
name: Token API
segment: api-marketplace
positioning: cheap
as_of: 2026-05-01
sources: [https://example.com/api-pricing]
serverless:
  - model: llama-3.3-70b
    input_usd_per_mtok: 0.88
    output_usd_per_mtok: 0.88
";

#[test]
fn broken_vendor_profiles_are_rejected_at_the_field() {
    let vendor = schema::of(Kind::Vendor);
    assert!(errors(&vendor, &yaml(VENDOR)).is_empty());
    for (from, to, path) in [
        // A typo in a field name must not silently drop a price.
        (
            "input_usd_per_mtok: 0.88",
            "input_usd_per_mtk: 0.88",
            "/serverless/0",
        ),
        (
            "input_usd_per_mtok: 0.88",
            "input_usd_per_mtok: cheap",
            "/serverless/0/input_usd_per_mtok",
        ),
        (
            "segment: api-marketplace",
            "segment: marketplace",
            "/segment",
        ),
        ("as_of: 2026-05-01", "as_of: 2026-13-01", "/as_of"),
        ("name: Token API\n", "", ""),
        ("positioning: cheap", "positioning: cheap\nprices: 1", ""),
    ] {
        assert!(VENDOR.contains(from));
        let broken = yaml(&VENDOR.replace(from, to));
        let found = errors(&vendor, &broken);
        assert!(
            found.iter().any(|e| e.starts_with(&format!("{path}: "))),
            "{from} -> {to}: expected an error at `{path}`, found {found:#?}"
        );
        assert!(!errors(&schema::either(), &broken).is_empty(), "{to}");
    }
}

#[test]
fn broken_workload_profiles_are_rejected_at_the_field() {
    let workload = schema::of(Kind::Workload);
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/basic/workloads/chat.yaml")).unwrap();
    assert!(errors(&workload, &yaml(&text)).is_empty());
    for (from, to, path) in [
        ("shape: flat", "shape: spiky", "/traffic/shape"),
        ("shape: flat", "shpae: flat", "/traffic"),
        (
            "requests_per_day: 100000",
            "requests_per_day: many",
            "/requests_per_day",
        ),
        // The two fields most often wrong are enumerated.
        ("model: llama-3.3-70b", "model: llama-3.3-70", "/model"),
        (
            "requests_per_day: 100000",
            "requests_per_day: 100000\nrequirements: {compliance: [hippa]}",
            "/requirements/compliance/0",
        ),
        // No volume is nothing to price.
        (
            "requests_per_day: 100000",
            "requests_per_day: 0",
            "/requests_per_day",
        ),
    ] {
        let broken = yaml(&text.replace(from, to));
        let found = errors(&workload, &broken);
        assert!(
            found.iter().any(|e| e.starts_with(&format!("{path}: "))),
            "{from} -> {to}: expected an error at `{path}`, found {found:#?}"
        );
    }
}

#[test]
fn the_schema_refuses_unknown_fields_and_types_dates() {
    let vendor = schema::of(Kind::Vendor);
    assert_eq!(vendor["additionalProperties"], false);
    for (name, def) in vendor["$defs"].as_object().unwrap() {
        if def["type"] == "object" && def.get("properties").is_some() {
            assert_eq!(def["additionalProperties"], false, "$defs/{name}");
        }
    }
    assert_eq!(vendor["properties"]["as_of"]["format"], "date");
    assert_eq!(schema::of(Kind::Workload)["additionalProperties"], false);
}

/// The ids `docs/format.md` lists under "Canonical ids" (backquoted, after `label`).
fn listed(label: &str) -> Vec<String> {
    let doc = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    let start = doc
        .find(label)
        .unwrap_or_else(|| panic!("{label} in docs/format.md"));
    let line: String = doc[start..]
        .split("\n")
        .take_while(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let end = line
        .find(".\u{20}")
        .or_else(|| line.rfind('.'))
        .unwrap_or(line.len());
    line[..end]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_format_page_lists_the_ids_the_validator_accepts() {
    use infercost::profile::ids::{COMPLIANCE, GPUS, MODALITIES};
    assert_eq!(listed("Compliance ids:"), COMPLIANCE);
    assert_eq!(listed("GPU ids:"), GPUS);
    assert_eq!(listed("Modalities:"), MODALITIES);
}
