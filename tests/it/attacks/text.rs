//! Attack 6: unbounded text and integers: a megabyte of vendor name,
//! control characters that would break the SVG charts and reach the
//! terminal, a bidi override, and a volume whose replica count would
//! saturate.

use std::path::Path;

use super::*;

/// The base fixture in `dir` with the api vendor's `name` set to `yaml`.
fn with_name(dir: &Path, yaml: &str) -> Output {
    for sub in ["vendors", "workloads"] {
        copy_folder(&base_fixture().join(sub), &dir.join(sub));
    }
    let api = dir.join("vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        text.replace("name: Token API", &format!("name: {yaml}")),
    )
    .unwrap();
    infercost(&["validate"], dir)
}

#[test]
fn a_long_name_is_refused_with_its_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let out = with_name(tmp.path(), &"x".repeat(900_000));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "vendors/api.yaml:2:7: name: 900000 characters; `name` is at most 120 characters"
        ),
        "{}",
        &stderr(&out)[..stderr(&out).len().min(2000)]
    );
}

#[test]
fn control_characters_and_bidi_overrides_are_refused_in_text() {
    for (yaml, code, what) in [
        ("\"Token\\u001b[31mAPI\"", "U+001B", "a control character"),
        ("\"Token\\x0cAPI\"", "U+000C", "a control character"),
        ("\"Token \\u202Eevil\"", "U+202E", "a bidi control"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let out = with_name(tmp.path(), yaml);
        assert_eq!(out.status.code(), Some(2), "{yaml}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("name: holds {code}, {what}")),
            "{yaml}: {err}"
        );
        // The excerpt shows the character escaped, never raw.
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{202E}') && !err.contains('\u{c}'),
            "{err:?}"
        );
    }
}

/// 10^15 requests a day (the largest volume validation accepts) would need
/// more than 2³²−1 replicas of a dedicated deployment: excluded, in words,
/// instead of priced at a saturated count.
#[test]
fn a_replica_count_past_the_bound_excludes_the_offer() {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["vendors", "workloads"] {
        copy_folder(&base_fixture().join(sub), &tmp.path().join(sub));
    }
    let chat = tmp.path().join("workloads/chat.yaml");
    let text = std::fs::read_to_string(&chat).unwrap();
    std::fs::write(
        &chat,
        text.replace("requests_per_day: 100000", "requests_per_day: 1e15"),
    )
    .unwrap();
    let out = infercost(&["compare", "chat", "--format", "json"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let options = v["workloads"][0]["options"].as_array().unwrap();
    let dedicated: Vec<_> = options.iter().filter(|o| o["gpu"].is_string()).collect();
    assert!(!dedicated.is_empty());
    for o in dedicated {
        assert_eq!(o["eligible"], false, "{o}");
        let reasons = o["reasons"].to_string();
        assert!(
            reasons.contains("needs more than 1,000,000 replicas at peak (over 4.29 billion); infercost prices at most 1,000,000 replicas of one deployment"),
            "{reasons}"
        );
    }
}

/// A YAML tag makes the reader see another value than the file shows
/// (`!!str 0.88` a string, `!!binary` bytes): refused where it stands, by
/// `validate` and by the loader of every other command alike.
#[test]
fn a_yaml_tag_is_refused_with_its_position() {
    let tmp = tempfile::tempdir().unwrap();
    let out = with_name(tmp.path(), "!!str Token API");
    assert_eq!(out.status.code(), Some(2));
    let refusal =
        "vendors/api.yaml:2:13: a YAML tag (`!!str`); profiles take plain values: remove the tag";
    assert!(stderr(&out).contains(refusal), "{}", stderr(&out));
    let report = infercost(&["report", "--out", "out"], tmp.path());
    assert_eq!(report.status.code(), Some(2));
    assert!(stderr(&report).contains(refusal), "{}", stderr(&report));
    assert!(!tmp.path().join("out").exists(), "nothing written");
}
