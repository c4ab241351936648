//! Context and memory fit of dedicated deployments, through the binary:
//! a replica that cannot hold the workload's longest context is excluded
//! in `compare`, `report` and episodes, and `capacity` says it does not fit.

use serde_json::Value;

use crate::common::{compare_in, infercost, profiles_in, root};

/// `compare WORKLOAD --format json` on the bundled vendors and a workload
/// written to a scratch folder.
fn compare(id: &str, text: &str) -> Value {
    let tmp = profiles_in(&[], &[(&format!("{id}.yaml"), text)]);
    let out = compare_in(id, &root().join("vendors"), &tmp.path().join("workloads"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn dedicated(v: &Value) -> Vec<&Value> {
    v["workloads"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["offer"] == "dedicated")
        .collect()
}

#[test]
fn million_token_prompts_on_llama_3_1_8b_exclude_every_dedicated_option() {
    let text = "workload: long-docs\nname: Long documents\ndescription: d\nmodel: llama-3.1-8b\nrequests_per_day: 1000\ninput_tokens: 1000000\noutput_tokens: 500\ntraffic:\n  shape: flat\n  target_utilization: 0.8\n";
    let v = compare("long-docs", text);
    let options = dedicated(&v);
    assert!(!options.is_empty());
    // 1,000,000 in + 500 out = 1,000,500 > 131,072 (catalog/models.yaml).
    for o in &options {
        assert_eq!(o["eligible"], false, "{o}");
        let reasons = o["reasons"].to_string();
        assert!(
            reasons.contains("needs 1,000,500 context tokens; llama-3.1-8b holds 131,072"),
            "{reasons}"
        );
        assert!(o["excluded_by"].to_string().contains("fit"), "{o}");
    }
    // Nothing holds the request: no per-token offer accepts it either.
    let pick = &v["workloads"][0]["pick"];
    assert!(pick["primary"].is_null(), "{pick}");
}

#[test]
fn an_episode_longer_than_the_model_context_is_not_priced_on_dedicated_replicas() {
    // 64 turns: P1 + (T − 1)·Δ + G = 8,000 + 63 × 2,000 + 1,000 = 135,000
    // tokens on gpt-oss-120b, which holds 131,072.
    let text = "workload: long-rl\nname: Long RL\ndescription: d\nmodel: gpt-oss-120b\nmodality: text\nepisode:\n  episodes_per_day: 1000\n  turns: 64\n  initial_prompt_tokens: 8000\n  context_growth_per_turn: 2000\n  generation_tokens: 1000\ntraffic:\n  shape: flat\n  target_utilization: 0.9\n";
    let v = compare("long-rl", text);
    let options = dedicated(&v);
    assert!(!options.is_empty());
    for o in &options {
        assert_eq!(o["eligible"], false, "{o}");
        assert!(
            o["reasons"]
                .to_string()
                .contains("needs 135,000 context tokens; gpt-oss-120b holds 131,072"),
            "{o}"
        );
    }
    // At 63 turns 8,000 + 62 × 2,000 + 1,000 = 133,000 is still too long;
    // at 62 turns 8,000 + 61 × 2,000 + 1,000 = 131,000 fits the model.
    let v = compare("long-rl", &text.replace("turns: 64", "turns: 62"));
    assert!(dedicated(&v)
        .iter()
        .all(|o| !o["reasons"].to_string().contains("context tokens;")));
}

#[test]
fn a_full_context_stream_that_overflows_the_replica_memory_excludes_it() {
    // Llama 3.3 70B, 120,000 + 1,000 tokens; the vendor names no engine,
    // so vLLM's 16-bit cache: 327,680 B/token × 121,000 = 39.6 GB. A
    // deployment listed (with its own figures) on 1 × H100 (80 GB: 70.55 GB
    // of weights at FP8 + 8 GB reserve leaves 1.45 GB) cannot hold one
    // stream.
    let tmp = profiles_in(
        &[("v.yaml", "vendor: v\nname: V\nsegment: gpu-platform\npositioning: x\nas_of: 2026-11-01\nsources: [https://example.com]\ndedicated:\n  billing: per-second\n  scaling: always-on\n  isolated: true\n  gpus:\n    h100-80gb: {usd_per_hour: 3.0}\n  deployments:\n    - {model: llama-3.3-70b, gpu: h100-80gb, gpus_per_replica: 1, prefill_tokens_per_s: 5000, decode_tokens_per_s: 2000}\n")],
        &[("long-70b.yaml", "workload: long-70b\nname: Long 70B\ndescription: d\nmodel: llama-3.3-70b\nrequests_per_day: 10000\ninput_tokens: 120000\noutput_tokens: 1000\ntraffic:\n  shape: flat\n  target_utilization: 0.8\n")],
    );
    let out = compare_in(
        "long-70b",
        &tmp.path().join("vendors"),
        &tmp.path().join("workloads"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let [one] = &dedicated(&v)[..] else {
        panic!("one deployment: {v}");
    };
    assert_eq!(one["eligible"], false);
    assert_eq!(
        one["reasons"][0],
        "the KV cache of one 121,000-token stream needs 39.6 GB; 1×h100-80gb has 1.5 GB left after the weights and the runtime's reserve"
    );
    assert_eq!(one["excluded_by"][0], "fit");
}

#[test]
fn capacity_says_a_context_beyond_the_model_limit_does_not_fit() {
    let run = |format: &str| {
        infercost(
            &[
                "capacity",
                "gpt-oss-120b",
                "--gpu",
                "h100-80gb",
                "--input-tokens",
                "134000",
                "--format",
                format,
            ],
            &root(),
        )
    };
    let out = run("json");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fits"], false);
    // 134,000 in + 1,000 out (the default) = 135,000 > 131,072.
    assert_eq!(
        v["does_not_fit"],
        "needs 135,000 context tokens; gpt-oss-120b holds 131,072"
    );
    let table = String::from_utf8(run("table").stdout).unwrap();
    assert!(!table.contains(": fits"), "{table}");
    assert!(
        table.contains("does not fit: needs 135,000 context tokens; gpt-oss-120b holds 131,072"),
        "{table}"
    );
    // At the limit it fits.
    let out = infercost(
        &[
            "capacity",
            "gpt-oss-120b",
            "--gpu",
            "h100-80gb",
            "--input-tokens",
            "130072",
            "--format",
            "json",
        ],
        &root(),
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fits"], true);
    assert_eq!(v["does_not_fit"], Value::Null);
}

#[test]
fn an_estimated_replica_reports_its_per_stream_speed_at_the_concurrency_it_runs() {
    // support-chat (Llama 3.3 70B, 1,200 in / 250 out): Modal's H200 is
    // estimated; the option states the streams it is priced at and one
    // stream's speed there, which must be what `capacity` gives for that
    // replica at that concurrency.
    let out = infercost(&["compare", "support-chat", "--format", "json"], &root());
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let h200 = dedicated(&v)
        .into_iter()
        .find(|o| o["vendor"] == "modal" && o["gpu"] == "h200-141gb")
        .expect("modal runs Llama 3.3 70B on H200");
    let streams = h200["streams_per_replica"].as_u64().expect("streams");
    let speed = h200["output_tokens_per_s_per_stream"]
        .as_f64()
        .expect("speed");
    let c = infercost(
        &[
            "capacity",
            "llama-3.3-70b",
            "--gpu",
            "h200-141gb",
            "--gpus",
            "1",
            "--input-tokens",
            "1200",
            "--output-tokens",
            "250",
            "--concurrency",
            &streams.to_string(),
            "--format",
            "json",
        ],
        &root(),
    );
    let c: Value = serde_json::from_slice(&c.stdout).unwrap();
    assert_eq!(
        c["at_concurrency"]["stream_output_tokens_per_s"].as_f64(),
        Some(speed)
    );
    // A vendor's own figures do not say at how many streams.
    for o in dedicated(&v).iter().filter(|o| o["throughput"] == "vendor") {
        assert!(o["streams_per_replica"].is_null(), "{o}");
    }
}

/// A training offer states no context limit: the model's own holds. The
/// bundled agent-rl-rollouts at 1,000 turns instead of 20: its last turn
/// needs 8,000 + 999 · 1,500 + 500 = 1,507,000 tokens, past kimi-k2.6's
/// 262,144, and Tinker's training offers (priced per training token, no
/// limit stated) were eligible until 2026-12-08.
#[test]
fn a_training_offer_keeps_to_the_models_context() {
    let text = std::fs::read_to_string(root().join("workloads/agent-rl-rollouts.yaml")).unwrap();
    assert!(text.contains("\n  turns: 20\n"));
    let v = compare(
        "agent-rl-rollouts",
        &text.replace("\n  turns: 20\n", "\n  turns: 1000\n"),
    );
    let options = v["workloads"][0]["options"].as_array().unwrap();
    let training: Vec<&Value> = options
        .iter()
        .filter(|o| o["offer"] == "training")
        .collect();
    assert!(!training.is_empty());
    for o in training {
        assert_eq!(o["eligible"], false, "{o}");
        assert_eq!(
            o["reasons"][0], "needs 1,507,000 context tokens; kimi-k2.6 holds 262,144",
            "{o}"
        );
    }
}
