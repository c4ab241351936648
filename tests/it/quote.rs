//! `infercost quote` (a workload from flags), `--shortlist`/`--exclude`,
//! and the compare table at 100 columns, through the binary.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{root, scratch};

/// The binary in `dir` with `COLUMNS=100` (not a terminal: 100 columns).
fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infercost"))
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("CI")
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The basic fixture's `chat` workload, as flags.
const CHAT: &[&str] = &[
    "quote",
    "--model",
    "llama-3.3-70b",
    "--requests-per-day",
    "100000",
    "--input-tokens",
    "1000",
    "--output-tokens",
    "1000",
    "--as-of",
    "2026-05-01",
];

/// An agent workload of 1,000 episodes a day, as flags.
const EPISODE: &[&str] = &[
    "quote",
    "--model",
    "llama-3.3-70b",
    "--episodes-per-day",
    "1000",
    "--turns",
    "4",
    "--initial-prompt-tokens",
    "1000",
    "--context-growth-per-turn",
    "500",
    "--generation-tokens",
    "500",
];

#[test]
fn quote_prices_the_flags_as_the_workload_file_would() {
    let dir = scratch("basic");
    let text = stdout(&run(CHAT, dir.path()));
    // 100,000 requests × 2,000 tokens = 200M tokens a day × $0.88/M = $176
    // a day × 365/12 days = $5,353.33 a month (api serverless).
    assert!(
        text.contains("pick: api serverless: $5,353/month"),
        "{text}"
    );
    // The dedicated runner-up's crossover and break-even, visible at 100
    // columns (the same 40% and 108,818 the diff golden shows for `chat`).
    assert!(text.contains("┆       40% ┆"), "{text}");
    assert!(
        text.contains("break-even (2nd): gpus dedicated 2×h100-80gb beats the cheapest per-token offer above 108,818"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
}

#[test]
fn quote_and_compare_on_the_saved_profile_print_the_same_bytes() {
    let dir = scratch("basic");
    let flags = [
        "--save",
        "workloads/quick.yaml",
        "--shape",
        "business-hours",
        "--cached-share",
        "0.3",
        "--requires",
        "hipaa",
        "--max-ttft-ms",
        "800",
        "--allow-unverified",
    ];
    let quoted = run(&[CHAT, &flags[..]].concat(), dir.path());
    let compared = run(
        &[
            "compare",
            "quick",
            "--as-of",
            "2026-05-01",
            "--allow-unverified",
        ],
        dir.path(),
    );
    assert_eq!(stdout(&quoted), stdout(&compared));
    assert!(stdout(&quoted).starts_with("Quote for llama-3.3-70b (quick): 100,000 requests/day"));
    let saved = std::fs::read_to_string(dir.path().join("workloads/quick.yaml")).unwrap();
    assert!(saved.contains("requests_per_day: 100000\n"), "{saved}");
    assert!(saved.contains("  shape: business-hours\n"), "{saved}");
    assert!(saved.contains("  compliance:\n  - hipaa\n"), "{saved}");
}

#[test]
fn save_refuses_to_replace_a_file_without_force() {
    let dir = scratch("basic");
    let out = run(
        &[CHAT, &["--save", "workloads/chat.yaml"]].concat(),
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--save workloads/chat.yaml: the file exists; give --force to replace it"),
        "{err}"
    );
    let kept = std::fs::read_to_string(dir.path().join("workloads/chat.yaml")).unwrap();
    assert!(kept.starts_with("workload: chat\nname: Chat product\n"));
    let forced = [CHAT, &["--save", "workloads/chat.yaml", "--force"]].concat();
    stdout(&run(&forced, dir.path()));
    let written = std::fs::read_to_string(dir.path().join("workloads/chat.yaml")).unwrap();
    assert!(
        written.contains("name: Quote for llama-3.3-70b"),
        "{written}"
    );
    let leftovers = std::fs::read_dir(dir.path().join("workloads"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().contains("quote-tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_quote_with_no_volume_is_explained_as_a_profile_is() {
    let dir = scratch("basic");
    let mut args = CHAT.to_vec();
    args[4] = "0";
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("requests_per_day: expected more than 0 requests a day, found 0: with no volume there is nothing to price"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_quote_of_requests_without_token_sizes_is_refused() {
    // Requests of no stated size priced at 0 tokens: serverless $0 a
    // month, the pick a tie (a second read). Either size alone is enough.
    let dir = scratch("basic");
    let args: Vec<&str> = CHAT[..5].iter().chain(&CHAT[9..]).copied().collect();
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--requests-per-day prices requests of --input-tokens and --output-tokens"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let mut zero = args.clone();
    zero.extend(["--input-tokens", "0", "--output-tokens", "0"]);
    assert_eq!(run(&zero, dir.path()).status.code(), Some(2));
    let mut one = args.clone();
    one.extend(["--output-tokens", "300"]);
    stdout(&run(&one, dir.path()));
}

#[test]
fn a_request_past_the_models_context_excludes_every_dedicated_option_in_words() {
    // Past about 500,000 tokens one stream's KV cache of Llama 3.3 70B
    // outgrew a node, and the dedicated options vanished ("does not
    // offer llama-3.3-70b") instead of being excluded for the context (a
    // second read). At 132,000 and at 1,000,000 tokens the same options
    // are listed, each excluded for the model's 131,072.
    // The bundled profiles: their made deployments are estimates.
    let dir = root();
    let dedicated = |input: &str| {
        let out = run(
            &[
                "quote",
                "--model",
                "llama-3.3-70b",
                "--requests-per-day",
                "1000",
                "--input-tokens",
                input,
                "--output-tokens",
                "2000",
                "--as-of",
                "2026-12-01",
                "--format",
                "json",
            ],
            &dir,
        );
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let options = v["workloads"][0]["options"].as_array().unwrap().clone();
        options
            .into_iter()
            .filter(|o| o["offer"] == "dedicated")
            .map(|o| {
                (
                    o["vendor"].to_string(),
                    o["gpu"].to_string(),
                    o["reasons"][0].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let near = dedicated("132000");
    let far = dedicated("1000000");
    assert!(!near.is_empty());
    assert_eq!(near.len(), far.len(), "{far:?}");
    for (_, _, reason) in &far {
        assert_eq!(
            reason,
            "needs 1,002,000 context tokens; llama-3.3-70b holds 131,072"
        );
    }
}

/// A latency requirement that excludes nothing leaves every bill as it
/// was: a replica's C is the concurrency its estimate runs at, with or
/// without a requirement. Until 2026-12-08 an estimate took C = 16
/// without one and about the engine's batch with one, so `--max-ttft-ms
/// 1000000` moved Modal's H200 from $6,520 to $3,316 a month (a helper's
/// probe). On the bundled profiles, 20,000 requests a day of 1,200 in and
/// 250 out on Llama 3.3 70B.
#[test]
fn a_latency_requirement_that_excludes_nothing_moves_no_bill() {
    let dir = root();
    let bills = |extra: &[&str]| {
        let mut args = vec![
            "quote",
            "--model",
            "llama-3.3-70b",
            "--requests-per-day",
            "20000",
            "--input-tokens",
            "1200",
            "--output-tokens",
            "250",
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let v: serde_json::Value = serde_json::from_str(&stdout(&run(&args, &dir))).unwrap();
        v["workloads"][0]["options"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["offer"] == "dedicated")
            .map(|o| {
                (
                    format!("{} {}×{}", o["vendor"], o["gpus_per_replica"], o["gpu"]),
                    o["usd_per_month"].as_f64().unwrap(),
                    o["streams_per_replica"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let without = bills(&[]);
    let with = bills(&["--max-ttft-ms", "1000000"]);
    assert!(without.len() > 20, "{without:?}");
    assert_eq!(without, with);
}

#[test]
fn unknown_model_and_vendor_ids_get_did_you_mean() {
    let dir = scratch("basic");
    let mut args = CHAT.to_vec();
    args[2] = "llama-3.3-70";
    let err = String::from_utf8_lossy(&run(&args, dir.path()).stderr).into_owned();
    assert!(err.contains("did you mean `llama-3.3-70b`?"), "{err}");
    let out = run(&[CHAT, &["--shortlist", "gpu"]].concat(), dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--shortlist: no vendor `gpu`; did you mean `gpus`? known vendors: api, gpus"),
        "{err}"
    );
}

#[test]
fn an_episode_quote_needs_all_five_episode_flags() {
    let dir = scratch("basic");
    // The first two of the five episode flags only.
    let out = run(&EPISODE[..7], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "missing: --initial-prompt-tokens, --context-growth-per-turn, --generation-tokens"
        ),
        "{err}"
    );
}

/// A per-token offer that states no context limit cannot take more than
/// the model holds: 1,000 turns of 1,000 tokens' growth need 1,000 + 999 ·
/// 1,000 + 100 = 1,000,100 tokens by the last turn, past kimi-k2.6's
/// 262,144. Tinker's untiered kimi-k2.6 offer states no limit and was
/// eligible until 2026-12-08; now every per-token offer is excluded, with
/// the model's limit where the offer states none.
#[test]
fn a_per_token_offer_with_no_stated_limit_keeps_to_the_models_context() {
    let out = run(
        &[
            "quote",
            "--model",
            "kimi-k2.6",
            "--episodes-per-day",
            "10",
            "--turns",
            "1000",
            "--initial-prompt-tokens",
            "1000",
            "--context-growth-per-turn",
            "1000",
            "--generation-tokens",
            "100",
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ],
        &root(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let options = v["workloads"][0]["options"].as_array().unwrap();
    let serverless: Vec<_> = options
        .iter()
        .filter(|o| o["offer"] == "serverless")
        .collect();
    assert!(!serverless.is_empty());
    assert!(
        serverless.iter().all(|o| o["eligible"] == false),
        "{serverless:?}"
    );
    let tinker = serverless
        .iter()
        .find(|o| o["vendor"] == "tinker" && o["tier"].is_null())
        .unwrap();
    assert_eq!(
        tinker["reasons"][0],
        "needs 1,000,100 context tokens; kimi-k2.6 holds 262,144"
    );
}

#[test]
fn an_episode_quote_prices_episodes() {
    let text = stdout(&run(
        &[EPISODE, &["--as-of", "2026-05-01"]].concat(),
        scratch("basic").path(),
    ));
    // Input over 4 turns: 1,000 + 1,500 + 2,000 + 2,500 = 7,000 tokens;
    // output 4 × 500 = 2,000: 9,000 tokens × 1,000 episodes = 9M a day
    // × $0.88/M = $7.92 a day × 365/12 = $240.90 a month.
    assert!(
        text.contains("1,000 episodes/day of llama-3.3-70b"),
        "{text}"
    );
    assert!(text.contains("$241"), "{text}");
}

#[test]
fn exclude_leaves_a_vendor_out_and_says_so() {
    let dir = scratch("basic");
    let out = run(
        &[
            "compare",
            "chat",
            "--as-of",
            "2026-05-01",
            "--exclude",
            "api",
        ],
        dir.path(),
    );
    let text = stdout(&out);
    assert!(!text.contains("┆ api "), "{text}");
    assert!(text.contains("pick: gpus dedicated 2×h100-80gb"), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: 1 vendor left out by --shortlist/--exclude: api"),
        "{err}"
    );
}

#[test]
fn report_and_diff_take_the_shortlist_too() {
    let dir = scratch("basic");
    let out = run(
        &[
            "report",
            "--as-of",
            "2026-05-01",
            "--shortlist",
            "gpus",
            "--format",
            "json",
        ],
        dir.path(),
    );
    stdout(&out);
    let json = std::fs::read_to_string(dir.path().join("out/report.json")).unwrap();
    assert!(!json.contains("\"vendor\": \"api\""), "api was priced");
    assert!(json.contains("\"vendor\": \"gpus\""));
    // The report says which vendors it left out where it names its profiles.
    assert!(
        json.contains(
            "\"profiles\": \"vendors/ and workloads/; left out by --shortlist/--exclude: api\""
        ),
        "{json}"
    );
    let diff = root().join("tests/fixtures/diff");
    let out = run(
        &[
            "diff",
            "--base",
            "dir:base",
            "--head",
            "dir:head",
            "--exclude",
            "newapi",
        ],
        &diff,
    );
    let text = stdout(&out);
    assert!(!text.contains("newapi"), "{text}");
    assert!(text.contains("api serverless"), "{text}");
}

#[test]
fn quote_json_equals_compares_but_for_where_the_profiles_came_from() {
    let dir = scratch("basic");
    let json = ["--format", "json"];
    let saved = ["--save", "workloads/q.yaml"];
    let quoted = stdout(&run(&[CHAT, &json, &saved].concat(), dir.path()));
    let compare = ["compare", "q", "--as-of", "2026-05-01"];
    let compared = stdout(&run(&[&compare[..], &json].concat(), dir.path()));
    let from = "  \"profiles\": \"vendors/ and the flags of `infercost quote`\",\n";
    assert!(quoted.contains(from), "{quoted}");
    let quoted = quoted.replace(from, "  \"profiles\": \"vendors/ and workloads/\",\n");
    assert_eq!(quoted, compared);
}
