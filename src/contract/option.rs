//! One priced option of a workload in the contract (`report.json`): its
//! figures, its verdict and flags, the commitment plan that bills it, and
//! the key that names it. Projected from the engine's records
//! (`engine::record`); every renderer reads it, none computes it.

use serde::Serialize;

use crate::profile::{Billing, Scaling};
use crate::verdict::{Crossover, ThroughputOrigin, Verdict};

/// The kind of an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferKind {
    /// Per-token API.
    Serverless,
    /// Pay for GPU time.
    Dedicated,
    /// Per prediction.
    Prediction,
    /// Per training token.
    Training,
    /// A dedicated deployment with replicas committed for a term, the rest
    /// of the day's demand on demand or per token (its `commitment` says how).
    Committed,
}

impl OfferKind {
    /// The name used in the contract and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Serverless => "serverless",
            OfferKind::Dedicated => "dedicated",
            OfferKind::Prediction => "prediction",
            OfferKind::Training => "training",
            OfferKind::Committed => "committed",
        }
    }
}

/// One offer priced for one workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PricedOption {
    /// Vendor id.
    pub vendor: String,
    /// Kind of offer.
    pub offer: OfferKind,
    /// Model id.
    pub model: String,
    /// Whether the model is one of the workload's `substitutes` rather than
    /// its first choice (the JSON says so by `model`; labels name the model).
    #[serde(skip)]
    pub substitute: bool,
    /// GPU id (dedicated only).
    pub gpu: Option<String>,
    /// Price tier, where the vendor lists several.
    pub tier: Option<String>,
    /// GPUs per replica (dedicated only).
    pub gpus_per_replica: Option<u32>,
    /// Why it is excluded and what warns, typed; in the contract:
    /// `eligible` (meets every requirement), `reasons` (why it is
    /// excluded, in words), `excluded_by` (the requirement behind each
    /// reason that has one: `compliance:hipaa`, `isolated`, `fine_tuned`,
    /// `max_ttft_ms`, `min_output_tokens_per_s`, `verified_price` for a GPU
    /// rate marked `unverified`, or `fit` for model, modality and context) and `flags` (warnings that do not exclude:
    /// unverified latency, over budget, stale prices, …).
    #[serde(flatten)]
    pub verdict: Verdict,
    /// $ a day.
    pub usd_per_day: f64,
    /// $ a month (365/12 days).
    pub usd_per_month: f64,
    /// $ per million tokens sent and generated (null when the workload moves no tokens).
    pub usd_per_mtok: Option<f64>,
    /// $ per request or per episode.
    pub usd_per_unit: Option<f64>,
    /// Busy share of billed replica time (dedicated only).
    pub utilization: Option<f64>,
    /// Utilization above which this deployment beats the cheapest eligible
    /// per-token offer of its model (for the first choice with none, of a
    /// substitute: the workload's `substitutes.crossover_against`).
    pub crossover_utilization: Option<f64>,
    /// Smallest volume a day (requests or episodes) at which this deployment beats that offer.
    pub break_even_units_per_day: Option<f64>,
    /// Most replicas up in any hour (dedicated only).
    pub replicas_peak: Option<u32>,
    /// Replica-hours billed a day (dedicated only).
    pub billed_replica_hours_per_day: Option<f64>,
    /// Share of arrivals that wait for a cold start (scale-to-zero only).
    pub cold_start_share: Option<f64>,
    /// How time is rounded on the bill (dedicated only).
    pub billing: Option<Billing>,
    /// Scaling policy (dedicated only).
    pub scaling: Option<Scaling>,
    /// Where a dedicated option's throughput comes from: `vendor` (the
    /// profile's figures), `measured` (a catalog point) or `estimated`.
    pub throughput: Option<ThroughputOrigin>,
    /// $ a month at the high end of the throughput band (the lower cost).
    pub usd_per_month_low: Option<f64>,
    /// $ a month at the low end of the throughput band.
    pub usd_per_month_high: Option<f64>,
    /// Crossover utilization at the high end of the throughput band.
    pub crossover_utilization_low: Option<f64>,
    /// Crossover utilization at the low end of the throughput band.
    pub crossover_utilization_high: Option<f64>,
    /// Break-even volume at the high end of the throughput band.
    pub break_even_units_per_day_low: Option<f64>,
    /// Break-even volume at the low end of the throughput band.
    pub break_even_units_per_day_high: Option<f64>,
    /// Streams one replica is run at (dedicated, when the catalog
    /// estimated it; a vendor's figures do not say).
    pub streams_per_replica: Option<u32>,
    /// Decode speed of one stream at that concurrency, output tokens/s
    /// (dedicated: the vendor's published figure or the estimator's).
    pub output_tokens_per_s_per_stream: Option<f64>,
    /// The serving engine a dedicated replica runs (`vllm`, `sglang`,
    /// `trtllm`): the deployment's or the vendor's; null when unknown
    /// (vLLM's figures, the band spanning every engine's).
    pub engine: Option<&'static str>,
    /// The cheapest commitment plan of a dedicated option whose vendor
    /// states commitment offers (null otherwise, or when none pays).
    pub commitment: Option<CommitmentPlan>,
}

/// Replicas committed for a term, the rest of the day's demand on demand
/// or per token: the level that costs least over the 24-hour curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitmentPlan {
    /// What is committed: `replicas` (of a dedicated deployment) or
    /// `spend` (a monthly amount on a per-token offer).
    pub commits: Commits,
    /// Committed replicas (0 for a committed spend).
    pub replicas: u32,
    /// Share off the per-token rates of a committed spend (null for replicas).
    pub discount: Option<f64>,
    /// Length of the term, months.
    pub term_months: u32,
    /// Where the rest of the demand goes: `on-demand` or `per-token`.
    pub overflow: crate::profile::CommitmentOverflow,
    /// $ a month of the plan: the commitment and the overflow.
    pub usd_per_month: f64,
    /// $ a month of the commitment alone (owed for the whole term).
    pub commitment_usd_per_month: f64,
    /// $ a month of the same hourly demand with nothing committed.
    pub uncommitted_usd_per_month: f64,
    /// Months of the term the workload must run for the commitment to pay.
    pub break_even_months: Option<f64>,
    /// Where the terms come from (URL, or the config file and line).
    pub source: String,
}

/// What a commitment commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Commits {
    /// Replicas of a dedicated deployment, billed every hour of the term.
    Replicas,
    /// A monthly amount on a per-token offer, owed every month of the term.
    Spend,
}

impl PricedOption {
    /// A per-token option of `vendor` at `usd_per_month` with `verdict`
    /// and nothing else: the unit tests' option.
    #[cfg(test)]
    pub(crate) fn for_tests(vendor: &str, usd_per_month: f64, verdict: Verdict) -> PricedOption {
        PricedOption {
            vendor: vendor.into(),
            offer: OfferKind::Serverless,
            model: "m".into(),
            substitute: false,
            gpu: None,
            tier: None,
            gpus_per_replica: None,
            verdict,
            usd_per_day: usd_per_month / (365.0 / 12.0),
            usd_per_month,
            usd_per_mtok: None,
            usd_per_unit: None,
            utilization: None,
            crossover_utilization: None,
            break_even_units_per_day: None,
            replicas_peak: None,
            billed_replica_hours_per_day: None,
            cold_start_share: None,
            billing: None,
            scaling: None,
            throughput: None,
            usd_per_month_low: None,
            usd_per_month_high: None,
            crossover_utilization_low: None,
            crossover_utilization_high: None,
            break_even_units_per_day_low: None,
            break_even_units_per_day_high: None,
            streams_per_replica: None,
            output_tokens_per_s_per_stream: None,
            engine: None,
            commitment: None,
        }
    }

    /// Meets every requirement.
    pub fn eligible(&self) -> bool {
        self.verdict.eligible()
    }

    /// The crossover utilization with its throughput band; `None` where
    /// there is no crossover (not dedicated, or nothing per-token to cross).
    pub(crate) fn crossover(&self) -> Option<Crossover> {
        Some(Crossover {
            at: self.crossover_utilization?,
            band: self
                .crossover_utilization_low
                .zip(self.crossover_utilization_high),
        })
    }

    /// The identity of this option: how the pick, the diff and the report name it.
    pub fn key(&self) -> OptionKey {
        OptionKey {
            vendor: self.vendor.clone(),
            offer: self.offer,
            model: self.model.clone(),
            gpu: self.gpu.clone(),
            gpus_per_replica: self.gpus_per_replica,
            tier: self.tier.clone(),
        }
    }

    /// Whether `key` names this option (compared field by field, without allocating).
    pub fn is(&self, key: &OptionKey) -> bool {
        self.vendor == key.vendor
            && self.offer == key.offer
            && self.model == key.model
            && self.gpu == key.gpu
            && self.gpus_per_replica == key.gpus_per_replica
            && self.tier == key.tier
    }

    /// A short label: `fireworks dedicated 2×h100-80gb`, `tinker serverless
    /// (128k)`; an option of a substitute model names it: `together
    /// serverless of muse-glimmer-30b`.
    pub fn label(&self) -> String {
        let mut s = format!("{} {}", self.vendor, self.offer.as_str());
        if let Some(gpus) = self.replica_gpus() {
            s.push_str(&format!(" {gpus}"));
        }
        if let Some(tier) = &self.tier {
            s.push_str(&format!(" ({tier})"));
        }
        if self.substitute {
            s.push_str(&format!(" of {}", self.model));
        }
        s
    }

    /// The GPUs of one replica (`2×h100-80gb`); `None` when not dedicated.
    pub fn replica_gpus(&self) -> Option<String> {
        let gpu = self.gpu.as_ref()?;
        Some(format!("{}×{gpu}", self.gpus_per_replica.unwrap_or(1)))
    }
}

/// Names one option of a workload: every field that tells two offers of one
/// model apart. A vendor may deploy one model on one GPU kind in several
/// sizes, so the GPU count is part of it. Ordered field by field, which is
/// how options of equal cost are sorted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct OptionKey {
    /// Vendor id.
    pub vendor: String,
    /// Kind of offer.
    pub offer: OfferKind,
    /// Model id.
    pub model: String,
    /// GPU id, or null.
    pub gpu: Option<String>,
    /// GPUs per replica, or null.
    pub gpus_per_replica: Option<u32>,
    /// Tier, or null.
    pub tier: Option<String>,
}
