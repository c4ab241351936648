//! `infercost import` through the real executable, on small snapshots of
//! both price maps cut from the real files (genai-prices 0.2.3, LiteLLM
//! 1.110.2): golden before/after profiles for the comment-preserving edit,
//! the second import a no-op, `--check` 1 before and 0 after, every kind of
//! mapping reported, and every bad input refused with nothing written.
//! `UPDATE_GOLDEN=1 cargo test --test it import::` rewrites the golden files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(rel)
}

/// A scratch folder with a copy of the fixture's vendors/.
pub(crate) fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("vendors")).unwrap();
    for e in std::fs::read_dir(fixture("vendors")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("vendors").join(e.file_name())).unwrap();
    }
    dir
}

/// The LiteLLM snapshot dates every retirement it lists before the report
/// date 2026-12-01: the runs that import it whole accept those (a
/// retirement before the report date is held back otherwise, see
/// `attacks::import_guards`).
pub(crate) const ACCEPT: &[&str] = &["--accept-large-moves"];

pub(crate) fn import(dir: &Path, map: &str, file: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infercost"))
        // Tables wrap at `COLUMNS`: 100 columns when unset.
        .env_remove("COLUMNS")
        .args(["import", map])
        .arg(file)
        .args(["--as-of", "2026-12-01"])
        .args(extra)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The vendor files of a folder, by name.
pub(crate) fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Compares the scratch vendors/ and the import's output with a golden folder.
fn golden(dir: &Path, name: &str, report: &str) {
    let gold = fixture(name);
    // The report names the map by the path given; keep the golden file free of this checkout's path.
    let report = report.replace(&fixture("").display().to_string(), "tests/fixtures/import/");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(gold.join("vendors")).unwrap();
        for (f, text) in files(&dir.join("vendors")) {
            std::fs::write(gold.join("vendors").join(f), text).unwrap();
        }
        std::fs::write(gold.join("report.txt"), &report).unwrap();
        return;
    }
    assert_eq!(
        files(&dir.join("vendors")),
        files(&gold.join("vendors")),
        "{name}: run UPDATE_GOLDEN=1 cargo test --test it import:: and review the diff"
    );
    assert_eq!(
        report,
        std::fs::read_to_string(gold.join("report.txt")).unwrap(),
        "{name}/report.txt"
    );
}

#[test]
fn check_exits_1_before_an_import_and_0_after_it() {
    let dir = scratch();
    for (map, file) in [
        ("genai-prices", "genai-prices.json"),
        ("litellm", "litellm.json"),
    ] {
        let check = [ACCEPT, &["--check"]].concat();
        let before = import(dir.path(), map, &fixture(file), &check);
        assert_eq!(before.status.code(), Some(1), "{map}: {}", stdout(&before));
        assert!(stdout(&before)
            .contains("the profiles disagree with the map (--check: nothing written)"));
        assert_eq!(
            import(dir.path(), map, &fixture(file), ACCEPT)
                .status
                .code(),
            Some(0)
        );
        let after = import(dir.path(), map, &fixture(file), &check);
        assert_eq!(after.status.code(), Some(0), "{map}: {}", stdout(&after));
    }
    // The other map agrees too once both ran (its figures lost or won, and were reported).
    let again = import(
        dir.path(),
        "genai-prices",
        &fixture("genai-prices.json"),
        &["--check"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn imports_match_the_golden_files_and_a_second_import_changes_nothing() {
    let dir = scratch();
    let genai = import(
        dir.path(),
        "genai-prices",
        &fixture("genai-prices.json"),
        &[],
    );
    assert!(genai.status.success(), "{}", stderr(&genai));
    golden(dir.path(), "after-genai-prices", &stdout(&genai));
    let once = files(&dir.path().join("vendors"));
    let twice = import(
        dir.path(),
        "genai-prices",
        &fixture("genai-prices.json"),
        &[],
    );
    assert!(
        stdout(&twice).contains("0 changes to 0 profiles written"),
        "{}",
        stdout(&twice)
    );
    assert_eq!(files(&dir.path().join("vendors")), once);
    let litellm = import(dir.path(), "litellm", &fixture("litellm.json"), ACCEPT);
    assert!(litellm.status.success(), "{}", stderr(&litellm));
    golden(dir.path(), "after-both", &stdout(&litellm));
    let both = files(&dir.path().join("vendors"));
    for (map, file) in [
        ("litellm", "litellm.json"),
        ("genai-prices", "genai-prices.json"),
    ] {
        let o = import(dir.path(), map, &fixture(file), ACCEPT);
        assert!(
            stdout(&o).contains("0 changes to 0 profiles written"),
            "{map}: {}",
            stdout(&o)
        );
    }
    assert_eq!(files(&dir.path().join("vendors")), both);
}

#[test]
fn every_kind_of_mapping_is_reported() {
    let dir = scratch();
    let g = stdout(&import(
        dir.path(),
        "genai-prices",
        &fixture("genai-prices.json"),
        &["--verbose"],
    ));
    for line in [
        // A dated change: 0.88 until 2026-10-18, 1.04 from 2026-10-19 (genai-prices huggingface_together).
        "changed   together llama-3.3-70b input_usd_per_mtok: 0.88 -> 1.04 (genai-prices huggingface_together/meta-llama/Llama-3.3-70B-Instruct)",
        "history   together llama-3.3-70b: price change of 2026-10-19 recorded in price_changes",
        // Batch variant 0.075 / 0.30 against 0.15 / 0.60: 1 - 0.075/0.15 = 1 - 0.30/0.60 = 0.5.
        "changed   groq gpt-oss-120b batch_discount: none -> 0.50 (genai-prices groq/openai/gpt-oss-120b)",
        "added     fireworks kimi-k3: input 3.00, output 15.00, cached_input 0.30 per 1M (genai-prices fireworks/kimi-k3)",
        "added     fireworks kimi-k2.6 (fast): input 2.00, output 8.00, cached_input 0.30 per 1M (genai-prices fireworks/kimi-k2p6-fast)",
        "pinned    together gpt-oss-120b input_usd_per_mtok: kept 0.16; genai-prices huggingface_together/openai/gpt-oss-120b says 0.15",
        "deprecated baseten kimi-k2.6: genai-prices flags baseten/moonshotai/Kimi-K2.6 deprecated without a date",
        "unmapped  genai-prices fireworks/kimi-k2p7-code: no canonical id in the catalog",
    ] {
        assert!(g.contains(line), "missing `{line}` in:\n{g}");
    }
    assert!(
        !g.contains("claude"),
        "an uncovered provider is not read:\n{g}"
    );
    let l = stdout(&import(
        dir.path(),
        "litellm",
        &fixture("litellm.json"),
        &["--verbose", "--accept-large-moves"],
    ));
    for line in [
        // LiteLLM per-token prices x 1e6: 1.5e-06 -> 1.50, 2.2e-07 -> 0.22 (the audit's #2).
        "changed   fireworks kimi-k2.6 (priority) input_usd_per_mtok: 1.425 -> 1.50 (litellm fireworks_ai/accounts/fireworks/models/kimi-k2p6)",
        "retired   fireworks kimi-k2.6 retired_on: none -> 2026-09-25 (litellm fireworks_ai/accounts/fireworks/models/kimi-k2p6)",
        "retired   together llama-3.3-70b retired_on: none -> 2026-10-22",
        "skipped   together kimi-k2.6: retired on the report date per litellm together_ai/moonshotai/Kimi-K2.6; not added",
        "disagree  fireworks kimi-k3 context_tokens: profile 1040000 (genai-prices) against litellm 1048576",
        "added     fireworks kimi-k3 (priority): input 3.75, output 18.75, cached_input 0.375 per 1M",
        "unmapped  litellm fireworks_ai/accounts/fireworks/models/kimi-k2p7-code",
    ] {
        assert!(l.contains(line), "missing `{line}` in:\n{l}");
    }
}

/// Runs an import on a damaged copy of a fixture map and checks that it fails
/// with exit status 2, names the file and the entry, and writes nothing.
fn refused(map: &str, file: &str, damage: impl Fn(&str) -> String, expected: &[&str]) {
    let dir = scratch();
    let bad = dir.path().join(file);
    std::fs::write(
        &bad,
        damage(&std::fs::read_to_string(fixture(file)).unwrap()),
    )
    .unwrap();
    let before = files(&dir.path().join("vendors"));
    let o = import(dir.path(), map, &bad, &[]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    for e in expected {
        assert!(stderr(&o).contains(e), "missing `{e}` in:\n{}", stderr(&o));
    }
    assert_eq!(
        files(&dir.path().join("vendors")),
        before,
        "nothing written"
    );
}

#[test]
fn a_file_of_the_other_format_is_refused() {
    refused(
        "genai-prices",
        "litellm.json",
        |t| t.to_string(),
        &["litellm.json: not the expected format; expected genai-prices' prices/data.json"],
    );
    refused(
        "litellm",
        "genai-prices.json",
        |t| t.to_string(),
        &["genai-prices.json: not the expected format; expected LiteLLM's"],
    );
}

#[test]
fn a_truncated_json_is_refused_with_its_line() {
    refused(
        "genai-prices",
        "genai-prices.json",
        |t| t[..t.len() / 2].to_string(),
        &[
            "genai-prices.json:",
            "not valid JSON",
            "A truncated download",
        ],
    );
}

#[test]
fn negative_nan_and_absurd_prices_are_refused_naming_the_entry() {
    let k3 = "\"input_mtok\": 3.0,";
    refused(
        "genai-prices",
        "genai-prices.json",
        |t| t.replacen(k3, "\"input_mtok\": -3.0,", 1),
        &["(fireworks/kimi-k3): input_mtok is -3; expected a finite price of 0 or more"],
    );
    refused(
        "genai-prices",
        "genai-prices.json",
        |t| t.replacen(k3, "\"input_mtok\": NaN,", 1),
        &["not valid JSON"],
    );
    refused("genai-prices", "genai-prices.json", |t| t.replacen(k3, "\"input_mtok\": 3000000.0,", 1), &["(fireworks/kimi-k3): input_mtok is $3000000 per 1M tokens, above the $10000 any real offer costs"]);
}

#[test]
fn a_move_of_more_than_10x_is_held_back_unless_accepted() {
    // Together Llama 3.3 70B: 1.04e-06 per token -> 1.04e-05 = $10.40 per 1M, 11.8x the profile's $0.88.
    // (The retirement dates, all before the report date, are left out: they are held back too.)
    let damage = |t: &str| {
        t.replace(
            "\"input_cost_per_token\": 1.04e-06",
            "\"input_cost_per_token\": 1.04e-05",
        )
        .lines()
        .filter(|l| !l.contains("deprecation_date"))
        .collect::<Vec<_>>()
        .join("\n")
    };
    refused("litellm", "litellm.json", damage, &["`together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo`: together llama-3.3-70b input_usd_per_mtok would move from 0.88 to 10.40 (more than 10x)", "--accept-large-moves"]);
    let dir = scratch();
    let bad = dir.path().join("litellm.json");
    std::fs::write(
        &bad,
        damage(&std::fs::read_to_string(fixture("litellm.json")).unwrap()),
    )
    .unwrap();
    let o = import(dir.path(), "litellm", &bad, &["--accept-large-moves"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(dir.path().join("vendors/together.yaml"))
            .unwrap()
            .contains("input_usd_per_mtok: 10.40 # litellm")
    );
}

#[test]
fn an_entry_for_a_vendor_without_a_profile_is_refused() {
    let dir = scratch();
    std::fs::remove_file(dir.path().join("vendors/groq.yaml")).unwrap();
    let before = files(&dir.path().join("vendors"));
    let o = import(
        dir.path(),
        "genai-prices",
        &fixture("genai-prices.json"),
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`groq/llama-3.3-70b-versatile`: maps to vendor `groq` (llama-3.3-70b), which has no profile in vendors"), "{}", stderr(&o));
    assert_eq!(files(&dir.path().join("vendors")), before);
}

#[test]
fn a_flow_style_serverless_block_is_not_edited() {
    let dir = scratch();
    std::fs::write(
        dir.path().join("vendors/groq.yaml"),
        "vendor: groq\nname: Groq\nsegment: custom-silicon\npositioning: speed\nas_of: 2026-07-02\nsources: [https://groq.com/pricing]\nserverless: [{model: gpt-oss-120b, input_usd_per_mtok: 0.15, output_usd_per_mtok: 0.60}]\n",
    )
    .unwrap();
    let o = import(
        dir.path(),
        "genai-prices",
        &fixture("genai-prices.json"),
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "vendors/groq.yaml:7: serverless offers in flow style cannot be edited line by line"
        ),
        "{}",
        stderr(&o)
    );
}
