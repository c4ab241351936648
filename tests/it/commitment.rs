//! Commitments through the real executable: a negotiated commitment that
//! costs less than on-demand replicas and the per-token offer is an option
//! of its own and is picked, in the JSON, the compare table and the
//! Markdown report; one that costs more is listed and not picked; a vendor
//! with no commitment terms is said to have none.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

/// Acme rents an always-on H100 at $4 an hour (10,000 prefill and 1,000
/// decode tokens/s a replica); Tok sells llama-3.3-70b per token at $10 a
/// million output tokens.
const ACME: &str = "vendor: acme\nname: Acme\nsegment: gpu-platform\npositioning: test\nas_of: 2026-11-01\nsources: [https://example.com]\ndedicated:\n  billing: per-hour\n  scaling: always-on\n  gpus:\n    h100-80gb: {usd_per_hour: 4.0}\n  deployments:\n    - {model: llama-3.3-70b, gpu: h100-80gb, gpus_per_replica: 1, prefill_tokens_per_s: 10000, decode_tokens_per_s: 1000}\n";
const TOK: &str = "vendor: tok\nname: Tok\nsegment: api-marketplace\npositioning: test\nas_of: 2026-11-01\nsources: [https://example.com]\nserverless:\n  - {model: llama-3.3-70b, input_usd_per_mtok: 1.0, output_usd_per_mtok: 10.0}\n";
/// 86,400 requests a day (one a second), none of input, 100 of output.
const FLAT: &str = "workload: flat\nname: Flat\nmodel: llama-3.3-70b\nrequests_per_day: 86400\ninput_tokens: 0\noutput_tokens: 100\n";

/// A scratch project with the two vendors, the workload and `config`.
fn project(config: &str) -> tempfile::TempDir {
    let dir = crate::common::profiles_in(
        &[("acme.yaml", ACME), ("tok.yaml", TOK)],
        &[("flat.yaml", FLAT)],
    );
    std::fs::write(dir.path().join("infercost.toml"), config).unwrap();
    dir
}

/// Runs the binary in `dir` with no user or environment config; it must succeed.
fn run(dir: &Path, args: &[&str]) -> Output {
    crate::common::succeeded(crate::common::configured(
        dir,
        &dir.join("user-config"),
        &[],
        args,
    ))
}

/// The errors of `compare flat` in `dir`, refused.
fn refused(dir: &Path) -> String {
    crate::common::refused(&crate::common::configured(
        dir,
        &dir.join("user-config"),
        &[],
        &["compare", "flat", "--as-of", "2026-12-01"],
    ))
}

fn compare_json(dir: &Path) -> Value {
    crate::common::configured_json(dir, &dir.join("user-config"), &[], "flat", &[])["workloads"][0]
        .clone()
}

fn option<'a>(w: &'a Value, vendor: &str, offer: &str) -> &'a Value {
    w["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["vendor"] == vendor && o["offer"] == offer)
        .unwrap_or_else(|| panic!("no {vendor} {offer} option in {w}"))
}

const MONTH: f64 = 365.0 / 12.0;

const THIRTY_OFF: &str =
    "[[commitment]]\nvendor = \"acme\"\nterm_months = 12\ndiscount = 0.3\noverflow = \"on-demand\"\n";

#[test]
fn a_commitment_that_costs_least_is_picked() {
    let dir = project(THIRTY_OFF);
    let w = compare_json(dir.path());
    // A request decodes 100 tokens at 1,000/s: 0.1 s, so 86,400 a day keep
    // one replica 0.1 busy each hour, and ceil(0.1/0.8) = 1 replica is up
    // every hour.
    // On demand: 24 · $4 = $96 a day.
    // Per token: 86,400 · 100 · $10/10⁶ = $86.4 a day.
    // Committed at 30% off: 24 · $4 · 0.7 = $67.2 a day, the cheapest.
    let on_demand = option(&w, "acme", "dedicated");
    let per_token = option(&w, "tok", "serverless");
    let committed = option(&w, "acme", "committed");
    crate::common::assert_close(on_demand["usd_per_day"].as_f64().unwrap(), 96.0, 1e-9);
    crate::common::assert_close(per_token["usd_per_day"].as_f64().unwrap(), 86.4, 1e-9);
    crate::common::assert_close(committed["usd_per_day"].as_f64().unwrap(), 67.2, 1e-9);
    crate::common::assert_close(
        committed["usd_per_month"].as_f64().unwrap(),
        67.2 * MONTH,
        1e-9,
    );
    // $ a request: 67.2/86,400.
    crate::common::assert_close(
        committed["usd_per_unit"].as_f64().unwrap(),
        67.2 / 86_400.0,
        1e-9,
    );
    // Break-even: 67.2 · 12 / (96 − 67.2 + 67.2) = 8.4 months of the 12.
    crate::common::assert_close(
        committed["commitment"]["break_even_months"]
            .as_f64()
            .unwrap(),
        8.4,
        1e-9,
    );
    assert_eq!(committed["commitment"]["replicas"], 1);
    assert_eq!(w["pick"]["primary"]["offer"], "committed");
    assert_eq!(w["pick"]["primary"]["vendor"], "acme");
    assert_eq!(w["pick"]["runner_up"]["vendor"], "tok");
    // 1 − 67.2/86.4 = 22% below the runner-up.
    let reason = w["pick"]["primary_reason"].as_str().unwrap();
    assert!(
        reason.starts_with("$2,044/month, 22% below the runner-up (tok serverless, $2,628/month)"),
        "{reason}"
    );
    // Acme states terms, so no vendor is said to have none.
    assert_eq!(w["no_commitment_terms"], serde_json::json!([]));
}

#[test]
fn the_committed_pick_reads_in_the_table_and_the_report() {
    let dir = project(THIRTY_OFF);
    let table = run(dir.path(), &["compare", "flat", "--as-of", "2026-12-01"]);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("pick: acme committed 1×h100-80gb: $2,044/month"),
        "{table}"
    );
    assert!(
        table.contains(
            "commitment (pick): acme committed 1×h100-80gb: committing 1 replica for 12 months"
        ),
        "{table}"
    );
    // The same question asked by `quote`, with no workload file.
    let quote = run(
        dir.path(),
        &[
            "quote",
            "--model",
            "llama-3.3-70b",
            "--requests-per-day",
            "86400",
            "--input-tokens",
            "0",
            "--output-tokens",
            "100",
            "--as-of",
            "2026-12-01",
        ],
    );
    let quote = String::from_utf8(quote.stdout).unwrap();
    assert!(
        quote.contains("pick: acme committed 1×h100-80gb: $2,044/month"),
        "{quote}"
    );
    run(
        dir.path(),
        &[
            "report",
            "--as-of",
            "2026-12-01",
            "--out",
            "out",
            "--format",
            "md,json",
        ],
    );
    let md = std::fs::read_to_string(dir.path().join("out/flat/report.md")).unwrap();
    assert!(md.contains("acme committed 1×h100-80gb"), "{md}");
    assert!(md.contains("**Commitments**"), "{md}");
    assert!(
        md.contains("it pays if the workload runs at least 8.40 of the 12 months"),
        "{md}"
    );
    // The Method works the plan: F = P = $2,044 (the commitment covers the
    // day), O = $2,920; m* = 2,044 · 12 / (2,920 − 2,044 + 2,044) = 8.4.
    assert!(
        md.contains("- $/month = commitment F + the rest of the demand = $2,044 + $0 = $2,044 (with nothing committed, the same hours cost O = $2,920)"),
        "{md}"
    );
    assert!(
        md.contains("- break-even term m\\* = F·T/(O − P + F) = $2,044·12/($2,920 − $2,044 + $2,044) = 8.4 months"),
        "{md}"
    );
}

#[test]
fn a_commitment_dearer_than_per_token_is_listed_not_picked() {
    // 5% off: 24 · $4 · 0.95 = $91.2 a day, above per token's $86.4.
    let dir = project(&THIRTY_OFF.replace("0.3", "0.05"));
    let w = compare_json(dir.path());
    let committed = option(&w, "acme", "committed");
    crate::common::assert_close(committed["usd_per_day"].as_f64().unwrap(), 91.2, 1e-9);
    assert_eq!(w["pick"]["primary"]["offer"], "serverless");
    assert_eq!(w["pick"]["primary"]["vendor"], "tok");
}

#[test]
fn a_vendor_without_commitment_terms_is_said_to_have_none() {
    let dir = project("");
    let w = compare_json(dir.path());
    assert_eq!(w["no_commitment_terms"], serde_json::json!(["acme"]));
    assert!(w["options"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["offer"] != "committed"));
    let table = run(dir.path(), &["compare", "flat", "--as-of", "2026-12-01"]);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("commitment: acme publishes no commitment prices or discounts, so none is"),
        "{table}"
    );
}

#[test]
fn bad_commitment_terms_are_refused_at_their_line() {
    for (entry, field) in [
        ("term_months = 0\ndiscount = 0.3", "commitment.term_months"),
        (
            "term_months = 12\nusd_per_gpu_hour = -1",
            "commitment.usd_per_gpu_hour",
        ),
        ("term_months = 12\ndiscount = 1.5", "commitment.discount"),
    ] {
        let dir = project(&format!(
            "# mine\n[[commitment]]\nvendor = \"acme\"\n{entry}\noverflow = \"on-demand\"\n"
        ));
        let err = refused(dir.path());
        assert!(
            err.contains(&format!("infercost.toml:2:1: {field}")),
            "{err}"
        );
    }
}

#[test]
fn a_committed_spend_on_the_per_token_offer_is_priced_and_picked_when_cheaper() {
    let dir = project(&format!(
        "{THIRTY_OFF}\n[[commitment]]\nvendor = \"tok\"\nmodel = \"llama-3.3-70b\"\nterm_months = 12\nusd_per_month = 2000\ndiscount = 0.3\n"
    ));
    let w = compare_json(dir.path());
    // Per token: $86.4 a day, 86.4 · 365/12 = $2,628 a month. At 30% off
    // the use would bill 0.7 · 2,628 = $1,839.6, below the $2,000 owed, so
    // the spend costs $2,000 a month: below acme's committed replica
    // ($67.2 a day, $2,044 a month), so it is the pick.
    let spend = option(&w, "tok", "committed");
    crate::common::assert_close(spend["usd_per_month"].as_f64().unwrap(), 2000.0, 1e-9);
    crate::common::assert_close(spend["usd_per_day"].as_f64().unwrap(), 2000.0 / MONTH, 1e-9);
    let k = &spend["commitment"];
    assert_eq!(k["commits"], "spend");
    assert_eq!(k["discount"], 0.3);
    crate::common::assert_close(
        k["uncommitted_usd_per_month"].as_f64().unwrap(),
        2628.0,
        1e-9,
    );
    // m* = F·T/(O − P + F) = 2,000 · 12 / (2,628 − 2,000 + 2,000) = 9.1324.
    crate::common::assert_close(
        k["break_even_months"].as_f64().unwrap(),
        24_000.0 / 2628.0,
        1e-8,
    );
    assert_eq!(w["pick"]["primary"]["vendor"], "tok");
    assert_eq!(w["pick"]["primary"]["offer"], "committed");
    assert_eq!(w["pick"]["runner_up"]["vendor"], "acme");
    assert_eq!(w["pick"]["runner_up"]["offer"], "committed");
    let table = run(dir.path(), &["compare", "flat", "--as-of", "2026-12-01"]);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("commitment (pick): tok committed: committing $2,000 a month for 12 months, all use at 30% off the"),
        "{table}"
    );
}

#[test]
fn a_committed_spend_needs_its_amount_and_an_offer_that_exists() {
    for (entry, expected) in [
        (
            "model = \"llama-3.3-70b\"\nterm_months = 12\ndiscount = 0.3",
            "infercost.toml:2:1: commitment.usd_per_month: a committed spend needs `usd_per_month`",
        ),
        (
            "model = \"llama-3.3-7b\"\nterm_months = 12\nusd_per_month = 10\ndiscount = 0.3",
            "infercost.toml:2:1: commitment.model: tok has no per-token offer of `llama-3.3-7b`",
        ),
    ] {
        let dir = project(&format!(
            "# mine\n[[commitment]]\nvendor = \"tok\"\n{entry}\n"
        ));
        let err = refused(dir.path());
        assert!(err.contains(expected), "{err}");
    }
}
