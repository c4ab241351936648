//! Substitute models through the real executable: when every offer of the
//! first-choice model is retired, the pick is a priced offer of the
//! substitute, labelled with its model, and the report says why.

use serde_json::Value;

use crate::common::{fixture, infercost};

fn compare(format: &str) -> std::process::Output {
    let root = fixture("substitutes");
    let out = infercost(
        &[
            "compare",
            "chat",
            "--as-of",
            "2026-06-01",
            "--vendors",
            root.join("vendors").to_str().unwrap(),
            "--workloads",
            root.join("workloads").to_str().unwrap(),
            "--format",
            format,
        ],
        &root,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_retired_first_choice_yields_a_priced_substitute() {
    let r: Value = serde_json::from_slice(&compare("json").stdout).unwrap();
    let w = &r["workloads"][0];
    // 1,000 requests of 1,000 + 1,000 tokens: 2M tokens a day. newco's
    // muse-glimmer-30b at $0.25/M in and out: $0.50 a day, · 365/12 =
    // $15.208333 a month; dearco's at $1.00/M: $2 a day, $60.83 a month.
    assert_eq!(w["pick"]["primary"]["vendor"], "newco");
    assert_eq!(w["pick"]["primary"]["model"], "muse-glimmer-30b");
    assert_eq!(w["pick"]["runner_up"]["vendor"], "dearco");
    let note = &w["substitutes"];
    assert_eq!(note["models"][0], "muse-glimmer-30b");
    assert_eq!(note["first_choice_per_token"], false);
    assert_eq!(note["cheapest_alternative"]["vendor"], "newco");
    let month = note["cheapest_alternative_usd_per_month"].as_f64().unwrap();
    // (9 significant digits in the contract)
    crate::common::assert_close(month, 0.5 * 365.0 / 12.0, 1e-8);
    let old = w["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["model"] == "llama-3.3-70b")
        .unwrap();
    assert_eq!(old["eligible"], false);
}

#[test]
fn the_table_names_the_substitute_and_says_why_it_is_picked() {
    let text = String::from_utf8(compare("table").stdout).unwrap();
    assert!(
        text.contains("pick: newco serverless of muse-glimmer-30b: $15.21/month"),
        "{text}"
    );
    assert!(
        text.contains("No option of llama-3.3-70b is eligible, so the pick is of muse-glimmer-30b"),
        "{text}"
    );
}
