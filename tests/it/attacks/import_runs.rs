//! Issue 19, attack 2: two imports at once on one vendors folder, and an
//! import killed midway. The folder's lock is held from the first read to
//! the last rename: a second import waits (`--lock-wait`) and then fails in
//! words, writing nothing; every profile is staged in its own temporary
//! file before the first rename; temporaries of a dead import are removed.
//! Made deterministic by holding the lock from the test, and by pausing the
//! first import after it staged its files (a test-build hook).

use std::process::{Command, Stdio};

use super::*;
use crate::import::{files, fixture, import, scratch, ACCEPT};

const BUSY: &str = "another infercost import is updating these profiles (it holds the folder's lock); waited 0 s and wrote nothing";

/// The test holds the lock, as a running import would.
#[cfg(target_os = "linux")]
#[test]
fn an_import_fails_in_words_while_another_holds_the_lock() {
    use rustix::fs::{flock, FlockOperation};
    let dir = scratch();
    let before = files(&dir.path().join("vendors"));
    let held = std::fs::File::open(dir.path().join("vendors")).unwrap();
    flock(&held, FlockOperation::LockExclusive).unwrap();
    let genai = fixture("genai-prices.json");
    let out = import(dir.path(), "genai-prices", &genai, &["--lock-wait", "0"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(&format!("vendors: {BUSY}")),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        files(&dir.path().join("vendors")),
        before,
        "nothing written"
    );
    drop(held);
    let out = import(dir.path(), "genai-prices", &genai, &["--lock-wait", "0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Waits until `file` exists (the paused import created it).
fn wait_for(file: &Path) {
    for _ in 0..6000 {
        if file.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the first import never reached its pause");
}

/// The profiles of `vendors`, without the hidden temporary files.
fn profiles(vendors: &Path) -> Vec<(String, String)> {
    let mut all = files(vendors);
    all.retain(|(name, _)| !name.starts_with('.'));
    all
}

/// The names of the hidden temporary files in `vendors`.
fn temporaries(vendors: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(vendors)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.ends_with(".tmp"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_import_during_the_first_fails_in_words_and_both_land_in_turn() {
    let dir = scratch();
    let vendors = dir.path().join("vendors");
    let before = profiles(&vendors);
    let pause = dir.path().join("paused");
    let first = Command::new(env!("CARGO_BIN_EXE_infercost"))
        .args(["import", "genai-prices"])
        .arg(fixture("genai-prices.json"))
        .args(["--as-of", "2026-12-01"])
        .env("INFERCOST_TEST_PAUSE_BEFORE_RENAME", &pause)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&pause);
    // Paused between its last write and its first rename: every profile it
    // changes is staged, none replaced.
    let pid = first.id();
    let expected: Vec<String> = files(&fixture("after-genai-prices/vendors"))
        .into_iter()
        .zip(&before)
        .filter(|(after, was)| after != *was)
        .map(|((name, _), _)| format!(".{name}.import-{pid}.tmp"))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(temporaries(&vendors), expected);
    assert_eq!(profiles(&vendors), before);

    let litellm = fixture("litellm.json");
    let second = import(
        dir.path(),
        "litellm",
        &litellm,
        &["--accept-large-moves", "--lock-wait", "0"],
    );
    assert_eq!(second.status.code(), Some(1), "{}", stdout(&second));
    assert!(stderr(&second).contains(BUSY), "{}", stderr(&second));
    // The second touched nothing, not even the first one's temporaries.
    assert_eq!(temporaries(&vendors), expected);
    assert_eq!(profiles(&vendors), before);

    std::fs::remove_file(&pause).unwrap();
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(
        profiles(&vendors),
        files(&fixture("after-genai-prices/vendors"))
    );
    let second = import(dir.path(), "litellm", &litellm, ACCEPT);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(profiles(&vendors), files(&fixture("after-both/vendors")));
    assert!(temporaries(&vendors).is_empty());
}

#[test]
fn temporaries_of_a_dead_import_are_removed_at_start() {
    let dir = scratch();
    let vendors = dir.path().join("vendors");
    // A killed run of this version, and one of the version before.
    std::fs::write(vendors.join(".groq.yaml.import-4242.tmp"), "vendor: gr").unwrap();
    std::fs::write(vendors.join("groq.yaml.import-tmp"), "vendor: gr").unwrap();
    let genai = fixture("genai-prices.json");
    let check = import(dir.path(), "genai-prices", &genai, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(
        vendors.join("groq.yaml.import-tmp").exists(),
        "--check writes nothing"
    );
    let out = import(dir.path(), "genai-prices", &genai, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for name in [".groq.yaml.import-4242.tmp", "groq.yaml.import-tmp"] {
        assert!(!vendors.join(name).exists(), "{name} left");
        let note = format!("note: removed vendors/{name}, left by an import that did not finish");
        assert!(stderr(&out).contains(&note), "{}", stderr(&out));
    }
    assert_eq!(
        profiles(&vendors),
        files(&fixture("after-genai-prices/vendors"))
    );
}
