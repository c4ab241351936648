//! The budget line: for a pick over the workload's budget, by how much,
//! and the cheapest eligible option within it (of the picked model, else a
//! substitute's) or that none is. One sentence for every place that shows
//! it: the report's Recommendation (**Budget:**) and the `compare` and
//! `quote` tables (`budget:`). The figures are the engine's ([`Budget`],
//! `pick.budget` in report.json and compare's JSON); this only words them.

use crate::contract::{Budget, PricedOption, WorkloadResult};
use crate::format::{percent, usd};

/// For a pick over its budget, the line shown under the pick (`None`
/// within it, or without a budget).
pub(crate) fn headline(w: &WorkloadResult) -> Option<String> {
    let b = w.pick.budget.as_ref()?;
    let within = b
        .cheapest_within
        .as_ref()
        .and_then(|c| w.option(Some(&c.option)));
    let all = Acceptable {
        model: &w.model,
        substitutes: w.substitutes.is_some(),
    };
    over_budget(b, &w.primary()?.model, within, all)
}

/// The models a workload accepts: its first choice, and whether it lists
/// substitutes.
#[derive(Clone, Copy)]
struct Acceptable<'a> {
    model: &'a str,
    substitutes: bool,
}

/// The line for a pick of `model` over the budget `b`, `within` being
/// the verdict's cheapest option within it; `None` when the pick is within.
fn over_budget(
    b: &Budget,
    model: &str,
    within: Option<&PricedOption>,
    all: Acceptable,
) -> Option<String> {
    let over_by = b.pick_over_by_usd_per_month?;
    Some(format!(
        "the pick costs {}/month, {}; {}",
        usd(b.pick_usd_per_month),
        how_far_over(over_by, b.usd_per_month),
        what_is_within(model, within, all)
    ))
}

/// `74% over the workload's $1,000/month budget` (in dollars against a
/// budget of nothing, where a share means nothing; "just" where the pick
/// is over by less than the cents its rounded cost shows).
fn how_far_over(over_by: f64, budget: f64) -> String {
    let by = if over_by <= 0.0 {
        "just".to_string()
    } else if budget > 0.0 {
        percent(over_by / budget)
    } else {
        usd(over_by)
    };
    format!("{by} over the workload's {}/month budget", usd(budget))
}

/// The cheapest option within the budget in words, `model` being the pick's.
fn what_is_within(model: &str, within: Option<&PricedOption>, all: Acceptable) -> String {
    match within {
        Some(o) if o.model == model => format!(
            "{} is within it, at {}/month",
            o.label(),
            usd(o.usd_per_month)
        ),
        Some(o) => format!(
            "no eligible option of {model} is within it; {}{} is, at {}/month",
            o.label(),
            if o.substitute { " (a substitute)" } else { "" },
            usd(o.usd_per_month)
        ),
        None if all.substitutes => format!(
            "no eligible option of {} or of its substitutes is within it",
            all.model
        ),
        None => "no eligible option is within it".into(),
    }
}

#[cfg(test)]
mod tests;
