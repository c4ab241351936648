//! Memory fit: the weights at a precision, the KV cache a workload's context
//! needs at a concurrency, and the runtime's reserve, against the GPUs'
//! memory; and the smallest GPU count (a power of two within one node) that
//! holds them. Pure arithmetic on the catalog's figures.

use super::catalog::{Architecture, Gpu, Precision};
use super::layout::Layout;
use super::serving::Engine;

/// Share of GPU memory the runtime keeps for itself (CUDA context,
/// activations, graphs): vLLM's default `gpu_memory_utilization` is 0.9,
/// TensorRT-LLM's default KV share is 0.9 of what the weights leave.
pub(crate) const RESERVED_SHARE: f64 = 0.10;

/// Bytes per weight: 4-bit formats carry a scale per block (NVFP4: one FP8
/// scale per 16 values, 4.5 bits a weight).
pub(crate) fn weight_bytes(precision: Precision) -> f64 {
    match precision {
        Precision::Bf16 => 2.0,
        Precision::Fp8 => 1.0,
        Precision::Fp4 => 0.5625,
    }
}

/// Bytes per KV-cache element of a cache kept at `precision`: 16-bit, or
/// FP8 for a quantized one (TensorRT-LLM's FP8 and FP4 checkpoints
/// quantize the cache too; vLLM and SGLang keep 16 bits whatever the
/// weights, `Engine::kv_cache_precision`).
pub(crate) fn kv_bytes(precision: Precision) -> f64 {
    match precision {
        Precision::Bf16 => 2.0,
        Precision::Fp8 | Precision::Fp4 => 1.0,
    }
}

/// KV-cache bytes per token of context, over all layers. Sliding-window and
/// linear-attention layers keep a fixed-size state per stream, left out.
pub(crate) fn kv_bytes_per_token(arch: &Architecture, precision: Precision) -> f64 {
    let per_layer = match arch.kv_latent_dim {
        Some(latent) => f64::from(latent),
        None => 2.0 * f64::from(arch.kv_heads) * f64::from(arch.head_dim),
    };
    f64::from(arch.full_attention_layers) * per_layer * kv_bytes(precision)
}

/// How a replica's memory is used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryFit {
    /// GPUs in the replica.
    pub gpus: u32,
    /// Memory of those GPUs, GB.
    pub total_gb: f64,
    /// Weights, GB.
    pub weights_gb: f64,
    /// KV cache for `concurrency` streams at the full context, GB.
    pub kv_cache_gb: f64,
    /// Runtime reserve, GB.
    pub reserved_gb: f64,
    /// Streams the KV cache is sized for.
    pub concurrency: u32,
    /// Context per stream, tokens.
    pub context_tokens: f64,
}

impl MemoryFit {
    /// Weights, KV cache and reserve fit in the GPUs' memory.
    pub fn fits(&self) -> bool {
        self.weights_gb + self.kv_cache_gb + self.reserved_gb <= self.total_gb
    }

    /// Memory left for the KV cache once weights and reserve are placed, GB
    /// (negative when the weights alone do not fit).
    pub fn kv_room_gb(&self) -> f64 {
        self.total_gb - self.reserved_gb - self.weights_gb
    }
}

/// What a replica stores: its weights at one precision and its KV cache
/// at another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stored {
    /// The weights' precision.
    pub weights: Precision,
    /// The KV cache's.
    pub kv: Precision,
}

impl Stored {
    /// What `engine` stores for weights at `weights`; an unknown engine
    /// stores what vLLM does, whose figures its estimate takes.
    pub(crate) fn by(engine: Option<Engine>, weights: Precision) -> Stored {
        Stored {
            weights,
            kv: engine.unwrap_or(Engine::Vllm).kv_cache_precision(weights),
        }
    }
}

/// A cache quantized with the weights (TensorRT-LLM's rule).
impl From<Precision> for Stored {
    fn from(weights: Precision) -> Stored {
        Stored {
            weights,
            kv: weights,
        }
    }
}

/// The memory of `gpus` GPUs under plain tensor parallelism holding the
/// model and a KV cache for `concurrency` streams of `context_tokens`
/// each, at the precisions `stored` gives.
pub(crate) fn fit(
    arch: &Architecture,
    gpu: &Gpu,
    gpus: u32,
    stored: impl Into<Stored>,
    context_tokens: f64,
    concurrency: u32,
) -> MemoryFit {
    fit_in(
        Layout::tensor(gpus),
        arch,
        gpu,
        gpus,
        stored,
        (context_tokens, concurrency),
    )
}

/// [`fit`] under `layout`: an MLA latent cache counts once per rank that
/// keeps it ([`Layout::kv_copies`]), and under DP attention every rank
/// keeps all of the attention weights.
pub(crate) fn fit_in(
    layout: Layout,
    arch: &Architecture,
    gpu: &Gpu,
    gpus: u32,
    stored: impl Into<Stored>,
    (context_tokens, concurrency): (f64, u32),
) -> MemoryFit {
    let Stored { weights, kv } = stored.into();
    let total_gb = gpu.hbm_gb * f64::from(gpus);
    MemoryFit {
        gpus,
        total_gb,
        weights_gb: (arch.total_params_b
            + layout.extra_attention_copies() * arch.attention_params_b())
            * weight_bytes(weights),
        kv_cache_gb: kv_bytes_per_token(arch, kv)
            * layout.kv_copies(arch)
            * context_tokens
            * f64::from(concurrency)
            / 1e9,
        reserved_gb: total_gb * RESERVED_SHARE,
        concurrency,
        context_tokens,
    }
}

/// GPU counts a replica may have: powers of two up to a node.
pub(crate) fn gpu_counts(gpu: &Gpu) -> impl Iterator<Item = u32> + '_ {
    [1u32, 2, 4, 8, 16, 32, 64]
        .into_iter()
        .filter(|n| *n <= gpu.max_gpus_per_node)
}

/// The smallest GPU count that fits, or the fit of a full node (which does
/// not) so that the exclusion can give its numbers.
pub(crate) fn smallest_fit(
    arch: &Architecture,
    gpu: &Gpu,
    stored: impl Into<Stored>,
    context_tokens: f64,
    concurrency: u32,
) -> Result<MemoryFit, MemoryFit> {
    let stored = stored.into();
    let mut last = fit(arch, gpu, 1, stored, context_tokens, concurrency);
    for n in gpu_counts(gpu) {
        last = fit(arch, gpu, n, stored, context_tokens, concurrency);
        if last.fits() {
            return Ok(last);
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::load::bundled;

    #[test]
    fn llama_70b_at_fp8_fits_one_h200_with_room_for_the_cache() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let arch = c.architecture("llama-3.3-70b").expect("catalog");
        let h200 = c.gpu("h200-141gb").expect("catalog");
        // KV per token = 80 layers x 2 (K, V) x 8 heads x 128 dims x 1 byte = 163,840 B.
        assert_eq!(kv_bytes_per_token(arch, Precision::Fp8), 163_840.0);
        // 32 streams of 1,200 + 250 tokens: 163,840 x 1,450 x 32 = 7.60 GB.
        let m = fit(arch, h200, 1, Precision::Fp8, 1450.0, 32);
        assert!((m.weights_gb - 70.55).abs() < 1e-9); // 70.55 B params x 1 byte
        assert!((m.kv_cache_gb - 7.602_176).abs() < 1e-6);
        assert!((m.reserved_gb - 14.1).abs() < 1e-9); // 10% of 141 GB
        assert!(m.fits()); // 70.55 + 7.60 + 14.1 = 92.25 <= 141
                           // At BF16 it needs 141.1 GB of weights: two H200s.
        let bf16 = smallest_fit(arch, h200, Precision::Bf16, 1450.0, 1).expect("fits on 2");
        assert_eq!(bf16.gpus, 2); // 141.1 + 0.46 + 28.2 = 169.8 <= 282
    }

    #[test]
    fn a_trillion_parameter_model_at_fp8_does_not_fit_one_h100_node() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let k2 = c.architecture("kimi-k2").expect("catalog");
        let h100 = c.gpu("h100-80gb").expect("catalog");
        // 1,040 GB of weights + 64 GB reserve > 640 GB on 8 x H100.
        let miss = smallest_fit(k2, h100, Precision::Fp8, 4096.0, 1).expect_err("too big");
        assert_eq!(miss.gpus, 8);
        assert!((miss.weights_gb - 1040.0).abs() < 1e-9);
        assert!(!miss.fits());
    }

    #[test]
    fn latent_attention_caches_576_elements_per_layer() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let v3 = c.architecture("deepseek-v3").expect("catalog");
        // 61 layers x 576 x 1 byte = 35,136 B per token (GQA-style would be 61 x 2 x 128 x 128).
        assert_eq!(kv_bytes_per_token(v3, Precision::Fp8), 35_136.0);
    }

    #[test]
    fn dp_attention_keeps_the_attention_weights_on_every_rank() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let v3 = c.architecture("deepseek-v3").expect("catalog");
        let llama = c.architecture("llama-3.3-70b").expect("catalog");
        // DeepSeek V3, a layer: query and output 2 x 7,168 x 128 x 128 =
        // 234,881,024; latent down 7,168 x 576 = 4,128,768; latent up
        // 576 x 128 x 256 = 18,874,368; 257,884,160 x 61 layers = 15.731 B.
        assert!((v3.attention_params_b() - 15.730_933_76).abs() < 1e-9);
        // Llama 3.3 70B: (2 x 8,192 x 64 x 128 + 2 x 8,192 x 8 x 128) x 80
        // = 150,994,944 x 80 = 12.080 B.
        assert!((llama.attention_params_b() - 12.079_595_52).abs() < 1e-9);
        // DP8 on 8 x H200 at FP8: 671 B + 7 more copies of 15.731 B.
        let h200 = c.gpu("h200-141gb").expect("catalog");
        let dp = fit_in(
            Layout::parse("TP8,DP8", 8),
            v3,
            h200,
            8,
            Precision::Fp8,
            (4000.0, 1),
        );
        assert!((dp.weights_gb - (671.0 + 7.0 * 15.730_933_76)).abs() < 1e-6);
    }
}
