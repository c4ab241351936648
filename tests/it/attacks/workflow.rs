//! Attack 4: the workflow's script as job 1 runs it, and the comment cut
//! below GitHub's limit.

use std::process::Command;

use super::*;

/// Attack 4, the comment size: 200 workloads with every price raised make a
/// diff far over the limit asked for; `--max-bytes` cuts it at a line, with
/// a note, within the limit.
#[test]
fn a_diff_over_the_comment_limit_is_cut_with_a_note() {
    let tmp = sides();
    let chat = std::fs::read_to_string(base_fixture().join("workloads/chat.yaml")).unwrap();
    for side in ["base", "head"] {
        for i in 0..200 {
            let id = format!("chat-{i:03}");
            std::fs::write(
                tmp.path().join(side).join(format!("workloads/{id}.yaml")),
                chat.replace("workload: chat", &format!("workload: {id}")),
            )
            .unwrap();
        }
    }
    let api = tmp.path().join("head/vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(&api, text.replace("0.88", "0.97")).unwrap();
    let args = ["diff", "--base", "dir:base", "--head", "dir:head"];
    let whole = stdout(&infercost(&args, tmp.path()));
    assert!(whole.len() > 20_000, "{} bytes", whole.len());
    let pointer = "The whole diff is in the job summary.";
    let cut_args = [&args[..], &["--max-bytes", "4000", "--cut-note", pointer]].concat();
    let out = infercost(&cut_args, tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cut = stdout(&out);
    assert!(cut.len() <= 4000, "{} bytes", cut.len());
    let kept = cut.find("\n**This diff is cut**").unwrap();
    assert!(whole.starts_with(&cut[..kept]));
    assert!(
        cut.ends_with(&format!(
            "it is {} bytes, over the 4000-byte limit of this comment; the first {kept} bytes are shown. {pointer}\n",
            whole.len()
        )),
        "{cut}"
    );
}

/// The script job 1 runs, run here as there: the comment, the whole diff in
/// the job summary, the status of the gates and the pull request's number,
/// and a number that is not one refused.
#[test]
fn the_workflow_script_leaves_the_comment_and_its_status() {
    let tmp = sides();
    let api = tmp.path().join("head/vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(&api, text.replace("0.88", "2.5")).unwrap();
    let script = root().join(".github/scripts/price-diff.sh");
    let summary = tmp.path().join("summary.md");
    let run = |pr: &str| {
        Command::new("bash")
            .arg(&script)
            .args([env!("CARGO_BIN_EXE_infercost"), "base", "head", "out", pr])
            .arg("--fail-on-pick-change")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    let out = run("7");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let read = |f: &str| std::fs::read_to_string(tmp.path().join("out").join(f)).unwrap();
    let direct = infercost(
        &["diff", "--base-dir", "base", "--head-dir", "head"],
        tmp.path(),
    );
    assert_eq!(read("comment.md"), stdout(&direct));
    assert_eq!(read("full.md"), stdout(&direct));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), stdout(&direct));
    // 0.88 → 2.50 makes the dedicated GPUs the pick of `chat`: the gate trips.
    assert!(read("comment.md").contains("#### Picks that changed"));
    assert_eq!(read("status"), "1\n");
    assert_eq!(read("pr-number"), "7\n");
    assert!(
        stderr(&out).contains("the pick changed for chat"),
        "{}",
        stderr(&out)
    );

    let out = run("7; echo pwned");
    assert_eq!(out.status.code(), Some(64));
    assert!(stderr(&out).contains("the pull request number must be digits"));
}

/// `--max-bytes` below the length of the cut note: a shorter note, or as
/// much of its title as fits, never more than the limit.
#[test]
fn a_limit_below_the_cut_note_is_honoured() {
    let tmp = sides();
    let api = tmp.path().join("head/vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(&api, text.replace("0.88", "0.97")).unwrap();
    let args = ["diff", "--base", "dir:base", "--head", "dir:head"];
    let whole = stdout(&infercost(&args, tmp.path())).len();
    for (max, expected) in [
        (
            "100",
            format!("**This diff is cut** ({whole} bytes). See CI.\n"),
        ),
        ("30", "**This diff is cut**\n".to_string()),
        ("4", "**Th".to_string()),
        ("0", String::new()),
    ] {
        let cut_args = [&args[..], &["--max-bytes", max, "--cut-note", "See CI."]].concat();
        let out = infercost(&cut_args, tmp.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), expected, "--max-bytes {max}");
    }
}
