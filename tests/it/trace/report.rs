//! `report --replay LOG`: the "On your recorded traffic" section in the
//! workload's Markdown, HTML and JSON (golden files for the 10-line log),
//! a different pick on the Mooncake slice, the Azure slice's opening cold
//! start billed but not judged, and the one-workload rule.

use super::{ok, run, TEN};
use crate::common::{fixture, golden, root};
use serde_json::Value;

/// A folder with `ten.csv`, `vendors/` (the replay fixture's two vendors)
/// and `workloads/ten.yaml` fitted to the log, all named relatively so the
/// report holds no absolute path.
fn ten_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ten.csv"), TEN).unwrap();
    std::fs::create_dir(dir.path().join("workloads")).unwrap();
    std::fs::create_dir(dir.path().join("vendors")).unwrap();
    for f in ["pool.yaml", "tokens.yaml"] {
        let from = fixture("replay/vendors").join(f);
        std::fs::copy(from, dir.path().join("vendors").join(f)).unwrap();
    }
    let fit = ["fit", "ten.csv", "--model", "llama-3.3-70b"];
    ok(
        &[&fit[..], &["--out", "workloads/ten.yaml"]].concat(),
        dir.path(),
    );
    dir
}

const REPORT: [&str; 10] = [
    "report",
    "--vendors",
    "vendors",
    "--workloads",
    "workloads",
    "--as-of",
    "2026-05-02",
    "--replay",
    "ten.csv",
    "--out",
];

#[test]
fn a_report_with_replay_shows_the_recorded_traffic_in_every_format() {
    let dir = ten_folder();
    ok(&[&REPORT[..], &["out"]].concat(), dir.path());
    let read = |f: &str| std::fs::read_to_string(dir.path().join("out/ten").join(f)).unwrap();
    let (md, json, html) = (read("report.md"), read("report.json"), read("report.html"));
    // The figures are replay's (tests/it/trace/replay.rs works them by
    // hand): $0.005705 recorded per-token against the profile's
    // $0.00513453375 for the same 90 s, −10.0%; the pool 0.025 replica-hours.
    assert!(
        md.contains("| tokens serverless | yes | \\$0.0057 | \\$0.0051 | -10.0% |  |\n"),
        "{md}"
    );
    let golden_dir = root().join("tests/golden/trace");
    golden(&golden_dir.join("ten-replay-report.md"), md.as_bytes());
    golden(&golden_dir.join("ten-replay-report.json"), json.as_bytes());
    let v: Value = serde_json::from_str(&json).unwrap();
    let t = &v["workloads"][0]["recorded_traffic"];
    assert_eq!(t["requests"], 10);
    assert_eq!(t["options"][0]["usd"], 0.005705);
    assert_eq!(t["pick"]["same"], true);
    // The HTML is the same Markdown rendered.
    assert!(html.contains("On your recorded traffic</h2>"), "{html}");
    assert!(html.contains("<tr><td>tokens serverless</td><td>yes</td>"));
    // Without --replay the section and the field are absent.
    ok(&[&REPORT[..7], &["--out", "plain"]].concat(), dir.path());
    let plain = std::fs::read_to_string(dir.path().join("plain/ten/report.json")).unwrap();
    assert!(!plain.contains("recorded_traffic"));
    let plain = std::fs::read_to_string(dir.path().join("plain/ten/report.md")).unwrap();
    assert!(!plain.contains("On your recorded traffic"));
}

/// `fit` then `report --replay` of one fixture log served as Llama 3.3
/// 70B: standard error, report.json and report.md.
fn report_on(fixture: &str) -> (String, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let workloads = dir.path().join("workloads");
    std::fs::create_dir(&workloads).unwrap();
    let log = root().join("tests/fixtures/traces").join(fixture);
    let log = log.to_str().unwrap();
    let profile = workloads.join("slice.yaml");
    ok(
        &[
            "fit",
            log,
            "--model",
            "llama-3.3-70b",
            "--out",
            profile.to_str().unwrap(),
        ],
        dir.path(),
    );
    let args = [
        "report",
        "--workloads",
        "workloads",
        "--as-of",
        "2026-12-01",
        "--replay",
        log,
        "--out",
        "out",
        "--format",
        "json,md",
    ];
    let (code, _, stderr) = run(&args, dir.path());
    assert_eq!(code, 0, "{stderr}");
    let json = std::fs::read_to_string(dir.path().join("out/slice/report.json")).unwrap();
    let md = std::fs::read_to_string(dir.path().join("out/slice/report.md")).unwrap();
    (stderr, serde_json::from_str(&json).unwrap(), md)
}

/// The Mooncake slice's Modal B200 starts 10 replicas in 102 s: 269 of
/// 300 requests wait for one, 141 of them in the opening cold start, and
/// 128 of the 159 after it (80%) is far above the 1% allowance: the pick
/// on the recording is Together's, not the profile's Modal.
#[test]
fn a_report_on_the_mooncake_slice_says_the_pick_differs() {
    let (stderr, v, md) = report_on("mooncake_conversation_head300.jsonl");
    assert!(
        stderr.contains("the pick on the recorded traffic differs"),
        "{stderr}"
    );
    let pick = &v["workloads"][0]["recorded_traffic"]["pick"];
    assert_eq!(pick["same"], false);
    assert_eq!(pick["profile"], v["workloads"][0]["pick"]["primary"]);
    assert_eq!(pick["recorded"]["vendor"], "together");
    assert!(md.contains("(a different pick: the profile's shape is not the recorded traffic's)"));
}

/// The Azure slice's only cold start on Modal's B200 is the one the
/// recording opens with (147 of 300 requests arrive in its 50 s): billed,
/// not judged, so the pick on the recording is the profile's. Until
/// 2026-12-08 those 49% excluded Modal's pools and moved the pick to
/// Together on 84 seconds of traffic.
#[test]
fn a_report_on_the_azure_slice_does_not_hold_the_opening_cold_start_against_a_pool() {
    let (stderr, v, md) = report_on("azure_conv_head300.csv");
    assert!(!stderr.contains("differs"), "{stderr}");
    let t = &v["workloads"][0]["recorded_traffic"];
    assert_eq!(t["pick"]["same"], true);
    let modal = &t["options"][0];
    assert_eq!(
        (&modal["vendor"], &modal["gpu"]),
        (&Value::from("modal"), &Value::from("b200-180gb"))
    );
    assert_eq!(modal["cold_start_wait_share"], 0.49);
    assert_eq!(modal["opening_cold_start_waits"], 147);
    assert_eq!(modal["over_cold_start_budget"], false);
    // The most is Fireworks': its replicas take 180 s, the slice 84 s.
    assert!(
        md.contains("the requests that arrive during that cold start (up to 300 of the 300 here) wait for it"),
        "{md}"
    );
}

#[test]
fn a_replay_on_a_report_of_several_workloads_is_refused_in_words() {
    let dir = ten_folder();
    let fit = ["fit", "ten.csv", "--model", "llama-3.3-70b"];
    ok(
        &[&fit[..], &["--out", "workloads/eleven.yaml"]].concat(),
        dir.path(),
    );
    let (code, _, stderr) = run(&[&REPORT[..], &["out"]].concat(), dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--replay prices a log on one workload, and the report has 2: name it with --only ID (one of: eleven, ten)"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
    // With --only it goes through.
    ok(
        &[&REPORT[..], &["out", "--only", "ten"]].concat(),
        dir.path(),
    );
}
