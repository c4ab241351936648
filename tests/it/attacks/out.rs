//! Attacks 5 and 6: concurrent runs on one `out/`, and `out/` at a mount
//! point.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

/// `infercost report` on the diff's base fixture into `out`, in `dir`, with
/// extra environment.
fn report(dir: &Path, env: &[(&str, &Path)]) -> std::process::Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infercost"));
    command
        .args(["report", "--out", "out", "--vendors"])
        .arg(base_fixture().join("vendors"))
        .arg("--workloads")
        .arg(base_fixture().join("workloads"))
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().unwrap()
}

/// Every file under `dir`, relative to it.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                files.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// Waits until `done`; fails if `run` exits first (then it never comes).
/// No time limit: a run that hung would show as a test that never ends.
fn wait_for(what: &str, run: &mut std::process::Child, done: impl Fn() -> bool) {
    while !done() {
        if let Some(status) = run.try_wait().unwrap() {
            panic!("the run exited ({status}) before {what}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Attack 5: a second run starts while the first has staged its report and
/// not yet swapped it in (held there by the test hook). The second waits
/// for the first instead of deleting its staging folder; both succeed and
/// `out/` is a complete report, marker included.
#[test]
fn two_runs_on_one_out_take_turns() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut expected = report(dir, &[]);
    assert!(expected.wait().unwrap().success());
    let complete = listing(&dir.join("out"));
    assert!(
        complete.contains(&PathBuf::from(".infercost")),
        "{complete:?}"
    );
    std::fs::remove_dir_all(dir.join("out")).unwrap();

    let pause = dir.join("pause");
    let mut first = report(dir, &[("INFERCOST_TEST_PAUSE_BEFORE_SWAP", &pause)]);
    wait_for("the first run staged its report", &mut first, || {
        pause.exists()
    });
    let staging: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".out.tmp-"))
        .collect();
    assert_eq!(staging.len(), 1, "{staging:?}");
    let mut second = report(dir, &[]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        second.try_wait().unwrap().is_none(),
        "the second run did not wait"
    );
    assert!(
        staging[0].join(".infercost").exists(),
        "the first run's staging was removed"
    );

    std::fs::remove_file(&pause).unwrap();
    for run in [first, second] {
        let out = run.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(listing(&dir.join("out")), complete);
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".out."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Unmounts a tmpfs when dropped, also when the test fails.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Attack 6: `--out` at a mount point cannot be renamed; the run says so
/// before rendering anything, and leaves the mount as it was.
#[test]
fn out_at_a_mount_point_is_refused_before_rendering() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&out_dir)
        .output();
    if !mounted.as_ref().is_ok_and(|m| m.status.success()) {
        // Mounting needs root (CI and the development machines run as root).
        eprintln!("skipped: cannot mount a tmpfs here ({mounted:?})");
        return;
    }
    let _mount = Mount(out_dir.clone());
    let out = report(tmp.path(), &[]).wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to write the report to out: it is a mount point, which cannot be replaced as a whole; choose a folder inside it (--out out/report)"),
        "{err}"
    );
    assert!(listing(&out_dir).is_empty());
    let out = Command::new(env!("CARGO_BIN_EXE_infercost"))
        .args(["report", "--out", "out/report", "--vendors"])
        .arg(base_fixture().join("vendors"))
        .arg("--workloads")
        .arg(base_fixture().join("workloads"))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
