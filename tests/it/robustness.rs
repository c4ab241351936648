//! Hostile input and hostile moments, through the real executable: an alias
//! bomb, a 50 MB file, a binary file, a file that is not UTF-8 and deeply
//! nested documents each get a clear error naming the file, quickly, within
//! a memory limit; a run killed half-way leaves the previous `out/`
//! complete; `--out` at a place that cannot or must not hold a report is
//! refused in words. "Quickly" is a CPU-time limit on the process, work the
//! machine's load does not inflate, not a wall-clock assertion; `cargo
//! bench` measures speed.

use crate::common::{self, scratch, tree};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

#[path = "../../examples/gen_workloads/generate.rs"]
mod generate;

/// Virtual memory a run may use, in KiB: far above a normal run (~100 MB of
/// address space), far below what an unchecked bomb would take.
const MEMORY_LIMIT_KIB: u64 = 1 << 20;

/// CPU time a run may use, in seconds: a debug build refuses each hostile
/// file in well under a second of CPU; an unchecked bomb would spin for
/// minutes. Past it the kernel stops the run (SIGXCPU), which fails the test.
const CPU_LIMIT_S: u64 = 20;

/// Runs infercost in `dir` under the memory and CPU-time limits.
fn run_limited(args: &[&str], dir: &Path) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && ulimit -t {CPU_LIMIT_S} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_infercost"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("sh runs")
}

/// Writes `bytes` as `workloads/hostile.yaml`, validates, and checks the
/// refusal: exit status 2, the file named with `expected`, a short message,
/// within the CPU-time and memory limits.
fn refused(bytes: &[u8], expected: &str) {
    let dir = scratch("basic");
    std::fs::write(dir.path().join("workloads/hostile.yaml"), bytes).unwrap();
    let out = run_limited(&["validate"], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("workloads/hostile.yaml") && err.contains(expected),
        "expected `{expected}` in:\n{err}"
    );
    assert!(
        err.len() < 4_000,
        "the message is {} bytes long:\n{}",
        err.len(),
        &err[..1_000]
    );
}

/// The "billion laughs": nine levels of nine aliases of the level below.
fn billion_laughs(under: &str) -> String {
    let mut text = format!("{under}\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("  - &a{i} [{refs}]\n"));
    }
    text
}

#[test]
fn an_alias_bomb_is_refused_before_it_expands() {
    refused(billion_laughs("laughs:").as_bytes(), "alias bomb");
    let in_a_field = format!(
        "workload: hostile\nname: x\nmodel: m\nrequests_per_day: 1\n{}",
        billion_laughs("requirements:\n compliance:")
    );
    refused(in_a_field.as_bytes(), "alias bomb");
}

#[test]
fn aliases_of_a_large_string_are_refused_before_they_expand() {
    // 800 KB of text that serde would expand into 18 GB of strings.
    let text = format!(
        "workload: hostile\nname: &a \"{}\"\ndescription: [{}]\n",
        "x".repeat(100_000),
        vec!["*a"; 180_000].join(", ")
    );
    refused(text.as_bytes(), "alias bomb");
}

#[test]
fn a_50_mb_file_is_refused_unread() {
    let mut text = b"workload: hostile\n".to_vec();
    text.resize(50 << 20, b'#');
    refused(&text, "a profile is at most 1048576 bytes");
}

#[test]
fn a_binary_file_is_refused() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(64 << 10).collect();
    refused(&bytes, "not UTF-8 text");
    refused(b"workload: \0\0\0\x01\x02", "NUL bytes");
}

#[test]
fn a_file_that_is_not_utf8_is_refused() {
    // Latin-1 "café".
    refused(b"workload: hostile\nname: caf\xe9\n", "not UTF-8 text");
}

#[test]
fn deeply_nested_documents_are_refused_without_overflowing_the_stack() {
    let flow = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    refused(flow.as_bytes(), "invalid YAML");
    let maps = format!("{}1{}", "{a: ".repeat(100_000), "}".repeat(100_000));
    refused(maps.as_bytes(), "invalid YAML");
    // Block sequences overflowed the stack of yaml-rust2's recursive loader.
    let block = format!("{}x\n", "- ".repeat(100_000));
    refused(block.as_bytes(), "nested deeper than 64 levels");
    let indented: String = (0..1_000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    refused(indented.as_bytes(), "nested deeper than 64 levels");
}

#[test]
fn long_keys_nested_under_long_keys_are_refused_before_they_fill_memory() {
    // Every field path repeats the 300 KB key: 18 GB of paths to index.
    let mut text = format!("? {}\n:\n", "k".repeat(300_000));
    for i in 0..60_000 {
        text.push_str(&format!("  c{i}: 1\n"));
    }
    refused(text.as_bytes(), "field paths pass 64 MiB");
}

#[test]
fn a_single_long_line_shows_a_window_of_itself() {
    // A minified profile with an error 500 KB into its only line.
    let text = format!(
        "{{workload: hostile, name: x, description: \"{}\", model: m, requests_per_day: -1}}",
        "y".repeat(500_000)
    );
    refused(text.as_bytes(), "requests_per_day");
}

/// Runs the binary and asserts that it succeeds.
fn infercost(args: &[&str], dir: &Path) -> Output {
    let out = common::infercost(args, dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Whether a staging folder of a run writing `out` exists in `parent`.
fn staging_exists(parent: &Path) -> bool {
    std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(".out.tmp-"))
}

#[test]
fn a_run_killed_half_way_leaves_the_previous_report_complete() {
    let dir = scratch("basic");
    let big = dir.path().join("big");
    std::fs::create_dir(&big).unwrap();
    let bundled: Vec<(String, String)> = infercost::profile::embedded::workloads()
        .into_iter()
        .filter_map(|f| f.text.ok().map(|t| (f.stem, t)))
        .collect();
    for (stem, text) in generate::workloads(&bundled, 800) {
        std::fs::write(big.join(format!("{stem}.yaml")), text).unwrap();
    }
    let vendors = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendors");
    let vendors = vendors.to_str().unwrap();
    // The previous report, and what the big run writes when left alone.
    infercost(&["report", "--out", "out"], dir.path());
    let previous = tree(&dir.path().join("out"));
    let big_args = [
        "report",
        "--vendors",
        vendors,
        "--workloads",
        "big",
        "--format",
        "json",
    ];
    infercost(
        &[&big_args[..], &["--out", "expected"]].concat(),
        dir.path(),
    );
    let finished = tree(&dir.path().join("expected"));
    assert!(finished.len() > 800);

    let mut killed_while_writing = 0;
    for delay_ms in [0, 2, 20] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_infercost"))
            .args(big_args)
            .args(["--out", "out"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait for the run to start writing (or to end), then kill it (SIGKILL).
        while !staging_exists(dir.path()) && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = tree(&dir.path().join("out"));
        if status.success() {
            assert!(now == finished, "a finished run left an incomplete report");
        } else if now == previous {
            killed_while_writing += 1;
        } else {
            assert!(
                now == finished,
                "a killed run left neither the previous report nor the new one ({} files)",
                now.len()
            );
        }
        // Put the previous report back for the next round.
        infercost(&["report", "--out", "out"], dir.path());
        assert!(tree(&dir.path().join("out")) == previous);
        assert!(!staging_exists(dir.path()), "the next run cleans up");
    }
    eprintln!("{killed_while_writing} of 3 runs were killed while writing");
    assert!(
        killed_while_writing > 0,
        "no run was killed while writing; the test proved nothing"
    );
}

/// Runs `report --out <out>` in a scratch folder; returns the error text.
fn out_refusal(out: &str, dir: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_infercost"))
        .args(["report", "--format", "json", "--out", out])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "--out {out}");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn out_inside_a_file_is_refused() {
    let dir = scratch("basic");
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let err = out_refusal("notes.txt/report", dir.path());
    assert!(
        err.contains("refusing to write the report to notes.txt/report")
            && err.contains("notes.txt is not a folder"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("notes.txt")).unwrap(),
        b"mine"
    );
}

#[test]
fn out_in_an_unwritable_folder_is_refused() {
    let dir = scratch("basic");
    // Tests run as root, whom permissions do not stop: sysfs refuses new
    // folders to everyone, and so does a folder marked immutable.
    let err = out_refusal("/sys/infercost-out", dir.path());
    assert!(
        err.contains(
            "refusing to write the report to /sys/infercost-out: cannot create a folder in /sys"
        ),
        "{err}"
    );
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let chattr = |flag: &str| {
        Command::new("chattr")
            .arg(flag)
            .arg(&locked)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if chattr("+i") {
        let err = out_refusal("locked/out", dir.path());
        chattr("-i");
        assert!(
            err.contains("refusing to write the report to locked/out: cannot create a folder in"),
            "{err}"
        );
    } else {
        eprintln!("chattr +i is not available here; the immutable-folder case is skipped");
    }
}

#[test]
fn out_inside_or_through_a_link_to_the_profiles_is_refused() {
    let dir = scratch("basic");
    let err = out_refusal("vendors/report", dir.path());
    assert!(
        err.contains("it is inside the profiles in vendors"),
        "{err}"
    );
    std::os::unix::fs::symlink(dir.path().join("workloads"), dir.path().join("link")).unwrap();
    let err = out_refusal("link", dir.path());
    assert!(err.contains("it holds the profiles in workloads"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path().join("vendors"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn a_workload_id_cannot_lead_a_report_out_of_out() {
    // `...yaml` has the stem `..`: as a workload id it would write `out/../report.json`.
    let dir = scratch("basic");
    let text = std::fs::read_to_string(dir.path().join("workloads/chat.yaml")).unwrap();
    std::fs::write(
        dir.path().join("workloads/...yaml"),
        text.replace("workload: chat", "workload: \"..\""),
    )
    .unwrap();
    let out = run_limited(&["report", "--format", "json"], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("starting with a letter or digit, found `..`"),
        "{err}"
    );
    assert!(!dir.path().join("report.json").exists());
}
