//! The step model of one replica. Prefill is compute-bound (≈ 2 · active
//! parameters · tokens, plus attention over the prompt, over the effective
//! FLOPs). A decode step takes the longer of the engine's per-layer floor
//! and the time to read the weights it touches and the streams' KV cache
//! over the effective bandwidth, plus the time to compute every stream's
//! next token, plus the collectives of the parallel layout
//! (`layout.rs`). Continuous batching interleaves prefills with decode
//! steps, so one request costs its prefill time plus its share of
//! `output_tokens` decode steps; a burst of N requests on a batch of B
//! loses the empty part of its last wave (the drain tail).
//!
//! A mixture of experts computes with its active parameters but reads, per
//! step, the shared weights plus every expert at least one of the batch's
//! tokens was routed to: E · (1 − (1 − k/E)^B) of E experts for B tokens;
//! under expert parallelism the busiest rank's skew stretches the expert
//! compute. MLA attention decodes over its latent cache at about four
//! times the FLOPs of the head count × head dimension count, and its
//! latent cache is read by every tensor rank that keeps a copy.

use super::catalog::{Architecture, Gpu, Precision};
use super::layout::Layout;
use super::memory::{kv_bytes_per_token, weight_bytes, MemoryFit};
use super::serving::Engine;

/// Highest share of peak memory bandwidth a fit may give: about 80% is
/// what HBM sustains under real access patterns (issue 22); the grid stops
/// at 0.85.
pub(crate) const MAX_BANDWIDTH: f64 = 0.85;

/// MLA decode attention FLOPs over the head count × head dimension count:
/// absorbed attention works on the 576-element latent (512 + 64 rope) for
/// QKᵀ and the 512-element latent for AV per head, against 2 × 128 in the
/// plain count: (576 + 512) / 256 ≈ 4.25, taken as 4 (issue 22).
pub(crate) const MLA_ATTENTION_FACTOR: f64 = 4.0;

/// The shares of peak FLOPs and peak bandwidth an engine reaches, fitted
/// per GPU family, precision and kind on the measured points.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Efficiency {
    /// Share of the dense tensor FLOPs.
    pub compute: f64,
    /// Share of the memory bandwidth.
    pub bandwidth: f64,
}

/// One replica: a model on `gpus` GPUs at a precision, run by an engine
/// in a parallel layout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RooflineReplica<'a> {
    /// The model.
    pub arch: &'a Architecture,
    /// The GPU.
    pub gpu: &'a Gpu,
    /// GPUs in the replica.
    pub gpus: u32,
    /// Weight precision.
    pub precision: Precision,
    /// The serving engine.
    pub engine: Engine,
    /// How the GPUs split the model.
    pub layout: Layout,
}

/// A request mix reduced to the times that the efficiencies divide: what
/// the calibration fits and the estimator evaluates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepShape {
    /// Output tokens per request.
    pub output_tokens: f64,
    /// Streams decoded together.
    pub streams: f64,
    /// Prefill of one request at full FLOPs, seconds.
    pub prefill_s: f64,
    /// Memory time of one decode step at full bandwidth, seconds.
    pub step_memory_s: f64,
    /// Compute time of one decode step at full FLOPs, seconds.
    pub step_compute_s: f64,
    /// The engine's floor of one decode step (layers × per-layer floor), seconds.
    pub step_floor_s: f64,
    /// Collectives of one decode step, seconds.
    pub step_comm_s: f64,
    /// Share of the steady rate a burst keeps through its drain tail (1
    /// for a steady load).
    pub drain: f64,
}

impl StepShape {
    /// One decode step of all streams, seconds: the longer of the floor
    /// and the read, plus the compute (not overlapped: the roofline's max
    /// fits the measured points worse) and the collectives.
    pub fn step_s(&self, e: Efficiency) -> f64 {
        (self.step_memory_s / e.bandwidth).max(self.step_floor_s)
            + self.step_compute_s / e.compute
            + self.step_comm_s
    }

    /// Prefill of one request, seconds.
    pub fn prefill_time_s(&self, e: Efficiency) -> f64 {
        self.prefill_s / e.compute
    }

    /// A stream's request time: its `output_tokens` steps plus the prefills
    /// of the `streams` requests that share the replica meanwhile.
    pub fn request_s(&self, e: Efficiency) -> f64 {
        self.output_tokens * self.step_s(e) + self.streams * self.prefill_time_s(e)
    }

    /// Output tokens per second of the replica, all streams together.
    pub fn output_tokens_per_s(&self, e: Efficiency) -> f64 {
        self.drain * self.streams * self.output_tokens / self.request_s(e)
    }

    /// Output tokens per second of one stream, its prefill included.
    pub fn stream_tokens_per_s(&self, e: Efficiency) -> f64 {
        self.output_tokens / self.request_s(e)
    }

    /// Time per output token of one stream at this batch, seconds: its
    /// decode steps plus the other streams' prefills spread over them.
    pub fn tpot_s(&self, e: Efficiency) -> f64 {
        (self.output_tokens * self.step_s(e) + (self.streams - 1.0) * self.prefill_time_s(e))
            / self.output_tokens
    }
}

/// Share of the steady rate a burst of N `requests` keeps on a batch of
/// m `streams` (m ≤ N). Equal lengths: ⌈N/m⌉ waves of m do the work of
/// N/m. Spread lengths: the last m requests finish one by one, their batch
/// shrinking from m towards none; a weight-bound step costs about the same
/// at any batch, so they run at about half the steady rate, and the burst
/// takes (N − m)/r + m/(r/2): a share of N / (N + m).
pub(crate) fn drain_share(requests: f64, streams: f64, varied_lengths: bool) -> f64 {
    if varied_lengths {
        return requests / (requests + streams);
    }
    let waves = requests / streams;
    waves / waves.ceil().max(1.0)
}

impl RooflineReplica<'_> {
    /// Dense FLOP/s of the replica at the rate its weights compute at.
    pub(crate) fn peak_flops(&self) -> f64 {
        let rate = self.arch.compute_precision(self.precision);
        self.gpu.tflops(rate).0 * 1e12 * f64::from(self.gpus)
    }

    /// Bytes/s of the replica's memory.
    pub(crate) fn peak_bandwidth(&self) -> f64 {
        self.gpu.hbm_tb_per_s * 1e12 * f64::from(self.gpus)
    }

    /// FLOPs of attention per token per token of context: QKᵀ and AV, two
    /// FLOPs per multiply-add, over the layers that attend to everything.
    fn attention_flops_per_context_token(&self) -> f64 {
        let a = self.arch;
        4.0 * f64::from(a.full_attention_layers)
            * f64::from(a.attention_heads)
            * f64::from(a.head_dim)
    }

    /// The same while decoding: MLA works on its latent, [`MLA_ATTENTION_FACTOR`] times more.
    fn decode_attention_flops_per_context_token(&self) -> f64 {
        let factor = if self.arch.mla() {
            MLA_ATTENTION_FACTOR
        } else {
            1.0
        };
        factor * self.attention_flops_per_context_token()
    }

    /// FLOPs to prefill `input` tokens: 2 · active · I for the matrices,
    /// Σ_t 4·L·H·d·t ≈ 2·L·H·d·I² for causal attention.
    pub(crate) fn prefill_flops(&self, input: f64) -> f64 {
        2.0 * self.arch.active_params_b * 1e9 * input
            + 0.5 * self.attention_flops_per_context_token() * input * input
    }

    /// Parameters of one routed expert and of the shared weights, billions.
    fn expert_split(&self, e: f64, k: f64) -> (f64, f64) {
        let a = self.arch;
        let per_expert = (a.total_params_b - a.active_params_b) / (e - k);
        (per_expert, a.total_params_b - e * per_expert)
    }

    /// Bytes of weights one decode step reads for `streams` tokens.
    pub(crate) fn weight_bytes_touched(&self, streams: f64) -> f64 {
        let a = self.arch;
        let touched = match a.experts {
            None => a.total_params_b,
            Some((e, k)) => {
                let (e, k) = (f64::from(e), f64::from(k));
                let (per_expert, shared) = self.expert_split(e, k);
                let share = 1.0 - (1.0 - k / e).powf(streams);
                shared + e * per_expert * share
            }
        };
        touched * 1e9 * weight_bytes(self.precision)
    }

    /// Matrix FLOPs of one token, with the routed experts' part stretched
    /// by the expert-parallel skew of a batch of `streams`.
    fn matrix_flops_per_token(&self, streams: f64) -> f64 {
        let a = self.arch;
        let active = match a.experts {
            None => a.active_params_b,
            Some((e, k)) => {
                let (e, k) = (f64::from(e), f64::from(k));
                let (per_expert, _) = self.expert_split(e, k);
                let routed = k * per_expert;
                a.active_params_b - routed + routed * self.layout.expert_skew(streams, k)
            }
        };
        2.0 * active * 1e9
    }

    /// Streams the KV room holds at a mean context of `context` tokens, at
    /// least one, at most the engine's default maximum of sequences.
    pub(crate) fn max_streams(&self, memory: &MemoryFit, context: f64) -> u32 {
        let per_stream = kv_bytes_per_token(self.arch, self.precision)
            * self.layout.kv_copies(self.arch)
            * context
            / 1e9;
        let n = (memory.kv_room_gb() / per_stream).floor();
        if n.is_finite() && n >= 1.0 {
            (n as u32).min(self.engine.max_sequences(self.gpu))
        } else {
            1
        }
    }

    /// The shape of `streams` concurrent requests of `input` and `output`
    /// tokens (a stream's mean context while decoding is I + O/2).
    pub(crate) fn shape(&self, input: f64, output: f64, streams: f64) -> StepShape {
        let context = input + output / 2.0;
        let kv = kv_bytes_per_token(self.arch, self.precision)
            * self.layout.kv_copies(self.arch)
            * context
            * streams;
        let step_flops = streams
            * (self.matrix_flops_per_token(streams)
                + self.decode_attention_flops_per_context_token() * context);
        let moe = self.arch.experts.is_some();
        StepShape {
            output_tokens: output,
            streams,
            prefill_s: self.prefill_flops(input) / self.peak_flops(),
            step_memory_s: (self.weight_bytes_touched(streams) + kv) / self.peak_bandwidth(),
            step_compute_s: step_flops / self.peak_flops(),
            step_floor_s: f64::from(self.arch.layers) * self.engine.layer_floor_s(moe),
            step_comm_s: self
                .layout
                .step_comm_s(self.arch, self.gpu, self.engine, streams),
            drain: 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::catalog::PerfCatalog;
    use crate::capacity::load::bundled;
    use crate::capacity::memory::fit;

    /// One replica of a catalog model on one catalog GPU.
    fn replica<'a>(
        c: &'a PerfCatalog,
        model: &str,
        gpu: &str,
        precision: Precision,
    ) -> RooflineReplica<'a> {
        RooflineReplica {
            arch: c.architecture(model).expect("catalog"),
            gpu: c.gpu(gpu).expect("catalog"),
            gpus: 1,
            precision,
            engine: Engine::Trtllm,
            layout: Layout::tensor(1),
        }
    }

    const FULL: Efficiency = Efficiency {
        compute: 1.0,
        bandwidth: 1.0,
    };

    #[test]
    fn one_stream_of_a_70b_model_on_an_h200_decodes_at_most_67_tokens_per_s() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let r = replica(&c, "llama-3.3-70b", "h200-141gb", Precision::Fp8);
        let s = r.shape(1000.0, 1000.0, 1.0);
        // Memory: 70.55 GB of weights + 163,840 B x 1,500 tokens = 70.796 GB
        // over 4.8 TB/s = 14.749 ms a step.
        assert!((s.step_memory_s - 0.014_749_2).abs() < 1e-6);
        // Compute: 2 x 70.55e9 + 4 x 80 x 64 x 128 x 1,500 = 145.0 GFLOP
        // over 1,979 TFLOP/s = 0.073 ms: two hundred times below.
        assert!((s.step_compute_s - 7.329e-5).abs() < 1e-7);
        // Prefill of 1,000 tokens: 2 x 70.55e9 x 1,000 + 2 x 80 x 64 x 128 x 1,000^2
        // = 142.41 TFLOP over 1,979 TFLOP/s = 71.96 ms.
        assert!((s.prefill_s - 0.071_96).abs() < 1e-4);
        let per_stream = s.stream_tokens_per_s(FULL);
        // 1,000 / (1,000 x (14.749 + 0.073) ms + 71.96 ms) = 67.14 tokens/s,
        // at 100% of peak: the physical ceiling of one stream.
        assert!((per_stream - 67.14).abs() < 0.05, "{per_stream}");
    }

    #[test]
    fn a_full_batch_of_a_70b_model_still_spends_more_time_reading_than_computing() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let r = replica(&c, "llama-3.3-70b", "h200-141gb", Precision::Fp8);
        let m = fit(r.arch, r.gpu, 1, Precision::Fp8, 1500.0, 1);
        // KV room: 141 - 14.1 - 70.55 = 56.35 GB; a stream at 1,500 tokens
        // holds 0.24576 GB: 229 streams.
        assert_eq!(r.max_streams(&m, 1500.0), 229);
        let s = r.shape(1000.0, 1000.0, 229.0);
        // Memory: 70.55 GB + 229 x 0.24576 GB = 126.83 GB / 4.8 TB/s = 26.42 ms;
        // compute: 229 x 145.0 GFLOP / 1,979 TFLOP/s = 16.78 ms.
        assert!((s.step_memory_s - 0.026_423).abs() < 1e-5);
        assert!((s.step_compute_s - 0.016_784).abs() < 1e-5);
        // A step of all 229 streams: 26.42 + 16.78 = 43.21 ms (5,300 tokens/s
        // decoding); each request also prefills 1,000 tokens in 71.96 ms, so
        // the replica gives 229 x 1,000 / (1,000 x 43.21 + 229 x 71.96) ms
        // = 3,837 output tokens/s at 100% of peak.
        assert!((s.step_s(FULL) - 0.043_207).abs() < 1e-5);
        let out = s.output_tokens_per_s(FULL);
        assert!((out - 3837.0).abs() < 2.0, "{out}");
    }

    #[test]
    fn a_mixture_of_experts_reads_only_the_experts_its_batch_touches() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let r = replica(&c, "gpt-oss-120b", "h100-80gb", Precision::Fp4);
        // 128 experts, 4 a token: one expert = (116.83 - 5.13) / 124 = 0.9008 B params;
        // shared = 116.83 - 128 x 0.9008 = 1.527 B.
        // One token reads shared + 4 experts = 5.13 B params x 0.5625 B = 2.886 GB.
        assert!((r.weight_bytes_touched(1.0) - 2.885_6e9).abs() < 1e6);
        // 64 tokens touch 128 x (1 - (124/128)^64) = 111.2 experts:
        // 1.527 + 111.2 x 0.9008 = 101.7 B params, not all 116.8.
        let b64 = r.weight_bytes_touched(64.0) / 0.5625 / 1e9;
        assert!((b64 - 101.72).abs() < 0.01, "{b64}");
        // Compute uses active parameters only, 16-bit on Hopper (no FP4 cores):
        // 2 x 5.13e9 FLOPs a token over 989 TFLOP/s.
        let s = r.shape(100.0, 100.0, 1.0);
        let matmul = 2.0 * 5.13e9 / 989e12;
        assert!(s.step_compute_s > matmul && s.step_compute_s < matmul * 1.01);
    }

    #[test]
    fn the_drain_tail_of_a_burst() {
        // Equal lengths: 1,000 requests on 256 streams run 4 waves for the
        // work of 3.906: 0.9766 of the steady rate.
        assert!((drain_share(1000.0, 256.0, false) - 0.976_56).abs() < 1e-5);
        // Spread lengths: 1,000 / (1,000 + 256) = 0.7962.
        assert!((drain_share(1000.0, 256.0, true) - 0.796_18).abs() < 1e-5);
        assert_eq!(drain_share(512.0, 256.0, false), 1.0);
    }

    #[test]
    fn int4_weights_compute_at_the_bf16_rate_and_mla_caches_per_rank() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let b200 = c.gpu("b200-180gb").expect("catalog");
        let k26 = c.architecture("kimi-k2.6").expect("catalog");
        assert!(k26.w4a16);
        let r = RooflineReplica {
            arch: k26,
            gpu: b200,
            gpus: 8,
            precision: Precision::Fp4,
            engine: Engine::Vllm,
            layout: Layout::tensor(8),
        };
        // 8 x 2,250 TFLOP/s BF16, not 8 x 9,000 FP4.
        assert_eq!(r.peak_flops(), 8.0 * 2250e12);
        // One stream of 1,000 tokens: 61 layers x 576 x 1 B = 35,136 B a
        // token, kept by 8 ranks: 8 x 35,136 x 1,000 = 281.1 MB read a step.
        let one = r.shape(1000.0, 2.0, 1.0);
        let weights = r.weight_bytes_touched(1.0);
        let kv = one.step_memory_s * r.peak_bandwidth() - weights;
        assert!((kv - 8.0 * 35_136.0 * 1001.0).abs() < 1.0, "{kv}");
        // Its floor: 61 layers x 0.16 ms = 9.76 ms.
        assert!((one.step_floor_s - 9.76e-3).abs() < 1e-9);
    }

    #[test]
    fn the_engine_caps_the_batch() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let mut r = replica(&c, "llama-3.1-8b", "h200-141gb", Precision::Fp8);
        let m = fit(r.arch, r.gpu, 1, Precision::Fp8, 300.0, 1);
        // KV room 141 - 14.1 - 8.03 = 118.87 GB; a 300-token stream holds
        // 32 x 2 x 8 x 128 x 1 B x 300 = 19.66 MB: 6,046 streams fit.
        assert_eq!(r.max_streams(&m, 300.0), 2048);
        r.engine = Engine::Vllm;
        assert_eq!(r.max_streams(&m, 300.0), 1024);
        r.gpu = c.gpu("a100-80gb").expect("catalog");
        assert_eq!(r.max_streams(&m, 300.0), 256);
    }
}
