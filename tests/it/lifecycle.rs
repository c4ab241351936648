//! Model lifecycle through the real executable: a retired offer is excluded
//! with "retired on DATE", a deprecated or soon-retiring pick is flagged and
//! names the cheapest eligible successor, and the bundled report on
//! 2026-12-01 picks no retired offer.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::strings;

/// Runs `report --format json` on `vendors`/`workloads` at `date` and returns `report.json`.
fn report(vendors: &Path, workloads: &Path, date: &str) -> Value {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_infercost"))
        .args(["report", "--format", "json", "--as-of", date])
        .arg("--vendors")
        .arg(vendors)
        .arg("--workloads")
        .arg(workloads)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("the binary runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

fn fixture() -> Value {
    fixture_at("2026-06-01")
}

fn fixture_at(date: &str) -> Value {
    let root = crate::common::fixture("lifecycle");
    report(&root.join("vendors"), &root.join("workloads"), date)
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
fn a_retired_offer_is_excluded_and_a_deprecated_pick_names_its_successor() {
    // Fixture: alpha $0.50, beta $1.00, gamma $2.00 per M in and out; 1,000
    // requests of 1,000 + 1,000 tokens = 2M tokens a day, so $1, $2 and $4 a
    // day, and $/month = $/day · 365/12: $30.42, $60.83, $121.67 (shown $122).
    let r = fixture();
    let w = &r["workloads"][0];
    let alpha = option(w, "alpha");
    assert_eq!(alpha["eligible"], false);
    assert_eq!(strings(&alpha["reasons"]), ["retired on 2026-01-01"]);
    let beta = option(w, "beta");
    assert_eq!(beta["eligible"], true);
    // Deprecated on 2025-12-01 (before the report date); retires on 2026-08-01,
    // 61 days after 2026-06-01, within 90.
    assert_eq!(
        strings(&beta["flags"])[..2],
        ["deprecated on 2025-12-01", "retires on 2026-08-01"]
    );
    assert_eq!(w["pick"]["primary"]["vendor"], "beta");
    assert_eq!(
        w["pick"]["primary_reason"],
        "$60.83/month, 50% below the runner-up (gamma serverless, $122/month); \
         but it was deprecated on 2025-12-01 and retires on 2026-08-01: \
         the cheapest eligible successor is gamma serverless at $122/month"
    );
}

#[test]
fn before_any_date_nothing_is_flagged_except_a_retirement_within_90_days() {
    // On 2025-11-01 alpha still runs but retires on 2026-01-01 (61 days later);
    // beta's deprecation is a month away and its retirement 273 days away.
    let r = fixture_at("2025-11-01");
    let w = &r["workloads"][0];
    assert_eq!(
        strings(&option(w, "alpha")["flags"]),
        ["retires on 2026-01-01"]
    );
    assert!(strings(&option(w, "beta")["flags"]).is_empty());
    assert_eq!(w["pick"]["primary"]["vendor"], "alpha");
    let reason = w["pick"]["primary_reason"].as_str().unwrap();
    assert!(
        reason.ends_with("but it retires on 2026-01-01: the cheapest eligible successor is beta serverless at $60.83/month"),
        "{reason}"
    );
}

#[test]
fn the_bundled_report_on_2026_12_01_picks_no_retired_offer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = report(&root.join("vendors"), &root.join("workloads"), "2026-12-01");
    let mut retired = 0;
    for w in r["workloads"].as_array().unwrap() {
        for o in w["options"].as_array().unwrap() {
            let reasons = strings(&o["reasons"]);
            if reasons.iter().any(|r| r.starts_with("retired on")) {
                retired += 1;
                assert_eq!(o["eligible"], false);
            }
        }
        for role in ["primary", "runner_up"] {
            let id = &w["pick"][role];
            if id.is_null() {
                continue;
            }
            let picked = w["options"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| {
                    ["vendor", "offer", "gpu", "tier"]
                        .iter()
                        .all(|k| o[*k] == id[*k])
                })
                .unwrap();
            assert_eq!(picked["eligible"], true, "{} {role}", w["workload"]);
        }
    }
    // Fireworks' serverless Kimi K2.6 (three tiers), Together's and Baseten's,
    // Groq's two Llamas and others are retired by then: the test must see them.
    assert!(retired >= 10, "only {retired} retired options seen");
}
