//! Issue 21's check of done: every pooled (autoscale or scale-to-zero)
//! option of every bundled workload, as the report bills it, against the
//! seeded simulation of the documented pool model.
//!
//! The simulation is in `tests/fixtures/pool_simulated.json`, written by
//! `scripts/pool-simulated.sh` (release build, seed 7, about 3 million
//! arrivals an option, at most 1,000 days; Fireworks ten times as many
//! days): re-simulating 221 options here would take minutes in a debug
//! build. That the fixture is what the simulator gives is checked by
//! simulating one workload's options again, byte for byte.

use crate::common::{compare_in, fixture, infercost, root, strings};
use serde_json::Value;

/// The bound: the bill within 3% of the simulation.
const BOUND: f64 = 0.03;
/// The widest 95% CI of a simulated figure (half width, relative) the
/// comparison accepts: with it, a bill within 3% is off by at most ~5.5%.
/// (Fireworks on batch-enrichment, 35 days, the most `simulate` runs, is at
/// ±2.3%: its 3,600 s idle window makes one day's bill vary a lot.)
const WIDEST_CI: f64 = 0.025;
fn simulated() -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("pool_simulated.json")).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The binary's JSON for `args` run in the repository.
fn json_of(args: &[&str]) -> Value {
    let out = infercost(args, &root());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The pooled options the report bills for `workload`: (label as
/// `simulate` prints it, billed replica-hours a day, cold-start share).
fn billed(workload: &str) -> Vec<(String, f64, f64)> {
    let v = json_of(&[
        "compare",
        workload,
        "--format",
        "json",
        "--as-of",
        "2026-12-01",
    ]);
    v["workloads"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| matches!(o["scaling"].as_str(), Some("autoscale" | "scale-to-zero")))
        .map(|o| {
            let label = format!(
                "{} {}×{}",
                o["vendor"].as_str().unwrap(),
                o["gpus_per_replica"],
                o["gpu"].as_str().unwrap()
            );
            (
                label,
                o["billed_replica_hours_per_day"].as_f64().unwrap(),
                o["cold_start_share"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// Every pooled option the report bills, beside its simulation in the
/// fixture: (workload, label, bill, cold-start share, simulated option).
fn beside_the_simulation() -> Vec<(String, String, f64, f64, Value)> {
    let mut pairs = Vec::new();
    for w in simulated() {
        let workload = w["workload"].as_str().unwrap();
        let options = w["options"].as_array().unwrap();
        let bills = billed(workload);
        assert_eq!(bills.len(), options.len(), "{workload}: {bills:?}");
        for (label, bill, share) in bills {
            let o = options
                .iter()
                .find(|o| o["option"] == label.as_str())
                .unwrap_or_else(|| panic!("{workload} {label}: not simulated"));
            pairs.push((workload.to_string(), label, bill, share, o.clone()));
        }
    }
    pairs
}

/// Every option but the few listed in `BILL_MISSES`. None was excepted
/// from closed form v3 (2026-12-07: a level is kept while the gaps between
/// the requests it is given are shorter than τ + d) until a replica's C
/// became the concurrency its estimate runs at (2026-12-08). Before v3,
/// five options were held to 7%: regulated-health's Modal 2×A100-80
/// (−5.0%) and 4×A100-40 (−6.6%), its Modal 8×A10G and Replicate
/// 2×A100-80 (−3.1%), bursty-10k's Modal 2×A100-80 (−3.4%): holds of
/// 48–219 s against a 60 s timeout (docs/design.md, "Replica pools").
#[test]
fn every_pooled_option_is_billed_within_3_percent_of_the_simulation() {
    let mut compared = 0;
    let (mut misses, mut stale) = (Vec::new(), Vec::new());
    for (workload, label, bill, _, o) in beside_the_simulation() {
        let sim = o["simulated"].as_f64().unwrap();
        let ci = o["ci95"].as_array().unwrap();
        let half = (ci[1].as_f64().unwrap() - ci[0].as_f64().unwrap()) / 2.0 / sim;
        assert!(half <= WIDEST_CI, "{workload} {label}: CI ±{half:.4}");
        let rel = bill / sim - 1.0;
        let listed = BILL_MISSES.contains(&(workload.as_str(), label.as_str()));
        let bound = if listed { MISS_BOUND } else { BOUND };
        if rel.abs() > bound {
            misses.push(format!(
                "{workload} {label}: billed {bill} simulated {sim} ({rel:+.4})"
            ));
        }
        if listed && rel.abs() <= BOUND {
            stale.push(format!("{workload} {label}: now {rel:+.4}"));
        }
        compared += 1;
    }
    // Every bundled workload with dedicated offers: 239 options on
    // 2026-12-07, 221 since gpt-oss-120b runs in 16-bit where no engine
    // has its 4-bit kernel (no 8 × T4 option; Baseten's TensorRT-LLM on
    // A10G and L4 neither; 4 × A100 instead of one).
    assert!(compared >= 221, "{compared}");
    assert!(misses.is_empty(), "{misses:#?}");
    assert!(stale.is_empty(), "back within 3%: {stale:#?}");
}

/// The bound of a listed miss, bill or share (relative for a bill, points
/// for a share).
const MISS_BOUND: f64 = 0.035;

/// Options billed between 3% and 3.5% off the simulation (measured
/// 2026-12-08): Modal's scale-to-zero 70B on A100s, whose KV cache holds 2
/// streams of regulated-health's 3,500-token requests, so the pool runs
/// C = 2 slots a replica over up to 44 replicas with a 50 s cold start
/// (−3.3%; its neighbour 4×A100-40, C = 2, −2.9%). The closed form
/// undercounts the starts of bursts that start several replicas at once
/// (docs/design.md, "Replica pools", "Waits"). The option is excluded
/// anyway (isolation unverified). The test fails when the list is no
/// longer true, either way.
const BILL_MISSES: &[(&str, &str)] = &[("regulated-health", "modal 2×a100-80gb")];

/// The fixture is what the simulator gives: bursty-prototype's Fireworks
/// options simulated again (1,000 days, seed 7, 43 arrivals a day).
#[test]
fn the_simulated_fixture_is_what_the_simulator_gives() {
    let v = json_of(&[
        "simulate",
        "bursty-prototype",
        "--as-of",
        "2026-12-01",
        "--days",
        "1000",
        "--seed",
        "7",
        "--vendor",
        "fireworks",
        "--format",
        "json",
    ]);
    let all = simulated();
    let stored = all
        .iter()
        .find(|w| w["workload"] == "bursty-prototype")
        .unwrap();
    let stored = stored["options"].as_array().unwrap();
    let fresh = v["options"].as_array().unwrap();
    assert_eq!(fresh.len(), 4, "{v}");
    for o in fresh {
        let s = stored.iter().find(|s| s["option"] == o["option"]).unwrap();
        assert_eq!(
            s["simulated"], o["simulated"]["billed_replica_hours_per_day"],
            "{o}"
        );
        assert_eq!(s["ci95"], o["simulated"]["billed_ci95"], "{o}");
        assert_eq!(
            s["wait_share"], o["simulated"]["cold_start_wait_share"],
            "{o}"
        );
        assert_eq!(
            s["wait_ci95"], o["simulated"]["cold_start_wait_share_ci95"],
            "{o}"
        );
    }
}

/// Issue 21: every pooled option's flags say which method billed it, once:
/// the closed form unless the pick's check simulated it; a committed twin
/// is billed by its plan and says neither.
#[test]
fn every_pooled_option_says_which_method_billed_it() {
    let method = |f: &str| {
        f == "pool billed by its closed form, not simulated"
            || f.starts_with("pool checked by simulation")
            || f.starts_with("billed by the pool simulation")
    };
    let mut checked = 0;
    for workload in ["support-chat", "bursty-prototype", "agent-rl-rollouts"] {
        let v = json_of(&[
            "compare",
            workload,
            "--format",
            "json",
            "--as-of",
            "2026-12-01",
        ]);
        for o in v["workloads"][0]["options"].as_array().unwrap() {
            let pooled = matches!(o["scaling"].as_str(), Some("autoscale" | "scale-to-zero"));
            let flags = strings(&o["flags"]);
            let said = flags.iter().filter(|f| method(f)).count();
            let expected = usize::from(pooled && o["offer"] != "committed");
            assert_eq!(said, expected, "{workload} {o}");
            checked += expected;
        }
    }
    assert!(checked > 20, "{checked}");
}

/// The cold-start share that excludes an option (over the workload's
/// allowance, 1% by default) is the closed form's for every pooled option
/// the report bills by it: held to the simulated share within
/// `SHARE_TOLERANCE` plus the simulated share's own 95% CI (half widths up
/// to 0.36 points), but the options in `SHARE_MISSES`. An absolute bound,
/// in points of share, because what the share decides is a comparison
/// with an allowance of 1%: a relative bound would be loose at 90% and
/// meaningless near 0. 1.2 points was the worst measured error with a
/// little room (2026-12-07: agent-rl-rollouts' Modal 8×H200, 3.20% against
/// 4.29% simulated); on 2026-12-08, 204 of the 221 options are within
/// 0.25 points, the mean error 0.11 points (docs/design.md, "Replica
/// pools", v4). It was 2.2 points with closed form v3, which counted one
/// start an up-period where the simulation stops and restarts a long-hold
/// level several times in a row, and the waits at them
/// (regulated-health's Modal 8×A10G, 1.27% against 3.44%).
const SHARE_TOLERANCE: f64 = 0.012;

/// Options whose closed-form share is low by 1.2 to 3.5 points (measured
/// 2026-12-08, when a replica's C became the concurrency its estimate
/// runs at): Modal's scale-to-zero pools of 13 to 44 replicas of 2 to 13
/// slots, woken by business hours or an hourly burst with a 50 s cold
/// start, where a burst starts several replicas at once and the closed
/// form counts the waits of each start apart (docs/design.md, "Replica
/// pools", "Waits"). All are 2% or more either way, over the 1% default
/// allowance, so no exclusion turns on the miss. Held to `MISS_BOUND`;
/// the test fails when the list is no longer true, either way.
const SHARE_MISSES: &[(&str, &str)] = &[
    ("regulated-health", "modal 2×a100-80gb"),
    ("regulated-health", "modal 4×a100-40gb"),
    ("regulated-health", "modal 4×l4-24gb"),
    ("bursty-10k", "modal 2×a100-80gb"),
    ("bursty-10k", "modal 4×a100-40gb"),
];

/// Options whose closed-form share falls on the other side of the 1%
/// allowance from the simulated share (measured 2026-12-08; docs/design.md,
/// "Replica pools", "Waits"): within `SHARE_TOLERANCE`, but an option that
/// the simulation would exclude on a TTFT requirement is kept (the
/// closed form undercounts the waits of bursts that start several replicas
/// at once): support-chat's Modal 2×A100-80, 0.67% against 1.48%.
/// support-chat's Modal 4×A100-40 and regulated-health's Modal 2×A100-80
/// left the list on 2026-12-08: run at the streams their KV cache holds,
/// they need more replicas and both shares are over 1%. Earlier:
/// regulated-health's Modal 4×A100-40 left it with v4's restarts, and
/// internal-tool's Modal 1×B200 since vLLM's 16-bit KV cache. The test
/// fails when the list is no longer true, either way.
const SHARE_CROSSINGS: &[(&str, &str)] = &[("support-chat", "modal 2×a100-80gb")];

#[test]
fn every_pooled_options_cold_start_share_is_near_the_simulated_share() {
    let (mut compared, mut worst) = (0, 0.0_f64);
    let (mut crossings, mut misses, mut stale) = (Vec::new(), Vec::new(), Vec::new());
    for (workload, label, _, share, o) in beside_the_simulation() {
        let sim = o["wait_share"].as_f64().unwrap();
        let ci = o["wait_ci95"].as_array().unwrap();
        let half = (ci[1].as_f64().unwrap() - ci[0].as_f64().unwrap()) / 2.0;
        let off = (share - sim).abs();
        worst = worst.max(off);
        let listed = SHARE_MISSES.contains(&(workload.as_str(), label.as_str()));
        if listed && off <= SHARE_TOLERANCE + half {
            stale.push(format!("{workload} {label}: now {off:.4} off"));
        }
        let tolerance = if listed { MISS_BOUND } else { SHARE_TOLERANCE };
        if off > tolerance + half {
            misses.push(format!(
                "{workload} {label}: closed form {share} simulated {sim} ±{half}"
            ));
        }
        let crossed = (share > 0.01) != (sim > 0.01);
        if crossed != SHARE_CROSSINGS.contains(&(workload.as_str(), label.as_str())) {
            crossings.push(format!(
                "{workload} {label}: closed form {share} simulated {sim}"
            ));
        }
        compared += 1;
    }
    assert!(compared >= 221, "{compared}");
    assert!(misses.is_empty(), "worst {worst}: {misses:#?}");
    assert!(crossings.is_empty(), "{crossings:#?}");
    assert!(stale.is_empty(), "back within the tolerance: {stale:#?}");
}

/// The pick's check re-bills a pick whose closed-form bill is more than 3%
/// (plus the check's own CI) off its simulation, end to end: the fixture's
/// one autoscale option (min 0, C = 2, d = 2·0.11 = 0.22 s, c = 120 s,
/// τ = 60 s, λ = 864/86,400 = 0.01/s) is where the closed form misses most
/// on the grid (replica 2 started by the bursts during replica 1's cold
/// start): it bills 18.58 replica-hours a day where a 200-day simulation
/// (seed 1) gives 25.56 [25.47, 25.65]. The check's 4 days (seed 1) bill
/// 25.685 instead, within 0.5% of the long run, and say so in the flags;
/// its cold-start share is the simulation's too (0.662; 200 days: 0.654).
#[test]
fn a_pick_the_closed_form_misses_is_billed_by_its_simulation() {
    let root = fixture("rebill");
    let out = compare_in("sparse", &root.join("vendors"), &root.join("workloads"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let w = &v["workloads"][0];
    assert_eq!(w["pick"]["primary"]["vendor"], "pooled", "{w}");
    let o = &w["options"][0];
    let flags = strings(&o["flags"]);
    assert_eq!(
        flags,
        [
            "the vendor's throughput figures",
            "billed by the pool simulation (4 days, seed 1): the closed form is −28% off, beyond 3%"
        ],
        "{o}"
    );
    let billed = o["billed_replica_hours_per_day"].as_f64().unwrap();
    assert_eq!(billed, 25.6850694, "{o}");
    assert!((billed / 25.56 - 1.0).abs() < 0.01, "{billed}");
    // $/day = 25.6850694 replica-hours · 2 GPUs · $3.99 = $204.966854;
    // a month is 365/12 days: $6,234.40848, the band's both ends (the
    // vendor's own throughput: no band to widen).
    assert_eq!(o["usd_per_day"].as_f64().unwrap(), 204.966854, "{o}");
    for key in ["usd_per_month", "usd_per_month_low", "usd_per_month_high"] {
        assert_eq!(o[key].as_f64().unwrap(), 6234.40848, "{key}: {o}");
    }
    assert_eq!(o["cold_start_share"].as_f64().unwrap(), 0.66165848, "{o}");
}
