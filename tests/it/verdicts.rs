//! Typed verdicts and the engine's one record per option: a re-billed
//! option's band comes from its bill (bug C of issue 20), and every
//! option's cost lies within its band on every bundled workload.

use crate::common::{close, infercost, root};

use chrono::NaiveDate;
use infercost::engine::{self, Settings};
use infercost::profile::{self, ProfileFile};
use serde_json::Value;

const AS_OF: &str = "2026-12-01";

/// Bug C: `compare bursty-prototype --format json` billed Modal 4×L4 by the
/// pool simulation at $139.03/month and kept the closed form's band
/// [$116.03, $132.65], which does not contain it. The band is now billed
/// as the option is: the closed form's band times the simulation's
/// replica-hours over the closed form's. Since closed form v2 (issue 21)
/// no bundled option is re-billed (the 4-day check of Modal 4×L4 is within
/// its own ±12% CI of the closed form), so this waits for a workload whose
/// pick the closed form really misses.
#[test]
#[ignore = "no bundled option is re-billed by the pick's check since closed form v2 (issue 21)"]
fn a_re_billed_option_has_its_band_from_its_bill() {
    let out = infercost(
        &[
            "compare",
            "bursty-prototype",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ],
        &root(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let modal = report["workloads"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["vendor"] == "modal" && o["gpu"] == "l4-24gb" && o["gpus_per_replica"] == 4)
        .expect("Modal 4×L4 is priced");
    let flags: Vec<&str> = modal["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        flags.contains(
            &"billed by the pool simulation (4 days, seed 1): the closed form is −11% off, beyond 3%"
        ),
        "{flags:?}"
    );
    let get = |field: &str| modal[field].as_f64().unwrap();
    let (month, low, high) = (
        get("usd_per_month"),
        get("usd_per_month_low"),
        get("usd_per_month_high"),
    );
    // The simulation bills 1.4298 replica-hours a day at $3.1968 an hour
    // (4 × $0.7992): $4.5708 a day, × 365/12 = $139.03 a month.
    assert!(close(month, 139.027223, 1e-6), "{month}");
    // The closed form billed 11% fewer hours ($123.96 a month) and its band
    // was [$116.03, $132.65]; times 139.03 / 123.96 = 1.1215 that is
    // [$130.13, $148.77], around the cost.
    assert!(close(low, 130.127689, 1e-6), "{low}");
    assert!(close(high, 148.767846, 1e-6), "{high}");
    assert!(low <= month && month <= high);
    assert!(close(low / month, 116.029231 / 123.964_56, 1e-6));
}

/// Every option of every bundled workload costs within its own band
/// [low, high] (options without a throughput band have none).
#[test]
fn every_bundled_option_costs_within_its_band() {
    let read = |dir: &str| ProfileFile::read_dir(&root().join(dir)).expect("bundled folder");
    let profiles = profile::load(&read("vendors"), &read("workloads")).expect("valid");
    let settings = Settings {
        as_of: Some(NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()),
        ..Settings::default()
    };
    let report = engine::run(&profiles, &settings);
    let mut banded = 0;
    for w in &report.workloads {
        for o in &w.options {
            let (Some(low), Some(high)) = (o.usd_per_month_low, o.usd_per_month_high) else {
                continue;
            };
            banded += 1;
            let slack = 1e-9 * high.abs();
            assert!(
                low - slack <= o.usd_per_month && o.usd_per_month <= high + slack,
                "{}: {} costs {} outside [{low}, {high}]",
                w.workload,
                o.label(),
                o.usd_per_month
            );
        }
    }
    assert!(banded > 100, "only {banded} options have a band");
}
