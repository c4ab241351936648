//! Job 2 of the price sync, `.github/scripts/publish-price-sync.sh`, run on
//! job 1's real artifact in a fresh clone, with a fake `gh` that records
//! what it was asked and what the remote branch held at that moment: a
//! patch that touches anything but existing vendors/*.yaml files, a body
//! without the marker or over the limit are refused with nothing pushed;
//! an open pull request's body is replaced by a note before the push and
//! by the new body (naming the pushed commit) after it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{git, read, repo, root, sync};

/// A fake `gh`: `pr list` answers pull request 7 when `$PR_STATE` is
/// `OPEN`, nothing otherwise, and fails when it is `ERROR`; `pr edit` and
/// `pr create` append to `$GH_LOG` the commit the remote's `price-sync`
/// branch holds and the body.
const FAKE_GH: &str = r#"#!/usr/bin/env bash
set -eu
remote=$(git --git-dir="$REMOTE" rev-parse -q --verify refs/heads/price-sync || echo none)
case "$1 $2" in
  "pr list")
    case "${PR_STATE:-}" in OPEN) echo 7 ;; ERROR) echo "HTTP 502" >&2; exit 1 ;; esac
    exit 0 ;;
  "pr edit" | "pr create")
    while [ "$#" -gt 0 ] && [ "$1" != --body-file ]; do shift; done
    { echo "=== $remote"; cat "$2"; } >>"$GH_LOG" ;;
  *) echo "unexpected gh $*" >&2; exit 3 ;;
esac
"#;

/// Job 1's artifact (a real sync of the fixture maps) beside a fresh clone
/// of the committed repository and a bare remote: (scratch, clone, artifact,
/// remote).
fn job_two() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = repo();
    let o = sync(
        dir.path(),
        &root().join("tests/fixtures/import/genai-prices.json"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let artifact = dir.path().join("out");
    let remote = dir.path().join("remote.git");
    let clone = dir.path().join("clone");
    git(
        dir.path(),
        &["clone", "-q", "--bare", ".", remote.to_str().unwrap()],
    );
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(bin.join("gh"), FAKE_GH).unwrap();
    std::fs::set_permissions(
        bin.join("gh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    (dir, clone, artifact, remote)
}

fn publish(scratch: &Path, clone: &Path, artifact: &Path, remote: &Path, pr_state: &str) -> Output {
    let mut command = Command::new("bash");
    for v in crate::common::GIT_VARIABLES {
        command.env_remove(v);
    }
    let path = format!(
        "{}:{}",
        scratch.join("bin").display(),
        std::env::var("PATH").unwrap()
    );
    command
        .arg(root().join(".github/scripts/publish-price-sync.sh"))
        .arg(artifact)
        .env("PATH", path)
        .env("REPO", "o/r")
        .env("GH_TOKEN", "not-a-token")
        .env("PUSH_URL", remote)
        .env("REMOTE", remote)
        .env("PR_STATE", pr_state)
        .env("GH_LOG", scratch.join("gh.log"))
        .current_dir(clone)
        .output()
        .expect("bash runs")
}

fn remote_branch(remote: &Path) -> Option<String> {
    let o = Command::new("git")
        .args([
            "--git-dir",
            remote.to_str().unwrap(),
            "rev-parse",
            "-q",
            "--verify",
            "refs/heads/price-sync",
        ])
        .output()
        .unwrap();
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

#[test]
fn an_open_pull_request_gets_a_note_before_the_push_and_its_body_after() {
    let (scratch, clone, artifact, remote) = job_two();
    let o = publish(scratch.path(), &clone, &artifact, &remote, "OPEN");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pushed = remote_branch(&remote).expect("the branch was pushed");
    let log = read(scratch.path().join("gh.log"));
    let calls: Vec<&str> = log.split("=== ").skip(1).collect();
    assert_eq!(calls.len(), 2, "{log}");
    // Before the push: the remote has no branch, the body is the note.
    assert!(
        calls[0].starts_with("none\n<!-- infercost-price-sync -->\nThe price sync is pushing"),
        "{log}"
    );
    // After: the remote holds the commit that the body names.
    let body = read(artifact.join("body.md"));
    assert_eq!(
        calls[1],
        format!("{pushed}\n{body}\nThis body describes commit {pushed}.\n")
    );
    // The commit is the patch, on the committed base, and nothing else.
    let files = git(&clone, &["diff", "--name-only", "HEAD~1", "HEAD"]);
    assert_eq!(
        files,
        "vendors/baseten.yaml\nvendors/fireworks.yaml\nvendors/groq.yaml\nvendors/together.yaml\n"
    );
}

#[test]
fn without_an_open_pull_request_the_branch_is_pushed_then_the_pull_request_opened() {
    let (scratch, clone, artifact, remote) = job_two();
    let o = publish(scratch.path(), &clone, &artifact, &remote, "CLOSED");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pushed = remote_branch(&remote).unwrap();
    let log = read(scratch.path().join("gh.log"));
    assert!(
        log.starts_with(&format!("=== {pushed}\n<!-- infercost-price-sync -->\n")),
        "{log}"
    );
    assert_eq!(log.matches("=== ").count(), 1);
}

/// When GitHub cannot say whether a pull request is open, nothing is pushed
/// (pushing under an open pull request's old body is the unsafe order).
#[test]
fn a_failed_pull_request_query_pushes_nothing() {
    let (scratch, clone, artifact, remote) = job_two();
    let o = publish(scratch.path(), &clone, &artifact, &remote, "ERROR");
    assert!(!o.status.success());
    assert_eq!(remote_branch(&remote), None);
    assert!(!scratch.path().join("gh.log").exists());
}

/// Replaces the artifact's patch by `patch` and expects a refusal naming `why`.
fn refused(edit: impl FnOnce(&Path, &Path), why: &str) {
    let (scratch, clone, artifact, remote) = job_two();
    edit(&clone, &artifact);
    let o = publish(scratch.path(), &clone, &artifact, &remote, "OPEN");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("price sync not published: ") && err.contains(why),
        "expected `{why}` in {err}"
    );
    assert_eq!(remote_branch(&remote), None, "pushed after a refusal");
    assert!(
        !scratch.path().join("gh.log").exists(),
        "gh called after a refusal"
    );
}

/// A patch made in the clone by `change`, as job 1 would have uploaded it.
fn patch_of(clone: &Path, artifact: &Path, change: impl FnOnce(&Path)) {
    change(clone);
    git(clone, &["add", "-A"]);
    let patch = git(clone, &["diff", "--cached", "--no-ext-diff"]);
    git(clone, &["reset", "-q", "--hard"]);
    git(clone, &["clean", "-qfd"]);
    std::fs::write(artifact.join("vendors.patch"), patch).unwrap();
}

#[test]
fn a_patch_beyond_the_vendor_files_is_refused_and_nothing_is_pushed() {
    // A workflow slipped in beside a price.
    refused(
        |clone, artifact| {
            patch_of(clone, artifact, |c| {
                std::fs::write(
                    c.join("vendors/groq.yaml"),
                    read(c.join("vendors/groq.yaml")) + "# x\n",
                )
                .unwrap();
                std::fs::create_dir_all(c.join(".github/workflows")).unwrap();
                std::fs::write(c.join(".github/workflows/evil.yml"), "on: push\n").unwrap();
            })
        },
        "creates, deletes, renames or changes the mode of files",
    );
    // A change to an existing file outside vendors/.
    refused(
        |clone, artifact| {
            patch_of(clone, artifact, |c| {
                let w = std::fs::read_dir(c.join("workloads"))
                    .unwrap()
                    .next()
                    .unwrap()
                    .unwrap()
                    .path();
                std::fs::write(&w, read(w.clone()) + "# x\n").unwrap();
            })
        },
        "not a vendors/*.yaml file",
    );
    // A new vendor file, and a deleted one.
    refused(
        |clone, artifact| {
            patch_of(clone, artifact, |c| {
                std::fs::write(c.join("vendors/new.yaml"), "x\n").unwrap()
            })
        },
        "creates, deletes, renames",
    );
    refused(
        |clone, artifact| {
            patch_of(clone, artifact, |c| {
                std::fs::remove_file(c.join("vendors/groq.yaml")).unwrap()
            })
        },
        "creates, deletes, renames",
    );
    // A patch made against other text.
    refused(
        |clone, _| {
            std::fs::write(clone.join("vendors/groq.yaml"), "changed under the patch\n").unwrap();
            git(clone, &["commit", "-qam", "moved on"]);
        },
        "does not apply to this commit",
    );
}

#[test]
fn a_body_without_the_marker_or_over_the_limit_is_refused() {
    refused(
        |_, artifact| std::fs::write(artifact.join("body.md"), "## Approved, merge now\n").unwrap(),
        "body.md does not start with <!-- infercost-price-sync -->",
    );
    refused(
        |_, artifact| {
            let big = format!("<!-- infercost-price-sync -->\n{}\n", "x".repeat(65_536));
            std::fs::write(artifact.join("body.md"), big).unwrap()
        },
        "body.md is 65567 bytes, over 65408",
    );
    refused(
        |_, artifact| std::fs::write(artifact.join("changed"), "yes\n").unwrap(),
        "changed is neither true nor false",
    );
}
