//! `scripts/price-sync.sh`, the steps of the weekly price-sync workflow, run
//! locally on the fixture snapshots of both maps (served as file:// URLs) in
//! a scratch git repository: a first sync changes the profiles and writes a
//! pull-request body with the `infercost diff`; a sync on the committed result
//! changes nothing; a refused map stops the sync with vendors/ untouched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn git(dir: &Path, args: &[&str]) {
    let mut command = Command::new("git");
    for v in crate::common::GIT_VARIABLES {
        command.env_remove(v);
    }
    let o = command
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A scratch repository with the import fixture's vendors and one workload, committed.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("tests/fixtures/import/vendors", "vendors"),
        ("tests/fixtures/lifecycle/workloads", "workloads"),
    ] {
        std::fs::create_dir_all(dir.path().join(to)).unwrap();
        for e in std::fs::read_dir(root().join(from)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.path().join(to).join(e.file_name())).unwrap();
        }
    }
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "base"]);
    dir
}

/// The LiteLLM snapshot without its retirement dates: all fall before the
/// sync's date 2026-12-01, and an import holds back a retirement before its
/// report date until a person accepts it (issue 19).
fn litellm_without_retirements(dir: &Path) -> PathBuf {
    let text = read(root().join("tests/fixtures/import/litellm.json"));
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("deprecation_date"))
        .collect();
    let path = dir.join("litellm-served.json");
    std::fs::write(&path, kept.join("\n")).unwrap();
    path
}

fn sync(dir: &Path, genai: &Path) -> Output {
    let litellm = litellm_without_retirements(dir);
    let mut command = Command::new("bash");
    for v in crate::common::GIT_VARIABLES {
        command.env_remove(v);
    }
    command
        .arg(root().join("scripts/price-sync.sh"))
        .env("INFERCOST", env!("CARGO_BIN_EXE_infercost"))
        .env("GENAI_PRICES_URL", format!("file://{}", genai.display()))
        .env("LITELLM_URL", format!("file://{}", litellm.display()))
        .env("AS_OF", "2026-12-01")
        .env("OUT", dir.join("out"))
        .current_dir(dir)
        .output()
        .expect("bash runs")
}

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn a_sync_imports_both_maps_and_writes_the_diff_as_the_pull_request_body() {
    let dir = repo();
    let genai = root().join("tests/fixtures/import/genai-prices.json");
    let o = sync(dir.path(), &genai);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(dir.path().join("out/changed")), "true\n");
    let body = read(dir.path().join("out/body.md"));
    assert!(body.starts_with("<!-- infercost-price-sync -->\nWeekly price sync: genai-prices and LiteLLM imported on 2026-12-01"), "{body}");
    // The diff names the moved Together price (0.88 -> 1.04, genai-prices' change of 2026-10-19).
    assert!(
        body.contains("| vendor `together` | `serverless[llama-3.3-70b].input_usd_per_mtok` | `0.88` | `1.04` | +18% |"),
        "{body}"
    );
    // One unmapped entry per map (Fireworks' Kimi K2.7 Code).
    assert!(
        body.contains("changed   together llama-3.3-70b input_usd_per_mtok: 0.88 -> 1.04"),
        "{body}"
    );
    assert!(
        body.contains("2 map entries have no canonical id"),
        "{body}"
    );
    // Committed, the next sync finds nothing to do.
    git(dir.path(), &["commit", "-qam", "price sync"]);
    let again = sync(dir.path(), &genai);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(read(dir.path().join("out/changed")), "false\n");
}

#[test]
fn a_refused_map_stops_the_sync_and_leaves_the_profiles_alone() {
    let dir = repo();
    let text = read(root().join("tests/fixtures/import/genai-prices.json"));
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &text[..text.len() / 3]).unwrap();
    let o = sync(dir.path(), &truncated);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("not valid JSON"));
    let mut git_status = Command::new("git");
    for v in crate::common::GIT_VARIABLES {
        git_status.env_remove(v);
    }
    let status = git_status
        .args(["status", "--porcelain", "vendors"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        status.stdout.is_empty(),
        "vendors/ changed: {}",
        String::from_utf8_lossy(&status.stdout)
    );
    let missing = sync(dir.path(), &dir.path().join("no-such-file.json"));
    assert!(
        !missing.status.success(),
        "a failed download fails the sync"
    );
}

#[test]
fn the_workflow_runs_the_script_with_pinned_actions_least_privilege_and_a_timeout() {
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
    assert!(
        yml.contains("\npermissions:\n  contents: read\n"),
        "read-only by default"
    );
    assert!(yml.contains("timeout-minutes:"));
    assert!(yml.contains("persist-credentials: false"));
    assert!(yml.contains("run: scripts/price-sync.sh"));
    assert!(yml.contains("schedule:") && yml.contains("workflow_dispatch:"));
}
