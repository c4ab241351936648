//! The serving engine a dedicated replica runs (vLLM, SGLang,
//! TensorRT-LLM) and where that answer comes from: the deployment's own
//! `engine`, the vendor's `dedicated.engine`, or unknown. Part of the
//! resolve stage's inputs; every estimate names its engine.
//!
//! The engine drives the step model through three figures of its own
//! (docs/design.md, "The engine-aware step model"): the per-layer floor
//! of a decode step, the latency of one collective, and the most
//! sequences it batches by default. The efficiencies are fitted on
//! every engine's points together (too few points per engine for a
//! factor each); an engine the calibration has not seen for a kind of
//! model widens the band by the leave-one-engine-out error.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Gpu, Precision};

/// An engine without a kernel for a replica's weights (`Engine::kernel_gap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelGap {
    /// 8- or 4-bit weights on a Turing GPU.
    QuantizedOnTuring,
    /// FP8 weights under TensorRT-LLM on an Ampere GPU.
    TrtllmFp8OnAmpere,
    /// 4-bit weights under TensorRT-LLM on a GPU older than Hopper.
    TrtllmFp4BeforeHopper,
    /// TensorRT-LLM on a GPU that is not NVIDIA's (AMD's CDNA 3).
    TrtllmOffNvidia,
}

/// A serving engine.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// vLLM.
    Vllm,
    /// SGLang.
    Sglang,
    /// NVIDIA TensorRT-LLM.
    Trtllm,
}

impl Engine {
    /// Every engine, in the order the command line lists them.
    pub const ALL: [Engine; 3] = [Engine::Vllm, Engine::Sglang, Engine::Trtllm];

    /// The id in profiles and on the command line: `vllm`, `sglang`, `trtllm`.
    pub fn id(self) -> &'static str {
        match self {
            Engine::Vllm => "vllm",
            Engine::Sglang => "sglang",
            Engine::Trtllm => "trtllm",
        }
    }

    /// Its display name.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Vllm => "vLLM",
            Engine::Sglang => "SGLang",
            Engine::Trtllm => "TensorRT-LLM",
        }
    }

    /// The engine with this id.
    pub fn parse(id: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.id() == id)
    }

    /// The engine a benchmark series names (`tensorrt-llm` as the
    /// catalog spells it, or the command-line id), without case.
    pub fn of_series(text: &str) -> Option<Engine> {
        let is = |id: &str| text.eq_ignore_ascii_case(id);
        if is("tensorrt-llm") || is("trt-llm") {
            return Some(Engine::Trtllm);
        }
        Engine::ALL.into_iter().find(|e| is(e.id()))
    }

    /// The floor of one decode step per layer, seconds: kernel launches,
    /// routing and scheduling that no byte or FLOP accounts for; it hides
    /// behind the weight read when that is longer. vLLM: 0.21 ms dense,
    /// 0.22 ms mixture of experts, 0.26 ms for MLA attention (its decode
    /// runs more kernels a layer: the latent projections, the absorbed
    /// products, the latent attention), each the median over the ML.ENERGY
    /// batch sweeps of that kind (`catalog/batch_sweeps.yaml`) of what a
    /// sweep's smallest batch leaves of its inter-token latency once the
    /// step's compute and collectives are taken out, per layer (a test in
    /// `sweeps.rs` holds the figures to that median). SGLang takes vLLM's
    /// (no public sweep of its own was read; an inference). TensorRT-LLM:
    /// 0.08 ms dense, the low end of the 0.08–0.14 ms issue 22 reads off
    /// public decode, and 0.16 ms mixture of experts, MLA included
    /// (gpt-oss-120b on 2×H100 at 4 streams, 5.75 ms a token over 36
    /// layers, GPUStack): its own small-batch figures are not in the
    /// calibration sources (an inference, named so in the design).
    pub(crate) fn layer_floor_s(self, moe: bool, mla: bool) -> f64 {
        match (self, moe, mla) {
            (Engine::Trtllm, false, false) => 0.08e-3,
            (Engine::Trtllm, _, _) => 0.16e-3,
            (Engine::Vllm | Engine::Sglang, _, true) => 0.26e-3,
            (Engine::Vllm | Engine::Sglang, false, false) => 0.21e-3,
            (Engine::Vllm | Engine::Sglang, true, false) => 0.22e-3,
        }
    }

    /// The precision of the KV cache the engine keeps for weights at
    /// `weights`: TensorRT-LLM's quantized checkpoints quantize the cache
    /// too (FP8); vLLM's and SGLang's `--kv-cache-dtype` defaults to
    /// `auto`, "the model data type", the 16-bit activation type whatever
    /// the weights' format (docs.vllm.ai, Engine Arguments; SGLang's
    /// Server Arguments).
    pub(crate) fn kv_cache_precision(self, weights: Precision) -> Precision {
        match self {
            Engine::Trtllm => weights,
            Engine::Vllm | Engine::Sglang => Precision::Bf16,
        }
    }

    /// Latency of one collective (an all-reduce, or one way of an
    /// all-to-all) between GPUs of a node, seconds: 10 µs, the
    /// small-message latency of NCCL and of the engines' own NVLink
    /// all-reduce kernels (an inference from their published latency
    /// plots, the same for every engine).
    pub(crate) fn collective_latency_s(self) -> f64 {
        10e-6
    }

    /// Why the engine has no kernel for weights stored at `weights` on a
    /// GPU of `family` (`None`: it has one). 16-bit weights run
    /// everywhere. On Turing (the T4) no engine loads 8- or 4-bit weights
    /// of the catalog's checkpoints: vLLM's FP8 kernels are Marlin (W8A16,
    /// Ampere and newer) and W8A8 (Ada, Hopper), and its kernels for the
    /// 4-bit formats the catalog counts (MXFP4, NVFP4, INT4 W4A16 through
    /// Marlin) need Ampere or newer ("Supported Hardware", docs.vllm.ai
    /// v0.14.0 quantization, read 2026-12-07, A; the gpt-oss recipe names
    /// the A100 with Marlin MXFP4 as its oldest NVIDIA GPU); its
    /// non-Marlin AWQ and GPTQ kernels do run on Turing, for AWQ or GPTQ
    /// checkpoints, which the catalog does not list (an inference: SGLang
    /// takes vLLM's); TensorRT-LLM's support matrix lists Ampere and newer
    /// only. Under TensorRT-LLM, FP8 weights need Ada or newer: its
    /// matrix gives Ampere FP16, BF16, INT8 and INT4 only
    /// (nvidia.github.io/TensorRT-LLM, Support Matrix, 0.18.2, read
    /// 2026-12-07, A), and it runs on NVIDIA GPUs only (the same matrix:
    /// its GPU architectures are NVIDIA's). Its 4-bit weights need Hopper
    /// or newer: "FP4 and FP8 quantization on the latest Blackwell and
    /// Hopper GPUs" (its Quantization page, 1.0.0, A), NVFP4 on
    /// Blackwell's FP4 tensor cores, and MXFP4 mixture-of-experts
    /// (gpt-oss) with a backend for Blackwell (TRTLLM) and Hopper (Triton)
    /// only (its gpt-oss deployment guide, MoE backend support matrix, A).
    /// INT4 weight-only (W4A16: the catalog's `w4a16` models, Kimi's
    /// quantization-aware-trained weights) runs on Ampere and Ada in its
    /// matrix ("INT4"), so those are no gap there.
    pub(crate) fn kernel_gap(
        self,
        (weights, w4a16): (Precision, bool),
        family: &str,
    ) -> Option<KernelGap> {
        match (self, weights, family) {
            (Engine::Trtllm, _, family) if family.starts_with("cdna") => {
                Some(KernelGap::TrtllmOffNvidia)
            }
            (_, Precision::Bf16, _) => None,
            (_, _, "turing") => Some(KernelGap::QuantizedOnTuring),
            (Engine::Trtllm, Precision::Fp8, "ampere") => Some(KernelGap::TrtllmFp8OnAmpere),
            (Engine::Trtllm, Precision::Fp4, "ampere" | "ada") if !w4a16 => {
                Some(KernelGap::TrtllmFp4BeforeHopper)
            }
            _ => None,
        }
    }

    /// Most sequences the engine batches by default on `gpu`: vLLM's
    /// `max_num_seqs` is 1,024 on GPUs of at least 70 GiB other than the
    /// A100 and 256 elsewhere (`EngineArgs.get_batch_defaults`,
    /// vllm/engine/arg_utils.py); TensorRT-LLM's `max_batch_size` is 2,048
    /// (the LLM API default that trtllm-bench's throughput mode tunes
    /// within); SGLang sizes its running requests from the KV pool, capped
    /// here at the same 2,048 (inferred).
    pub(crate) fn max_sequences(self, gpu: &Gpu) -> u32 {
        match self {
            Engine::Vllm if gpu.hbm_gb >= 75.0 && gpu.family != "ampere" => 1024,
            Engine::Vllm => 256,
            Engine::Sglang | Engine::Trtllm => 2048,
        }
    }
}

/// Where a replica's engine comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineOrigin {
    /// The deployment's own `engine`, or `--engine`.
    Stated(Engine),
    /// The vendor's `dedicated.engine` (what the platform runs, or the
    /// default a bring-your-own-container platform's profile names).
    Vendor(Engine),
    /// Nobody says: the band spans the engines.
    Unknown,
}

impl EngineOrigin {
    /// A deployment's engine: its own, else its vendor's, else unknown.
    pub fn of(deployment: Option<Engine>, vendor: Option<Engine>) -> EngineOrigin {
        match (deployment, vendor) {
            (Some(e), _) => EngineOrigin::Stated(e),
            (None, Some(e)) => EngineOrigin::Vendor(e),
            (None, None) => EngineOrigin::Unknown,
        }
    }

    /// The engine, when known.
    pub fn engine(self) -> Option<Engine> {
        match self {
            EngineOrigin::Stated(e) | EngineOrigin::Vendor(e) => Some(e),
            EngineOrigin::Unknown => None,
        }
    }

    /// In words, for the Method and `capacity`: "vLLM (the vendor's)".
    pub fn words(self) -> String {
        match self {
            EngineOrigin::Stated(e) => format!("engine {}", e.name()),
            EngineOrigin::Vendor(e) => format!("engine {} (the vendor's)", e.name()),
            EngineOrigin::Unknown => "engine not stated".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deployment_engine_overrides_the_vendor_and_ids_round_trip() {
        assert_eq!(
            EngineOrigin::of(Some(Engine::Sglang), Some(Engine::Vllm)),
            EngineOrigin::Stated(Engine::Sglang)
        );
        assert_eq!(
            EngineOrigin::of(None, Some(Engine::Trtllm)).engine(),
            Some(Engine::Trtllm)
        );
        assert_eq!(EngineOrigin::of(None, None).engine(), None);
        for e in Engine::ALL {
            assert_eq!(Engine::parse(e.id()), Some(e));
        }
        assert_eq!(Engine::parse("tgi"), None);
    }

    /// The kernel table, case by case: 16-bit weights run on every
    /// family; 8- and 4-bit weights on no engine on Turing; FP8 weights
    /// under TensorRT-LLM not on Ampere, but under vLLM and SGLang there
    /// (Marlin W8A16); 4-bit weights under TensorRT-LLM not before Hopper,
    /// under vLLM from Ampere on (Marlin); everything on Hopper and newer.
    #[test]
    fn which_engines_have_kernels_for_which_weights() {
        use KernelGap::*;
        use Precision::*;
        let cases = [
            (Engine::Vllm, Bf16, "turing", None),
            (Engine::Trtllm, Bf16, "turing", None),
            (Engine::Vllm, Fp8, "turing", Some(QuantizedOnTuring)),
            (Engine::Sglang, Fp4, "turing", Some(QuantizedOnTuring)),
            (Engine::Trtllm, Fp4, "turing", Some(QuantizedOnTuring)),
            (Engine::Trtllm, Fp8, "ampere", Some(TrtllmFp8OnAmpere)),
            (Engine::Vllm, Fp8, "ampere", None),
            (Engine::Sglang, Fp8, "ampere", None),
            (Engine::Trtllm, Fp4, "ampere", Some(TrtllmFp4BeforeHopper)),
            (Engine::Trtllm, Fp4, "ada", Some(TrtllmFp4BeforeHopper)),
            (Engine::Trtllm, Fp4, "hopper", None),
            (Engine::Vllm, Fp4, "ampere", None),
            (Engine::Trtllm, Fp8, "ada", None),
            (Engine::Trtllm, Fp8, "hopper", None),
            (Engine::Vllm, Fp4, "blackwell", None),
            (Engine::Vllm, Fp8, "cdna3", None),
            (Engine::Trtllm, Bf16, "cdna3", Some(TrtllmOffNvidia)),
            (Engine::Trtllm, Bf16, "cdna4", Some(TrtllmOffNvidia)),
        ];
        for (engine, weights, family, gap) in cases {
            assert_eq!(
                engine.kernel_gap((weights, false), family),
                gap,
                "{engine:?} {weights:?} on {family}"
            );
        }
        // INT4 weight-only (W4A16) under TensorRT-LLM runs on Ampere, not on Turing.
        assert_eq!(Engine::Trtllm.kernel_gap((Fp4, true), "ampere"), None);
        assert_eq!(
            Engine::Trtllm.kernel_gap((Fp4, true), "turing"),
            Some(QuantizedOnTuring)
        );
    }
}
