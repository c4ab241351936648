//! Engine benchmarks (`cargo bench`). The unit of work is one evaluation: one
//! workload priced on one offer, judged for eligibility, with its crossover
//! and break-even search. Divan's `item/s` column is evaluations per second.
//!
//! - `one_offer`: one workload on one offer of each kind, model functions only;
//! - `one_workload`: a bundled workload on every offer, the whole engine step
//!   (contract numbers, sort, pick), on one core;
//! - `bundled_set`: every bundled workload, on one core and with rayon;
//! - `scale`: generated sets of 10, 100 and 1,000 workloads (the bundled ones,
//!   renamed, volumes scaled; `examples/gen_workloads/generate.rs`);
//! - `load`, `resolve` and `render`: the steps around the engine in
//!   `infercost report`.

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use infercost::contract::OfferKind;
use infercost::engine::{self, Settings};
use infercost::model::breakeven::{break_even_volume, crossover_utilization};
use infercost::model::{traffic, Demand};
use infercost::pick;
use infercost::price::{self, Offer};
use infercost::profile::{self, embedded, ProfileFile, Profiles, Scaling, Vendor, Workload};
use infercost::report::{self, Format};
use infercost::resolve::{self, Resolved};

#[path = "../examples/gen_workloads/generate.rs"]
mod generate;

fn main() {
    divan::main();
}

fn bundled() -> Profiles {
    profile::load(&embedded::vendors(), &embedded::workloads()).expect("bundled profiles are valid")
}

/// The bundled vendors with `n` generated workloads.
fn generated(n: usize) -> Profiles {
    let bundled: Vec<(String, String)> = embedded::workloads()
        .into_iter()
        .filter_map(|f| f.text.ok().map(|t| (f.stem, t)))
        .collect();
    let files: Vec<ProfileFile> = generate::workloads(&bundled, n)
        .into_iter()
        .map(|(stem, text)| ProfileFile {
            name: format!("{stem}.yaml"),
            stem,
            text: Ok(text),
        })
        .collect();
    profile::load(&embedded::vendors(), &files).expect("generated profiles are valid")
}

/// Workload × offer evaluations in a set: the options of its report.
fn evaluations(profiles: &Profiles) -> usize {
    engine::run(profiles, &Settings::default())
        .workloads
        .iter()
        .map(|w| w.options.len())
        .sum()
}

/// Everything the engine computes for one workload on one offer, with the
/// cheapest per-token price of the model as the break-even reference. The
/// demand and traffic weights are computed once per workload, as in the engine.
fn evaluate(
    vendor: &Vendor,
    offer: Offer,
    w: &Workload,
    (demand, weights): &(Demand, [f64; 24]),
    per_token: f64,
) -> (f64, Option<f64>) {
    let c = price::cost(vendor, offer, w, demand, weights);
    let verdict = pick::judge(&c, w, demand);
    let mut found = (c.usd_per_day, None);
    if let Some((replica, _)) = &c.dedicated {
        let x = crossover_utilization(replica, demand, per_token);
        let volume = break_even_volume(
            replica,
            demand,
            weights,
            w.traffic.target_utilization,
            per_token,
        );
        found.1 = x.zip(volume).map(|(x, v)| x + v);
    }
    black_box(verdict);
    found
}

/// support-chat on one offer of each kind: per-token; dedicated autoscale
/// and scale-to-zero (break-even by a bracketed search on log volume);
/// dedicated always-on (a bundled autoscale deployment switched to
/// always-on; break-even by fixed-point iteration).
#[divan::bench(args = ["serverless", "autoscale", "scale-to-zero", "always-on"])]
fn one_offer(bencher: Bencher, kind: &str) {
    let (profiles, vendor, per_token) = support_chat(kind);
    let w = find(&profiles.workloads, "support-chat");
    let vendors = std::slice::from_ref(&vendor);
    let resolved = resolve::workload(w, vendors, infercost::capacity::Estimator::bundled().ok());
    let offer = offer_of(&vendor, &resolved, kind);
    let shape = (Demand::of(w), traffic::weights(&w.traffic));
    bencher
        .counter(ItemsCount::new(1usize))
        .bench(|| evaluate(&vendor, black_box(offer), black_box(w), &shape, per_token));
}

/// One break-even search of a support-chat scaled pool against the
/// cheapest per-token offer, alone: what a search costs (each price a
/// closed-form day; no memo of days).
#[divan::bench(args = ["autoscale", "scale-to-zero"])]
fn break_even_search(bencher: Bencher, kind: &str) {
    let (profiles, vendor, per_token) = support_chat(kind);
    let w = find(&profiles.workloads, "support-chat");
    let vendors = std::slice::from_ref(&vendor);
    let resolved = resolve::workload(w, vendors, infercost::capacity::Estimator::bundled().ok());
    let Offer::Dedicated(d, dep) = offer_of(&vendor, &resolved, kind) else {
        panic!("{kind} is a dedicated offer");
    };
    let replica = infercost::model::dedicated::Replica::of(d, dep);
    let (demand, weights) = (Demand::of(w), traffic::weights(&w.traffic));
    let target = w.traffic.target_utilization;
    bencher
        .counter(ItemsCount::new(1usize))
        .bench(|| break_even_volume(black_box(&replica), &demand, &weights, target, per_token));
}

/// The bundled profiles, the vendor of a support-chat offer of `kind`
/// (together's deployment switched to always-on for "always-on"), and the
/// cheapest per-token $ a request of the model.
fn support_chat(kind: &str) -> (Profiles, Vendor, f64) {
    let profiles = bundled();
    let w = find(&profiles.workloads, "support-chat");
    let demand = Demand::of(w);
    let per_token = profiles
        .vendors
        .iter()
        .flat_map(|v| v.serverless.iter().filter(|o| o.model == w.model))
        .map(|o| infercost::model::per_token::usd_per_unit(o, &demand))
        .min_by(f64::total_cmp)
        .expect("a per-token offer of the model");
    let mut vendor = match kind {
        "serverless" => find_vendor(&profiles.vendors, "together"),
        "scale-to-zero" => find_vendor(&profiles.vendors, "fireworks"),
        _ => find_vendor(&profiles.vendors, "together"),
    }
    .clone();
    if kind == "always-on" {
        let d = vendor.dedicated.as_mut().expect("together sells dedicated");
        d.scaling = Scaling::AlwaysOn;
        d.min_replicas = None;
    }
    (profiles, vendor, per_token)
}

/// The offer of `kind` of `vendor` for the resolved workload.
fn offer_of<'a>(
    vendor: &'a Vendor,
    resolved: &'a resolve::ResolvedWorkload<'a>,
    kind: &str,
) -> Offer<'a> {
    let model = resolved.workload.model.as_str();
    let offer = match kind {
        "serverless" => Offer::Serverless(
            vendor
                .serverless
                .iter()
                .find(|o| o.model == model)
                .expect("a per-token offer"),
        ),
        _ => {
            let dep = resolved.deployments.first().expect("a deployment");
            Offer::Dedicated(dep.dedicated, dep)
        }
    };
    assert_eq!(
        offer.kind() == OfferKind::Dedicated,
        kind != "serverless",
        "{kind}"
    );
    offer
}

/// A bundled workload on every offer of its model: pricing, eligibility,
/// crossover, break-even, contract numbers, sort and pick; one core.
#[divan::bench(args = ["support-chat", "voice-agent", "bursty-prototype", "agent-rl-rollouts"])]
fn one_workload(bencher: Bencher, name: &str) {
    let profiles = bundled();
    let estimator = infercost::capacity::Estimator::bundled().ok();
    let w = resolve::workload(
        find(&profiles.workloads, name),
        &profiles.vendors,
        estimator,
    );
    let w = &w;
    let n = engine::price_workload(w, &profiles.vendors, &[], chrono::NaiveDate::MIN)
        .0
        .options
        .len();
    bencher.counter(ItemsCount::new(n)).bench(|| {
        engine::price_workload(black_box(w), &profiles.vendors, &[], chrono::NaiveDate::MIN)
    });
}

/// Every bundled workload on every offer, one core (no rayon).
#[divan::bench]
fn bundled_set_one_core(bencher: Bencher) {
    let profiles = bundled();
    let resolved = resolve::resolve(&profiles);
    bencher
        .counter(ItemsCount::new(evaluations(&profiles)))
        .bench(|| one_core(black_box(&resolved)));
}

/// Every bundled workload on every offer: `engine::run`, rayon over workloads.
#[divan::bench]
fn bundled_set(bencher: Bencher) {
    let profiles = bundled();
    let settings = Settings::default();
    bencher
        .counter(ItemsCount::new(evaluations(&profiles)))
        .bench(|| engine::run(black_box(&profiles), &settings));
}

/// Generated sets on one core: cost should grow linearly with the workloads.
#[divan::bench(args = [10, 100, 1000])]
fn scale_one_core(bencher: Bencher, n: usize) {
    let profiles = generated(n);
    let resolved = resolve::resolve(&profiles);
    bencher
        .counter(ItemsCount::new(evaluations(&profiles)))
        .bench(|| one_core(black_box(&resolved)));
}

/// Generated sets through `engine::run` (rayon over workloads).
#[divan::bench(args = [10, 100, 1000])]
fn scale(bencher: Bencher, n: usize) {
    let profiles = generated(n);
    let settings = Settings::default();
    bencher
        .counter(ItemsCount::new(evaluations(&profiles)))
        .bench(|| engine::run(black_box(&profiles), &settings));
}

/// Parsing and validating every bundled profile.
#[divan::bench]
fn load() -> Profiles {
    bundled()
}

/// Every bundled workload's dedicated deployments, with the capacity
/// estimator's figures where the vendor gives none (the calibration is
/// fitted once per process, before the first sample).
#[divan::bench]
fn resolve_bundled(bencher: Bencher) {
    let profiles = bundled();
    drop(resolve::resolve(&profiles));
    bencher.bench(|| resolve::resolve(black_box(&profiles)).workloads.len());
}

/// The files of the bundled report: JSON only, and every format (Markdown,
/// HTML with its SVG charts, JSON).
#[divan::bench(args = ["json", "all"])]
fn render(bencher: Bencher, formats: &str) {
    let profiles = bundled();
    let resolved = resolve::resolve(&profiles);
    let priced = engine::price(&resolved, &Settings::default());
    let formats: &[Format] = match formats {
        "json" => &[Format::Json],
        _ => &[Format::Json, Format::Md, Format::Html],
    };
    bencher.bench(|| report::render(black_box(&priced), &profiles, formats));
}

fn one_core(resolved: &Resolved) -> usize {
    resolved
        .workloads
        .iter()
        .map(|w| {
            engine::price_workload(w, &resolved.profiles.vendors, &[], chrono::NaiveDate::MIN)
                .0
                .options
                .len()
        })
        .sum()
}

fn find<'a>(workloads: &'a [Workload], name: &str) -> &'a Workload {
    workloads
        .iter()
        .find(|w| w.workload == name)
        .unwrap_or_else(|| panic!("bundled workload {name}"))
}

fn find_vendor<'a>(vendors: &'a [Vendor], name: &str) -> &'a Vendor {
    vendors
        .iter()
        .find(|v| v.vendor == name)
        .unwrap_or_else(|| panic!("bundled vendor {name}"))
}
