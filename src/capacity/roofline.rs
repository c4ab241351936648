//! The roofline of one replica: prefill is compute-bound (≈ 2 · active
//! parameters · tokens, plus attention over the prompt, over the effective
//! FLOPs); a decode step takes the time to read the weights it touches and
//! the streams' KV cache over the effective bandwidth, plus the time to
//! compute every stream's next token. Continuous batching interleaves
//! prefills with decode steps, so one request costs its prefill time plus
//! its share of `output_tokens` decode steps.
//!
//! A mixture of experts computes with its active parameters but reads, per
//! step, the shared weights plus every expert at least one of the batch's
//! tokens was routed to: E · (1 − (1 − k/E)^B) of E experts for B tokens.

use super::catalog::{Architecture, Gpu, Precision};
use super::memory::{kv_bytes_per_token, weight_bytes, MemoryFit};

/// Most streams one replica batches, whatever the memory: the scheduler's
/// ceiling (vLLM's default `max_num_seqs` is 256). Chosen among 128, 192,
/// 256, 384, 512, 1024 and 2048 by the leave-one-out error (median 15.2%,
/// 13.7%, 12.0%, 13.1%, 14.5%, 15.3%, 16.1%).
pub(crate) const MAX_STREAMS: u32 = 256;

/// The shares of peak FLOPs and peak bandwidth an engine reaches, fitted
/// per GPU family and precision on the measured points.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Efficiency {
    /// Share of the dense tensor FLOPs.
    pub compute: f64,
    /// Share of the memory bandwidth.
    pub bandwidth: f64,
}

/// One replica: a model on `gpus` GPUs at a precision.
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
}

impl StepShape {
    /// One decode step of all streams, seconds: reading and computing
    /// added, not overlapped (the roofline's max fits the measured points
    /// worse: median error 20.0% against 15.3% at 1,024 streams).
    pub fn step_s(&self, e: Efficiency) -> f64 {
        self.step_memory_s / e.bandwidth + self.step_compute_s / e.compute
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
        self.streams * self.output_tokens / self.request_s(e)
    }

    /// Output tokens per second of one stream, its prefill included.
    pub fn stream_tokens_per_s(&self, e: Efficiency) -> f64 {
        self.output_tokens / self.request_s(e)
    }
}

impl RooflineReplica<'_> {
    /// Dense FLOP/s of the replica at its compute precision.
    pub(crate) fn peak_flops(&self) -> f64 {
        self.gpu.tflops(self.precision).0 * 1e12 * f64::from(self.gpus)
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

    /// FLOPs to prefill `input` tokens: 2 · active · I for the matrices,
    /// Σ_t 4·L·H·d·t ≈ 2·L·H·d·I² for causal attention.
    pub(crate) fn prefill_flops(&self, input: f64) -> f64 {
        2.0 * self.arch.active_params_b * 1e9 * input
            + 0.5 * self.attention_flops_per_context_token() * input * input
    }

    /// Bytes of weights one decode step reads for `streams` tokens.
    pub(crate) fn weight_bytes_touched(&self, streams: f64) -> f64 {
        let a = self.arch;
        let total = a.total_params_b * 1e9;
        let touched = match a.experts {
            None => total,
            Some((e, k)) => {
                let (e, k) = (f64::from(e), f64::from(k));
                let per_expert = (a.total_params_b - a.active_params_b) * 1e9 / (e - k);
                let shared = total - e * per_expert;
                let share = 1.0 - (1.0 - k / e).powf(streams);
                shared + e * per_expert * share
            }
        };
        touched * weight_bytes(self.precision)
    }

    /// Streams the KV room holds at a mean context of `context` tokens,
    /// at least one, at most [`MAX_STREAMS`].
    pub(crate) fn max_streams(&self, memory: &MemoryFit, context: f64) -> u32 {
        let per_stream = kv_bytes_per_token(self.arch, self.precision) * context / 1e9;
        let n = (memory.kv_room_gb() / per_stream).floor();
        if n.is_finite() && n >= 1.0 {
            (n as u32).min(MAX_STREAMS)
        } else {
            1
        }
    }

    /// The shape of `streams` concurrent requests of `input` and `output`
    /// tokens (a stream's mean context while decoding is I + O/2).
    pub(crate) fn shape(&self, input: f64, output: f64, streams: f64) -> StepShape {
        let context = input + output / 2.0;
        let kv = kv_bytes_per_token(self.arch, self.precision) * context * streams;
        let step_flops = streams
            * (2.0 * self.arch.active_params_b * 1e9
                + self.attention_flops_per_context_token() * context);
        StepShape {
            output_tokens: output,
            streams,
            prefill_s: self.prefill_flops(input) / self.peak_flops(),
            step_memory_s: (self.weight_bytes_touched(streams) + kv) / self.peak_bandwidth(),
            step_compute_s: step_flops / self.peak_flops(),
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
}
