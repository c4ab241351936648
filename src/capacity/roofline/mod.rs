//! The step model of one replica. Prefill is compute-bound (≈ 2 · active
//! parameters · tokens, plus attention over the prompt, over the effective
//! FLOPs) plus the bytes of the collectives its tokens pass through (a
//! tensor-parallel replica all-reduces every prompt token twice a layer,
//! as it does a decoded one). A decode step takes the longer of the
//! engine's per-layer floor and the time to read the weights it touches
//! and the streams' KV cache over the effective bandwidth, plus the time
//! to compute every stream's next token, plus the collectives of the
//! parallel layout (`layout.rs`). Continuous batching interleaves
//! prefills with decode steps, so one request costs its prefill time plus
//! its share of `output_tokens` decode steps; a burst of N requests on a
//! batch of B loses the empty part of its last wave (the drain tail).
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
    /// Collectives of one request's prefill, seconds (not divided by an
    /// efficiency: the link's rate, as a decode step's collectives).
    pub prefill_comm_s: f64,
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

    /// Prefill of one request, seconds: its FLOPs at the effective rate
    /// and its collectives.
    pub fn prefill_time_s(&self, e: Efficiency) -> f64 {
        self.prefill_s / e.compute + self.prefill_comm_s
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

    /// Prefill of `input` tokens whose first `cached` come from the
    /// prefix cache, at full FLOPs, seconds: the causal cost of tokens
    /// `cached..input`, F(input) − F(cached).
    pub(crate) fn prefill_after_cache_s(&self, input: f64, cached: f64) -> f64 {
        (self.prefill_flops(input) - self.prefill_flops(cached.min(input))) / self.peak_flops()
    }

    /// Parameters of one routed expert and of the shared weights, billions.
    fn expert_split(&self, e: f64, k: f64) -> (f64, f64) {
        let a = self.arch;
        let per_expert = (a.total_params_b - a.active_params_b) / (e - k);
        (per_expert, a.total_params_b - e * per_expert)
    }

    /// Bytes of weights one decode step reads for `streams` tokens: under
    /// DP attention every rank reads its own copy of the attention weights.
    pub(crate) fn weight_bytes_touched(&self, streams: f64) -> f64 {
        let a = self.arch;
        let replicated = self.layout.extra_attention_copies() * a.attention_params_b();
        let touched = replicated
            + match a.experts {
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

    /// Bytes of KV cache one token of a stream's context takes across the
    /// replica: at the precision the engine keeps the cache in, times the
    /// copies the layout keeps ([`Layout::kv_copies`]).
    fn kv_bytes_per_context_token(&self) -> f64 {
        kv_bytes_per_token(self.arch, self.engine.kv_cache_precision(self.precision))
            * self.layout.kv_copies(self.arch)
    }

    /// Streams the KV room holds at a mean context of `context` tokens, at
    /// least one, at most the engine's default maximum of sequences.
    pub(crate) fn max_streams(&self, memory: &MemoryFit, context: f64) -> u32 {
        let per_stream = self.kv_bytes_per_context_token() * context / 1e9;
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
        let kv = self.kv_bytes_per_context_token() * context * streams;
        let step_flops = streams
            * (self.matrix_flops_per_token(streams)
                + self.decode_attention_flops_per_context_token() * context);
        let moe = self.arch.experts.is_some();
        StepShape {
            output_tokens: output,
            streams,
            prefill_s: self.prefill_flops(input) / self.peak_flops(),
            prefill_comm_s: self.layout.comm_bytes_s(self.arch, self.gpu, input),
            step_memory_s: (self.weight_bytes_touched(streams) + kv) / self.peak_bandwidth(),
            step_compute_s: step_flops / self.peak_flops(),
            step_floor_s: f64::from(self.arch.layers)
                * self.engine.layer_floor_s(moe, self.arch.mla()),
            step_comm_s: self
                .layout
                .step_comm_s(self.arch, self.gpu, self.engine, streams),
            drain: 1.0,
        }
    }
}

#[cfg(test)]
mod tests;
