//! `infercost fit` and `infercost replay` on request logs, end to end: a
//! 10-line log worked by hand, the shipped public trace slices (golden
//! files), the 24-hour shape, sessions and the other formats here;
//! `replay` prices recorded requests, `bad` is bad and hostile input.

mod bad;
mod replay;
mod report;

use std::path::Path;

use crate::common::{golden, infercost, root};

/// 10 requests 10 s apart; inputs 100..1,000, outputs 20 but one 110, 50
/// cached tokens each; the column names are synonyms in another case.
pub(crate) const TEN: &str = "\
Timestamp,Prompt_Tokens,Completion_Tokens,Cached_Tokens,Model
1700000000,100,20,50,llama
1700000010,200,20,50,llama
1700000020,300,20,50,llama
1700000030,400,20,50,llama
1700000040,500,20,50,llama
1700000050,600,20,50,llama
1700000060,700,20,50,llama
1700000070,800,110,50,llama
1700000080,900,20,50,llama
1700000090,1000,20,50,llama
";

fn run(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = infercost(args, dir);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(args: &[&str], dir: &Path) -> String {
    let (code, stdout, stderr) = run(args, dir);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[test]
fn a_ten_line_log_fits_to_the_figures_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ten.csv"), TEN).unwrap();
    let yaml = ok(&["fit", "ten.csv", "--model", "llama-3.3-70b"], dir.path());
    // Span 90 s, 9 gaps: 9 · 86,400 / 90 = 8,640 requests a day.
    assert!(yaml.contains("\nrequests_per_day: 8640\n"), "{yaml}");
    // Inputs 100..1,000: mean 5,500/10 = 550; nearest rank p50 = 5th = 500,
    // p90 = 9th = 900, p99 = ⌈9.9⌉ = 10th = 1,000.
    assert!(yaml.contains("\ninput_tokens: 550\n"));
    assert!(yaml.contains("p50 500, p90 900, p99 1000"));
    // Outputs: (9 · 20 + 110)/10 = 29; p99 = the 10th = 110.
    assert!(yaml.contains("\noutput_tokens: 29\n"));
    assert!(yaml.contains("p50 20, p90 20, p99 110"));
    // Cached: 10 · 50 / 5,500 = 0.090909… → 0.0909.
    assert!(yaml.contains("\ncached_input_share: 0.0909\n"));
    // 90 s is fewer than 10 whole minutes: burstiness is not measured.
    assert!(yaml.contains("# burstiness: not measured (the log covers fewer than 10 whole minutes"));
    assert!(yaml.contains("  shape: flat\n"));
}

#[test]
fn the_public_trace_slices_fit_to_the_same_bytes_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("workloads")).unwrap();
    for (slice, id) in [
        ("azure_conv_head300.csv", "azure-conv"),
        ("mooncake_conversation_head300.jsonl", "mooncake-conv"),
    ] {
        let log = format!("tests/fixtures/traces/{slice}");
        let out = dir.path().join(format!("workloads/{id}.yaml"));
        let out = out.to_str().unwrap();
        let args = [
            "fit",
            log.as_str(),
            "--model",
            "llama-3.3-70b",
            "--out",
            out,
        ];
        ok(&args, &root());
        let first = std::fs::read(out).unwrap();
        ok(&args, &root());
        assert_eq!(
            first,
            std::fs::read(out).unwrap(),
            "{slice}: not deterministic"
        );
        golden(
            &root().join(format!("tests/golden/trace/{id}.yaml")),
            &first,
        );
    }
    let workloads = dir.path().join("workloads");
    ok(
        &["validate", "--workloads", workloads.to_str().unwrap()],
        &root(),
    );
}

/// A log of 2 days: arrivals at 00:30 and 12:30 UTC each day, and 6 more
/// at 12:xx on the first day.
fn two_days() -> String {
    let day0 = 1_699_920_000u64; // 2023-11-14T00:00:00Z
    let mut lines = vec!["timestamp,input_tokens,output_tokens".to_string()];
    let mut times = vec![];
    for d in 0..2u64 {
        times.push(day0 + d * 86_400 + 1_800);
        times.push(day0 + d * 86_400 + 12 * 3600 + 1_800);
    }
    times.extend((0..6).map(|i| day0 + 12 * 3600 + 60 * i));
    times.push(day0 + 2 * 86_400 + 1_800); // ends the second whole day
    for t in times {
        lines.push(format!("{t},100,10"));
    }
    lines.join("\n") + "\n"
}

#[test]
fn a_log_of_whole_days_fits_the_hourly_shape_and_sorts_its_arrivals() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("days.csv"), two_days()).unwrap();
    let yaml = ok(&["fit", "days.csv", "--model", "llama-3.3-70b"], dir.path());
    assert!(yaml.lines().all(|l| l.chars().count() <= 100), "{yaml}");
    // The header's comments, each on one line again.
    let yaml = yaml.replace("\n#   ", " ");
    // Span 2 days: the 2 whole days from 00:30 on the 14th hold 10 of the
    // 11 requests: 10/2 = 5 a day. Hour 0 holds 2 (00:30 ×2, the 16th's
    // is outside), hour 12 holds 2 + 6 = 8: shares 0.2 and 0.8.
    assert!(yaml.contains("\nrequests_per_day: 5\n"), "{yaml}");
    assert!(yaml.contains("10 requests in the 2 whole day(s) from the first arrival, over 2"));
    assert!(yaml.contains(
        "  hourly: [0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n"
    ));
    assert!(yaml.contains("# arrivals out of order in the log were sorted\n"));
    // 2,880 whole minutes, 10 of them with one arrival (the 16th's is
    // outside): mean m = 10/2,880; CV = √(m − m²)/m = √(1/m − 1) = √287 =
    // 16.94; Poisson's 1/√m = √288 = 16.97.
    assert!(
        yaml.contains("CV of per-minute arrivals 16.94 against Poisson's 1/√mean 16.97"),
        "{yaml}"
    );
}

#[test]
fn sessions_of_several_turns_become_an_episode() {
    // Two sessions of 3 turns, inputs growing 1,000 → 1,400 → 1,800 and
    // 2,000 → 2,200 → 2,400; 100 out each. Span 50 s: 5 gaps, 8,640 a day
    // (5 · 86,400 / 50); episodes 2 · 8,640/6 = 2,880 a day; first prompt
    // (1,000 + 2,000)/2 = 1,500; growth ((1,800 − 1,000)/2 + (2,400 −
    // 2,000)/2)/2 = (400 + 200)/2 = 300.
    let log = [
        r#"{"ts": "2024-05-01T12:00:00Z", "input_tokens": 1000, "output_tokens": 100, "conversation_id": "a"}"#,
        r#"{"ts": "2024-05-01T12:00:10Z", "input_tokens": 2000, "output_tokens": 100, "conversation_id": "b"}"#,
        r#"{"ts": "2024-05-01T12:00:20Z", "input_tokens": 1400, "output_tokens": 100, "conversation_id": "a"}"#,
        r#"{"ts": "2024-05-01T12:00:30Z", "input_tokens": 2200, "output_tokens": 100, "conversation_id": "b"}"#,
        r#"{"ts": "2024-05-01T12:00:40Z", "input_tokens": 1800, "output_tokens": 100, "conversation_id": "a"}"#,
        r#"{"ts": "2024-05-01T12:00:50Z", "input_tokens": 2400, "output_tokens": 100, "conversation_id": "b"}"#,
    ]
    .join("\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.jsonl"), log).unwrap();
    let yaml = ok(&["fit", "s.jsonl", "--model", "llama-3.3-70b"], dir.path());
    for line in [
        "episode:\n",
        "  episodes_per_day: 2880\n",
        "  turns: 3\n",
        "  initial_prompt_tokens: 1500\n",
        "  context_growth_per_turn: 300\n",
        "  generation_tokens: 100\n",
    ] {
        assert!(yaml.contains(line), "{line}\n{yaml}");
    }
    assert!(!yaml.contains("\nrequests_per_day:"));
}

#[test]
fn an_episode_of_rounded_turns_keeps_the_recorded_request_count() {
    // Sessions s1 (3 turns) and s2 (2 turns): 2.5 turns on average,
    // written as 3. Span 40 s: 4 gaps, 4 · 86,400/40 = 8,640 requests a
    // day; episodes 8,640/3 = 2,880 a day, so that 2,880 · 3 = 8,640
    // requests are priced (sessions a day, 2 · 8,640/5 = 3,456, times 3
    // turns priced 10,368: +20%; a second read).
    let log = "timestamp,input_tokens,output_tokens,session_id\n\
        1700000000,100,10,s1\n1700000010,200,20,s2\n1700000020,300,30,s1\n\
        1700000030,250,40,s2\n1700000040,500,50,s1\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.csv"), log).unwrap();
    let yaml = ok(&["fit", "s.csv", "--model", "llama-3.3-70b"], dir.path());
    for line in ["  episodes_per_day: 2880\n", "  turns: 3\n"] {
        assert!(yaml.contains(line), "{line}\n{yaml}");
    }
}

#[test]
fn otel_litellm_and_openrouter_samples_fit_alike() {
    // The same 3 requests in each synthetic sample: 2 gaps over 60 s →
    // 2 · 86,400/60 = 2,880 a day; inputs (1,200 + 1,600 + 800)/3 = 1,200;
    // outputs (250 + 150 + 200)/3 = 200. Only the OTel spans say cached
    // tokens: (700 + 1,300)/3,600 = 0.5556.
    for (sample, format, cached) in [
        ("otel_spans.jsonl", "otel", "0.5556"),
        ("litellm_spend_logs.csv", "litellm", "0"),
        ("openrouter_generations.csv", "openrouter", "0"),
    ] {
        let log = format!("tests/fixtures/traces/synthetic/{sample}");
        let yaml = ok(&["fit", &log, "--model", "llama-3.3-70b"], &root());
        for line in [
            format!("# log: {log} ({format})\n"),
            "\nrequests_per_day: 2880\n".into(),
            "\ninput_tokens: 1200\n".into(),
            "\noutput_tokens: 200\n".into(),
            format!("\ncached_input_share: {cached}\n"),
        ] {
            assert!(yaml.contains(&line), "{sample}: {line}\n{yaml}");
        }
    }
}

#[test]
fn mooncake_prefix_blocks_seen_before_count_as_cached() {
    // Blocks of 512 tokens. Request 1 (1,024 in, blocks 1 2): none seen.
    // Request 2 (1,500 in, blocks 1 2 3): 2 seen → 1,024 cached. Request 3
    // (1,024 in, blocks 1 4): 1 seen → 512. Share (1,024 + 512)/3,548 = 0.4329.
    let log = "{\"timestamp\": 0, \"input_length\": 1024, \"output_length\": 10, \"hash_ids\": [1, 2]}\n\
               {\"timestamp\": 1000, \"input_length\": 1500, \"output_length\": 10, \"hash_ids\": [1, 2, 3]}\n\
               {\"timestamp\": 2000, \"input_length\": 1024, \"output_length\": 10, \"hash_ids\": [1, 4]}\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.jsonl"), log).unwrap();
    let yaml = ok(&["fit", "m.jsonl", "--model", "llama-3.3-70b"], dir.path());
    assert!(yaml.contains("\ncached_input_share: 0.4329\n"), "{yaml}");
    assert!(yaml.contains("# period: +0 s to +2 s (2 s)"), "{yaml}");
}

#[test]
fn columns_of_other_names_are_mapped_with_columns() {
    // 3 requests over 20 s: 2 · 86,400/20 = 8,640 a day; (30 + 60 + 90)/3 = 60 in.
    let log =
        "when,p,c\n2024-05-01 00:00:00,30,5\n2024-05-01 00:00:10,60,5\n2024-05-01 00:00:20,90,5\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("o.csv"), log).unwrap();
    let (code, _, stderr) = run(&["fit", "o.csv", "--model", "llama-3.3-70b"], dir.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("o.csv:1: no `timestamp` column (nor a synonym); map one with --columns timestamp=COLUMN"), "{stderr}");
    let yaml = ok(
        &[
            "fit",
            "o.csv",
            "--model",
            "llama-3.3-70b",
            "--columns",
            "timestamp=when,input_tokens=p,output_tokens=c",
        ],
        dir.path(),
    );
    assert!(
        yaml.contains("\nrequests_per_day: 8640\ninput_tokens: 60\noutput_tokens: 5\n"),
        "{yaml}"
    );
}

/// Two models interleaved: llama-3.3-70b at 0 and 10 s (100/10 and 300/30
/// tokens), llama-3.1-8b at 1, 11 and 21 s (200/20, 400/40, 600/60).
const TWO_MODELS: &str = "\
timestamp,input_tokens,output_tokens,model
1700000000,100,10,llama-3.3-70b
1700000001,200,20,llama-3.1-8b
1700000010,300,30,llama-3.3-70b
1700000011,400,40,llama-3.1-8b
1700000021,600,60,llama-3.1-8b
";

#[test]
fn a_log_of_several_models_fits_one_profile_per_model() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("two.csv"), TWO_MODELS).unwrap();
    std::fs::create_dir(dir.path().join("workloads")).unwrap();
    let out = ok(
        &["fit", "two.csv", "--out", "workloads/chat.yaml"],
        dir.path(),
    );
    assert_eq!(
        out,
        "wrote workloads/chat-llama-3.1-8b.yaml\nwrote workloads/chat-llama-3.3-70b.yaml\n"
    );
    let read = |f: &str| std::fs::read_to_string(dir.path().join("workloads").join(f)).unwrap();
    // llama-3.3-70b: 1 gap in 10 s → 86,400/10 = 8,640 a day; means
    // (100 + 300)/2 = 200 in, (10 + 30)/2 = 20 out; the other 3 left out.
    let big = read("chat-llama-3.3-70b.yaml");
    assert!(big.contains("\nmodel: llama-3.3-70b\n"), "{big}");
    assert!(big.contains("\nrequests_per_day: 8640\n"), "{big}");
    assert!(big.contains("\ninput_tokens: 200\n") && big.contains("\noutput_tokens: 20\n"));
    assert!(
        big.contains("# left out: 3 requests of log model `llama-3.1-8b`\n"),
        "{big}"
    );
    // llama-3.1-8b: 2 gaps in 20 s → 8,640 a day; means 1,200/3 = 400 in,
    // 120/3 = 40 out.
    let small = read("chat-llama-3.1-8b.yaml");
    assert!(small.contains("\nmodel: llama-3.1-8b\n"), "{small}");
    assert!(small.contains("\nrequests_per_day: 8640\n"), "{small}");
    assert!(small.contains("\ninput_tokens: 400\n") && small.contains("\noutput_tokens: 40\n"));
    ok(&["validate", "--workloads", "workloads"], dir.path());
    // A folder: MODEL.yaml in it, the same profiles but for their ids.
    std::fs::create_dir(dir.path().join("each")).unwrap();
    ok(&["fit", "two.csv", "--out", "each"], dir.path());
    let each = std::fs::read_to_string(dir.path().join("each/llama-3.1-8b.yaml")).unwrap();
    assert_eq!(
        each,
        small.replace("workload: chat-llama-3.1-8b\n", "workload: llama-3.1-8b\n")
    );
    // --model naming one of them fits that one alone, to standard output.
    let one = ok(&["fit", "two.csv", "--model", "llama-3.1-8b"], dir.path());
    assert!(one.contains("\ninput_tokens: 400\n"), "{one}");
    // Without --out there is nowhere to put two profiles: refused, in words.
    let (code, _, stderr) = run(&["fit", "two.csv"], dir.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("or write one profile per model with --out NAME.yaml or --out DIR"));
}
