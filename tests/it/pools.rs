//! Pool facts in the profiles (issue 21): autoscale's stated cold start and
//! scale-down delay, and a deployment's `concurrency`, reach the pool that
//! bills the option; absent, the defaults stay and the Method says so.

use crate::common::infercost;
use serde_json::Value;
use std::path::Path;

/// One autoscale vendor (min 0 replicas, per-second billing) whose pool
/// lines are `pool`, and a flat 864 requests a day (λ = 0.01/s).
fn scratch(pool: &str) -> tempfile::TempDir {
    profiles(
        &format!(
            "vendor: pooled\nname: Pooled\nsegment: gpu-platform\npositioning: test\n\
             as_of: 2026-11-01\nsources: [https://example.com/pricing]\nmodalities: [text]\n\
             dedicated:\n  billing: per-second\n  scaling: autoscale\n  min_replicas: 0\n{pool}\
             \n  gpus:\n    h100-80gb: {{usd_per_hour: 3.99}}\n  deployments:\n\
             \x20   - model: llama-3.3-70b\n      gpu: h100-80gb\n      gpus_per_replica: 2\n\
             \x20     prefill_tokens_per_s: 100000\n      decode_tokens_per_s: 1000\n      concurrency: 2\n"
        ),
        (
            "sparse",
            "workload: sparse\nname: Sparse\ndescription: 864 requests a day, flat.\n\
             model: llama-3.3-70b\nrequests_per_day: 864\ninput_tokens: 1000\noutput_tokens: 100\n\
             traffic:\n  shape: flat\n  target_utilization: 0.8\n",
        ),
    )
}

/// A scratch folder with `vendors/pooled.yaml` and one workload, `(id, text)`.
fn profiles(vendor: &str, (workload, text): (&str, &str)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("vendors/pooled.yaml", vendor);
    write(&format!("workloads/{workload}.yaml"), text);
    dir
}

fn run(args: &[&str], dir: &Path) -> String {
    let out = infercost(args, dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `infercost COMMAND WORKLOAD --format json --as-of 2026-12-01` in `dir`.
fn json_of(command: &str, workload: &str, dir: &Path) -> Value {
    let args = [
        command,
        workload,
        "--format",
        "json",
        "--as-of",
        "2026-12-01",
    ];
    serde_json::from_str(&run(&args, dir)).unwrap()
}

/// The one option's billed replica-hours a day.
fn billed(dir: &Path) -> f64 {
    json_of("compare", "sparse", dir)["workloads"][0]["options"][0]["billed_replica_hours_per_day"]
        .as_f64()
        .unwrap()
}

/// Replica 1 of a pool that starts at any arrival and stops τ after its
/// last request is up 1 − e^(−λT) of the time, T = τ + d (no cold start;
/// docs/design.md, "Replica pools"). s = 1,000/100,000 + 100/1,000 =
/// 0.11 s, concurrency 2 so d = 0.22 s; λ = 864/86,400 = 0.01/s.
/// τ = 100 s stated: 24·(1 − e^(−1.0022)) = 24·0.63292 = 15.19 h;
/// τ absent (300 s): 24·(1 − e^(−3.0022)) = 24·0.95035 = 22.81 h.
/// Replica 2 (an arrival finding the first replica's 2 slots taken,
/// P ≈ λd = 0.2%) adds little. The bill is the pick's simulation here
/// (4 days, 3,456 requests), so within 3%.
#[test]
fn an_autoscale_pool_is_billed_with_its_stated_scale_down_delay() {
    let stated = scratch("  idle_timeout_s: 100\n");
    let h = billed(stated.path());
    assert!((h / 15.19 - 1.0).abs() < 0.03, "{h}");
    let absent = scratch("");
    let h = billed(absent.path());
    assert!((h / 22.81 - 1.0).abs() < 0.03, "{h}");
}

/// The Method states each pool figure, and calls an absent one a default.
#[test]
fn the_method_names_the_pool_figures_a_profile_left_to_defaults() {
    let method = |pool: &str| {
        let dir = scratch(pool);
        run(&["report", "--as-of", "2026-12-01"], dir.path());
        std::fs::read_to_string(dir.path().join("out/sparse/report.md")).unwrap()
    };
    let stated = method("  idle_timeout_s: 100\n  cold_start_s: 30\n");
    assert!(
        stated.contains("cold start 30 s, scale-down 100 s after a replica's last request)"),
        "{stated}"
    );
    assert!(
        stated.contains("a replica serves C = 2 requests at once"),
        "{stated}"
    );
    let absent = method("");
    assert!(
        absent.contains("cold start 0 s: none stated, a default, scale-down 300 s after a replica's last request: none stated, so Kubernetes' default, an assumption)"),
        "{absent}"
    );
}

/// The bundled bursty-prototype's pick (Modal 4×L4, scale-to-zero, a 50 s
/// cold start, 40 requests a day) leaves most requests waiting: the JSON
/// says how many, how long, against the 1% default allowance, and by which
/// method (the closed form: the pick's 4-day check cannot tell it from the
/// simulation within its own CI, issue 21); the Recommendation
/// says so right under the pick, and the index beside it.
#[test]
fn a_pick_that_leaves_most_requests_waiting_says_so_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let root = crate::common::root();
    let args = [
        "report",
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        "2026-12-01",
    ];
    run(&args, &root);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let w = json["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["workload"] == "bursty-prototype")
        .unwrap();
    let a = &w["cold_start_plan"]["allowance"];
    assert!(a["share"].as_f64().unwrap() > 0.5, "{a}");
    assert_eq!(a["wait_s"], 50.0, "{a}");
    assert_eq!(a["max_share"], 0.01, "{a}");
    assert_eq!(a["over"], true, "{a}");
    assert_eq!(a["billed_by"], "closed-form", "{a}");
    let md = std::fs::read_to_string(out.join("bursty-prototype/report.md")).unwrap();
    let headline: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("- **Pick:"))
        .take(5)
        .collect();
    assert!(
        headline.iter().any(|l| l.starts_with("**Cold starts:** 87% of requests wait about 50 s for a replica to start, above the workload's 1.0% allowance")),
        "{headline:#?}"
    );
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(
        index.contains("87% of requests wait about 50 s for a cold start (allowance 1.0%)"),
        "{index}"
    );
}

/// A workload that allows every request to wait: the same pick is within
/// its allowance (report.json says `over: false`).
#[test]
fn a_stated_allowance_replaces_the_default() {
    let dir = bundled_with("bursty-prototype", |text| {
        text.replace(
            "traffic:",
            "requirements:\n  max_cold_start_share: 0.99\ntraffic:",
        )
    });
    let v = json_of("compare", "bursty-prototype", dir.path());
    let a = &v["workloads"][0]["cold_start_plan"]["allowance"];
    assert_eq!(a["max_share"], 0.99, "{a}");
    assert_eq!(a["over"], false, "{a}");
}

/// The bundled vendors and one bundled workload, its text edited by `edit`.
fn bundled_with(workload: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = crate::common::root();
    for sub in ["vendors", "workloads"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    for e in std::fs::read_dir(root.join("vendors")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("vendors").join(e.file_name())).unwrap();
    }
    let file = format!("workloads/{workload}.yaml");
    let text = std::fs::read_to_string(root.join(&file)).unwrap();
    std::fs::write(dir.path().join(&file), edit(text)).unwrap();
    dir
}

/// The bundled vendors and support-chat at `requests_per_day`.
fn support_chat_at(requests_per_day: &str) -> tempfile::TempDir {
    bundled_with("support-chat", |text| {
        text.replace(
            "requests_per_day: 1500000",
            &format!("requests_per_day: {requests_per_day}"),
        )
    })
}

/// 10¹⁵ requests a day (1.16·10¹⁰ a second): `simulate` puts no arrival
/// through the event loop (every option's day is above the 4·10⁶ a run
/// takes) and says so, with the closed form's figures; `compare` and
/// `report` answer, every dedicated option excluded in words.
#[test]
fn a_workload_of_1e15_requests_a_day_is_answered_without_simulating_it() {
    let dir = support_chat_at("1e15");
    let v = json_of("simulate", "support-chat", dir.path());
    assert_eq!(v["most_arrivals_a_day"], 4e6, "{v}");
    let options = v["options"].as_array().unwrap();
    assert!(options.len() >= 20, "{v}");
    for o in options {
        assert!(o["simulated"].is_null(), "{o}");
        assert!(
            o["not_simulated"]["arrivals_a_day"].as_f64().unwrap() >= 1e15,
            "{o}"
        );
        assert!(
            o["pool_closed_form"]["billed_replica_hours_per_day"]
                .as_f64()
                .unwrap()
                > 0.0
        );
    }
    let table = run(
        &["simulate", "support-chat", "--as-of", "2026-12-01"],
        dir.path(),
    );
    assert!(
        table.contains("not simulated: a day of theirs has more than the 4,000,000 arrivals"),
        "{table}"
    );
    let v = json_of("compare", "support-chat", dir.path());
    for o in v["workloads"][0]["options"].as_array().unwrap() {
        if o["offer"] == "dedicated" {
            let reasons = o["reasons"].to_string();
            assert!(
                reasons.contains("needs more than 1,000,000 replicas at peak"),
                "{o}"
            );
        }
    }
    run(&["report", "--as-of", "2026-12-01"], dir.path());
    assert!(dir.path().join("out/support-chat/report.md").exists());
}

/// 10⁹ requests a day: the pick is a scaled pool of about 1,100 replicas;
/// its first hour from a quiet pool (62.5 million arrivals: 10⁹ · the
/// diurnal peak hour's 6.25%) is not simulated, and the plan says so.
#[test]
fn a_first_hour_above_the_bound_is_not_simulated_and_says_so() {
    let dir = support_chat_at("1e9");
    run(&["report", "--as-of", "2026-12-01"], dir.path());
    let out = dir.path().join("out");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let pool = &json["workloads"][0]["cold_start_plan"]["pool"];
    assert!(pool["first_hour"].is_null(), "{pool}");
    assert_eq!(pool["first_hour_arrivals"], 62_500_000.0, "{pool}");
    let md = std::fs::read_to_string(out.join("support-chat/report.md")).unwrap();
    assert!(
        md.contains("First hour when traffic starts from a quiet pool: not simulated, its 62,500,000 arrivals are more than the 4,000,000 one simulated run takes."),
        "{md}"
    );
}

/// A deployment the estimator prices runs at most its stated
/// `concurrency`: the streams the estimate is for, the pool's C and the
/// per-stream speed are that batch's. Llama 3.3 70B on 2×H100 at 1,000
/// in and 100 out holds far more than 8 streams; stated 8, it runs 8, each
/// stream faster than in the full batch (40.7 output tokens/s against
/// 5.0 at 203 streams), and the replica decodes fewer tokens a second in
/// all, so the same volume keeps it busier (73% of its hours against 23%).
#[test]
fn an_estimated_deployment_runs_at_most_its_stated_concurrency() {
    let option = |concurrency: &str| {
        let dir = profiles(
            &format!(
                "vendor: pooled\nname: Pooled\nsegment: gpu-platform\npositioning: test\n\
                 as_of: 2026-11-01\nsources: [https://example.com/pricing]\nmodalities: [text]\n\
                 dedicated:\n  billing: per-second\n  scaling: always-on\n\
                 \x20 gpus:\n    h100-80gb: {{usd_per_hour: 3.99}}\n  deployments:\n\
                 \x20   - model: llama-3.3-70b\n      gpu: h100-80gb\n      gpus_per_replica: 2\n{concurrency}"
            ),
            (
                "steady",
                "workload: steady\nname: Steady\ndescription: 200,000 requests a day, flat.\n\
                 model: llama-3.3-70b\nrequests_per_day: 200000\ninput_tokens: 1000\noutput_tokens: 100\n\
                 traffic:\n  shape: flat\n",
            ),
        );
        json_of("compare", "steady", dir.path())["workloads"][0]["options"][0].clone()
    };
    let free = option("");
    let capped = option("      concurrency: 8\n");
    let streams = |o: &Value| o["streams_per_replica"].as_u64().unwrap();
    let speed = |o: &Value| o["output_tokens_per_s_per_stream"].as_f64().unwrap();
    let busy = |o: &Value| o["utilization"].as_f64().unwrap();
    assert!(streams(&free) > 8, "{free}");
    assert_eq!(streams(&capped), 8, "{capped}");
    assert!(speed(&capped) > speed(&free), "{capped} {free}");
    assert!(busy(&capped) > 3.0 * busy(&free), "{capped} {free}");
}
