//! The serving engine as an input, through the binary: `capacity
//! --engine`, a vendor's `dedicated.engine` and a deployment's override
//! are named in every estimate and change no figure; an unknown engine is
//! refused with the file and the field.

use serde_json::Value;

use crate::common::{compare_in, infercost, profiles_in, root};

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
