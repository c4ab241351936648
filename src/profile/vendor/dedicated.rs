//! The vendor profile's dedicated block, as written in
//! `vendors/<vendor>.yaml`: GPU prices, how replicas follow traffic and are
//! billed, the deployments the GPUs serve, and commitment offers. What the
//! vendor wrote only; the replica pool and the capacity estimate are
//! derived from it in `model` and `capacity`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a warm period of a dedicated replica is rounded on the bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Billing {
    /// Billed by the second.
    PerSecond,
    /// Billed by the started minute.
    PerMinute,
    /// Billed by the started hour.
    PerHour,
}

impl Billing {
    /// Length of one billing increment in seconds.
    pub fn increment_s(self) -> f64 {
        match self {
            Billing::PerSecond => 1.0,
            Billing::PerMinute => 60.0,
            Billing::PerHour => 3600.0,
        }
    }
}

/// How replicas follow traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Scaling {
    /// A fixed replica count, sized for the peak hour, all day.
    AlwaysOn,
    /// Hourly replica count follows load, never below `min_replicas`.
    Autoscale,
    /// Replicas stop after `idle_timeout_s` without requests; the next request waits for a cold start.
    ScaleToZero,
}

/// The vendor's pay-for-GPU-time offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dedicated {
    /// How a warm period is rounded on the bill.
    pub billing: Billing,
    /// How replicas follow traffic.
    pub scaling: Scaling,
    /// Replicas kept at least (autoscale only; default 1).
    #[serde(default)]
    pub min_replicas: Option<u32>,
    /// Seconds from a replica's start to its first request: required with
    /// scale-to-zero; autoscale optional (absent: 0 s, a default the report states).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub cold_start_s: Option<f64>,
    /// Seconds a replica with nothing in flight stays up, and billed
    /// (the scale-down delay): required with scale-to-zero; autoscale
    /// optional (absent: 300 s, a default the report states). Where a
    /// scale-to-zero vendor keeps its last replica longer, this is the
    /// window of the replicas above it, and `last_replica_idle_timeout_s`
    /// the last one's.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub idle_timeout_s: Option<f64>,
    /// Scale-to-zero only: seconds the last replica up stays with nothing
    /// in flight before the pool goes to zero, where the vendor keeps it
    /// longer than the others (Fireworks: a 1-hour scale-to-zero window
    /// beside a 10-minute scale-down window); at least `idle_timeout_s`.
    /// Absent: `idle_timeout_s` for every replica.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub last_replica_idle_timeout_s: Option<f64>,
    /// Autoscale and scale-to-zero: whether a replica's cold start is on
    /// the bill (billing from its start) or not (billing once it is ready,
    /// as Fireworks: "Charges start when the server begins accepting
    /// requests"). Absent: billed, the rule of the reference model.
    #[serde(default)]
    pub cold_start_billed: Option<bool>,
    /// Single-tenant hardware: `true` (sourced), `false` (sourced: shared),
    /// absent (unknown: not documented either way).
    #[serde(default)]
    pub isolated: Option<bool>,
    /// Price of each GPU kind.
    pub gpus: BTreeMap<String, GpuPrice>,
    /// Models the vendor deploys, with replica throughput.
    #[serde(default)]
    pub deployments: Vec<Deployment>,
    /// What the GPUs run: `any` (bring your own model) or a list of
    /// canonical ids. Each such model gets a deployment on every GPU sold
    /// that holds it, with the capacity estimator's throughput.
    #[serde(default)]
    pub models: Option<RunsModels>,
    /// The serving engine the replicas run (`vllm`, `sglang`, `trtllm`),
    /// with its source in a comment; a bring-your-own-container platform
    /// names the default it is priced with (vLLM). Absent: unknown. Named
    /// in every estimate and computed for (absent: vLLM's figures, the
    /// band spanning every engine's).
    #[serde(default)]
    pub engine: Option<crate::capacity::Engine>,
    /// Commitment offers: replicas reserved for a term at a lower rate,
    /// as the vendor publishes them (or as `infercost.toml` states a
    /// negotiated one); empty where the vendor publishes none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<CommitmentOffer>,
}

/// A commitment offer: `replicas` committed for `term_months`, at a price
/// per GPU-hour or a discount off the on-demand rate, the rest of the
/// demand overflowing as `overflow` says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentOffer {
    /// The GPU it commits (a key of `gpus`); absent: every GPU.
    #[serde(default)]
    pub gpu: Option<String>,
    /// Length of the term, months; at least 1.
    #[schemars(range(min = 1))]
    pub term_months: u32,
    /// Committed $ per GPU-hour (exactly one of this and `discount`).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub usd_per_gpu_hour: Option<f64>,
    /// Share off the on-demand GPU rate, in [0, 1].
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub discount: Option<f64>,
    /// Fewest replicas the vendor commits.
    #[serde(default = "one")]
    pub min_replicas: u32,
    /// Where demand above the committed replicas goes.
    pub overflow: CommitmentOverflow,
    /// Where the vendor publishes these terms (URL).
    pub source: String,
}

fn one() -> u32 {
    1
}

/// Where demand above the committed replicas goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CommitmentOverflow {
    /// On-demand replicas of the same deployment, at the listed rate.
    OnDemand,
    /// The vendor's per-token offer of the model.
    PerToken,
}

/// The models a vendor's dedicated GPUs run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RunsModels {
    /// `any`: every model of the performance catalog.
    Any(AnyModel),
    /// These canonical model ids.
    List(Vec<String>),
}

/// The keyword `any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnyModel {
    /// Any model.
    Any,
}

impl RunsModels {
    /// Whether the vendor's GPUs run `model`.
    pub fn includes(&self, model: &str) -> bool {
        match self {
            RunsModels::Any(_) => true,
            RunsModels::List(ids) => ids.iter().any(|m| m == model),
        }
    }
}

/// Price of one GPU: exactly one of the three units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpuPrice {
    /// $ per GPU-hour.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub usd_per_hour: Option<f64>,
    /// $ per GPU-minute.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub usd_per_minute: Option<f64>,
    /// $ per GPU-second.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub usd_per_second: Option<f64>,
    /// `true`: a placeholder nobody checked against the vendor, so options
    /// on this GPU are excluded unless `--allow-unverified` admits them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// Set by the resolve stage when a price in `infercost.toml` replaced
    /// this rate (never read from a profile).
    #[serde(skip)]
    #[schemars(skip)]
    pub your_price: Option<YourPrice>,
}

/// Where a price of the user's own (a negotiated rate or discount in
/// `infercost.toml`) came from: the file and the line of its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YourPrice {
    /// The config file, as given or found.
    pub file: String,
    /// The line of the `[[price]]` entry.
    pub line: usize,
}

impl GpuPrice {
    /// The price in $ per GPU-hour, whichever unit it was written in.
    pub fn usd_per_gpu_hour(&self) -> f64 {
        self.usd_per_hour
            .or(self.usd_per_minute.map(|m| m * 60.0))
            .or(self.usd_per_second.map(|s| s * 3600.0))
            .unwrap_or(0.0)
    }
}

/// A model served on dedicated replicas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// Canonical model id.
    pub model: String,
    /// The serving engine of this deployment, over `dedicated.engine`.
    #[serde(default)]
    pub engine: Option<crate::capacity::Engine>,
    /// GPU id, a key of `gpus`.
    pub gpu: String,
    /// GPUs in one replica.
    #[schemars(range(min = 1))]
    pub gpus_per_replica: u32,
    /// Input tokens per second of one saturated replica: the vendor's own
    /// figure; without it (and `decode_tokens_per_s`) the capacity
    /// estimator gives it for the workload's input/output mix.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub prefill_tokens_per_s: Option<f64>,
    /// Output tokens per second of one saturated replica, all streams together.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub decode_tokens_per_s: Option<f64>,
    /// The replica can serve LoRA adapters: `true`, `false`, absent (unknown).
    #[serde(default)]
    pub lora: Option<bool>,
    /// Time to first token at the saturation throughput, milliseconds.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub ttft_ms: Option<f64>,
    /// Decode speed of one stream at the saturation throughput, tokens per second.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub output_tokens_per_s: Option<f64>,
    /// Requests one replica takes at once (the pool's slots C): the
    /// vendor's documented or configured limit. Absent: decode tokens/s
    /// over one stream's speed, else 16.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub concurrency: Option<u32>,
    /// The vendor deprecated this offer on this date (it still runs).
    #[serde(default, deserialize_with = "crate::profile::date::deserialize_opt")]
    #[schemars(with = "Option<NaiveDate>")]
    pub deprecated_on: Option<NaiveDate>,
    /// The vendor stops (or stopped) serving this offer on this date.
    #[serde(default, deserialize_with = "crate::profile::date::deserialize_opt")]
    #[schemars(with = "Option<NaiveDate>")]
    pub retired_on: Option<NaiveDate>,
}
