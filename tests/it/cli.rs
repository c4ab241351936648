//! The real executable, end to end: reports written atomically, figures
//! checked against hand-worked numbers, bad input refused with exit status 2.

use crate::common::{infercost, scratch};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Copies a fixture, runs `report --format json` in it, and returns the folder
/// and its `out/report.json`.
fn report_json(name: &str) -> (tempfile::TempDir, Value) {
    let dir = scratch(name);
    let out = infercost(
        &["report", "--format", "json", "--as-of", "2026-05-01"],
        dir.path(),
    );
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
    // The report date is the one given with --as-of.
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
            "shared infrastructure; the workload needs isolated GPUs",
            "HIPAA not verified: no source found for Token API (--allow-unverified admits it)"
        ])
    );
    assert_eq!(
        api["excluded_by"],
        serde_json::json!(["isolated", "compliance:hipaa"])
    );
    assert_eq!(w["pick"]["primary"]["vendor"], "gpus");
    assert_eq!(w["pick"]["runner_up"], Value::Null);
}

/// The `hipaa-chat` workload of the basic fixture, priced with `extra` arguments.
fn hipaa_chat(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "compare",
        "hipaa-chat",
        "--format",
        "json",
        "--as-of",
        "2026-05-01",
    ];
    args.extend_from_slice(extra);
    let out = infercost(&args, dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["workloads"][0].clone()
}

#[test]
fn isolation_is_sourced_stated_shared_or_unknown() {
    let dir = scratch("basic");
    let v = dir.path().join("vendors/gpus.yaml");
    let text = std::fs::read_to_string(&v).unwrap();
    assert!(text.contains("  isolated: true\n"));
    // Not documented either way: unverified, excluded unless admitted.
    std::fs::write(&v, text.replace("  isolated: true\n", "")).unwrap();
    let gpus = option(&hipaa_chat(dir.path(), &[]), "gpus").clone();
    assert_eq!(gpus["eligible"], false);
    assert_eq!(
        gpus["reasons"],
        serde_json::json!(["isolation not verified: no source found for GPU Cloud's dedicated replicas (--allow-unverified admits it)"])
    );
    let admitted = hipaa_chat(dir.path(), &["--allow-unverified"]);
    assert_eq!(option(&admitted, "gpus")["eligible"], true);
    assert_eq!(admitted["pick"]["primary"]["vendor"], "gpus");
    // Stated as shared: excluded, whatever the flag.
    std::fs::write(
        &v,
        text.replace("  isolated: true\n", "  isolated: false\n"),
    )
    .unwrap();
    let gpus = option(&hipaa_chat(dir.path(), &["--allow-unverified"]), "gpus").clone();
    assert_eq!(
        gpus["reasons"],
        serde_json::json!(["GPU Cloud states its dedicated replicas share hardware"])
    );
}

#[test]
fn compliance_is_attested_not_offered_or_unknown() {
    let dir = scratch("basic");
    // No isolation need, so that only HIPAA separates the two vendors.
    let w = dir.path().join("workloads/hipaa-chat.yaml");
    let text = std::fs::read_to_string(&w).unwrap();
    std::fs::write(&w, text.replace("isolated: true", "isolated: false")).unwrap();
    // Unknown (the api vendor lists no HIPAA either way): excluded by default...
    let w = hipaa_chat(dir.path(), &[]);
    let api = option(&w, "api").clone();
    assert_eq!(api["eligible"], false);
    assert_eq!(api["excluded_by"], serde_json::json!(["compliance:hipaa"]));
    // ...and the report says what the requirement costs: the pick (gpus,
    // 191.52 · 365/12 = $5,825.40/month) against api ($5,353.33/month): $472.07.
    let cost = &w["requirement_costs"][0];
    assert_eq!(cost["requirement"], "compliance");
    close(&cost["extra_usd_per_month"], 5_825.4 - 5_353.333_333);
    assert_eq!(
        cost["summary"],
        "Requiring HIPAA costs you $472/month: the cheapest option excluded only because it is not verified is api serverless at $5,353/month"
    );
    // ...admitted, flagged, with --allow-unverified.
    let admitted = hipaa_chat(dir.path(), &["--allow-unverified"]);
    let api = option(&admitted, "api");
    assert_eq!(api["eligible"], true);
    assert!(api["flags"][0].as_str().unwrap().starts_with(
        "HIPAA not verified: no source found for Token API; admitted by --allow-unverified"
    ));
    assert_eq!(admitted["pick"]["primary"]["vendor"], "api");
    // Stated as not offered, with its source: excluded, and the flag does not admit it.
    let v = dir.path().join("vendors/api.yaml");
    let text = std::fs::read_to_string(&v).unwrap();
    std::fs::write(
        &v,
        text.replace(
            "compliance: [soc2-type2]",
            "compliance: [soc2-type2]\ncompliance_not_offered:\n  - {item: hipaa, source: https://example.com/trust}",
        ),
    )
    .unwrap();
    let api = option(&hipaa_chat(dir.path(), &["--allow-unverified"]), "api").clone();
    assert_eq!(api["eligible"], false);
    assert_eq!(
        api["reasons"],
        serde_json::json!(["Token API does not offer HIPAA (https://example.com/trust)"])
    );
}

#[test]
fn the_report_date_defaults_to_today_and_accepts_today() {
    let today = infercost::cli::dates::today().to_string();
    for args in [
        &["report", "--format", "json"][..],
        &["report", "--format", "json", "--as-of", "today"][..],
    ] {
        let dir = scratch("basic");
        let out = infercost(args, dir.path());
        assert!(out.status.success(), "{args:?}");
        let report = read_json(&dir.path().join("out/report.json"));
        assert_eq!(report["as_of"], today.as_str(), "{args:?}");
    }
}

#[test]
fn a_report_date_before_a_vendors_prices_is_refused_not_a_negative_age() {
    let dir = scratch("basic");
    // gpus prices are as of 2026-04-01, api as of 2026-05-01.
    let out = infercost(&["report", "--as-of", "2026-04-15"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the report date 2026-04-15 is before the prices of api (as of 2026-05-01)")
            && err.contains("give --as-of 2026-05-01 or later"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn vendors_stale_against_today_are_named_on_standard_error() {
    let dir = scratch("basic");
    // Report date 2026-05-01: neither vendor is stale on it (gpus is 30 days
    // old), but both are more than 90 days old today, so stderr names them.
    let out = infercost(&["report", "--as-of", "2026-05-01"], dir.path());
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("these vendors' prices are older than 90 days: api (")
            && err.contains("gpus (")
            && err.contains("the report is dated 2026-05-01"),
        "{err}"
    );
    let report = std::fs::read_to_string(dir.path().join("out/report.json")).unwrap();
    assert!(report.contains("\"stale_vendors\": []"), "{report}");
}

#[test]
fn a_model_no_vendor_offers_is_an_error_with_a_suggestion() {
    let dir = scratch("basic");
    let w = dir.path().join("workloads/chat.yaml");
    let text = std::fs::read_to_string(&w).unwrap();
    assert!(text.contains("model: llama-3.3-70b\n"));
    std::fs::write(
        &w,
        text.replace("model: llama-3.3-70b\n", "model: llama-3.3-70\n"),
    )
    .unwrap();
    let out = infercost(&["validate"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = text
        .lines()
        .position(|l| l == "model: llama-3.3-70b")
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "workloads/chat.yaml:{line}:8: model: no vendor offers the model `llama-3.3-70`; did you mean `llama-3.3-70b`? known models (those the vendor profiles offer): llama-3.3-70b"
        )),
        "{err}"
    );
}

#[test]
fn ties_are_said_and_broken_by_fresher_prices_before_names() {
    let dir = scratch("basic");
    let text = std::fs::read_to_string(dir.path().join("vendors/api.yaml")).unwrap();
    // api2: the same prices as api, read a day later.
    let api2 = text
        .replace("vendor: api", "vendor: api2")
        .replace("as_of: 2026-05-01", "as_of: 2026-05-02");
    std::fs::write(dir.path().join("vendors/api2.yaml"), &api2).unwrap();
    let chat = |dir: &Path| {
        let out = infercost(
            &[
                "compare",
                "chat",
                "--format",
                "json",
                "--as-of",
                "2026-05-02",
            ],
            dir,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["workloads"][0]["pick"].clone()
    };
    let pick = chat(dir.path());
    // $5,353.33/month each (see report_json_carries_hand_worked_figures).
    assert_eq!(pick["primary"]["vendor"], "api2");
    assert_eq!(pick["runner_up"]["vendor"], "api");
    assert_eq!(
        pick["primary_reason"],
        "$5,353/month, a tie with api serverless ($5,353/month) (within 0.50%, or within $1.00/month and 5%); broken by fresher prices (as of 2026-05-02 against 2026-05-01)"
    );
    // Same date, same facts: nothing separates them but the name.
    std::fs::write(
        dir.path().join("vendors/api2.yaml"),
        api2.replace("as_of: 2026-05-02", "as_of: 2026-05-01"),
    )
    .unwrap();
    let pick = chat(dir.path());
    assert_eq!(pick["primary"]["vendor"], "api");
    assert!(pick["primary_reason"]
        .as_str()
        .unwrap()
        .ends_with("so first by vendor name"));
}

/// `compare chat` in the basic fixture, with `COLUMNS` set or not; the
/// widest line, in characters, and the output.
fn compare_table(columns: Option<&str>, extra: &[&str]) -> (usize, String) {
    let dir = scratch("basic");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infercost"));
    cmd.args(["compare", "hipaa-chat", "--as-of", "2026-05-01"])
        .args(extra)
        .current_dir(dir.path())
        .env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    (widest, text)
}

#[test]
fn compare_fits_the_width_and_marks_the_pick() {
    // Not a terminal, no COLUMNS: 100 columns.
    let (widest, text) = compare_table(None, &[]);
    assert!(widest <= 100, "{widest}\n{text}");
    assert!(text.contains("│ pick ┆ gpus "), "{text}");
    assert!(
        text.contains("┆ crossover ┆") && !text.contains("$/M tok"),
        "at 100 columns the crossover stays, $/M tok goes\n{text}"
    );
    let (widest, text) = compare_table(Some("72"), &[]);
    assert!(widest <= 72, "{widest}");
    assert!(
        !text.contains("crossover"),
        "below 90 columns the crossover column goes too\n{text}"
    );
    // --wide: every column, one line per option.
    let (widest, text) = compare_table(Some("72"), &["--wide"]);
    assert!(
        widest > 100 && text.contains("crossover"),
        "{widest}\n{text}"
    );
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
    let out = infercost(
        &["compare", "chat", "--wide", "--as-of", "2026-05-01"],
        dir.path(),
    );
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
    // The whole picture: train on tiers, serve on gpus, (30 + 191.52) · 365/12
    // = $6,737.90/month; on one vendor, tiers training + its 128k tier,
    // (30 + 961.50) · 365/12 = $30,158.13/month.
    let plan = &w["train_and_serve"];
    assert_eq!(plan["cheapest"]["training"]["vendor"], "tiers");
    assert_eq!(plan["cheapest"]["serving"]["vendor"], "gpus");
    close(&plan["cheapest"]["usd_per_month"], 221.52 * 365.0 / 12.0);
    assert!(plan["cheapest"]["summary"]
        .as_str()
        .unwrap()
        .contains("the hand-off moves each trained checkpoint or LoRA adapter from tiers to gpus"));
    assert_eq!(plan["same_vendor"]["serving"]["tier"], "128k");
    close(&plan["same_vendor"]["usd_per_month"], 991.5 * 365.0 / 12.0);
}

#[test]
fn the_index_adds_up_the_picks_and_prices_everything_on_one_vendor() {
    let dir = scratch("basic");
    let out = infercost(
        &["report", "--format", "md", "--as-of", "2026-05-01"],
        dir.path(),
    );
    assert!(out.status.success());
    let index = std::fs::read_to_string(dir.path().join("out/index.md")).unwrap();
    // chat picks api ($5,353.33), hipaa-chat picks gpus ($5,825.40): $11,178.73.
    assert!(
        index.contains("**All picks together: $11,179/month.**"),
        "{index}"
    );
    // gpus serves both: 2 · $5,825.40 = $11,650.80, $472.07 more than the picks.
    assert!(
        index.contains("| gpus | 2 of 2 | $11,651 | $11,179 | $472 |"),
        "{index}"
    );
    assert!(
        index.contains("| api | 1 of 2 | $5,353 | $5,353 | $0 |"),
        "{index}"
    );
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
