//! Resolve, the stage between load and price (load -> resolve -> price ->
//! pick -> render -> write): the dedicated deployments each workload is
//! priced on, with the throughput figures they are priced with. The
//! profiles stay as written; what this stage derives lives in its own
//! types, which pricing borrows.
//!
//! A listed deployment keeps the vendor's own figures when it gives them;
//! else it gets, for each workload of its model, the capacity estimator's
//! figures for that workload's input/output mix (a measured point of the
//! exact configuration when there is one). A vendor whose
//! `dedicated.models` runs a workload's model gets a deployment on every
//! GPU it sells that holds the model, except GPUs it lists a deployment of
//! that model on. Each workload has its own list, so pricing a workload
//! reads its deployments only: the work is linear in workloads.

mod estimate;
mod note;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::capacity::{Band, Basis, EngineOrigin, Estimator, NoFit, Precision};
use crate::profile::{Dedicated, Deployment, OfferKey, Profiles, Vendor, Workload};

/// The profiles with each workload's deployments resolved.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// The profiles, as written.
    pub profiles: &'a Profiles,
    /// One per workload of `profiles`, in the same order.
    pub workloads: Vec<ResolvedWorkload<'a>>,
}

/// One workload and the deployments it is priced on.
#[derive(Debug, Clone)]
pub struct ResolvedWorkload<'a> {
    /// The workload profile.
    pub workload: &'a Workload,
    /// Every vendor's deployments of the workload's acceptable models (its
    /// `model`, then its `substitutes`) that have throughput figures,
    /// vendors in profile order.
    pub deployments: Vec<ResolvedDeployment<'a>>,
}

impl<'a> ResolvedWorkload<'a> {
    /// The deployments of one vendor.
    pub(crate) fn of_vendor(
        &self,
        vendor: &'a Vendor,
    ) -> impl Iterator<Item = &ResolvedDeployment<'a>> {
        self.deployments
            .iter()
            .filter(move |d| std::ptr::eq(d.vendor, vendor))
    }
}

/// A dedicated deployment as priced for one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedDeployment<'a> {
    /// The vendor that sells it.
    pub vendor: &'a Vendor,
    /// The vendor's dedicated terms.
    pub dedicated: &'a Dedicated,
    /// The profile's row it comes from; `None` when `dedicated.models`
    /// made it.
    pub written: Option<&'a Deployment>,
    /// Canonical model id.
    pub model: &'a str,
    /// GPU id, a key of the vendor's `dedicated.gpus`.
    pub gpu: &'a str,
    /// GPUs in one replica.
    pub gpus_per_replica: u32,
    /// Input tokens per second of one saturated replica.
    pub prefill_tokens_per_s: f64,
    /// Output tokens per second of one saturated replica, all streams together.
    pub decode_tokens_per_s: f64,
    /// Time to first token, ms, where known.
    pub ttft_ms: Option<f64>,
    /// Decode speed of one stream, tokens per second, where known.
    pub output_tokens_per_s: Option<f64>,
    /// The replica serves LoRA adapters: `true`, `false`, absent (unknown).
    pub lora: Option<bool>,
    /// The vendor deprecated the deployment on this date.
    pub deprecated_on: Option<NaiveDate>,
    /// The vendor stops (or stopped) serving it on this date.
    pub retired_on: Option<NaiveDate>,
    /// Where the throughput figures come from, and their band.
    pub throughput: ThroughputBand,
    /// The serving engine and where that comes from.
    pub engine: EngineOrigin,
    /// The decode speed of one stream at the concurrency the replica is
    /// run at: the vendor's published figure (at its saturation
    /// throughput), or the estimator's at the streams it runs. What a
    /// `min_output_tokens_per_s` requirement is judged on.
    pub per_stream: Option<PerStream>,
    /// C, the requests a replica serves at once in the pool model, when
    /// resolve knows it: an estimate's concurrency, the one its decode
    /// rate is for (the engine's KV-limited batch, at most the row's
    /// `concurrency`, fewer where a latency requirement asks). `None` for
    /// the vendor's own figures: the pool takes the row's `concurrency`,
    /// else its rule (`model::dedicated::Replica::slots`).
    pub slots: Option<u32>,
    /// Why the replica cannot hold the workload's longest context; `None`
    /// when it can (or nothing is known to check it against). The judge
    /// excludes a deployment that does not fit.
    pub fit: Option<NoFit>,
}

impl ResolvedDeployment<'_> {
    /// Its identity among the vendor's deployments.
    pub fn key(&self) -> OfferKey {
        OfferKey::deployment(self.model, self.gpu, self.gpus_per_replica)
    }
}

/// One stream's decode speed at the concurrency a replica is run at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerStream {
    /// Streams per replica (`C`); `None` when the vendor's figure does
    /// not say.
    pub streams: Option<u32>,
    /// Output tokens per second of one stream.
    pub tokens_per_s: f64,
}

/// Where a deployment's throughput comes from, with its band.
#[derive(Debug, Clone, PartialEq)]
pub struct ThroughputBand {
    /// The vendor's figures, or the performance catalog's.
    pub origin: Origin,
    /// Low end of the band as a share of the figure.
    pub low: f64,
    /// High end of the band as a share of the figure.
    pub high: f64,
}

/// The source of a deployment's throughput.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// The profile's own figures.
    Vendor,
    /// The capacity estimator's, for the workload's input/output mix.
    Catalog(Box<Estimate>),
}

/// What the capacity estimator answered for a deployment and a workload:
/// what the Method says of it (kept small: a 10,000-workload report holds
/// a quarter of a million of them).
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Measured or estimated, with what.
    pub basis: Basis,
    /// The catalog's model id.
    pub model: String,
    /// The catalog's GPU id.
    pub gpu: String,
    /// GPUs in the replica.
    pub gpus: u32,
    /// Precision of the weights.
    pub precision: Precision,
    /// Output tokens/s of the saturated replica for the mix.
    pub output_tokens_per_s: f64,
    /// Its band.
    pub band: Band,
    /// Streams at saturation.
    pub streams: u32,
    /// Mean input tokens of one call of the workload.
    pub input_tokens: f64,
    /// Mean output tokens of one call.
    pub output_tokens: f64,
    /// Streams per replica when fewer than the saturated batch were kept
    /// to meet the workload's latency requirements.
    pub sized_streams: Option<u32>,
    /// Streams per replica without a latency requirement: the saturated
    /// batch, at most the row's `concurrency` (`capped`) and the most
    /// whose KV cache holds the longest context.
    pub most: u32,
    /// `most` is the row's stated `concurrency`.
    pub capped: bool,
    /// Streams per replica its per-stream speed is given at: the pool's C
    /// (`most`, or `sized_streams`), or 1 when not even one stream meets
    /// the latency requirement (the option is then excluded on that
    /// stream's figures and priced at `most`).
    pub run_at: u32,
    /// One stream's decode speed at `run_at`, tokens/s.
    pub stream_tokens_per_s: Option<f64>,
    /// The serving engine the estimate is for (unknown: vLLM's figures,
    /// the band spanning every engine's).
    pub engine: EngineOrigin,
    /// Why the weights run at `precision` and not at the lower one the
    /// GPU would take: the engine has no kernel for it there.
    pub kernel_upcast: Option<Box<NoFit>>,
}

impl ThroughputBand {
    /// The vendor's own figures: no band.
    pub fn vendor() -> ThroughputBand {
        ThroughputBand {
            origin: Origin::Vendor,
            low: 1.0,
            high: 1.0,
        }
    }

    /// How the catalog reached its figures: measured or estimated; `None`
    /// for the vendor's figures.
    pub fn basis(&self) -> Option<&Basis> {
        match &self.origin {
            Origin::Vendor => None,
            Origin::Catalog(e) => Some(&e.basis),
        }
    }

    /// The figures' inputs in words, for the Method section.
    pub fn note(&self) -> String {
        match &self.origin {
            Origin::Vendor => "the vendor's figures".to_string(),
            Origin::Catalog(e) => note::note(e),
        }
    }
}

/// Resolves every workload's deployments (on every core), with the
/// estimator of the catalog built into the binary; without it, only the
/// vendors' own figures.
pub fn resolve(profiles: &Profiles) -> Resolved<'_> {
    let estimator = Estimator::bundled().ok();
    Resolved {
        profiles,
        workloads: profiles
            .workloads
            .par_iter()
            .map(|w| workload(w, &profiles.vendors, estimator))
            .collect(),
    }
}

/// One workload's deployments on every vendor.
pub fn workload<'a>(
    workload: &'a Workload,
    vendors: &'a [Vendor],
    estimator: Option<&Estimator>,
) -> ResolvedWorkload<'a> {
    let with = estimator.zip(estimate::io_mix(workload));
    let needs = estimate::Needs::of(workload);
    // Every acceptable model: the first choice, then its substitutes.
    let deployments = vendors
        .iter()
        .filter_map(|v| Some((v, v.dedicated.as_ref()?)))
        .flat_map(|(v, d)| {
            workload
                .models()
                .flat_map(move |m| estimate::vendor(v, d, m, with, needs))
        })
        .collect();
    ResolvedWorkload {
        workload,
        deployments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::parse;

    const VENDOR: &str = "vendor: v\nname: V\nsegment: gpu-platform\npositioning: x\nas_of: 2026-01-01\nsources: [https://example.com]\ndedicated:\n  billing: per-second\n  scaling: always-on\n  gpus:\n    h100-80gb: {usd_per_hour: 3.0}\n    a100-80gb: {usd_per_hour: 2.0}\n  models: any\n  deployments:\n    - {model: llama-3.3-70b, gpu: h100-80gb, gpus_per_replica: 2, prefill_tokens_per_s: 12200, decode_tokens_per_s: 4205}\n";

    fn workload(id: &str, input: u32, output: u32) -> Workload {
        let text = format!("workload: {id}\nname: W\ndescription: d\nmodel: llama-3.3-70b\nrequests_per_day: 100000\ninput_tokens: {input}\noutput_tokens: {output}\ntraffic:\n  shape: flat\n  target_utilization: 0.8\n");
        parse::workload(&format!("{id}.yaml"), id, &text).expect("a valid workload")
    }

    fn profiles() -> Profiles {
        Profiles {
            vendors: vec![parse::vendor("v.yaml", "v", VENDOR).expect("a valid vendor")],
            workloads: vec![workload("short", 1000, 1000), workload("long", 8000, 200)],
        }
    }

    /// Each workload gets its own deployments: the listed row with the
    /// vendor's figures as written, and on the GPU without a listed row one
    /// made from `models: any`, estimated for that workload's mix; the
    /// profiles are left as written.
    #[test]
    fn each_workload_has_its_own_deployments_and_the_profiles_stay_as_written() {
        let profiles = profiles();
        let written = profiles.clone();
        let resolved = resolve(&profiles);
        assert_eq!(profiles, written);
        let [short, long] = &resolved.workloads[..] else {
            panic!("two workloads");
        };
        for w in [short, long] {
            let keys: Vec<String> = w.deployments.iter().map(|d| d.key().to_string()).collect();
            assert_eq!(keys[0], "llama-3.3-70b/2×h100-80gb");
            assert_eq!(keys.len(), 2, "{keys:?}");
            assert!(keys[1].ends_with("×a100-80gb"), "{keys:?}");
            let listed = &w.deployments[0];
            assert_eq!(
                listed.written,
                Some(&profiles.vendors[0].dedicated.as_ref().unwrap().deployments[0])
            );
            assert_eq!(
                (listed.prefill_tokens_per_s, listed.decode_tokens_per_s),
                (12200.0, 4205.0)
            );
            assert_eq!(listed.throughput.origin, Origin::Vendor);
            let made = &w.deployments[1];
            assert_eq!(made.written, None);
            assert!(made.throughput.basis().is_some());
            assert!(made.throughput.low < 1.0 && made.throughput.high > 1.0);
        }
        // The same A100 replica, two mixes: two estimates.
        assert_ne!(
            short.deployments[1].decode_tokens_per_s,
            long.deployments[1].decode_tokens_per_s
        );
    }

    /// Without the estimator only the vendors' own figures are priced.
    #[test]
    fn without_the_estimator_only_vendor_figures_resolve() {
        let profiles = profiles();
        let w = super::workload(&profiles.workloads[0], &profiles.vendors, None);
        assert_eq!(w.deployments.len(), 1);
        assert_eq!(w.deployments[0].throughput, ThroughputBand::vendor());
        assert_eq!(w.deployments[0].throughput.note(), "the vendor's figures");
    }
}
