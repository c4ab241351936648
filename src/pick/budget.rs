//! The budget verdict (part of the pick stage: price -> **pick**): a
//! workload's `budget_usd_per_month` against its pick, as the contract's
//! typed [`Budget`]. Whether an option is over the budget is the judge's
//! over-budget flag (`Verdict::over_budget`; set at the option's billed
//! cost, committed and simulated bills included), read here and never
//! judged again, so the verdict and the options table cannot disagree.
//! The words are the report's.

use crate::contract::{Budget, OptionKey, PricedOption, WithinBudget};
use crate::format::sig9;
use crate::profile::Workload;

use super::cheapest_serving;

/// The budget verdict of a workload whose pick is `primary`; `None` when
/// the workload states no budget or has no pick. `options` are the
/// workload's priced rows, of every model it accepts.
pub(crate) fn verdict(
    workload: &Workload,
    options: &[PricedOption],
    primary: Option<&OptionKey>,
) -> Option<Budget> {
    let budget = workload.budget_usd_per_month?;
    let primary = primary?;
    let pick = options.iter().find(|o| o.is(primary))?;
    Some(Budget {
        usd_per_month: budget,
        pick_usd_per_month: pick.usd_per_month,
        pick_over_by_usd_per_month: pick
            .verdict
            .over_budget()
            .then(|| sig9(pick.usd_per_month - budget)),
        cheapest_within: cheapest_within(options, &pick.model).map(|o| WithinBudget {
            option: o.key(),
            usd_per_month: o.usd_per_month,
            substitute: o.substitute,
        }),
    })
}

/// The cheapest eligible serving option within the budget: of `model` (the
/// picked one) if one is, else of any other model the workload accepts.
fn cheapest_within<'a>(options: &'a [PricedOption], model: &str) -> Option<&'a PricedOption> {
    cheapest_serving(options, |o| o.model == model && !o.verdict.over_budget())
        .or_else(|| cheapest_serving(options, |o| o.model != model && !o.verdict.over_budget()))
}

#[cfg(test)]
mod tests;
