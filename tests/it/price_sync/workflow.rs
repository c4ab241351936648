//! Which job holds which token, read from the workflow files themselves:
//! no job whose token can write runs cargo, infercost or the import (nor a
//! script that does), and the price sync's build-and-import job is
//! read-only. Every workflow of `.github/workflows/` is checked, so a new
//! one is held to the same rule.

use std::path::Path;

use serde_yaml_ng::Value;

use super::{read, root};

/// What a job's token may do: the job's `permissions`, else the workflow's,
/// else GitHub's default, which can be write-all.
fn writes(job: &Value, workflow: &Value) -> bool {
    let permissions = job.get("permissions").or(workflow.get("permissions"));
    match permissions {
        None => true,
        Some(Value::String(all)) => all == "write-all",
        Some(Value::Mapping(scopes)) => scopes.values().any(|v| v.as_str() == Some("write")),
        Some(_) => true,
    }
}

/// `text` without its comment lines (`#` for shell and YAML, `//` for
/// JavaScript): what would run.
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.starts_with('#') && !t.starts_with("//")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The repository's scripts that `text` names (`.github/scripts/x`,
/// `scripts/x`, also under a checkout folder such as `base/`), read.
fn scripts_named(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || "'\"()`;".contains(c)) {
        for prefix in [".github/scripts/", "scripts/"] {
            if let Some(at) = token.find(prefix) {
                let path = &token[at..];
                let file = root().join(path.trim_start_matches("./"));
                if file.is_file() && !found.iter().any(|(p, _)| p == path) {
                    found.push((path.to_string(), std::fs::read_to_string(file).unwrap()));
                }
                break;
            }
        }
    }
    found
}

/// Everything a job runs: each step's `run` and `with.script`, its `uses`,
/// and the text of the repository's scripts they name, comments left out.
fn job_code(job: &Value) -> String {
    let mut text = String::new();
    for step in job["steps"].as_sequence().into_iter().flatten() {
        for part in [&step["run"], &step["uses"], &step["with"]["script"]] {
            if let Some(s) = part.as_str() {
                text.push_str(s);
                text.push('\n');
            }
        }
    }
    let mut all = code(&text);
    for (path, script) in scripts_named(&text) {
        if path.ends_with(".cjs") || path.ends_with(".js") {
            // JavaScript runs a program only through child_process; its
            // strings may name infercost (a note to run it locally).
            if script.contains("child_process") {
                all.push_str("\nchild_process");
            }
        } else {
            all.push_str(&format!("\n# {path}\n{}", code(&script)));
        }
    }
    all
}

/// The words in `code` that build or run infercost or the import: `cargo`,
/// `rustc`, `infercost` (not the `infercost-…` of a comment marker),
/// `price-sync.sh`, a Rust action, or JavaScript starting a process.
fn builds_or_imports(code: &str) -> Vec<String> {
    let lower = code.to_lowercase();
    let mut found = Vec::new();
    for word in [
        "cargo",
        "infercost",
        "price-sync.sh",
        "rustc",
        "actions-rs",
        "child_process",
    ] {
        for (i, _) in lower.match_indices(word) {
            let before = lower[..i].chars().next_back();
            let after = lower[i + word.len()..].chars().next();
            let joined =
                |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
            if !joined(before) && !joined(after) {
                found.push(word.to_string());
            }
        }
    }
    found.dedup();
    found
}

/// Each job of the workflow text `yaml`: (name, whether its token writes,
/// what of [`builds_or_imports`] it runs).
fn jobs(yaml: &str) -> Vec<(String, bool, Vec<String>)> {
    let workflow: Value = serde_yaml_ng::from_str(yaml).expect("a workflow parses");
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    jobs.iter()
        .map(|(name, job)| {
            (
                name.as_str().unwrap().to_string(),
                writes(job, &workflow),
                builds_or_imports(&job_code(job)),
            )
        })
        .collect()
}

#[test]
fn no_job_with_a_write_token_runs_cargo_infercost_or_the_import() {
    let dir = root().join(".github/workflows");
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let yaml = read(path.clone());
        for (name, writes, runs) in jobs(&yaml) {
            assert!(
                !writes || runs.is_empty(),
                "{} job `{name}` holds a write token and runs {runs:?}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} jobs in {}", dir.display());
}

#[test]
fn the_price_sync_builds_and_imports_read_only_and_publishes_without_a_build() {
    let jobs = jobs(&read(root().join(".github/workflows/price-sync.yml")));
    let names: Vec<&str> = jobs.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["sync", "publish"]);
    let (_, sync_writes, sync_runs) = &jobs[0];
    assert!(
        !sync_writes,
        "the build-and-import job has a write permission"
    );
    assert!(
        sync_runs.contains(&"cargo".to_string())
            && sync_runs.contains(&"price-sync.sh".to_string()),
        "{sync_runs:?}"
    );
    let (_, publish_writes, publish_runs) = &jobs[1];
    assert!(
        *publish_writes && publish_runs.is_empty(),
        "{publish_runs:?}"
    );
}

/// The checker itself finds what it looks for: a write job that runs the
/// sync script, a build through a script it names, a default (unstated)
/// token; a read-only job may build, and a comment or a marker is not a run.
#[test]
fn the_checker_catches_a_write_job_that_builds_directly_or_through_a_script() {
    let bad = "permissions: {}\njobs:\n  a:\n    permissions:\n      contents: write\n    steps:\n      - run: scripts/price-sync.sh\n  \
               b:\n    permissions: write-all\n    steps:\n      - run: .github/scripts/price-diff.sh x\n  \
               c:\n    steps:\n      - run: make\n  d:\n    permissions:\n      contents: read\n    steps:\n      - run: cargo build\n  \
               e:\n    permissions:\n      pull-requests: write\n    steps:\n      - run: |\n          # cargo build\n          echo '<!-- infercost-diff -->'\n";
    let found = jobs(bad);
    // The sync script runs "$INFERCOST" import: found through its text too.
    assert_eq!(
        found[0],
        (
            "a".into(),
            true,
            vec!["infercost".into(), "price-sync.sh".into()]
        )
    );
    // price-diff.sh runs "$infercost" diff: found through the script's text.
    assert!(
        found[1].1 && found[1].2.contains(&"infercost".to_string()),
        "{:?}",
        found[1]
    );
    // No permissions stated in the job: the workflow's (none here); with
    // none stated anywhere, GitHub's default, which may write.
    assert_eq!(found[2], ("c".into(), false, vec![]));
    assert!(jobs("jobs:\n  f:\n    steps:\n      - run: make\n")[0].1);
    assert_eq!(found[3], ("d".into(), false, vec!["cargo".into()]));
    assert_eq!(found[4], ("e".into(), true, vec![]));
    assert!(Path::new(&root().join(".github/scripts/price-diff.sh")).is_file());
}

#[test]
fn the_workflow_pins_its_actions_and_bounds_its_jobs() {
    let yml = read(root().join(".github/workflows/price-sync.yml"));
    for line in yml
        .lines()
        .filter(|l| l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:"))
    {
        let spec = line.split("uses:").nth(1).unwrap().trim();
        let (_, rest) = spec.split_once('@').expect("an action reference");
        let sha: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        assert_eq!(sha.len(), 40, "not pinned by full commit SHA: {line}");
        assert!(rest.contains("# v"), "no version comment: {line}");
    }
    assert!(yml.contains("\npermissions: {}\n"), "no token by default");
    assert_eq!(yml.matches("timeout-minutes:").count(), 2);
    assert_eq!(yml.matches("persist-credentials: false").count(), 2);
    assert!(yml.contains("run: .github/scripts/publish-price-sync.sh \"$SYNC\""));
    assert!(yml.contains("needs: sync"));
    assert!(yml.contains("schedule:") && yml.contains("workflow_dispatch:"));
}
