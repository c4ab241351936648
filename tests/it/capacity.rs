//! The capacity estimator against its measured points: the leave-one-out
//! calibration error (printed with `cargo test --test it capacity:: --
//! --show-output`, and failing if it regresses past the recorded value),
//! and hand-checked answers of the estimator.

use infercost::capacity::estimate::Unseen;
use infercost::capacity::{
    AttentionKind, Basis, Engine, ErrorStats, Estimator, LayoutClass, Precision, Query, Throughput,
};
use serde_json::Value;

fn estimator() -> &'static Estimator {
    Estimator::bundled().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn calibration_error_has_not_regressed() {
    let c = &estimator().calibration;
    let all = c.all;
    println!(
        "capacity calibration, leave-one-out over {} measured points: median {:.1}%, p90 {:.1}%",
        all.n,
        all.median * 100.0,
        all.p90 * 100.0
    );
    for (k, g) in &c.groups {
        println!(
            "  {}: {} points, compute {:.3}, bandwidth {:.3}, median {:.1}%, p90 {:.1}%",
            k.label(),
            g.error.n,
            g.efficiency.compute,
            g.efficiency.bandwidth,
            g.error.median * 100.0,
            g.error.p90 * 100.0
        );
    }
    let t = &c.transfers;
    for (what, e) in [
        ("an engine held out, dense", t.engine_dense),
        ("an engine held out, mixture of experts", t.engine_moe),
        ("an attention kind held out", t.attention),
        ("a model held out, dense", t.model_dense),
        ("a model held out, mixture of experts", t.model_moe),
        ("a GPU family held out, dense", t.family_dense),
        ("a GPU family held out, mixture of experts", t.family_moe),
    ] {
        println!(
            "  {what}: {} points, median {:.1}%, p90 {:.1}%",
            e.n,
            e.median * 100.0,
            e.p90 * 100.0
        );
    }
    for (id, i, est, meas) in &c.held_out {
        println!(
            "    {id}[{i}]: estimate {est:.0}, measured {meas:.0}, {:+.0}%",
            (est / meas - 1.0) * 100.0
        );
    }
    // Recorded when the catalog had 157 points (the 144 of the engine-aware
    // step model, issue 22, and 13 dense points on vLLM, SGLang, NIM, L4,
    // L40S and A10G), with vLLM's per-layer floors read off the batch
    // sweeps; a change that moves the error up by more than half a
    // percentage point fails here. The median since vLLM and SGLang keep
    // a 16-bit KV cache (13.7% before); the p90 as recorded before it
    // (30.6%; 31.0% since, within the half point).
    let recorded = ErrorStats {
        n: 157,
        median: 0.132,
        p90: 0.306,
    };
    assert_eq!(all.n, recorded.n);
    assert!(
        all.median <= recorded.median + 0.005,
        "median {:.4}",
        all.median
    );
    assert!(all.p90 <= recorded.p90 + 0.005, "p90 {:.4}", all.p90);
}

fn query(model: &str, gpu: &str, input: f64, output: f64) -> Query {
    Query {
        model: model.into(),
        gpu: gpu.into(),
        gpus: None,
        precision: None,
        input_tokens: input,
        output_tokens: output,
        concurrency: None,
        engine: None,
    }
}

#[test]
fn a_measured_point_overrides_the_estimate_for_its_exact_configuration() {
    // TensorRT-LLM perf-overview: Llama 3.3 70B FP8 on 1 x H200, 1000/1000 -> 2,909 tokens/s.
    let q = Query {
        engine: Some(Engine::Trtllm),
        ..query("llama-3.3-70b", "h200-141gb", 1000.0, 1000.0)
    };
    let c = estimator().capacity(&q).unwrap();
    let t = c.throughput.expect("fits");
    assert_eq!(c.memory.gpus, 1);
    assert_eq!(c.precision, Precision::Fp8);
    assert_eq!(t.output_tokens_per_s, 2909.0);
    assert!(
        matches!(t.basis, Basis::Measured { ref series, .. } if series == "trtllm-llama-3.3-70b-h200-tp1-fp8")
    );
    // The prefill and decode parts are scaled so that they give the measured
    // replica-seconds per request of the dedicated model:
    // 1000 / prefill + 1000 / decode = 1000 / 2909 s.
    let replica_s = 1000.0 / t.prefill_tokens_per_s + 1000.0 / t.decode_tokens_per_s;
    assert!((1000.0 / replica_s / 2909.0 - 1.0).abs() < 1e-9);
}

/// Past the saturated batch the engine decodes what it can at once and the
/// rest wait: Llama 3.1 8B on 8 × H100 under vLLM (1,000 in, 200 out)
/// batches at most 1,024 streams. At 2,000 in flight it used to report
/// 46,696 output tokens/s, more than its saturated 45,687, and each stream
/// as fast as one of 2,000 decoding together. Now the 2,000 give the
/// saturated rate and the 1,024-stream speed, and the 976 others wait for
/// a slot: 976 · 200 / 37,946 s = 5.14 s added to the TTFT (Little's law;
/// 45,687 and 4.27 s before the prefill's all-reduces were counted, 2026-12-08).
#[test]
fn concurrency_past_the_engines_batch_waits_for_a_slot() {
    let at = |k: u32| {
        let q = Query {
            gpus: Some(8),
            concurrency: Some(k),
            engine: Some(infercost::capacity::Engine::Vllm),
            ..query("llama-3.1-8b", "h100-80gb", 1000.0, 200.0)
        };
        let t = estimator().capacity(&q).unwrap().throughput.expect("fits");
        (t.output_tokens_per_s, t.at_concurrency.unwrap())
    };
    let (saturated, full) = at(1024);
    let (_, past) = at(2000);
    assert_eq!(full.running, 1024);
    assert_eq!(past.running, 1024);
    assert!((past.output_tokens_per_s / saturated - 1.0).abs() < 1e-9);
    assert_eq!(past.stream_tokens_per_s, full.stream_tokens_per_s);
    let queued_ms = 976.0 * 200.0 / saturated * 1e3;
    assert!((queued_ms - 5144.0).abs() < 5.0, "{queued_ms}");
    assert!((past.ttft_ms - full.ttft_ms - queued_ms).abs() < 1e-6);
}

/// A measured point's scale applies at every concurrency, not only to the
/// saturated figures: Llama 3.1 8B on one H100 at 1,000 in / 1,000 out is
/// measured under TensorRT-LLM at 15,220 output tokens/s (650 streams at
/// the mean context of its FP8 cache; 487 hold the full 2,000 tokens). At
/// 487 streams the replica gives 14,933 tokens/s, 98.1% of the measured
/// rate (a bandwidth-bound step reads the weights once for 487 streams as
/// for 650). Below the saturated batch the figures were the step model's
/// own until 2026-12-08 (8,529 at 244 streams, a second read), which made
/// a stated `concurrency` one below the batch cost 24% more. One stream
/// fewer moves it by well under 1%.
#[test]
fn a_measured_points_scale_holds_below_its_saturated_batch() {
    let at = |k: u32| {
        let q = Query {
            gpus: Some(1),
            concurrency: Some(k),
            engine: Some(Engine::Trtllm),
            ..query("llama-3.1-8b", "h100-80gb", 1000.0, 1000.0)
        };
        let t = estimator().capacity(&q).unwrap().throughput.expect("fits");
        assert!(matches!(t.basis, Basis::Measured { .. }), "{:?}", t.basis);
        (t.output_tokens_per_s, t.at_concurrency.unwrap())
    };
    let (measured, full) = at(487);
    assert_eq!(measured, 15220.0);
    let share = full.output_tokens_per_s / measured;
    assert!((0.975..0.985).contains(&share), "{share}");
    let (_, one_fewer) = at(486);
    let step = one_fewer.output_tokens_per_s / full.output_tokens_per_s;
    assert!((0.99..1.0).contains(&step), "{step}");
}

#[test]
fn the_hugging_face_id_names_the_same_model() {
    let by_id = estimator()
        .capacity(&query("gpt-oss-120b", "h100-80gb", 1200.0, 250.0))
        .unwrap();
    let by_hf = estimator()
        .capacity(&query("openai/gpt-oss-120b", "h100-80gb", 1200.0, 250.0))
        .unwrap();
    assert_eq!(by_id, by_hf);
    // Published in MXFP4, gpt-oss runs in 4-bit on Hopper with 16-bit compute,
    // and fits one 80 GB GPU: 116.83 B x 0.5625 B = 65.7 GB + 8 GB reserve.
    assert_eq!(by_id.precision, Precision::Fp4);
    assert!(!by_id.native_compute);
    assert_eq!(by_id.memory.gpus, 1);
}

#[test]
fn every_catalog_model_answers_on_every_catalog_gpu() {
    let e = estimator();
    let mut fits = 0;
    for arch in &e.catalog.architectures {
        for gpu in &e.catalog.gpus {
            let mut q = query(&arch.id, &gpu.id, 1200.0, 250.0);
            q.concurrency = Some(4);
            let c = e
                .capacity(&q)
                .unwrap_or_else(|err| panic!("{} on {}: {err}", arch.id, gpu.id));
            let Some(t) = c.throughput else {
                assert!(!c.memory.fits(), "{} on {}", arch.id, gpu.id);
                continue;
            };
            fits += 1;
            let figures = [
                t.output_tokens_per_s,
                t.prefill_tokens_per_s,
                t.decode_tokens_per_s,
            ];
            assert!(
                figures.iter().all(|x| x.is_finite() && *x > 0.0),
                "{} on {}",
                arch.id,
                gpu.id
            );
            assert!(t.band.low <= t.output_tokens_per_s && t.output_tokens_per_s <= t.band.high);
            let a = t.at_concurrency.expect("asked");
            assert!(a.stream_tokens_per_s.is_finite() && a.ttft_ms.is_finite() && a.ttft_ms > 0.0);
        }
    }
    // 16 models x 11 GPUs; the trillion-parameter ones fit nowhere below a B200 node.
    assert!(fits > 100, "{fits}");
}

fn infercost(args: &[&str]) -> std::process::Output {
    crate::common::infercost(args, &crate::common::root())
}

#[test]
fn capacity_prints_the_memory_breakdown_and_the_band_as_json() {
    let out = infercost(&[
        "capacity",
        "meta-llama/Llama-3.3-70B-Instruct",
        "--gpu",
        "h200-141gb",
        "--input-tokens",
        "1200",
        "--output-tokens",
        "250",
        "--concurrency",
        "8",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["model"], "llama-3.3-70b");
    assert_eq!(v["gpus"], 1);
    assert_eq!(v["precision"], "fp8");
    assert_eq!(v["fits"], true);
    // No engine stated: vLLM's 16-bit cache, 80 layers x 2 x 8 heads x 128
    // x 2 B = 327,680 B a token; 8 streams x 1,450 tokens = 3.8011 GB.
    assert_eq!(v["memory"]["kv_cache_gb"], 3.801088);
    assert_eq!(v["basis"]["kind"], "estimated");
    assert_eq!(v["basis"]["calibrated_on"], "hopper fp8 dense");
    let (lo, x, hi) = (
        v["band"]["low"].as_f64().unwrap(),
        v["output_tokens_per_s"].as_f64().unwrap(),
        v["band"]["high"].as_f64().unwrap(),
    );
    assert!(lo < x && x < hi);
    assert_eq!(v["at_concurrency"]["concurrency"], 8);
}

#[test]
fn capacity_refuses_an_unknown_model_with_the_known_ones() {
    let out = infercost(&["capacity", "llama-9", "--gpu", "h100-80gb"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no model `llama-9`") && err.contains("llama-3.1-8b"),
        "{err}"
    );
}

fn compare_json(workload: &str) -> Value {
    let out = infercost(&["compare", workload, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_dedicated_option_says_where_its_throughput_comes_from_and_carries_its_band() {
    let v = compare_json("support-chat");
    let options = v["workloads"][0]["options"].as_array().unwrap();
    let dedicated: Vec<&Value> = options
        .iter()
        .filter(|o| o["offer"] == "dedicated")
        .collect();
    assert!(!dedicated.is_empty());
    for o in &dedicated {
        let kind = o["throughput"]
            .as_str()
            .expect("dedicated options name their throughput");
        assert!(
            ["vendor", "measured", "estimated"].contains(&kind),
            "{kind}"
        );
        let (lo, x, hi) = (
            &o["crossover_utilization_low"],
            &o["crossover_utilization"],
            &o["crossover_utilization_high"],
        );
        if let (Some(lo), Some(x), Some(hi)) = (lo.as_f64(), x.as_f64(), hi.as_f64()) {
            assert!(lo <= x && x <= hi, "{lo} {x} {hi}");
            if kind == "estimated" {
                assert!(lo < hi, "an estimate has a band");
            }
        }
        let (lo, m, hi) = (
            o["usd_per_month_low"].as_f64().unwrap(),
            o["usd_per_month"].as_f64().unwrap(),
            o["usd_per_month_high"].as_f64().unwrap(),
        );
        assert!(
            lo <= m * (1.0 + 1e-9) && m <= hi * (1.0 + 1e-9),
            "{lo} {m} {hi}"
        );
    }
}

#[test]
fn a_bring_your_own_model_vendor_gets_a_deployment_on_every_gpu_that_holds_the_model() {
    // vendors/modal.yaml: `models: any`, lists Llama 3.3 70B on H100 and H200
    // only, sells B200, L40S, L4, A10G, A100 and T4 too. The 70B model at
    // FP4 fits one B200; on L4 (24 GB) at FP8 it needs 4 GPUs (70.55 GB of
    // weights + 9.6 GB reserve <= 96 GB); on T4 (16 GB, 16-bit: 141 GB) not
    // even 8 GPUs hold it.
    let v = compare_json("support-chat");
    let modal: Vec<(String, u64)> = v["workloads"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["vendor"] == "modal" && o["offer"] == "dedicated")
        .map(|o| {
            (
                o["gpu"].as_str().unwrap().to_string(),
                o["gpus_per_replica"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(modal.contains(&("b200-180gb".into(), 1)), "{modal:?}");
    assert!(modal.contains(&("l4-24gb".into(), 4)), "{modal:?}");
    assert!(modal.contains(&("h100-80gb".into(), 2)), "{modal:?}");
    assert!(!modal.iter().any(|(g, _)| g == "t4-16gb"), "{modal:?}");
}

#[test]
fn a_latency_requirement_one_stream_cannot_meet_excludes_with_the_physical_reason() {
    // voice-agent (as it was before it moved to gpt-oss-120b) asks 200
    // output tokens/s per stream of Llama 3.3 70B; one stream on an H200
    // reads 70.8 GB a token at most 4.8 TB/s: ~67 tokens/s at full
    // bandwidth, ~55 at the fitted 82% with its compute, its 16-bit KV
    // cache (Modal runs vLLM) and prefill.
    let root = crate::common::root();
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root.join("workloads/voice-agent.yaml")).unwrap();
    std::fs::write(
        tmp.path().join("voice-agent.yaml"),
        text.replace("model: gpt-oss-120b", "model: llama-3.3-70b"),
    )
    .unwrap();
    let out = crate::common::compare_in("voice-agent", &root.join("vendors"), tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let h200 = v["workloads"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["vendor"] == "modal" && o["gpu"] == "h200-141gb")
        .expect("modal runs any model on its H200s");
    assert_eq!(h200["eligible"], false);
    let reasons = h200["reasons"].to_string();
    assert!(
        reasons.contains("one stream decodes at most ~55 output tokens/s on 1×h200-141gb for this model, below the required 200"),
        "{reasons}"
    );
}

#[test]
fn a_stream_speed_requirement_sizes_replicas_below_saturation() {
    // support-chat with 40 output tokens/s per stream required: a saturated
    // H200 replica of Llama 3.3 70B streams far slower, one stream ~67, so
    // the replica runs fewer streams and the Method says how many (of the
    // 118 that vLLM's 16-bit KV cache holds at the full context; 129 is
    // the saturated batch at the mean context, which the note named until
    // 2026-12-08).
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir(dir.path().join("workloads")).unwrap();
    let chat = std::fs::read_to_string(root.join("workloads/support-chat.yaml")).unwrap();
    let chat = chat.replace(
        "  max_ttft_ms: 2000",
        "  min_output_tokens_per_s: 40\n  max_ttft_ms: 2000",
    );
    assert!(chat.contains("min_output_tokens_per_s: 40"));
    std::fs::write(dir.path().join("workloads/support-chat.yaml"), chat).unwrap();
    let out_dir = dir.path().join("out");
    let out = infercost(&[
        "report",
        "--vendors",
        root.join("vendors").to_str().unwrap(),
        "--workloads",
        dir.path().join("workloads").to_str().unwrap(),
        "--format",
        "md",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(out_dir.join("support-chat/report.md")).unwrap();
    assert!(
        md.contains("sized at 8 streams per replica (of 118) to meet the latency requirement"),
        "no sized option"
    );
}

#[test]
fn with_no_engine_the_band_spans_every_engines_band() {
    let e = estimator();
    let mut q = query("llama-3.3-70b", "h200-141gb", 1200.0, 250.0);
    let none = e.capacity(&q).unwrap().throughput.expect("fits");
    q.engine = Some(Engine::Trtllm);
    let trt = e.capacity(&q).unwrap().throughput.expect("fits");
    q.engine = Some(Engine::Vllm);
    let vllm = e.capacity(&q).unwrap().throughput.expect("fits");
    // No engine: vLLM's figure, named as no engine.
    assert_eq!(none.output_tokens_per_s, vllm.output_tokens_per_s);
    assert_eq!((none.engine, vllm.engine), (None, Some(Engine::Vllm)));
    // TensorRT-LLM batches up to 2,048 and vLLM up to 1,024 on an H200;
    // here the KV room binds both: 141 - 14.1 - 70.55 = 56.35 GB holds 259
    // streams of 1,325 tokens of TensorRT-LLM's FP8 cache (163,840 B a
    // token: 217.1 MB a stream) and 129 of vLLM's 16-bit one (434.2 MB).
    assert_eq!((trt.streams, vllm.streams), (259, 129));
    // Both engines have dense points in the calibration (TensorRT-LLM's
    // tables; vLLM's since the issue 22 data): neither is an unseen engine,
    // so each band is the group's p90. (An unseen engine's widening is held
    // by latent_attention_with_no_calibration_point_widens_the_band.)
    for t in [&trt, &vllm] {
        let Basis::Estimated {
            error,
            band_error,
            unseen,
            ..
        } = &t.basis
        else {
            panic!("estimated")
        };
        assert!(!unseen.engine, "{:?}", t.engine);
        assert_eq!(*band_error, error.p90);
    }
    // The band with no engine holds both engines' bands.
    assert!(none.band.low <= trt.band.low.min(vllm.band.low));
    assert!(none.band.high >= trt.band.high.max(vllm.band.high));
}

/// With no engine the band is exactly the union of the three engines'
/// own bands, each at its own error: Llama 3.3 70B on 8 × H100 spanned
/// 7,620 to 114,640 output tokens/s (15×) until 2026-12-08, every engine's
/// figure widened by the error of the engine the group had not measured
/// (SGLang), compounded with the layout's. Now 10,050 to 23,724.
#[test]
fn with_no_engine_the_band_is_the_union_of_the_engines_own_bands() {
    let e = estimator();
    let band = |engine: Option<Engine>| {
        let q = Query {
            gpus: Some(8),
            engine,
            ..query("llama-3.3-70b", "h100-80gb", 1000.0, 1000.0)
        };
        e.capacity(&q).unwrap().throughput.expect("fits").band
    };
    let none = band(None);
    let engines = [Engine::Vllm, Engine::Sglang, Engine::Trtllm].map(|x| band(Some(x)));
    let low = engines.iter().map(|b| b.low).fold(f64::INFINITY, f64::min);
    let high = engines.iter().map(|b| b.high).fold(0.0, f64::max);
    assert!((none.low / low - 1.0).abs() < 1e-9, "{none:?} {engines:?}");
    assert!(
        (none.high / high - 1.0).abs() < 1e-9,
        "{none:?} {engines:?}"
    );
    assert!(none.high / none.low < 2.5, "{none:?}");
}

/// With no engine stated the figures are vLLM's and the band is the span
/// of the three engines' own answers, a measured point included: Llama
/// 3.3 70B on one H200 at 1,000/1,000 is vLLM's estimate, 1,727 output
/// tokens/s (1,696 before the prefill's all-reduces were counted and the
/// Hopper FP8 dense group refitted, 2026-12-08), and TensorRT-LLM's
/// measured 2,909 is the band's high end
/// (its band a point). Until 2026-12-08 the measured point replaced the
/// estimate with no engine stated and the band was 2,909 to 2,909, as if
/// the engine were known; with TensorRT-LLM stated it is the point alone.
#[test]
fn a_measured_point_of_one_engine_bounds_the_band_when_none_is_stated() {
    let answer = |engine: Option<Engine>| {
        let q = Query {
            engine,
            ..query("llama-3.3-70b", "h200-141gb", 1000.0, 1000.0)
        };
        estimator().capacity(&q).unwrap().throughput.expect("fits")
    };
    let none = answer(None);
    let vllm = answer(Some(Engine::Vllm));
    assert!(
        matches!(none.basis, Basis::Estimated { .. }),
        "{:?}",
        none.basis
    );
    assert_eq!(none.output_tokens_per_s, vllm.output_tokens_per_s);
    assert!((1727.0..1728.0).contains(&none.output_tokens_per_s));
    assert_eq!(none.band.high, 2909.0);
    assert!((1328.0..1329.0).contains(&none.band.low), "{:?}", none.band);
    let trt = answer(Some(Engine::Trtllm));
    assert_eq!((trt.band.low, trt.band.high), (2909.0, 2909.0));
}

#[test]
fn a_measured_point_of_another_engine_is_not_the_exact_configuration() {
    // The H200 FP8 Llama 3.3 70B point is TensorRT-LLM's: under vLLM the
    // answer is an estimate.
    let mut q = query("llama-3.3-70b", "h200-141gb", 1000.0, 1000.0);
    q.engine = Some(Engine::Vllm);
    let t = estimator().capacity(&q).unwrap().throughput.expect("fits");
    assert!(matches!(t.basis, Basis::Estimated { .. }));
    q.engine = Some(Engine::Trtllm);
    let t = estimator().capacity(&q).unwrap().throughput.expect("fits");
    assert_eq!(t.output_tokens_per_s, 2909.0);
    assert_eq!(t.engine, Some(Engine::Trtllm));
}

/// An estimate's throughput, what its calibration group has not seen,
/// its band's error and the group's own error.
fn estimated_band(
    model: &str,
    gpu: &str,
    engine: Engine,
    (input, output): (f64, f64),
) -> (Throughput, Unseen, f64, ErrorStats) {
    let mut q = query(model, gpu, input, output);
    q.engine = Some(engine);
    estimated(&q)
}

/// The same of any query.
fn estimated(q: &Query) -> (Throughput, Unseen, f64, ErrorStats) {
    let t = estimator().capacity(q).unwrap().throughput.expect("fits");
    let Basis::Estimated {
        unseen,
        band_error,
        error,
        ..
    } = t.basis.clone()
    else {
        panic!("estimated")
    };
    (t, unseen, band_error, error)
}

#[test]
fn latent_attention_with_no_calibration_point_widens_the_band() {
    // No catalog point is of an MLA model: DeepSeek V3's band takes the
    // attention transfer error, whatever its group's own error.
    let e = estimator();
    let (_, unseen, band_error, error) =
        estimated_band("deepseek-v3", "h200-141gb", Engine::Sglang, (1200.0, 250.0));
    assert_eq!(unseen.attention, Some(AttentionKind::Latent));
    assert!(unseen.model && unseen.engine && !unseen.gpu_family);
    // Three things unseen: their transfer errors compound as factors.
    let transfers = &e.calibration.transfers;
    let compound = (1.0 + transfers.unseen_attention())
        * (1.0 + transfers.unseen_engine(true))
        * (1.0 + transfers.unseen_model(true))
        - 1.0;
    assert!((band_error - error.p90.max(compound)).abs() < 1e-12);
    assert!(band_error > error.p90);
}

#[test]
fn an_engine_measured_only_on_fewer_gpus_widens_the_band_for_the_layout() {
    // The Hopper FP8 dense group has vLLM points on one GPU only and
    // TensorRT-LLM's on 1, 2-4 and 8: Llama 3.3 70B on 8 x H100 under vLLM
    // is no unseen engine, but an unseen layout, and takes the dense
    // leave-one-layout-out p90 (33.9%: each of 1, 2-4 and 5+ GPUs
    // predicted from the others' points; 40.2% before the prefill's
    // all-reduces were counted, 46.3% before vLLM's and SGLang's 16-bit
    // KV cache).
    let e = estimator();
    let mut q = query("llama-3.3-70b", "h100-80gb", 1000.0, 1000.0);
    (q.engine, q.gpus) = (Some(Engine::Vllm), Some(8));
    let (_, unseen, band_error, error) = estimated(&q);
    assert!(!unseen.engine && !unseen.model && !unseen.gpu_family);
    assert_eq!(unseen.layout, Some(LayoutClass::Many));
    let layout = e.calibration.transfers.unseen_layout(false);
    assert!((layout - 0.339).abs() < 0.0005, "{layout}");
    assert!((band_error - error.p90.max(layout)).abs() < 1e-12);
    assert!(band_error > error.p90);
    let words = infercost::capacity::estimate::widened(unseen, band_error, error.p90);
    assert_eq!(
        words,
        ", widened to 34% for the engine on 5 or more GPUs without a calibration point"
    );
    // With the engine unseen too, the size is said without it again.
    let both = Unseen {
        engine: true,
        layout: Some(LayoutClass::Few),
        ..Unseen::default()
    };
    assert_eq!(
        infercost::capacity::estimate::widened(both, 0.98, 0.26),
        ", widened to 98% for the engine and 2–4 GPUs without a calibration point"
    );
    // On one GPU vLLM is measured; on eight TensorRT-LLM is.
    q.gpus = Some(1);
    assert_eq!(estimated(&q).1.layout, None);
    (q.engine, q.gpus) = (Some(Engine::Trtllm), Some(8));
    assert_eq!(estimated(&q).1.layout, None);
}

#[test]
fn a_gpu_family_without_a_calibration_point_says_so_and_widens_the_band() {
    // The MI300X (cdna3) has no measured point: Llama 3.1 405B on it takes
    // the kind's fit, and its band the leave-one-family-out error on top of
    // what else the kind's group has not seen.
    let e = estimator();
    let (t, unseen, band_error, error) = estimated_band(
        "llama-3.1-405b",
        "mi300x-192gb",
        Engine::Vllm,
        (2048.0, 2048.0),
    );
    assert!(unseen.gpu_family && !unseen.model);
    let family = e.calibration.transfers.unseen_family(false);
    assert!(family > 0.0);
    // (With the 157-point catalog the kind's leave-one-family-out p90 and
    // the every-family group's own p90 are the same 46.2%.)
    assert!(band_error >= family && band_error >= error.p90);
    let words = infercost::capacity::estimate::widened(unseen, band_error, error.p90);
    assert!(words.contains("the GPU family"), "{words}");
    // The low end is the estimate over 1 + the error, without a floor.
    assert!((t.band.low * (1.0 + band_error) / t.output_tokens_per_s - 1.0).abs() < 1e-9);
}

/// A listed deployment without the vendor's figures that the estimator
/// cannot place at any context is refused at its line, in `validate` and
/// in every priced command (`quote` too, since a second read), instead of
/// vanishing from the options: 16 ×
/// H100 is more than a node, and Llama 3.3 70B's 70.5 GB of FP8 weights
/// do not fit one 24 GB L4. The 2 × H100 row beside them is fine.
#[test]
fn a_listed_deployment_the_estimator_cannot_place_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "vendors/pooled.yaml",
        "vendor: pooled\nname: Pooled\nsegment: gpu-platform\npositioning: test\n\
         as_of: 2026-11-01\nsources: [https://example.com/pricing]\nmodalities: [text]\n\
         dedicated:\n  billing: per-second\n  scaling: always-on\n  gpus:\n\
         \x20   h100-80gb: {usd_per_hour: 3.99}\n    l4-24gb: {usd_per_hour: 0.8}\n\
         \x20 deployments:\n\
         \x20   - {model: llama-3.3-70b, gpu: h100-80gb, gpus_per_replica: 16}\n\
         \x20   - {model: llama-3.3-70b, gpu: l4-24gb, gpus_per_replica: 1}\n\
         \x20   - {model: llama-3.3-70b, gpu: h100-80gb, gpus_per_replica: 2}\n",
    );
    write(
        "workloads/steady.yaml",
        "workload: steady\nname: Steady\ndescription: test\nmodel: llama-3.3-70b\n\
         requests_per_day: 200000\ninput_tokens: 1000\noutput_tokens: 100\n",
    );
    let quote = [
        "quote",
        "--model",
        "llama-3.3-70b",
        "--requests-per-day",
        "1000",
        "--input-tokens",
        "1000",
        "--output-tokens",
        "100",
        "--as-of",
        "2026-12-01",
    ];
    for args in [
        &["validate"][..],
        &["compare", "steady", "--as-of", "2026-12-01"][..],
        &quote[..],
    ] {
        let out = crate::common::infercost(args, dir.path());
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for line in [
            "vendors/pooled.yaml:15:64: dedicated.deployments[0].gpus_per_replica: 16 GPUs a replica: infercost estimates a replica on one node, and a h100-80gb node holds 1 to 8; or give the vendor's prefill_tokens_per_s and decode_tokens_per_s for the row",
            "vendors/pooled.yaml:16:62: dedicated.deployments[1].gpus_per_replica: llama-3.3-70b's weights at fp8 (70.5 GB) and the runtime's reserve (2.4 GB) do not fit 1 × l4-24gb (24 GB); give more GPUs a replica, or give the vendor's prefill_tokens_per_s and decode_tokens_per_s for the row",
        ] {
            assert!(stderr.contains(line), "{args:?}: {stderr}");
        }
        assert!(!stderr.contains("deployments[2]"), "{stderr}");
    }
}
