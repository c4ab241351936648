//! Typed verdicts and the engine's one record per option: every option's
//! cost lies within its band on every bundled workload. (Bug C of issue 20,
//! a re-billed option's band, had a test on bursty-prototype's Modal 4×L4;
//! since closed form v2 of issue 21 no bundled pick is re-billed, and the
//! test went with it.)

use crate::common::root;

use chrono::NaiveDate;
use infercost::engine::{self, Settings};
use infercost::profile::{self, ProfileFile};

const AS_OF: &str = "2026-12-01";

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
