//! `infercost replay`: the 10-line log's recorded requests priced by hand,
//! the Azure slice's table (golden) and the Markdown section.

use super::{ok, TEN};
use crate::common::{fixture, golden, root};
use serde_json::Value;

/// A folder with `ten.csv` and the profile fitted to it, `workloads/ten.yaml`.
fn ten_fitted() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ten.csv"), TEN).unwrap();
    std::fs::create_dir(dir.path().join("workloads")).unwrap();
    let args = [
        "fit",
        "ten.csv",
        "--model",
        "llama-3.3-70b",
        "--out",
        "workloads/ten.yaml",
    ];
    ok(&args, dir.path());
    dir
}

#[test]
fn a_ten_line_log_replays_per_token_and_pool_costs_worked_by_hand() {
    let dir = ten_fitted();
    let vendors = fixture("replay/vendors");
    let vendors = vendors.to_str().unwrap();
    ok(&["validate", "--vendors", vendors], dir.path());
    let json = ok(
        &[
            "replay",
            "ten.csv",
            "--workload",
            "ten",
            "--vendors",
            vendors,
            "--as-of",
            "2026-05-02",
            "--format",
            "json",
        ],
        dir.path(),
    );
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["recorded"]["requests"], 10);
    assert_eq!(v["recorded"]["seconds"], 90.0);
    assert_eq!(v["recorded"]["first_arrival"], "2023-11-14T22:13:20.000Z");
    let option = |vendor: &str| {
        v["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["vendor"] == vendor)
            .unwrap()
            .clone()
    };
    // tokens: $1.00 in, $0.25 cached, $2.00 out a million. Σ input 5,500
    // (500 cached), Σ output 290:
    // (5,000 · 1.00 + 500 · 0.25 + 290 · 2.00)/10⁶ = (5,000 + 125 + 580)/10⁶ = $0.005705.
    let tokens = option("tokens");
    assert_eq!(tokens["usd"], 0.005705);
    // The profile: 8,640 a day of (550 in, 0.0909 · 550 = 49.995 cached,
    // 29 out): (500.005 + 12.49875 + 58)/10⁶ = $0.00057050375 each, over
    // 90 s = 9 requests' worth: $0.00513453375, 10% under the 10 recorded.
    assert!((tokens["predicted"]["usd"].as_f64().unwrap() - 0.005_134_533_75).abs() < 1e-12);
    assert!((tokens["difference"].as_f64().unwrap() + 0.1).abs() < 1e-4);
    // pool: scale-to-zero, no cold start, 60 s idle timeout, per second,
    // $3.60 an hour, 16 slots (the deployment gives no per-stream speed).
    // Each request holds a slot for 16 × its own time; the last, arrived at
    // 90 s, is (1,000 − 50)/10,000 + 20/1,000 = 0.115 s of the replica, so
    // it completes at 90 + 16 × 0.115 = 91.84 s. A request every 10 s keeps
    // the one replica up from 0 to then, and its 60 s idle timeout to
    // 151.84 s (the replay serves every request to its end and lets the
    // pool wind down); billed per whole second: 152 s = 0.0422222222 h →
    // $0.152.
    let pool = option("pool");
    assert_eq!(pool["billed_replica_hours"], 0.0422222222);
    assert_eq!(pool["usd"], 0.152);
    assert_eq!(pool["cold_start_wait_share"], 0.0);
    assert_eq!(pool["over_cold_start_budget"], false);
    assert_eq!(pool["cold_starts"], 1.0);
    assert_eq!(v["pick"]["recorded"]["vendor"], "tokens");
    assert_eq!(v["pick"]["same"], true);
}

#[test]
fn a_replay_of_the_azure_slice_matches_its_golden_table() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("azure-conv.yaml");
    let profile = profile.to_str().unwrap();
    let log = "tests/fixtures/traces/azure_conv_head300.csv";
    ok(
        &["fit", log, "--model", "llama-3.3-70b", "--out", profile],
        &root(),
    );
    let table = ok(
        &[
            "replay",
            log,
            "--workload",
            profile,
            "--as-of",
            "2026-12-01",
        ],
        &root(),
    );
    golden(
        &root().join("tests/golden/trace/azure-conv-replay.txt"),
        table.as_bytes(),
    );
}

#[test]
fn a_replay_in_markdown_is_the_recorded_traffic_section() {
    let dir = ten_fitted();
    let vendors = fixture("replay/vendors");
    let md = ok(
        &[
            "replay",
            "ten.csv",
            "--workload",
            "ten",
            "--vendors",
            vendors.to_str().unwrap(),
            "--as-of",
            "2026-05-02",
            "--format",
            "md",
        ],
        dir.path(),
    );
    assert!(
        md.starts_with(
            "## On your recorded traffic\n\nten.csv: 10 requests from 2023-11-14T22\\:\u{200d}13"
        ),
        "{md}"
    );
    // $0.005705 recorded, $0.00513 predicted: −10.0%; the pool 152 s
    // recorded ($0.152, its idle timeout after the last request included)
    // against the profile's 90 s ($0.0898...): −40.9%. Dollars are escaped: two on a line would open GitHub math.
    assert!(
        md.contains("| tokens serverless | yes | \\$0.0057 | \\$0.0051 | -10.0% |  |\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "| pool dedicated 1×h100-80gb | yes | \\$0.15 | \\$0.090 | -40.9% | 0.042 / 0.025 |\n"
        ),
        "{md}"
    );
    assert!(md.contains("(the same pick)"), "{md}");
}

/// A last request of no own time (0 tokens out, its input all cached) is
/// still a request: the replay's horizon was the span plus its own time,
/// so it fell outside `[0, horizon)`, its cold start went unbilled, and
/// the allowance counted its wait on the other three (a second read).
/// Served, it gives what a last request of one output token gives: the
/// same cold starts and shares; on Fireworks' B200 (180 s cold start) the
/// requests at 0, 10 and 100 s wait in the opening and the one at 300 s
/// finds the replica ready, 3 of 4 waited and 0 of 1 after the opening.
#[test]
fn a_last_request_of_no_time_is_served_and_judged() {
    let dir = tempfile::tempdir().unwrap();
    let slice = root().join("tests/fixtures/traces/azure_conv_head300.csv");
    let fit = ["fit", slice.to_str().unwrap(), "--model", "llama-3.3-70b"];
    ok(
        &[&fit[..], &["--out", "azure-conv.yaml"]].concat(),
        dir.path(),
    );
    let replay = |last: &str| -> Value {
        let log = format!(
            "timestamp,input_tokens,output_tokens\n1700000000,500,100\n1700000010,500,100\n1700000100,500,100\n{last}\n"
        );
        std::fs::write(dir.path().join("log.csv"), log).unwrap();
        let args = [
            "replay",
            "log.csv",
            "--workload",
            "azure-conv.yaml",
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ];
        serde_json::from_str(&ok(&args, dir.path())).unwrap()
    };
    let pools = |v: &Value| -> Vec<(String, Value, Value, Value, Value)> {
        v["options"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| !o["cold_starts"].is_null())
            .map(|o| {
                (
                    format!("{} {}", o["vendor"], o["gpu"]),
                    o["cold_starts"].clone(),
                    o["cold_start_wait_share"].clone(),
                    o["opening_cold_start_waits"].clone(),
                    o["over_cold_start_budget"].clone(),
                )
            })
            .collect()
    };
    let (none, one) = (replay("1700000300,0,0"), replay("1700000300,0,1"));
    assert_eq!(pools(&none), pools(&one));
    let fireworks = pools(&none)
        .into_iter()
        .find(|p| p.0 == "\"fireworks\" \"b200-180gb\"")
        .expect("fireworks b200");
    assert_eq!(fireworks.2, 0.75);
    assert_eq!(fireworks.3, 3);
    assert_eq!(fireworks.4, false);
}
