//! The decisions a change moves, beyond its costs: where a dedicated
//! deployment starts to beat per-token pricing (crossover utilization and
//! break-even volume), which budgets the picks newly breach or clear, which
//! options gained a retirement or deprecation warning, and what each
//! workload's pick costs on both sides (the CI gates read that). Pure.

use serde::Serialize;

use super::{by_identity, workloads};
use crate::contract::{Budget, OfferKind, PricedOption, Report, WorkloadResult};
use crate::profile::Profiles;

/// A threshold of one dedicated option that moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ThresholdMove {
    /// Workload id.
    pub workload: String,
    /// The option's short label.
    pub label: String,
    /// `crossover_utilization` or `break_even_units_per_day`.
    pub threshold: &'static str,
    /// Base value; null when the base has none (never beats per-token,
    /// which a crossover above 100% utilization also means).
    pub before: Option<f64>,
    /// Head value; null when the head has none (or never reaches it).
    pub after: Option<f64>,
    /// Whether each side had a per-token offer to compare with (a null
    /// value then means "never"; without one, "no per-token offer").
    #[serde(skip)]
    pub compared: (bool, bool),
}

/// A workload whose pick went over, or back under, its budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BudgetChange {
    /// Workload id.
    pub workload: String,
    /// The head's budget, $ a month.
    pub budget_usd_per_month: f64,
    /// The base's pick, $ a month (null: no pick).
    pub before_usd_per_month: Option<f64>,
    /// The head's pick, $ a month (null: no pick).
    pub after_usd_per_month: Option<f64>,
    /// True when newly breached, false when newly cleared.
    pub breached: bool,
}

/// A warning about an offer's lifecycle that the head has and the base did not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LifecycleFlag {
    /// Workload id.
    pub workload: String,
    /// The option's short label.
    pub label: String,
    /// The warning, as the report words it.
    pub flag: String,
}

/// What one workload's pick costs on each side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PickCost {
    /// Workload id.
    pub workload: String,
    /// Base pick, $ a month (null: no eligible option).
    pub before_usd_per_month: Option<f64>,
    /// Head pick, $ a month (null: no eligible option).
    pub after_usd_per_month: Option<f64>,
}

/// Whether `before` → `after` moved by more than the share `min`: a value
/// that appears or disappears moved.
pub(crate) fn moved(before: Option<f64>, after: Option<f64>, min: f64) -> bool {
    match (before, after) {
        (Some(b), Some(a)) if b != 0.0 => ((a - b) / b).abs() > min,
        (Some(b), Some(a)) => a != b,
        (None, None) => false,
        _ => true,
    }
}

/// Crossovers and break-evens of the options both sides price that moved
/// by more than `min`.
pub(crate) fn thresholds(before: &Report, after: &Report, min: f64) -> Vec<ThresholdMove> {
    let mut out = Vec::new();
    for (id, sides) in workloads(before, after) {
        let (Some(b), Some(a)) = sides else { continue };
        let old = by_identity(b);
        for (key, n) in by_identity(a) {
            let Some((_, o)) = old.iter().find(|(k, _)| *k == key) else {
                continue;
            };
            type Get = fn(&PricedOption) -> Option<f64>;
            let pairs: [(&'static str, Get); 2] = [
                ("crossover_utilization", reachable_crossover),
                ("break_even_units_per_day", |p| p.break_even_units_per_day),
            ];
            for (threshold, get) in pairs {
                if moved(get(o), get(n), min) {
                    out.push(ThresholdMove {
                        workload: id.to_string(),
                        label: n.label(),
                        threshold,
                        before: get(o),
                        after: get(n),
                        compared: (has_per_token(b, o), has_per_token(a, n)),
                    });
                }
            }
        }
    }
    out
}

/// Whether `option`'s crossover and break-even had a per-token offer to
/// be measured against: an eligible serverless option of its model, or,
/// for the first-choice model, of a substitute (`pick::substitutes::
/// comparator`'s rule; the report lists only models the workload
/// accepts). Not the crossover's presence: a free per-token offer has no
/// crossover, and that reads "never", not "no per-token offer".
fn has_per_token(w: &WorkloadResult, option: &PricedOption) -> bool {
    w.options.iter().any(|x| {
        x.eligible()
            && x.offer == OfferKind::Serverless
            && (x.model == option.model || option.model == w.model)
    })
}

/// Each workload of both sides: what its pick costs a month.
pub(crate) fn pick_costs(before: &Report, after: &Report) -> Vec<PickCost> {
    workloads(before, after)
        .into_iter()
        .filter_map(|(id, sides)| match sides {
            (Some(b), Some(a)) => Some(PickCost {
                workload: id.to_string(),
                before_usd_per_month: pick_cost(b),
                after_usd_per_month: pick_cost(a),
            }),
            _ => None,
        })
        .collect()
}

/// Workloads of both sides whose pick newly breaches, or newly clears, the
/// head's budget (the base's budget judges the base). Over or within is
/// each side's budget verdict (`pick.budget`, which reads the pick's
/// over-budget flag), the one the report, `compare` and `quote` word, so
/// the diff never judges it again; the head's profile gives the budget for
/// a head without a pick (and so without a verdict).
pub(crate) fn budgets(before: &Report, after: &Report, head: &Profiles) -> Vec<BudgetChange> {
    workloads(before, after)
        .into_iter()
        .filter_map(|(id, sides)| {
            let (Some(b), Some(a)) = sides else {
                return None;
            };
            let budget = head
                .workloads
                .iter()
                .find(|w| w.workload == id)
                .and_then(|w| w.budget_usd_per_month)?;
            let (was, is) = (over_budget(b), over_budget(a));
            (was != is).then(|| BudgetChange {
                workload: id.to_string(),
                budget_usd_per_month: budget,
                before_usd_per_month: pick_cost(b),
                after_usd_per_month: pick_cost(a),
                breached: is,
            })
        })
        .collect()
}

/// What the workload's pick costs a month (`None`: no pick).
fn pick_cost(w: &WorkloadResult) -> Option<f64> {
    w.primary().map(|o| o.usd_per_month)
}

/// Whether the workload's budget verdict has its pick over the budget.
fn over_budget(w: &WorkloadResult) -> bool {
    w.pick.budget.as_ref().is_some_and(Budget::is_over)
}

/// Deprecation and retirement flags on options of the head that the same
/// option did not carry in the base (lifecycle dates are the vendors' to
/// state).
pub(crate) fn lifecycle(before: &Report, after: &Report) -> Vec<LifecycleFlag> {
    let mut out = Vec::new();
    for (id, (b, a)) in workloads(before, after) {
        let Some(a) = a else { continue };
        let old = b.map(by_identity).unwrap_or_default();
        for (key, n) in by_identity(a) {
            let had = old
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, o)| &o.verdict.flags);
            for flag in &n.verdict.flags {
                if flag.is_lifecycle() && !had.is_some_and(|f| f.contains(flag)) {
                    out.push(LifecycleFlag {
                        workload: id.to_string(),
                        label: n.label(),
                        flag: flag.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The workloads whose pick rose by more than `pct` percent, or by more
/// than `usd` a month, in words, for the CI gates.
pub(crate) fn cost_increases(
    costs: &[PickCost],
    pct: Option<f64>,
    usd: Option<f64>,
) -> Vec<String> {
    costs
        .iter()
        .filter_map(|c| {
            let (b, a) = (c.before_usd_per_month?, c.after_usd_per_month?);
            let rise = a - b;
            let over_pct = pct.is_some_and(|p| rise > 0.0 && (b == 0.0 || rise / b * 100.0 > p));
            let over_usd = usd.is_some_and(|u| rise > u);
            (over_pct || over_usd).then(|| {
                format!(
                    "{} ({} → {} a month)",
                    c.workload,
                    crate::format::usd(b),
                    crate::format::usd(a)
                )
            })
        })
        .collect()
}

/// An option's crossover utilization where it can be reached: above 100%
/// a replica would have to be busier than all the time, so the dedicated
/// option never beats per-token pricing, and `None` says so (a move from
/// 175% to 197% is no move: never, both sides).
fn reachable_crossover(o: &PricedOption) -> Option<f64> {
    o.crossover_utilization.filter(|u| *u <= 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_are_shares_and_appearances() {
        assert!(moved(Some(0.5), Some(0.52), 0.01)); // +4%
        assert!(!moved(Some(0.5), Some(0.504), 0.01)); // +0.8%
        assert!(moved(None, Some(0.5), 0.01));
        assert!(!moved(None, None, 0.01));
    }

    #[test]
    fn cost_gates_read_percent_and_dollars() {
        let c = [PickCost {
            workload: "chat".into(),
            before_usd_per_month: Some(1000.0),
            after_usd_per_month: Some(1150.0),
        }];
        // +$150 is +15%.
        assert_eq!(cost_increases(&c, Some(10.0), None).len(), 1);
        assert!(cost_increases(&c, Some(15.0), None).is_empty());
        assert_eq!(
            cost_increases(&c, None, Some(100.0)),
            ["chat ($1,000 → $1,150 a month)"]
        );
        assert!(cost_increases(&c, None, Some(150.0)).is_empty());
    }
}
