//! A hostile contributor's pull request, tried through the real binary:
//! each test is one attack on `infercost diff`, the profile loader or the
//! report writer, and asserts that it fails (issue 12).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Git variables that would point git at another repository than the
/// current folder's (as they do inside a git hook).
const GIT_VARIABLES: &[&str] = &["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"];

fn infercost(args: &[&str], dir: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infercost"));
    for v in GIT_VARIABLES {
        command.env_remove(v);
    }
    command
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn base_fixture() -> PathBuf {
    root().join("tests/fixtures/diff/base")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs git in `dir` with an identity and no signing, as on a fresh machine.
fn git(dir: &Path, args: &[&str]) -> String {
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
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// A repository whose one commit (also `origin/main`) holds the base fixture.
fn repository() -> tempfile::TempDir {
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

/// Attack 1: the pull request raises a price and adds `origin/main/vendors/`
/// and `origin/main/workloads/`, copies of its own profiles, hoping that
/// `--base origin/main` reads them and reports no change.
#[test]
fn a_folder_named_after_the_base_revision_cannot_stand_in_for_it() {
    let repo = repository();
    let dir = repo.path();
    let api = dir.join("vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        text.replace("output_usd_per_mtok: 0.88", "output_usd_per_mtok: 0.99"),
    )
    .unwrap();
    for sub in ["vendors", "workloads"] {
        copy_folder(&dir.join(sub), &dir.join("origin/main").join(sub));
    }
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "raise a price, and hide it"]);

    // The bare name is both: refused, in words, before anything is read.
    let out = infercost(
        &["diff", "--base", "origin/main", "--fail-on-pick-change"],
        dir,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains(
            "ambiguous: `origin/main` is both a folder and a revision; say `--base-rev origin/main`"
        ),
        "{}",
        stderr(&out)
    );

    // The revision, by flag or by prefix, sees the real change:
    // 0.88 → 0.99 is +12.5%, shown rounded as +13%.
    let row = "| vendor `api` | `serverless[llama-3.3-70b].output_usd_per_mtok` | `0.88` | `0.99` | +13% |";
    for args in [
        ["diff", "--base-rev", "origin/main"],
        ["diff", "--base", "rev:origin/main"],
    ] {
        let out = infercost(&args, dir);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains(row), "{args:?}: {}", stdout(&out));
    }

    // The folder, asked for as a folder, is the PR's own copy: no change.
    let out = infercost(&["diff", "--base-dir", "origin/main"], dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("infercost diff: no change"));

    // Two forms of one side are a usage error from the argument parser.
    let out = infercost(&["diff", "--base", "rev:main", "--base-dir", "x"], dir);
    assert_eq!(out.status.code(), Some(2));
}
