//! The performance catalog's types: GPU specifications, model architectures
//! and measured throughput points, as written in `catalog/*.yaml`. Loading
//! and checking them lives in `load/`; the arithmetic in `memory.rs` and
//! `roofline/`.

use serde::Deserialize;

/// Numeric precision of the weights (and of the compute, where the GPU has
/// tensor cores for it); ordered from the widest to the narrowest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// 16-bit brain float (FP16 on GPUs without BF16).
    Bf16,
    /// 8-bit float.
    Fp8,
    /// 4-bit weights (NVFP4, MXFP4, or INT4 counted as 4-bit).
    Fp4,
}

impl Precision {
    /// The id used in files and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Precision::Bf16 => "bf16",
            Precision::Fp8 => "fp8",
            Precision::Fp4 => "fp4",
        }
    }

    /// Parses `bf16`, `fp8` or `fp4`.
    pub fn parse(text: &str) -> Option<Precision> {
        match text {
            "bf16" => Some(Precision::Bf16),
            "fp8" => Some(Precision::Fp8),
            "fp4" => Some(Precision::Fp4),
            _ => None,
        }
    }
}

/// `catalog/gpus.yaml`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GpuFile {
    /// When the file was last checked.
    #[allow(dead_code)]
    pub as_of: String,
    /// The GPUs.
    pub gpus: Vec<Gpu>,
}

/// One GPU's specification, per GPU, dense tensor throughput.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    /// Id in the vendor files' `name-HBMgb` scheme.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Architecture family; efficiency factors are fitted per family.
    pub family: String,
    /// Memory, GB.
    pub hbm_gb: f64,
    /// Memory bandwidth, TB/s.
    pub hbm_tb_per_s: f64,
    /// Dense 16-bit tensor TFLOPs.
    pub bf16_tflops: f64,
    /// Dense FP8 tensor TFLOPs, when the GPU has FP8 tensor cores.
    #[serde(default)]
    pub fp8_tflops: Option<f64>,
    /// Dense FP4 tensor TFLOPs, when the GPU has FP4 tensor cores.
    #[serde(default)]
    pub fp4_tflops: Option<f64>,
    /// GPU-to-GPU link.
    pub interconnect: String,
    /// GPU-to-GPU bandwidth, GB/s.
    pub interconnect_gb_per_s: f64,
    /// Most GPUs of this kind in one node.
    pub max_gpus_per_node: u32,
    /// Where the figures come from.
    pub source: String,
    /// When the source was read.
    pub read: String,
    /// A | B | C (see the file's header).
    pub grade: String,
}

impl Gpu {
    /// Dense tensor TFLOPs at `precision`, and whether the GPU computes in
    /// it natively; without tensor cores for it the weights are dequantized
    /// and the compute is 16-bit.
    pub fn tflops(&self, precision: Precision) -> (f64, bool) {
        let native = match precision {
            Precision::Bf16 => Some(self.bf16_tflops),
            Precision::Fp8 => self.fp8_tflops,
            Precision::Fp4 => self.fp4_tflops,
        };
        match native {
            Some(t) => (t, true),
            None => (self.bf16_tflops, false),
        }
    }
}

/// `catalog/architectures.yaml`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArchitectureFile {
    /// When the file was last checked.
    #[allow(dead_code)]
    pub as_of: String,
    /// The architectures, some of them `same_as` another.
    pub architectures: Vec<RawArchitecture>,
}

/// One entry of the architectures file, before `same_as` is resolved.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawArchitecture {
    /// Canonical model id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Hugging Face id, accepted as an alias.
    pub hf_id: String,
    /// Further aliases.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Another entry whose figures this model shares.
    #[serde(default)]
    pub same_as: Option<String>,
    /// Transformer layers.
    #[serde(default)]
    pub layers: Option<u32>,
    /// Hidden size.
    #[serde(default)]
    pub hidden_size: Option<u32>,
    /// Attention (query) heads.
    #[serde(default)]
    pub attention_heads: Option<u32>,
    /// Key/value heads.
    #[serde(default)]
    pub kv_heads: Option<u32>,
    /// Dimension of one head.
    #[serde(default)]
    pub head_dim: Option<u32>,
    /// KV cache elements per layer and token for latent attention (MLA).
    #[serde(default)]
    pub kv_latent_dim: Option<u32>,
    /// Layers whose KV cache grows with the context (default: all).
    #[serde(default)]
    pub full_attention_layers: Option<u32>,
    /// Total parameters, billions.
    #[serde(default)]
    pub total_params_b: Option<f64>,
    /// Parameters used per token, billions.
    #[serde(default)]
    pub active_params_b: Option<f64>,
    /// Routed experts (mixture of experts).
    #[serde(default)]
    pub experts: Option<u32>,
    /// Routed experts used per token.
    #[serde(default)]
    pub experts_per_token: Option<u32>,
    /// Longest context, tokens.
    #[serde(default)]
    pub max_context_tokens: Option<u32>,
    /// Precisions the weights are published or documented in.
    #[serde(default)]
    pub precisions: Option<Vec<Precision>>,
    /// The 4-bit weights are integers run as W4A16 (16-bit activations on
    /// the BF16 tensor rate), not FP4 on FP4 tensor cores.
    #[serde(default)]
    pub w4a16: Option<bool>,
    /// Where the figures come from.
    pub source: String,
    /// A | B | C (see the file's header).
    pub grade: String,
}

/// A model's architecture with every figure resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Architecture {
    /// Canonical model id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Hugging Face id.
    pub hf_id: String,
    /// Further aliases.
    pub aliases: Vec<String>,
    /// Transformer layers.
    pub layers: u32,
    /// Hidden size.
    pub hidden_size: u32,
    /// Attention heads.
    pub attention_heads: u32,
    /// Key/value heads.
    pub kv_heads: u32,
    /// Head dimension.
    pub head_dim: u32,
    /// MLA latent elements per layer and token, when the model uses MLA.
    pub kv_latent_dim: Option<u32>,
    /// Layers with a growing KV cache.
    pub full_attention_layers: u32,
    /// Total parameters, billions.
    pub total_params_b: f64,
    /// Active parameters per token, billions.
    pub active_params_b: f64,
    /// Routed experts and experts per token, for a mixture of experts.
    pub experts: Option<(u32, u32)>,
    /// Longest context, tokens.
    pub max_context_tokens: u32,
    /// Published precisions.
    pub precisions: Vec<Precision>,
    /// 4-bit weights run as W4A16 on the BF16 tensor rate (INT4
    /// quantization-aware checkpoints such as Kimi K2.5).
    pub w4a16: bool,
    /// Where the figures come from.
    pub source: String,
}

impl Architecture {
    /// Multi-head latent attention (DeepSeek V3, Kimi K2).
    pub fn mla(&self) -> bool {
        self.kv_latent_dim.is_some()
    }

    /// Attention weights of every layer, billions: the query and output
    /// projections, 2·h·H·d, and the key and value projections, 2·h·K·d;
    /// for MLA, the latent down-projection h·c and its key and value
    /// up-projections c·H·2d instead. The query is counted at full rank:
    /// DeepSeek V3's low-rank query (rank 1,536) makes its attention
    /// 187 M a layer against the 258 M counted here, an upper estimate.
    pub fn attention_params_b(&self) -> f64 {
        let (h, heads, d) = (
            f64::from(self.hidden_size),
            f64::from(self.attention_heads),
            f64::from(self.head_dim),
        );
        let kv = match self.kv_latent_dim {
            Some(c) => h * f64::from(c) + f64::from(c) * heads * 2.0 * d,
            None => 2.0 * h * f64::from(self.kv_heads) * d,
        };
        f64::from(self.layers) * (2.0 * h * heads * d + kv) / 1e9
    }

    /// The precision whose tensor rate the weights compute at: W4A16
    /// weights at the BF16 rate, the rest at their own.
    pub fn compute_precision(&self, weights: Precision) -> Precision {
        if self.w4a16 && weights == Precision::Fp4 {
            Precision::Bf16
        } else {
            weights
        }
    }
}

/// `catalog/benchmarks.yaml`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BenchmarkFile {
    /// When the file was last checked.
    #[allow(dead_code)]
    pub as_of: String,
    /// MeasuredSeries of measured points.
    pub series: Vec<MeasuredSeries>,
}

/// How a benchmark loaded the replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Load {
    /// Every request queued at once: the saturated throughput.
    MaxThroughput,
}

/// Points measured with one setup.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuredSeries {
    /// Id of the series.
    pub id: String,
    /// Canonical model id.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// GPUs in the replica.
    pub gpus: u32,
    /// Parallelism (`TP2`, `TP4,PP2`).
    pub parallelism: String,
    /// Weight precision.
    pub precision: Precision,
    /// Serving engine.
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// How the replica was loaded (a point's concurrency overrides it).
    pub load: Load,
    /// Where the figures come from.
    pub source: String,
    /// When they were published: `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// A | B | C.
    pub grade: String,
    /// What of the source the figures are.
    pub quote: String,
    /// The source's own words that this run is not the engine's tuned
    /// setup (a build or checkpoint it says to avoid), when it says so:
    /// the points stay, and the cross-validation reports them apart.
    #[serde(default)]
    pub caveat: Option<String>,
    /// The points.
    pub points: Vec<Point>,
}

/// One measured point.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// Mean input tokens per request.
    pub input_tokens: f64,
    /// Mean output tokens per request.
    pub output_tokens: f64,
    /// Output tokens per second of the replica, all streams together.
    pub output_tokens_per_s: f64,
    /// Requests in flight, when the client capped them.
    #[serde(default)]
    pub concurrency: Option<u32>,
    /// Input tokens per second, when reported.
    #[serde(default)]
    pub input_tokens_per_s: Option<f64>,
    /// Mean time to first token, ms.
    #[serde(default)]
    pub ttft_ms: Option<f64>,
    /// Mean time per output token, ms.
    #[serde(default)]
    pub tpot_ms: Option<f64>,
    /// What the point is (dataset).
    #[serde(default)]
    pub note: Option<String>,
    /// Requests the benchmark sent, when it says: a burst of N requests on
    /// a batch of B runs ⌈N/B⌉ waves, the last one partly empty (the drain
    /// tail).
    #[serde(default)]
    pub requests: Option<u32>,
    /// The requests' output lengths spread (a dataset such as ShareGPT),
    /// rather than all equal (a synthetic fixed-length set): the last
    /// wave's batch shrinks as its requests finish.
    #[serde(default)]
    pub varied_lengths: bool,
    /// Input tokens per request served from the prefix cache (a shared
    /// system prompt the benchmark repeats), part of `input_tokens`: not
    /// prefilled again.
    #[serde(default)]
    pub cached_input_tokens: Option<f64>,
}

/// The whole catalog, checked and resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct PerfCatalog {
    /// GPUs, in file order.
    pub gpus: Vec<Gpu>,
    /// Architectures, in file order.
    pub architectures: Vec<Architecture>,
    /// Benchmark series the estimator is calibrated on, in file order.
    pub series: Vec<MeasuredSeries>,
    /// Held-out series (`holdout.yaml`): public measurements kept aside to
    /// check the estimator; never fitted. This and the next two are empty
    /// in the catalog an estimate reads ([`super::Estimator::bundled`]),
    /// which never uses them; [`super::load::bundled`] reads them.
    pub holdout: Vec<MeasuredSeries>,
    /// Batch sweeps (`batch_sweeps.yaml`).
    pub sweeps: Vec<super::sweeps::BatchSweep>,
    /// Measured kernel latencies (`kernels.yaml`).
    pub kernels: super::kernels::KernelTables,
}

impl PerfCatalog {
    /// The GPU with this id.
    pub fn gpu(&self, id: &str) -> Option<&Gpu> {
        self.gpus.iter().find(|g| g.id == id)
    }

    /// The architecture whose id, Hugging Face id or alias is `name`
    /// (Hugging Face ids compare without case, as the Hub does).
    pub fn architecture(&self, name: &str) -> Option<&Architecture> {
        self.architectures.iter().find(|a| {
            a.id == name
                || a.hf_id.eq_ignore_ascii_case(name)
                || a.aliases.iter().any(|x| x.eq_ignore_ascii_case(name))
        })
    }
}
