//! The cold-start plan is computed by the engine and carried in
//! report.json: every figure a report's cold-start plan states is one of
//! the contract's `cold_start_plan` figures, as the report formats it.

use crate::common::root;

use infercost::format::{count, percent, usd};
use serde_json::Value;

/// Every number the plan's `lines` state (`0.37%`, `5,597`, `$5,840`,
/// `2.4 replicas`), `<0.01%` as one.
fn figures(lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let mut figure = String::new();
        for ch in line.chars().chain([' ']) {
            let digit = ch.is_ascii_digit();
            let inside = !figure.is_empty();
            if digit || "<$".contains(ch) || (inside && ",.%".contains(ch)) {
                figure.push(ch);
            } else if inside {
                let trimmed = figure.trim_end_matches([',', '.']).to_string();
                if trimmed.chars().any(|c| c.is_ascii_digit()) {
                    out.push(trimmed);
                }
                figure.clear();
            }
        }
    }
    out
}

/// Every number under `v`, each as the report may format it.
fn formatted(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Number(n) => {
            let x = n.as_f64().unwrap();
            out.extend([
                count(x),
                count(x.round()),
                percent(x),
                usd(x),
                format!("{x:.1}"),
                x.to_string(),
                // A rate under one a day reads "one every N days" (N = 1/x).
                count((1.0 / x).round()),
            ]);
        }
        Value::Object(map) => map.values().for_each(|v| formatted(v, out)),
        Value::Array(items) => items.iter().for_each(|v| formatted(v, out)),
        _ => {}
    }
}

/// Asserts that each figure of `lines` is a figure of `plan` (the JSON
/// `cold_start_plan`); returns how many were found.
pub(crate) fn assert_carried(lines: &[String], plan: &Value) -> usize {
    assert!(plan.is_object(), "no cold_start_plan: {plan}");
    let mut known = Vec::new();
    formatted(plan, &mut known);
    let stated = figures(lines);
    for figure in &stated {
        assert!(
            known.contains(figure),
            "{figure} is stated but not in report.json's cold_start_plan {plan}\n{lines:#?}"
        );
    }
    stated.len()
}

/// The cold-start plan's bullet lines of a Markdown report.
fn plan_lines(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .skip_while(|l| *l != "**Cold-start plan**")
        .skip(2)
        .take_while(|l| l.starts_with("- "))
        .map(str::to_string)
        .collect()
}

#[test]
fn report_json_carries_every_figure_of_the_markdown_cold_start_plan() {
    for dir in [
        "tests/golden/agent-rl-rollouts",
        "docs/example/support-chat",
    ] {
        let dir = root().join(dir);
        let markdown = std::fs::read_to_string(dir.join("report.md")).unwrap();
        let json: Value =
            serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
        let lines = plan_lines(&markdown);
        assert_eq!(lines.len(), 4, "{}: {lines:#?}", dir.display());
        let plan = &json["workloads"][0]["cold_start_plan"];
        // Share, cold start s, four pool figures, first hour's three.
        let n = assert_carried(&lines, plan);
        assert!(n >= 8, "{}: only {n} figures", dir.display());
    }
}

#[test]
fn figures_are_read_as_the_report_writes_them() {
    let lines = ["- wait: <0.01% (about 5,597 a day), $5,840/month, 2.4 replicas, 50 s.".into()];
    assert_eq!(figures(&lines), ["<0.01%", "5,597", "$5,840", "2.4", "50"]);
}

/// A scaled pick the closed form bills and its simulation check confirms
/// (bursty-10k's, under the check's arrival bound): the plan states the
/// closed form's share and, beside it, the share the check simulated
/// (the closed form is within about 1.3 points of the simulation, which
/// matters next to a 1% allowance); report.json carries both.
#[test]
fn a_checked_picks_plan_states_the_simulated_share_beside_the_closed_forms() {
    let dir = tempfile::tempdir().unwrap();
    let root = root();
    let (vendors, workloads) = (root.join("vendors"), root.join("workloads"));
    crate::common::succeeded(crate::common::infercost(
        &[
            "report",
            "--vendors",
            vendors.to_str().unwrap(),
            "--workloads",
            workloads.to_str().unwrap(),
            "--only",
            "bursty-10k",
            "--as-of",
            "2026-12-01",
            "--format",
            "json,md",
            "--out",
            "out",
        ],
        dir.path(),
    ));
    let report = dir.path().join("out/bursty-10k");
    let markdown = std::fs::read_to_string(report.join("report.md")).unwrap();
    let json: Value =
        serde_json::from_slice(&std::fs::read(report.join("report.json")).unwrap()).unwrap();
    let allowance = &json["workloads"][0]["cold_start_plan"]["allowance"];
    assert_eq!(allowance["billed_by"], "closed-form");
    let (closed, simulated) = (
        allowance["share"].as_f64().unwrap(),
        allowance["simulated_share"].as_f64().unwrap(),
    );
    assert!((closed - simulated).abs() < 0.013, "{allowance}");
    let lines = plan_lines(&markdown);
    let sentence = format!(
        "{} (about {} a day), each for about 50 s; the workload allows 1.0%, so this is over its allowance (the closed form's share, as it bills this pick; the pick's simulation check gives {}).",
        percent(closed),
        count(allowance["waiting_per_day"].as_f64().unwrap()),
        percent(simulated)
    );
    assert!(lines[0].ends_with(&sentence), "{lines:#?}");
    assert_carried(&lines, &json["workloads"][0]["cold_start_plan"]);
}

/// The Recommendation's cold-start headline of workload `id` in a report
/// written to `out` (without its bold label and its full stop), if any.
fn report_cold_start_line(out: &std::path::Path, id: &str) -> Option<String> {
    let md = std::fs::read_to_string(out.join(id).join("report.md")).unwrap();
    md.lines()
        .find_map(|l| l.strip_prefix("**Cold starts:** "))
        .map(|l| l.strip_suffix('.').unwrap_or(l).to_string())
}

/// `compare` prints, under the pick, the cold-start headline the report
/// puts under it: for bursty-10k (1.8% of requests wait about 50 s,
/// above the 1% allowance) the same sentence; for support-chat (within
/// its allowance) none, as in its report.
#[test]
fn compare_prints_the_reports_cold_start_line_for_a_pick_over_its_allowance() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for id in ["bursty-10k", "support-chat"] {
        let report = ["report", "--as-of", "2026-12-01", "--only", id, "--out"];
        let run =
            crate::common::infercost(&[&report[..], &[out.to_str().unwrap()]].concat(), &root());
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let compare = ["compare", id, "--as-of", "2026-12-01", "--wide"];
        let table = crate::common::infercost(&compare, &root());
        assert!(table.status.success());
        let table = String::from_utf8(table.stdout).unwrap();
        let line = table
            .lines()
            .find_map(|l| l.strip_prefix("cold starts: "))
            .map(str::to_string);
        assert_eq!(line, report_cold_start_line(&out, id), "{id}:\n{table}");
        if id == "bursty-10k" {
            let line = line.expect("bursty-10k's pick is over its allowance");
            assert!(
                line.contains("above the workload's 1.0% allowance"),
                "{line}"
            );
        }
    }
}
