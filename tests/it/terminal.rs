//! Fits the terminal: every command's default output on the bundled data
//! with `COLUMNS=100` has no line wider than 100 characters, `--help` of
//! each command ends with its two examples, nothing is coloured, and the
//! completion script and man page come from the clap definitions.
//!
//! Left out of the width check, as documents for other programs rather
//! than terminal tables: `schema` (a JSON Schema), `diff` (Markdown for a
//! pull-request comment), `fit` (a workload profile, YAML), `completions`
//! (a shell script) and `man` (roff).
//! Standard error (warnings, as prose) is not checked.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{fixture, root};

/// The binary in `dir` with `COLUMNS=100`, standard output not a terminal.
fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infercost"))
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// Standard output of a successful run, and its widest line in characters.
fn widest(args: &[&str], dir: &Path) -> (usize, String) {
    let out = run(args, dir);
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let w = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    (w, text)
}

fn bundled_workloads() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root().join("workloads"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_commands_default_output_fits_100_columns() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out").display().to_string();
    let scratch = tempfile::tempdir().unwrap();
    let vendors = scratch.path().join("vendors");
    std::fs::create_dir(&vendors).unwrap();
    for e in std::fs::read_dir(fixture("import/vendors")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), vendors.join(e.file_name())).unwrap();
    }
    let map = fixture("import/genai-prices.json").display().to_string();
    let as_of = ["--as-of", "2026-12-01"];
    let mut runs: Vec<Vec<String>> = vec![
        vec!["report", "--out", &out_dir],
        vec!["validate"],
        vec!["catalog"],
        vec!["capacity", "llama-3.3-70b", "--gpu", "h100-80gb"],
        vec![
            "simulate",
            "support-chat",
            "--vendor",
            "modal",
            "--days",
            "1",
        ],
        vec![
            "quote",
            "--model",
            "gpt-oss-120b",
            "--requests-per-day",
            "1000000",
            "--input-tokens",
            "1000",
            "--output-tokens",
            "300",
        ],
    ]
    .into_iter()
    .map(|a| a.into_iter().map(String::from).collect())
    .collect();
    for id in bundled_workloads() {
        runs.push(vec!["compare".into(), id]);
    }
    for args in &mut runs {
        if ["report", "compare", "quote", "simulate"].contains(&args[0].as_str()) {
            args.extend(as_of.iter().map(|s| s.to_string()));
        }
    }
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (w, text) = widest(&args, &root());
        assert!(w <= 100, "{args:?}: {w} columns\n{text}");
        assert!(!text.contains('\u{1b}'), "{args:?} printed an escape");
    }
    // Issue 24: replay's table was 235 columns wide.
    let replay = [
        "replay",
        "tests/fixtures/traces/azure_conv_head300.csv",
        "--workload",
        "support-chat",
        "--as-of",
        "2026-12-01",
    ];
    let (w, text) = widest(&replay, &root());
    assert!(w <= 100, "replay: {w} columns\n{text}");
    let import = ["import", "genai-prices", &map, "--as-of", "2026-12-01"];
    let (w, text) = widest(&import, scratch.path());
    assert!(w <= 100, "import: {w} columns\n{text}");
    assert!(
        text.starts_with("genai-prices ") && text.contains("1 map model has no canonical id"),
        "the summary comes first and the unmapped are counted:\n{text}"
    );
    assert!(!text.contains("unmapped  "), "{text}");
}

#[test]
fn help_of_every_command_fits_and_ends_with_two_examples() {
    let commands = [
        "report",
        "compare",
        "quote",
        "validate",
        "diff",
        "schema",
        "catalog",
        "import",
        "capacity",
        "simulate",
        "completions",
        "man",
    ];
    for c in commands {
        let (w, text) = widest(&[c, "--help"], &root());
        assert!(w <= 100, "{c} --help: {w} columns\n{text}");
        let examples = text.split("\nExamples:\n").nth(1).unwrap_or_default();
        let lines: Vec<&str> = examples
            .lines()
            .filter(|l| l.starts_with("  infercost "))
            .collect();
        assert_eq!(lines.len(), 2, "{c} --help:\n{text}");
        assert!(lines
            .iter()
            .all(|l| l.starts_with(&format!("  infercost {c}"))));
    }
}

#[test]
fn completions_and_the_man_page_come_from_the_clap_definitions() {
    let (_, bash) = widest(&["completions", "bash"], &root());
    assert!(bash.contains("_infercost()"), "{bash}");
    assert!(bash.contains("--shortlist"), "quote's flags are completed");
    let (_, zsh) = widest(&["completions", "zsh"], &root());
    assert!(zsh.starts_with("#compdef infercost"), "{zsh}");
    let (_, page) = widest(&["man"], &root());
    assert!(page.contains(".TH infercost 1"), "{page}");
    assert!(page.contains("infercost\\-quote"), "{page}");
    let (_, quote) = widest(&["man", "quote"], &root());
    assert!(quote.contains(".TH infercost-quote 1"), "{quote}");
    assert!(quote.contains("\\-\\-requests\\-per\\-day"), "{quote}");
    let out = run(&["man", "qoute"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `quote`?"));
}

#[test]
fn progress_is_silent_when_standard_error_is_not_a_terminal() {
    let args = [
        "simulate",
        "support-chat",
        "--vendor",
        "together",
        "--days",
        "1",
        "--as-of",
        "2026-12-01",
    ];
    let out = run(&args, &root());
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
