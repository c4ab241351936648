//! The step model's arithmetic, worked by hand.

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
fn a_cached_prefix_is_not_prefilled_again() {
    let c = bundled().unwrap_or_else(|e| panic!("{e}"));
    let r = replica(&c, "llama-3.3-70b", "h200-141gb", Precision::Fp8);
    // 3,000 tokens, the first 2,000 cached: 2 x 70.55e9 x 1,000 for the
    // matrices, and causal attention of tokens 2,000..3,000 over what
    // precedes them, 2 x 80 x 64 x 128 x (3,000^2 - 2,000^2) = 6.5536e12:
    // 1.4110e14 + 6.5536e12 = 1.4765e14 FLOPs over 1,979 TFLOP/s = 74.6 ms.
    let s = r.prefill_after_cache_s(3000.0, 2000.0);
    assert!((s - 1.4765e14 / 1979e12).abs() < 1e-5, "{s}");
    assert_eq!(
        r.prefill_after_cache_s(3000.0, 0.0),
        r.prefill_flops(3000.0) / r.peak_flops()
    );
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
    // One stream of 1,000 tokens: vLLM keeps a 16-bit cache, 61 layers x
    // 576 x 2 B = 70,272 B a token, kept by 8 ranks: 8 x 70,272 x 1,001 =
    // 562.7 MB read a step.
    let one = r.shape(1000.0, 2.0, 1.0);
    let weights = r.weight_bytes_touched(1.0);
    let kv = one.step_memory_s * r.peak_bandwidth() - weights;
    assert!((kv - 8.0 * 70_272.0 * 1001.0).abs() < 1.0, "{kv}");
    // TensorRT-LLM quantizes it with the weights: 35,136 B a token.
    let trt = RooflineReplica {
        engine: Engine::Trtllm,
        ..r
    };
    let kv = trt.shape(1000.0, 2.0, 1.0).step_memory_s * r.peak_bandwidth() - weights;
    assert!((kv - 8.0 * 35_136.0 * 1001.0).abs() < 1.0, "{kv}");
    // Its floor under vLLM, MLA: 61 layers x 0.26 ms = 15.86 ms.
    assert!((one.step_floor_s - 15.86e-3).abs() < 1e-9);
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
