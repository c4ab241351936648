//! A hostile contributor's pull request, tried through the real binary:
//! each test is one attack on `infercost diff`, the profile loader or the
//! report writer, and asserts that it fails (issue 12); the `import_*`
//! modules do the same for a hostile price map and for bad luck around
//! `infercost import` (issue 19). One module per kind of attack; this file
//! holds what they share.

mod comment;
mod files;
mod import_files;
mod import_guards;
mod import_runs;
mod import_text;
mod out;
mod sides;
mod text;
mod workflow;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) use crate::common::{infercost, root, GIT_VARIABLES};

/// The base side of the diff fixture (`vendors/`, `workloads/`).
pub(crate) fn base_fixture() -> PathBuf {
    root().join("tests/fixtures/diff/base")
}

/// A run's standard output, as text.
pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A run's standard error, as text.
pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs git in `dir` with an identity and no signing, as on a fresh machine.
pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let mut command = Command::new("git");
    for v in GIT_VARIABLES {
        command.env_remove(v);
    }
    let out = command
        .args([
            "-c",
            "user.name=infercost test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Copies the files of folder `from` into `to` (created).
pub(crate) fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// The base fixture as `base/` and `head/` of a scratch folder.
pub(crate) fn sides() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for side in ["base", "head"] {
        for sub in ["vendors", "workloads"] {
            copy_folder(&base_fixture().join(sub), &tmp.path().join(side).join(sub));
        }
    }
    tmp
}

/// A repository whose one commit (also `origin/main`) holds the base fixture.
pub(crate) fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["vendors", "workloads"] {
        copy_folder(&base_fixture().join(sub), &tmp.path().join(sub));
    }
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "vendors", "workloads"]);
    git(tmp.path(), &["commit", "-q", "-m", "base prices"]);
    git(
        tmp.path(),
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    tmp
}

/// A LiteLLM map of `entries` (`"key": {fields}` pairs, as JSON text).
pub(crate) fn litellm_map(dir: &Path, entries: &[&str]) -> PathBuf {
    let path = dir.join("map.json");
    std::fs::write(&path, format!("{{{}}}", entries.join(",\n"))).unwrap();
    path
}

/// Groq's gpt-oss-120b in LiteLLM, per token: $0.15 and $0.60 per 1M, as
/// the import fixture's profile has them, plus `extra` fields.
pub(crate) fn groq_oss(extra: &str) -> String {
    format!(
        r#""groq/openai/gpt-oss-120b": {{"litellm_provider": "groq", "input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07{extra}}}"#
    )
}
