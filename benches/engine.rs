//! Engine benchmarks (`cargo bench`): one workload on one offer, one
//! workload on every bundled offer, and the whole bundled set.

use infercost::engine::{self, Settings};
use infercost::profile::{self, embedded, Profiles};

fn main() {
    divan::main();
}

fn bundled() -> Profiles {
    profile::load(&embedded::vendors(), &embedded::workloads()).expect("bundled profiles are valid")
}

/// The bundled set, priced and picked.
#[divan::bench]
fn whole_bundled_set(bencher: divan::Bencher) {
    let profiles = bundled();
    let settings = Settings::default();
    bencher.bench(|| engine::run(divan::black_box(&profiles), &settings));
}

/// Each bundled workload on every offer of its model (break-even searches included).
#[divan::bench(args = ["support-chat", "agent-rl-rollouts", "bursty-prototype", "voice-agent"])]
fn one_workload(bencher: divan::Bencher, name: &str) {
    let profiles = bundled();
    let w = profiles.workloads.iter().find(|w| w.workload == name).expect("bundled workload");
    bencher.bench(|| engine::price_workload(divan::black_box(w), &profiles.vendors, &[]));
}

/// Parsing and validating every bundled profile.
#[divan::bench]
fn load_bundled_profiles() -> Profiles {
    bundled()
}
