//! The decision part of the diff comment: thresholds that moved (where a
//! dedicated deployment starts to beat per-token pricing), budgets newly
//! breached or cleared, and lifecycle warnings new in the head. Every
//! profile-controlled string goes through [`super::escape`].

use super::escape::{code, text};
use super::{Diff, ThresholdMove};
use crate::format::{count, percent, usd};

/// The headline's parts for the decisions: `2 thresholds moved`, ...
pub(super) fn headline_parts(diff: &Diff) -> Vec<String> {
    let breached = diff.budgets.iter().filter(|b| b.breached).count();
    let cleared = diff.budgets.len() - breached;
    [
        (diff.thresholds.len(), "threshold moved", "thresholds moved"),
        (breached, "budget breached", "budgets breached"),
        (cleared, "budget cleared", "budgets cleared"),
        (
            diff.lifecycle.len(),
            "lifecycle warning",
            "lifecycle warnings",
        ),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect()
}

/// The section "Decisions that moved", when any did.
pub(super) fn render(diff: &Diff, out: &mut String) {
    if diff.thresholds.is_empty() && diff.budgets.is_empty() && diff.lifecycle.is_empty() {
        return;
    }
    out.push_str("\n#### Decisions that moved\n\n");
    for b in &diff.budgets {
        let pick =
            |c: Option<f64>| c.map_or("no pick".to_string(), |c| format!("{}/month", usd(c)));
        out.push_str(&format!(
            "- Budget {}: {} picks {} (was {}) against a budget of {}/month\n",
            if b.breached {
                "newly breached"
            } else {
                "cleared"
            },
            code(&b.workload),
            pick(b.after_usd_per_month),
            pick(b.before_usd_per_month),
            usd(b.budget_usd_per_month),
        ));
    }
    for l in &diff.lifecycle {
        out.push_str(&format!(
            "- New lifecycle warning: {}, {}: {}\n",
            code(&l.workload),
            text(&l.label),
            text(&l.flag)
        ));
    }
    if diff.thresholds.is_empty() {
        return;
    }
    if !diff.budgets.is_empty() || !diff.lifecycle.is_empty() {
        out.push('\n');
    }
    out.push_str(
        "| workload | option | where it beats per-token | before | after |\n| --- | --- | --- | ---: | ---: |\n",
    );
    for t in &diff.thresholds {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            text(&t.workload),
            text(&t.label),
            threshold_name(t),
            threshold_value(t, t.before, t.compared.0),
            threshold_value(t, t.after, t.compared.1),
        ));
    }
}

fn threshold_name(t: &ThresholdMove) -> &'static str {
    match t.threshold {
        "crossover_utilization" => "above this utilization",
        _ => "above this volume a day",
    }
}

/// A threshold as read: a utilization as a percentage, a volume as a
/// count; none means the deployment never beats per-token pricing, or,
/// where no per-token offer was eligible to compare with (`compared`
/// false), that there was nothing to cross over to.
fn threshold_value(t: &ThresholdMove, v: Option<f64>, compared: bool) -> String {
    match (t.threshold, v) {
        (_, None) if !compared => "no per-token offer".to_string(),
        (_, None) => "never".to_string(),
        ("crossover_utilization", Some(u)) => percent(u),
        (_, Some(n)) => count(n),
    }
}
