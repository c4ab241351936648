//! The weekly price sync (`.github/workflows/price-sync.yml`), run locally:
//! job 1's `scripts/price-sync.sh` on the fixture snapshots of both maps
//! (served as file:// URLs) in a scratch git repository: a first sync
//! changes the profiles and writes a pull-request body with the `infercost
//! diff`; a sync on the committed result changes nothing; a refused map
//! stops the sync with vendors/ untouched. The attacks on it are in
//! `poisoned.rs` (a hostile map), `publish.rs` (job 2's checks of the
//! artifact and its publishing order) and `workflow.rs` (which job holds
//! which token).

mod poisoned;
mod publish;
mod workflow;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::attacks::git;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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

/// `litellm` without its retirement dates, beside it in `dir`: all fall
/// before the sync's date 2026-12-01, and an import holds back a retirement
/// before its report date until a person accepts it (issue 19).
fn without_retirements(dir: &Path, litellm: &Path) -> PathBuf {
    let mut map: serde_json::Value = serde_json::from_str(&read(litellm.to_path_buf())).unwrap();
    for entry in map.as_object_mut().unwrap().values_mut() {
        if let Some(fields) = entry.as_object_mut() {
            fields.remove("deprecation_date");
        }
    }
    let path = dir.join("litellm-served.json");
    std::fs::write(&path, serde_json::to_string(&map).unwrap()).unwrap();
    path
}

/// The fixture's LiteLLM map.
fn litellm_fixture() -> PathBuf {
    root().join("tests/fixtures/import/litellm.json")
}

/// `scripts/price-sync.sh` in `dir` on the maps at `genai` and `litellm`,
/// with `env` added; its results go to `dir/out`.
fn sync_command(dir: &Path, genai: &Path, litellm: &Path, env: &[(&str, &str)]) -> Command {
    let litellm = &without_retirements(dir, litellm);
    let mut command = Command::new("bash");
    for v in crate::common::GIT_VARIABLES {
        command.env_remove(v);
    }
    command
        .arg(root().join("scripts/price-sync.sh"))
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("INFERCOST", env!("CARGO_BIN_EXE_infercost"))
        .env("GENAI_PRICES_URL", format!("file://{}", genai.display()))
        .env("LITELLM_URL", format!("file://{}", litellm.display()))
        .env("AS_OF", "2026-12-01")
        .env("OUT", dir.join("out"))
        .envs(env.iter().copied())
        .current_dir(dir);
    command
}

fn sync(dir: &Path, genai: &Path) -> Output {
    sync_command(dir, genai, &litellm_fixture(), &[])
        .output()
        .expect("bash runs")
}

/// The sync as the workflow log shows it: standard output and error
/// interleaved in one file, in the order written. Returns the exit status
/// and the log.
fn sync_logged(
    dir: &Path,
    genai: &Path,
    litellm: &Path,
    env: &[(&str, &str)],
) -> (std::process::ExitStatus, String) {
    let log = dir.join("sync.log");
    let file = std::fs::File::create(&log).unwrap();
    let status = sync_command(dir, genai, litellm, env)
        .stdout(Stdio::from(file.try_clone().unwrap()))
        .stderr(Stdio::from(file))
        .status()
        .expect("bash runs");
    (
        status,
        String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned(),
    )
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
    let status = git(dir.path(), &["status", "--porcelain", "vendors"]);
    assert!(status.is_empty(), "vendors/ changed: {status}");
    let missing = sync(dir.path(), &dir.path().join("no-such-file.json"));
    assert!(
        !missing.status.success(),
        "a failed download fails the sync"
    );
}
