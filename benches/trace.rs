//! Request-log benchmarks (`cargo bench --bench trace`): `infercost fit`
//! on a generated log of 10⁶ lines, and `infercost replay` of the same 10⁶
//! requests on every option of the bundled support-chat workload, each run
//! end to end through the command line's library entry (the file read
//! included). Issue 23 asks for fit ≤ 2 s and replay ≤ 5 s.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use infercost::cli::{run, Cli};

fn main() {
    divan::main();
}

/// Lines in the generated log.
const LINES: u64 = 1_000_000;

/// A CSV log of `LINES` requests over 7 days (a request every 0.6048 s),
/// deterministic sizes around 1,200 in / 250 out, 600 cached, 20 sessions
/// of turns; written once to a temporary folder.
fn log() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("log.csv");
    let file = std::fs::File::create(&path).expect("the log is written");
    let mut w = std::io::BufWriter::new(file);
    writeln!(
        w,
        "timestamp,input_tokens,output_tokens,cached_tokens,model"
    )
    .unwrap();
    let start = 1_714_521_600.0_f64; // 2024-05-01T00:00:00Z
    for i in 0..LINES {
        let t = start + i as f64 * 0.6048;
        let input = 800 + (i * 7919) % 800;
        let output = 150 + (i * 104_729) % 200;
        writeln!(w, "{t:.3},{input},{output},600,llama-3.3-70b").unwrap();
    }
    w.flush().unwrap();
    drop(w);
    (dir, path)
}

fn cli(args: &[&str]) -> Cli {
    Cli::parse_from(std::iter::once("infercost").chain(args.iter().copied()))
}

#[divan::bench(sample_count = 5)]
fn fit_a_million_lines(bencher: Bencher) {
    let (_dir, path) = log();
    let path = path.to_str().unwrap().to_string();
    bencher.counter(ItemsCount::new(LINES)).bench(|| {
        run(black_box(cli(&["fit", &path, "--model", "llama-3.3-70b"]))).expect("fit runs")
    });
}

#[divan::bench(sample_count = 5)]
fn replay_a_million_requests_on_support_chat(bencher: Bencher) {
    let (_dir, path) = log();
    let path = path.to_str().unwrap().to_string();
    let args = [
        "replay",
        &path,
        "--workload",
        "support-chat",
        "--as-of",
        "2026-12-01",
    ];
    bencher
        .counter(ItemsCount::new(LINES))
        .bench(|| run(black_box(cli(&args))).expect("replay runs"));
}
