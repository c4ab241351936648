//! A workload's budget through the real executable, on the bundled
//! profiles: a pick over its budget says so right under the pick (Markdown
//! and HTML), in the index's Why column and in report.json's
//! `pick.budget`, with the same figures; a pick within its budget adds no
//! line anywhere. bursty-10k is the case that was missed: every
//! llama-3.3-70b option over its $1,000/month, a substitute within it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infercost::format::{percent, usd};
use serde_json::Value;

use crate::common::{bundled_report, tree};

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

/// What the Budget line must say, from the JSON's figures.
fn expected_start(b: &Value) -> String {
    let (budget, pick, by) = (
        b["usd_per_month"].as_f64().unwrap(),
        b["pick_usd_per_month"].as_f64().unwrap(),
        b["pick_over_by_usd_per_month"].as_f64().unwrap(),
    );
    format!(
        "**Budget:** the pick costs {}/month, {} over the workload's {}/month budget; ",
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
        assert!(line.starts_with(&expected_start(b)), "{id}: {line}");
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
