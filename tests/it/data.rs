//! The bundled data keeps its promises: every figure in `vendors/` carries a
//! comment saying where it comes from (on its line, or in the comment block
//! right above it), every vendor lists its sources, and a report on the day
//! the data was last audited picks only offers one can buy.

use std::path::Path;

use serde_json::Value;

use crate::common::{infercost, root};

/// Fields whose value is a sourced figure rather than a configuration choice.
const FIGURES: &[&str] = &[
    "usd_per_mtok",
    "usd_per_hour",
    "usd_per_minute",
    "usd_per_second",
    "usd_per_prediction",
    "seconds_per_prediction",
    "tokens_per_s",
    "ttft_ms",
    "cold_start_s",
    "idle_timeout_s",
    "batch_discount",
    "context_tokens",
];

#[test]
fn every_vendor_figure_names_its_source_in_a_comment() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendors");
    let mut missing = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split(" #").next().unwrap_or_default();
            if !FIGURES.iter().any(|f| code.contains(f))
                || !code.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            checked += 1;
            let commented_here = line.contains(" #");
            let commented_above = i > 0 && lines[i - 1].trim_start().starts_with('#');
            if !commented_here && !commented_above {
                missing.push(format!(
                    "{}:{}: {}",
                    path.file_name().unwrap().to_string_lossy(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(checked > 100, "only {checked} figures found");
    assert!(
        missing.is_empty(),
        "figures without a source comment:\n{}",
        missing.join("\n")
    );
}

/// The day of the last audit of the bundled data (issue 19).
const AUDIT_DATE: &str = "2026-12-06";

/// `infercost report --format json` on the bundled profiles, on the audit date.
fn bundled_report(extra: &[&str]) -> Value {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().to_str().unwrap();
    let mut args = vec![
        "report", "--as-of", AUDIT_DATE, "--format", "json", "--out", out,
    ];
    args.extend_from_slice(extra);
    let run = infercost(&args, &root());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&std::fs::read(out_dir.path().join("report.json")).unwrap()).unwrap()
}

/// The option of `workload` that `key` (a pick's option key) names.
fn option<'a>(workload: &'a Value, key: &Value) -> &'a Value {
    let same = |o: &Value| {
        [
            "vendor",
            "offer",
            "model",
            "gpu",
            "gpus_per_replica",
            "tier",
        ]
        .iter()
        .all(|f| o[f] == key[f])
    };
    workload["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| same(o))
        .unwrap_or_else(|| panic!("no option {key}"))
}

/// Flags that say an option cannot be bought, or not at the price shown.
fn dead_or_unverified(flags: &Value) -> Vec<String> {
    flags
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|f| {
            f.starts_with("deprecated on")
                || f.starts_with("retires on")
                || f.contains("admitted by --allow-unverified")
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn a_report_on_the_audit_date_picks_no_offer_that_cannot_be_bought() {
    let report = bundled_report(&[]);
    let mut checked = 0;
    let mut bad = Vec::new();
    for w in report["workloads"].as_array().unwrap() {
        let id = w["workload"].as_str().unwrap();
        for role in ["primary", "runner_up"] {
            let key = &w["pick"][role];
            if key.is_null() {
                continue;
            }
            let o = option(w, key);
            checked += 1;
            if o["eligible"] != true || !dead_or_unverified(&o["flags"]).is_empty() {
                bad.push(format!("{id} {role}: {} {}", o["reasons"], o["flags"]));
            }
        }
        // The training side of train-and-serve must be buyable too.
        let cheapest = &w["train_and_serve"]["cheapest"]["training"];
        if !cheapest.is_null() {
            let o = option(w, cheapest);
            checked += 1;
            if o["eligible"] != true || !dead_or_unverified(&o["flags"]).is_empty() {
                bad.push(format!("{id} training: {} {}", o["reasons"], o["flags"]));
            }
        }
    }
    // 10 bundled workloads, 9 with a primary and a runner-up, one without a
    // runner-up, and one train-and-serve pair: 20 picks checked.
    assert_eq!(checked, 20, "the bundled workloads changed: recount");
    assert!(
        bad.is_empty(),
        "picks that cannot be bought:\n{}",
        bad.join("\n")
    );
}

#[test]
fn anyscale_placeholder_gpu_prices_are_out_of_picks_unless_admitted() {
    let anyscale_h100 = |report: &Value| -> Value {
        let w = report["workloads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["workload"] == "support-chat")
            .unwrap();
        w["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["vendor"] == "anyscale" && o["gpu"] == "h100-80gb")
            .unwrap()
            .clone()
    };
    let words = "Anyscale's h100-80gb price not verified: its profile marks the rate a placeholder";
    let excluded = anyscale_h100(&bundled_report(&[]));
    assert_eq!(excluded["eligible"], false);
    assert_eq!(
        excluded["excluded_by"],
        serde_json::json!(["verified_price"])
    );
    assert_eq!(
        excluded["reasons"],
        serde_json::json!([format!("{words} (--allow-unverified admits it)")])
    );
    let admitted = anyscale_h100(&bundled_report(&["--allow-unverified"]));
    assert_eq!(admitted["eligible"], true);
    assert!(
        admitted["flags"]
            .as_array()
            .unwrap()
            .contains(&Value::from(format!(
                "{words}; admitted by --allow-unverified"
            ))),
        "{}",
        admitted["flags"]
    );
    // Same option, same price: admitting changes eligibility only.
    assert_eq!(excluded["usd_per_month"], admitted["usd_per_month"]);
}
