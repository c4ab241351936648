//! The serving engine as an input, through the binary: `capacity
//! --engine`, a vendor's `dedicated.engine` and a deployment's override
//! are named in every estimate and change no figure; an unknown engine is
//! refused with the file and the field; a cached prefix is not prefilled
//! in the time to first token a requirement is checked on.

use serde_json::Value;

use crate::common::{bundled_report, compare_in, infercost, profiles_in, root, succeeded};

fn capacity(engine: Option<&str>) -> Value {
    let mut args = vec![
        "capacity",
        "llama-3.3-70b",
        "--gpu",
        "h200-141gb",
        "--input-tokens",
        "1200",
        "--output-tokens",
        "250",
        "--format",
        "json",
    ];
    if let Some(e) = engine {
        args.extend(["--engine", e]);
    }
    let out = infercost(&args, &root());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn capacity_names_the_engine_and_the_figures_do_not_move() {
    let (none, sglang) = (capacity(None), capacity(Some("sglang")));
    assert_eq!(none["engine"], Value::Null);
    assert_eq!(sglang["engine"], "sglang");
    assert_eq!(none["output_tokens_per_s"], sglang["output_tokens_per_s"]);
    let out = infercost(
        &[
            "capacity",
            "llama-3.3-70b",
            "--gpu",
            "h200-141gb",
            "--engine",
            "tgi",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
}

const VENDOR: &str = "vendor: v\nname: V\nsegment: gpu-platform\npositioning: x\nas_of: 2026-11-01\nsources: [https://example.com]\ndedicated:\n  billing: per-second\n  scaling: always-on\n  isolated: true\n  engine: ENGINE\n  gpus:\n    h100-80gb: {usd_per_hour: 3.0}\n    h200-141gb: {usd_per_hour: 4.0}\n  models: any\n  deployments:\n    - {model: llama-3.3-70b, gpu: h100-80gb, gpus_per_replica: 2, engine: sglang}\n";

const WORKLOAD: &str = "workload: w\nname: W\ndescription: d\nmodel: llama-3.3-70b\nrequests_per_day: 100000\ninput_tokens: 1200\noutput_tokens: 250\ntraffic:\n  shape: flat\n  target_utilization: 0.8\n";

fn compare(engine: &str) -> std::process::Output {
    let vendor = VENDOR.replace("ENGINE", engine);
    let tmp = profiles_in(&[("v.yaml", &vendor)], &[("w.yaml", WORKLOAD)]);
    compare_in(
        "w",
        &tmp.path().join("vendors"),
        &tmp.path().join("workloads"),
    )
}

#[test]
fn a_deployment_engine_overrides_the_vendor_engine() {
    let out = compare("trtllm");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let engines: Vec<(String, String)> = v["workloads"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["offer"] == "dedicated")
        .map(|o| {
            (
                o["gpu"].as_str().unwrap().into(),
                o["engine"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        engines.contains(&("h100-80gb".into(), "sglang".into())),
        "{engines:?}"
    );
    assert!(
        engines.contains(&("h200-141gb".into(), "trtllm".into())),
        "{engines:?}"
    );
}

#[test]
fn an_unknown_engine_in_a_profile_is_refused_with_its_file() {
    let out = compare("tgi");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("v.yaml") && err.contains("engine"), "{err}");
    assert!(err.contains("vllm"), "{err}");
}

/// The JSON a successful run of `args` prints.
fn json_of(args: &[&str]) -> Value {
    serde_json::from_slice(&succeeded(infercost(args, &root())).stdout).unwrap()
}

/// The dedicated options of `quote --model MODEL`, 50,000 requests a day
/// of 2,000 input and 500 output tokens: (vendor, GPUs, GPU, eligible,
/// first reason).
fn quoted(model: &str) -> Vec<(String, u64, String, bool, String)> {
    let v = json_of(&[
        "quote",
        "--model",
        model,
        "--requests-per-day",
        "50000",
        "--input-tokens",
        "2000",
        "--output-tokens",
        "500",
        "--format",
        "json",
    ]);
    v["workloads"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["offer"] == "dedicated")
        .map(|o| {
            (
                o["vendor"].as_str().unwrap().to_string(),
                o["gpus_per_replica"].as_u64().unwrap(),
                o["gpu"].as_str().unwrap().to_string(),
                o["eligible"] == true,
                o["reasons"][0].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The report's estimate notes say why a default precision is above the
/// GPU's (Baseten's gpt-oss-120b on A100s runs bf16: TensorRT-LLM has no
/// 4-bit floating-point kernel before Hopper).
#[test]
fn a_default_precision_above_the_gpus_says_which_kernel_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bundled_report("2026-12-06", &out);
    let text = std::fs::read_to_string(out.join("batch-enrichment/report.md")).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("baseten dedicated 4×a100-80gb") && l.contains("gpt-oss-120b"))
        .unwrap_or_else(|| panic!("no Baseten A100 line:\n{text}"));
    assert!(
        line.contains("at bf16,") && line.contains("; bf16 weights, not lower: TensorRT-LLM runs gpt-oss-120b's fp4 weights on Hopper and Blackwell GPUs, not on the a100-80gb;"),
        "{line}"
    );
}

/// An engine without a kernel for the weights on the GPU (catalog:
/// gpt-oss in fp4 (MXFP4) or bf16; DeepSeek V4.1 Flash in fp8 or fp4):
/// - a replica takes the lowest precision its engine runs there:
///   gpt-oss-20b on a T4 (no 4-bit kernel on Turing) runs in bf16 on 4 ×
///   T4, and gpt-oss-120b in bf16 (234 GB) has no T4 option at all;
///   Baseten (TensorRT-LLM) runs gpt-oss-120b on the A100 in bf16 on 4 GPUs
///   (no MXFP4 backend before Hopper), Modal (vLLM) in fp4 on one;
/// - where no precision runs, the option is excluded with the reason:
///   DeepSeek V4.1 Flash under TensorRT-LLM on the A100 (no FP8 on Ampere,
///   no 4-bit floating point before Hopper);
/// - `capacity` asked for fp4 on a T4 says "cannot run", without figures;
///   unasked, it runs bf16 and says why not lower (`precision_not_lower`),
///   as the report's estimate notes do (Baseten's gpt-oss-120b on A100s).
#[test]
fn an_engine_without_a_kernel_for_the_weights_runs_another_precision_or_nothing() {
    let gpt = quoted("gpt-oss-120b");
    assert!(!gpt.iter().any(|o| o.2 == "t4-16gb"), "{gpt:?}");
    let on = |vendor: &str, gpu: &str| {
        gpt.iter()
            .find(|o| o.0 == vendor && o.2 == gpu)
            .unwrap_or_else(|| panic!("{vendor} {gpu}: {gpt:?}"))
    };
    assert_eq!(on("baseten", "a100-80gb").1, 4);
    assert_eq!(on("modal", "a100-80gb").1, 1);
    let deepseek = quoted("deepseek-v4.1-flash");
    let baseten = deepseek
        .iter()
        .find(|o| o.0 == "baseten" && o.2 == "a100-80gb")
        .unwrap();
    assert!(!baseten.3);
    assert_eq!(
        baseten.4,
        "TensorRT-LLM runs deepseek-v4.1-flash's fp8 weights on Ada, Hopper and Blackwell GPUs, not on the a100-80gb (Ampere)"
    );
    assert!(deepseek
        .iter()
        .any(|o| o.0 == "modal" && o.2 == "a100-80gb" && o.3));
    let t4 = ["capacity", "gpt-oss-20b", "--gpu", "t4-16gb"];
    let v = json_of(&[&t4[..], &["--format", "json"]].concat());
    assert_eq!(
        (v["precision"].as_str(), v["gpus"].as_u64()),
        (Some("bf16"), Some(4))
    );
    assert!(v["cannot_run"].is_null() && v["output_tokens_per_s"].is_number());
    // The default says why it is not lower; a precision asked for does not.
    assert_eq!(
        v["precision_not_lower"].as_str(),
        Some("gpt-oss-20b's fp4 weights have no kernel on the t4-16gb (Turing) in vLLM: 8- and 4-bit weight kernels need an Ampere or newer GPU")
    );
    let bf16 = json_of(&[&t4[..], &["--precision", "bf16", "--format", "json"]].concat());
    assert!(
        bf16.get("precision_not_lower").is_some_and(Value::is_null),
        "{bf16}"
    );
    let h100 = json_of(&[
        "capacity",
        "gpt-oss-20b",
        "--gpu",
        "h100-80gb",
        "--format",
        "json",
    ]);
    assert!(
        h100.get("precision_not_lower").is_some_and(Value::is_null) && h100["precision"] == "fp4",
        "{h100}"
    );
    let fp4 = [&t4[..], &["--precision", "fp4"]].concat();
    let text = String::from_utf8_lossy(&infercost(&fp4, &root()).stdout).into_owned();
    assert!(
        text.contains(
            "cannot run: gpt-oss-20b's fp4 weights have no kernel on the t4-16gb (Turing) in vLLM"
        ),
        "{text}"
    );
    assert!(!text.contains("saturated"), "{text}");
    let v = json_of(&[&fp4[..], &["--format", "json"]].concat());
    assert!(v["cannot_run"].as_str().unwrap().contains("no kernel"));
    assert!(v["output_tokens_per_s"].is_null() && v["band"].is_null());
    assert_eq!(v["fits"], true);
}

/// A request's cached prefix is not prefilled again, in its time to first
/// token as in its bill: 16,000-token prompts, 90% cached, under a 1,000 ms
/// TTFT limit on Modal's H200 (vLLM). One stream's TTFT at the whole prompt
/// is 2,703.9 ms (`capacity llama-3.3-70b --gpu h200-141gb --engine vllm
/// --input-tokens 16000 --output-tokens 200 --concurrency 1`); its prefill
/// runs 5,960.2 input tokens/s, so the 14,400 cached tokens save 14,400 /
/// 5,960.2 s = 2,416.0 ms: 287.8 ms, and the replica runs the most streams
/// whose TTFT stays within 1,000 ms (10). With nothing cached it was and is
/// excluded at 2,703.9 ms. Until 2026-12-08 the TTFT was taken at the whole
/// prompt whatever the cache (a second read).
#[test]
fn a_cached_prefix_is_not_prefilled_in_the_time_to_first_token() {
    let h200 = |cached: &str| -> Value {
        let flags = "quote --model llama-3.3-70b --requests-per-day 20000 --input-tokens 16000 \
                     --output-tokens 200 --max-ttft-ms 1000 --as-of 2026-12-06 --format json";
        let mut args: Vec<&str> = flags.split_whitespace().collect();
        args.extend(["--cached-share", cached]);
        let out = succeeded(infercost(&args, &root()));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["workloads"][0]["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["vendor"] == "modal" && o["gpu"] == "h200-141gb")
            .expect("modal's h200")
            .clone()
    };
    let whole = h200("0");
    assert_eq!(whole["eligible"], false);
    assert!(
        whole["reasons"]
            .to_string()
            .contains("time to first token 2703.9 ms exceeds the required 1000 ms"),
        "{}",
        whole["reasons"]
    );
    let cached = h200("0.9");
    assert_eq!(cached["eligible"], true, "{}", cached["reasons"]);
    assert_eq!(cached["streams_per_replica"], 10);
}
