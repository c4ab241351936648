//! Capacity estimator benchmarks (`cargo bench --bench capacity`): what the
//! estimate costs per dedicated option, per set of profiles (loaded, and
//! every workload's deployments resolved), the calibration fit (every group
//! fitted, every point held out once), and what a process does instead for
//! the bundled catalog (the catalog read and the built-in calibration
//! checked against its fingerprint and read).

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use infercost::capacity::{calibrate, load, Engine, Estimator, Query};
use infercost::profile::{self, embedded, Profiles};
use infercost::resolve::resolve;

fn main() {
    divan::main();
}

fn estimator() -> &'static Estimator {
    Estimator::bundled().expect("the bundled catalog is valid")
}

/// Llama 3.3 70B on H100s for a 1,200 / 250 mix at 8 streams.
fn option(engine: Option<Engine>) -> Query {
    Query {
        model: "llama-3.3-70b".into(),
        gpu: "h100-80gb".into(),
        gpus: None,
        precision: None,
        input_tokens: 1200.0,
        output_tokens: 250.0,
        concurrency: Some(8),
        engine,
    }
}

/// One dedicated option, no engine stated: the three engines answered.
#[divan::bench]
fn one_option(bencher: Bencher) {
    let (e, q) = (estimator(), option(None));
    bencher.bench(|| e.capacity(black_box(&q)));
}

/// The same option with its engine stated (vLLM): one engine's answer.
#[divan::bench]
fn one_option_one_engine(bencher: Bencher) {
    let (e, q) = (estimator(), option(Some(Engine::Vllm)));
    bencher.bench(|| e.capacity(black_box(&q)));
}

/// Load the bundled profiles and resolve every workload's dedicated
/// deployments (parsing included); items = the resolved deployments.
#[divan::bench]
fn load_and_resolve(bencher: Bencher) {
    let _ = estimator();
    let (v, w) = (embedded::vendors(), embedded::workloads());
    let profiles: Profiles = profile::load(&v, &w).expect("bundled profiles are valid");
    let resolved = |p: &Profiles| -> usize {
        resolve(p)
            .workloads
            .iter()
            .map(|w| w.deployments.len())
            .sum()
    };
    bencher
        .counter(ItemsCount::new(resolved(&profiles)))
        .bench(|| {
            let p = profile::load(black_box(&v), black_box(&w)).expect("valid");
            resolved(&p)
        });
}

/// Load and calibrate the catalog (once per process in `infercost`).
#[divan::bench(sample_count = 10)]
fn calibration(bencher: Bencher) {
    let catalog = load::bundled().expect("valid");
    bencher.bench(|| calibrate::calibrate(black_box(&catalog)));
}

/// Load the bundled catalog with its built-in calibration: what every
/// process does once, instead of `calibration` above.
#[divan::bench(sample_count = 10)]
fn built_in_calibration(bencher: Bencher) {
    bencher.bench(|| Estimator::load_bundled().expect("valid"));
}
