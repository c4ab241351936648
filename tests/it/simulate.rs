//! `infercost simulate`: the seeded pool simulation of a workload's
//! dedicated options, end to end.

use crate::common::{infercost, root};
use serde_json::Value;

fn simulate(args: &[&str]) -> Vec<u8> {
    let mut all = vec!["simulate", "support-chat", "--as-of", "2026-12-01"];
    all.extend_from_slice(args);
    let out = infercost(&all, &root());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn the_same_seed_prints_the_same_bytes_and_another_seed_other_ones() {
    let args = ["--vendor", "together", "--days", "1", "--format", "json"];
    let a = simulate(&[&args[..], &["--seed", "5"]].concat());
    let b = simulate(&[&args[..], &["--seed", "5"]].concat());
    let c = simulate(&[&args[..], &["--seed", "6"]].concat());
    assert_eq!(a, b);
    assert_ne!(a, c);
}

/// Modal's scale-to-zero pools for support-chat (1.5M requests a day):
/// the report's formula bills fractional replicas, so it undercounts the
/// simulated pool by more than 10%; the pool's closed form is within 15%
/// (measured −11% to +12% over all 27 options on 2026-12-02, 4 days).
#[test]
fn the_report_formula_undercounts_scale_to_zero_pools_and_the_closed_form_does_not() {
    let out = simulate(&["--vendor", "modal", "--days", "1", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out).unwrap();
    let options = v["options"].as_array().unwrap();
    assert!(options.len() >= 3, "{v}");
    for o in options {
        let sim = &o["simulated"];
        let billed = sim["billed_replica_hours_per_day"].as_f64().unwrap();
        assert!(
            billed >= sim["busy_replica_hours_per_day"].as_f64().unwrap(),
            "{o}"
        );
        let closed = o["pool_closed_form"]["difference"].as_f64().unwrap();
        assert!(closed.abs() <= 0.15, "{o}");
    }
    let h200 = options
        .iter()
        .find(|o| o["option"] == "modal 1×h200-141gb")
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        h200["engine_formula"]["difference"].as_f64().unwrap() < -0.10,
        "{h200}"
    );
}

#[test]
fn a_workload_without_dedicated_options_is_refused_in_words() {
    let out = infercost(
        &[
            "simulate",
            "support-chat",
            "--as-of",
            "2026-12-01",
            "--vendor",
            "groq",
        ],
        &root(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("has no dedicated option at vendor `groq`"),
        "{err}"
    );
}
