//! The real executable, end to end: reports written atomically, figures
//! checked against hand-worked numbers, bad input refused with exit status 2.

use crate::common::{infercost, scratch};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Copies a fixture, runs `report --format json` in it, and returns the folder
/// and its `out/report.json`.
fn report_json(name: &str) -> (tempfile::TempDir, Value) {
    let dir = scratch(name);
    let out = infercost(&["report", "--format", "json"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = read_json(&dir.path().join("out/report.json"));
    (dir, report)
}

fn close(v: &Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!(
        (x - expected).abs() <= 1e-6 * expected.abs().max(1e-9),
        "expected {expected}, got {x}"
    );
}

fn option<'a>(w: &'a Value, vendor: &str) -> &'a Value {
    w["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["vendor"] == vendor)
        .unwrap()
}

#[test]
fn report_json_carries_hand_worked_figures() {
    let (dir, report) = report_json("basic");
    assert_eq!(report["schema_version"], 1);
    // The report date is the newest as_of among the vendors.
    assert_eq!(report["as_of"], "2026-05-01");
    let chat = &report["workloads"][0];
    assert_eq!(chat["workload"], "chat");
    // Per-token: 100,000 · (1,000·0.88 + 1,000·0.88)/10⁶ = $176/day; · 365/12 = $5,353.33/month.
    let api = option(chat, "api");
    close(&api["usd_per_day"], 176.0);
    close(&api["usd_per_month"], 5_353.333_333);
    // $/M tokens: 176 / (100,000 · 2,000) · 10⁶ = $0.88.
    close(&api["usd_per_mtok"], 0.88);
    assert_eq!(api["utilization"], Value::Null);
    // Dedicated always-on, one 2×H100 replica: 24 · 2 · 3.99 = $191.52/day, 37.0% busy,
    // crossover 40.3%, break-even 108,818 requests/day (tests/model.rs has the arithmetic).
    let gpus = option(chat, "gpus");
    close(&gpus["usd_per_day"], 191.52);
    close(&gpus["utilization"], 0.370_114_979);
    close(&gpus["crossover_utilization"], 0.402_752_390);
    close(&gpus["break_even_units_per_day"], 108_818.182);
    assert_eq!(gpus["replicas_peak"], 1);
    // $5,825/month is over the $5,500 budget: flagged, not excluded.
    assert_eq!(gpus["eligible"], true);
    assert!(gpus["flags"][0]
        .as_str()
        .unwrap()
        .starts_with("over budget"));
    // Sorted by $/month; the cheaper per-token API is the pick.
    assert_eq!(chat["options"][0]["vendor"], "api");
    assert_eq!(chat["pick"]["primary"]["vendor"], "api");
    assert_eq!(chat["pick"]["runner_up"]["vendor"], "gpus");
    assert_eq!(chat["pick"]["runner_up"]["gpu"], "h100-80gb");
    // The per-workload report.json is the same contract with one workload.
    let single = read_json(&dir.path().join("out/chat/report.json"));
    assert_eq!(single["workloads"][0], *chat);
}

/// One vendor deploys the model on one GPU kind in two sizes: the pick names
/// the runner-up whole (with its GPU count) and the report marks one row.
#[test]
fn two_sizes_of_one_deployment_give_one_runner_up() {
    let (dir, report) = report_json("two-sizes");
    let chat = &report["workloads"][0];
    // 2×H100, one replica: 24 · 2 · 3.99 = $191.52/day; 1×H100 at 600 decode
    // tokens/s needs 4 replicas at 80%: 4 · 24 · 3.99 = $383.04/day.
    let sizes: Vec<(u64, f64)> = chat["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["vendor"] == "gpus")
        .map(|o| {
            let gpus = o["gpus_per_replica"].as_u64().unwrap();
            (gpus, o["usd_per_day"].as_f64().unwrap())
        })
        .collect();
    assert_eq!(sizes, [(2, 191.52), (1, 383.04)]);
    assert_eq!(
        chat["pick"]["runner_up"],
        serde_json::json!({"vendor": "gpus", "offer": "dedicated", "model": "llama-3.3-70b",
            "gpu": "h100-80gb", "gpus_per_replica": 2, "tier": null})
    );
    let out = infercost(&["report", "--format", "md"], dir.path());
    assert!(out.status.success());
    let md = std::fs::read_to_string(dir.path().join("out/chat/report.md")).unwrap();
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| **runner-up:**"))
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("2×h100-80gb"), "{}", rows[0]);
}

#[test]
fn requirements_exclude_with_reasons_in_words() {
    let (_dir, report) = report_json("basic");
    let w = report["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["workload"] == "hipaa-chat")
        .unwrap();
    let api = option(w, "api");
    assert_eq!(api["eligible"], false);
    assert_eq!(
        api["reasons"],
        serde_json::json!([
            "Token API does not attest hipaa",
            "shared infrastructure; the workload needs isolated GPUs"
        ])
    );
    assert_eq!(w["pick"]["primary"]["vendor"], "gpus");
    assert_eq!(w["pick"]["runner_up"], Value::Null);
}

#[test]
fn two_runs_write_identical_bytes() {
    let dir = scratch("basic");
    assert!(infercost(&["report", "--out", "a"], dir.path())
        .status
        .success());
    assert!(infercost(&["report", "--out", "b"], dir.path())
        .status
        .success());
    let files = |d: &str| {
        let mut v = Vec::new();
        collect(&dir.path().join(d), &dir.path().join(d), &mut v);
        v.sort();
        v
    };
    let (a, b) = (files("a"), files("b"));
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(root, &p, out);
        } else {
            out.push((
                p.strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
}

#[test]
fn invalid_profile_exits_2_and_leaves_the_previous_report() {
    let dir = scratch("basic");
    assert!(infercost(&["report", "--format", "json"], dir.path())
        .status
        .success());
    let before = std::fs::read(dir.path().join("out/report.json")).unwrap();
    let vendor = dir.path().join("vendors/api.yaml");
    let text = std::fs::read_to_string(&vendor).unwrap();
    std::fs::write(
        &vendor,
        text.replace("input_usd_per_mtok: 0.88", "input_usd_per_mtok: -0.88"),
    )
    .unwrap();
    let out = infercost(&["report"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("vendors/api.yaml:11:25: serverless[0].input_usd_per_mtok: expected a finite number >= 0"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/report.json")).unwrap(),
        before
    );
}

#[test]
fn every_error_of_every_file_is_reported_in_one_run() {
    let dir = scratch("basic");
    let w = dir.path().join("workloads/chat.yaml");
    let text = std::fs::read_to_string(&w).unwrap();
    std::fs::write(
        &w,
        text.replace("target_utilization: 0.8", "target_utilization: 0")
            .replace("shape: flat", "shape: hourly"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("vendors/api.yaml"),
        "vendor: api\nname: [unclosed\n",
    )
    .unwrap();
    let out = infercost(&["validate"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 problems in the profiles"), "{err}");
    assert!(err.contains("vendors/api.yaml:3:1: invalid YAML"), "{err}");
    assert!(err.contains("workloads/chat.yaml:10:23: traffic.target_utilization: expected a share above 0 and at most 1, found 0"), "{err}");
    assert!(
        err.contains(
            "workloads/chat.yaml:8:1: traffic.hourly: expected 24 hourly weights, found 0"
        ),
        "{err}"
    );
}

#[test]
fn out_may_not_be_a_file_the_profiles_or_a_foreign_folder() {
    let dir = scratch("basic");
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    for (out, why) in [
        ("notes.txt", "it is a file"),
        ("vendors", "it holds the profiles"),
        (".", "it holds the profiles"),
        ("workloads/..", "it holds the profiles"),
    ] {
        let o = infercost(&["report", "--out", out], dir.path());
        assert_eq!(o.status.code(), Some(1), "--out {out}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("refusing to write the report") && err.contains(why),
            "--out {out}: {err}"
        );
    }
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/main.rs"), "fn main() {}").unwrap();
    let o = infercost(&["report", "--out", "src"], dir.path());
    assert!(String::from_utf8_lossy(&o.stderr).contains("infercost did not write"));
    assert!(dir.path().join("src/main.rs").exists());
}

#[test]
fn compare_prints_a_table_and_the_pick() {
    let dir = scratch("basic");
    let out = infercost(&["compare", "chat"], dir.path());
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("$5,353"), "{text}");
    assert!(text.contains("$5,825"), "{text}");
    assert!(text.contains("pick: api serverless: $5,353/month, 8.1% below the runner-up (gpus dedicated 2×h100-80gb, $5,825/month)"), "{text}");
}

#[test]
fn compare_json_is_the_contract() {
    let dir = scratch("basic");
    let out = infercost(&["compare", "chat", "--format", "json"], dir.path());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["workloads"].as_array().unwrap().len(), 1);
    close(&v["workloads"][0]["options"][0]["usd_per_day"], 176.0);
}

#[test]
fn compare_names_the_known_workloads_when_one_is_missing() {
    let dir = scratch("basic");
    let out = infercost(&["compare", "chta"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("no workload `chta`; known workloads: chat, hipaa-chat"));
}

#[test]
fn bundled_profiles_are_valid_and_report_runs_from_the_repository() {
    let out = infercost(&["validate"], Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out = infercost(
        &["report", "--out", out_dir.to_str().unwrap()],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = read_json(&out_dir.join("report.json"));
    assert!(report["workloads"].as_array().unwrap().len() >= 8);
}

#[test]
fn built_in_profiles_serve_outside_the_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let out = infercost(&["report", "--format", "json"], tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("built into infercost"));
    let report = read_json(&tmp.path().join("out/report.json"));
    assert!(report["profiles"]
        .as_str()
        .unwrap()
        .contains("built into infercost"));
}

#[test]
fn episodes_exclude_short_context_tiers_and_price_the_rest_by_hand() {
    let (_dir, report) = report_json("episodes");
    let w = &report["workloads"][0];
    assert_eq!(w["unit"], "episode");
    let tier = |t: &str| {
        w["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["tier"] == t && o["offer"] == "serverless")
            .unwrap()
    };
    // The longest prompt is P1 + (T−1)·Δ = 8,000 + 19·1,500 = 36,500, plus G = 500 decoded.
    assert_eq!(tier("32k")["eligible"], false);
    assert_eq!(
        tier("32k")["reasons"][0],
        "needs 37,000 context tokens; this offer accepts 32,768"
    );
    // 128k tier with cross-turn cache: (U·1.50 + (S−U)·0.30 + D·1.50)/10⁶
    // = (36,500·1.5 + 408,500·0.3 + 10,000·1.5)/10⁶ = $0.1923 an episode, $961.50 a day.
    close(&tier("128k")["usd_per_unit"], 0.1923);
    close(&tier("128k")["usd_per_day"], 961.5);
    // Dedicated with session affinity: U/12,200 + D/4,205 = 5.36992 replica-seconds an episode;
    // at full load 5.36992/3600 · $7.98 = $0.011903; crossover 0.011903/0.1923 = 6.19%.
    let gpus = option(w, "gpus");
    close(&gpus["crossover_utilization"], 0.061_899_806);
    close(&gpus["usd_per_day"], 191.52);
    assert_eq!(w["pick"]["primary"]["vendor"], "gpus");
    assert_eq!(w["pick"]["runner_up"]["tier"], "128k");
    // Training is priced on its own (10M tokens · $3/M = $30 a day) and never picked.
    let training = w["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["offer"] == "training")
        .unwrap();
    close(&training["usd_per_day"], 30.0);
    assert_eq!(training["usd_per_mtok"], Value::Null);
}

#[test]
fn only_reports_the_named_workloads_and_refuses_unknown_ones() {
    let dir = scratch("basic");
    let out = infercost(
        &["report", "--format", "json", "--only", "hipaa-chat"],
        dir.path(),
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("for 1 workload into"));
    let report = read_json(&dir.path().join("out/report.json"));
    assert_eq!(report["workloads"].as_array().unwrap().len(), 1);
    assert_eq!(report["workloads"][0]["workload"], "hipaa-chat");
    let out = infercost(&["report", "--only", "chat,nope"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("no workload `nope`; known workloads: chat, hipaa-chat"));
}
