//! A workload's budget through the real executable, on the bundled
//! profiles: a pick over its budget says so right under the pick (Markdown
//! and HTML), in the index's Why column and in report.json's
//! `pick.budget`, with the same figures; a pick within its budget adds no
//! line anywhere. bursty-10k is the case that was missed: every
//! llama-3.3-70b option over its $1,000/month, a substitute within it.
//! `compare` and `quote` print the report's line under their pick and
//! carry `pick.budget` in their JSON; `diff` breaches a budget exactly when
//! the report says the pick is over it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infercost::format::{percent, usd};
use serde_json::Value;

use crate::common::{bundled_report, fixture, infercost, root, succeeded, tree};

/// The report date of the golden files.
const AS_OF: &str = "2026-12-01";

fn report() -> BTreeMap<PathBuf, Vec<u8>> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    bundled_report(AS_OF, &out);
    tree(&out)
}

fn text(files: &BTreeMap<PathBuf, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files[Path::new(path)].clone()).unwrap()
}

/// The lines of section 1 of a workload report.
fn recommendation(md: &str) -> Vec<&str> {
    let start = md.find("## 1. Recommendation").unwrap();
    let end = md.find("## 2. Workload").unwrap();
    md[start..end].lines().collect()
}

/// The index row of workload `id`.
fn index_row<'a>(index: &'a str, id: &str) -> &'a str {
    let link = format!("]({id}/report.md)");
    index.lines().find(|l| l.contains(&link)).unwrap()
}

/// How the Budget line must start, from the JSON's figures.
fn expected_start(b: &Value) -> String {
    let (budget, pick, by) = (
        b["usd_per_month"].as_f64().unwrap(),
        b["pick_usd_per_month"].as_f64().unwrap(),
        b["pick_over_by_usd_per_month"].as_f64().unwrap(),
    );
    format!(
        "the pick costs {}/month, {} over the workload's {}/month budget; ",
        usd(pick),
        percent(by / budget),
        usd(budget)
    )
}

#[test]
fn an_over_budget_pick_says_so_under_the_pick_in_the_index_and_the_json() {
    let files = report();
    let json: Value = serde_json::from_str(&text(&files, "report.json")).unwrap();
    let index = text(&files, "index.md");
    let mut over = Vec::new();
    for w in json["workloads"].as_array().unwrap() {
        let id = w["workload"].as_str().unwrap();
        let md = text(&files, &format!("{id}/report.md"));
        let lines = recommendation(&md);
        let line = lines.iter().find(|l| l.starts_with("**Budget:**"));
        let row = index_row(&index, id);
        let b = &w["pick"]["budget"];
        if b["pick_over_by_usd_per_month"].is_null() {
            assert_eq!(line, None, "{id}: within its budget, yet {line:?}");
            assert!(!row.contains("budget"), "{row}");
            continue;
        }
        over.push(id.to_string());
        let line = line.unwrap_or_else(|| panic!("{id} is over its budget:\n{md}"));
        let start = format!("**Budget:** {}", expected_start(b));
        assert!(line.starts_with(&start), "{id}: {line}");
        // Right under the pick and the runner-up: nothing between but the
        // cold-start headline.
        let choices = lines
            .iter()
            .rposition(|l| l.starts_with("- **Pick:") || l.starts_with("- **Runner-up:"));
        let at = lines.iter().position(|l| l == line).unwrap();
        let between = &lines[choices.unwrap() + 1..at];
        assert!(
            between
                .iter()
                .all(|l| l.is_empty() || l.starts_with("**Cold starts:**")),
            "{id}: {lines:#?}"
        );
        let within = &b["cheapest_within"];
        if within.is_null() {
            assert!(line.contains("no eligible option"), "{line}");
        } else {
            let month = usd(within["usd_per_month"].as_f64().unwrap());
            assert!(line.ends_with(&format!(", at {month}/month.")), "{line}");
            let substitute = within["substitute"].as_bool().unwrap();
            assert_eq!(line.contains("(a substitute)"), substitute, "{line}");
        }
        let note = format!(
            "; over its {}/month budget |",
            usd(b["usd_per_month"].as_f64().unwrap())
        );
        assert!(row.ends_with(&note), "{row}");
        let html = text(&files, &format!("{id}/report.html"));
        assert!(
            html.contains("<p><strong>Budget:</strong> the pick costs"),
            "{id}"
        );
    }
    // The case that was missed is among them, and its line names the
    // substitute within the budget.
    assert!(over.contains(&"bursty-10k".to_string()), "{over:?}");
    let md = text(&files, "bursty-10k/report.md");
    assert!(
        md.contains("no eligible option of llama-3.3-70b is within it; together serverless of muse-glimmer-30b (a substitute) is, at $"),
        "{md}"
    );
}

/// Standard output of a successful run on the bundled profiles.
fn run(args: &[&str]) -> String {
    String::from_utf8(succeeded(infercost(args, &root())).stdout).unwrap()
}

/// The report's Budget sentence of workload `id` in the report written to
/// `out` (without its bold label and its full stop).
fn report_budget_line(out: &Path, id: &str) -> String {
    let md = std::fs::read_to_string(out.join(id).join("report.md")).unwrap();
    let line = recommendation(&md)
        .into_iter()
        .find_map(|l| l.strip_prefix("**Budget:** "))
        .unwrap_or_else(|| panic!("no Budget line in {id}'s report:\n{md}"));
    line.strip_suffix('.').unwrap().to_string()
}

/// The `budget:` line of an unwrapped (`--wide`) compare or quote table,
/// checked to sit right under the pick and the runner-up (and the
/// cold-start line, as in the report), and to be the only one; `None` when
/// there is none.
fn table_budget_line(table: &str) -> Option<String> {
    let lines: Vec<&str> = table.lines().collect();
    let found: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("budget:"))
        .collect();
    let &[at] = found.as_slice() else {
        assert!(found.is_empty(), "{table}");
        return None;
    };
    let above = lines[at - 1];
    assert!(
        above.starts_with("2nd (runner-up): ")
            || above.starts_with("pick: ")
            || above.starts_with("cold starts: "),
        "{table}"
    );
    Some(lines[at].to_string())
}

/// The first workload's `pick.budget` in a JSON contract.
fn json_budget(json: &str) -> Value {
    let v: Value = serde_json::from_str(json).unwrap();
    v["workloads"][0]["pick"]["budget"].clone()
}

#[test]
fn compare_prints_the_reports_budget_line_under_an_over_budget_pick() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let only = ["--only", "bursty-10k", "--out", out.to_str().unwrap()];
    run(&[&["report", "--as-of", AS_OF][..], &only].concat());
    let compare = ["compare", "bursty-10k", "--as-of", AS_OF];
    let table = run(&[&compare[..], &["--wide"]].concat());
    let line = table_budget_line(&table).unwrap_or_else(|| panic!("no budget line:\n{table}"));
    assert_eq!(
        line,
        format!("budget: {}", report_budget_line(&out, "bursty-10k"))
    );
    // Its JSON carries the report's verdict, the one the line words.
    let json = run(&[&compare[..], &["--format", "json"]].concat());
    let b = json_budget(&json);
    let report = std::fs::read_to_string(out.join("bursty-10k/report.json")).unwrap();
    assert_eq!(b, json_budget(&report));
    assert!(
        line.starts_with(&format!("budget: {}", expected_start(&b))),
        "{line}"
    );
    let within = usd(b["cheapest_within"]["usd_per_month"].as_f64().unwrap());
    assert!(line.ends_with(&format!(" (a substitute) is, at {within}/month")));
    // Wrapped to the terminal, it is still there, under the runner-up.
    let wrapped = run(&compare);
    assert!(wrapped.contains("\nbudget: the pick costs $"), "{wrapped}");
}

#[test]
fn compare_prints_no_budget_line_for_a_pick_within_its_budget() {
    let compare = ["compare", "support-chat", "--as-of", AS_OF];
    let table = run(&[&compare[..], &["--wide"]].concat());
    assert_eq!(table_budget_line(&table), None, "{table}");
    let b = json_budget(&run(&[&compare[..], &["--format", "json"]].concat()));
    assert!(b["usd_per_month"].is_number(), "{b}");
    assert!(b["pick_over_by_usd_per_month"].is_null(), "{b}");
}

/// bursty-10k's volume and tokens as quote flags (a flat day, no
/// substitutes).
const QUOTE: [&str; 10] = [
    "quote",
    "--model",
    "llama-3.3-70b",
    "--requests-per-day",
    "10000",
    "--input-tokens",
    "1500",
    "--output-tokens",
    "400",
    "--as-of",
];

#[test]
fn quote_prints_the_reports_budget_line_for_a_pick_over_its_budget() {
    let tmp = tempfile::tempdir().unwrap();
    let saved = tmp.path().join("workloads/q.yaml");
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    let over = [AS_OF, "--budget", "1000", "--wide"];
    let save = ["--save", saved.to_str().unwrap()];
    let table = run(&[&QUOTE[..], &over, &save].concat());
    let line = table_budget_line(&table).unwrap_or_else(|| panic!("no budget line:\n{table}"));
    // The report on the saved profile says the same.
    let out = tmp.path().join("out");
    let workloads = tmp.path().join("workloads");
    run(&[
        "report",
        "--as-of",
        AS_OF,
        "--workloads",
        workloads.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(line, format!("budget: {}", report_budget_line(&out, "q")));
    let json = run(&[&QUOTE[..], &[AS_OF, "--budget", "1000", "--format", "json"]].concat());
    let b = json_budget(&json);
    assert!(
        line.starts_with(&format!("budget: {}", expected_start(&b))),
        "{line}"
    );
}

#[test]
fn quote_prints_no_budget_line_for_a_pick_within_its_budget() {
    let table = run(&[&QUOTE[..], &[AS_OF, "--budget", "100000", "--wide"]].concat());
    assert_eq!(table_budget_line(&table), None, "{table}");
    let json = run(&[
        &QUOTE[..],
        &[AS_OF, "--budget", "100000", "--format", "json"],
    ]
    .concat());
    assert!(json_budget(&json)["pick_over_by_usd_per_month"].is_null());
}

/// The diff's "budget newly breached" is the report's verdict: at a budget
/// equal to the pick's cost as the JSON rounds it ($176 a day is
/// $5,353.333… a month, shown as 5353.33333), the pick is over (its row is
/// flagged at its unrounded cost), so the diff breaches it too, where
/// comparing the rounded cost with the budget said nothing.
#[test]
fn diff_breaches_a_budget_exactly_when_the_report_says_the_pick_is_over() {
    let base = fixture("basic");
    let head = crate::common::scratch("basic");
    let on = |dir: &Path, extra: &[&str]| {
        let (vendors, workloads) = (dir.join("vendors"), dir.join("workloads"));
        let mut args = vec!["compare", "chat", "--as-of", "2026-05-01"];
        args.extend(["--vendors", vendors.to_str().unwrap()]);
        args.extend(["--workloads", workloads.to_str().unwrap()]);
        run(&[&args[..], extra].concat())
    };
    let json = |dir: &Path| json_budget(&on(dir, &["--format", "json"]));
    let cost = json(&base)["pick_usd_per_month"].as_f64().unwrap();
    let chat = head.path().join("workloads/chat.yaml");
    let text = std::fs::read_to_string(&chat).unwrap();
    assert!(text.contains("budget_usd_per_month: 5500\n"), "{text}");
    let text = text.replace("5500\n", &format!("{cost}\n"));
    std::fs::write(&chat, text).unwrap();
    // The report's verdict (and compare's line): over.
    let b = json(head.path());
    assert_eq!(b["usd_per_month"].as_f64(), Some(cost));
    assert!(b["pick_over_by_usd_per_month"].is_number(), "{b}");
    let table = on(head.path(), &["--wide"]);
    assert!(table_budget_line(&table).is_some(), "{table}");
    // The diff: newly breached, and the gate trips.
    let diff = infercost(
        &[
            "diff",
            "--base-dir",
            base.to_str().unwrap(),
            "--head-dir",
            head.path().to_str().unwrap(),
            "--as-of",
            "2026-05-01",
            "--fail-on-budget-breach",
        ],
        &root(),
    );
    let err = String::from_utf8_lossy(&diff.stderr);
    assert_eq!(diff.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the pick newly goes over budget for chat (--fail-on-budget-breach)"),
        "{err}"
    );
    let md = String::from_utf8(diff.stdout).unwrap();
    assert!(
        md.contains("- Budget newly breached: `chat` picks $5,353/month"),
        "{md}"
    );
}
