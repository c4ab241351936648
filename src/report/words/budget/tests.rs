//! The budget line's words on a hand-made verdict: over with a substitute
//! within, over with an option of the pick's own model within, over with
//! nothing within, over a budget of nothing, and within (no line).

use super::{over_budget, Acceptable};
use crate::contract::{Budget, OfferKind, PricedOption};
use crate::verdict::Verdict;

const ALL: Acceptable = Acceptable {
    model: "llama-3.3-70b",
    substitutes: true,
};

/// A per-token option of `model` at `usd` a month.
fn option(vendor: &str, model: &str, usd: f64) -> PricedOption {
    PricedOption {
        offer: OfferKind::Serverless,
        model: model.into(),
        substitute: model != ALL.model,
        ..PricedOption::for_tests(vendor, usd, Verdict::default())
    }
}

/// A budget of `budget` against a pick at `pick` a month.
fn budget(budget: f64, pick: f64) -> Budget {
    Budget {
        usd_per_month: budget,
        pick_usd_per_month: pick,
        pick_over_by_usd_per_month: (pick > budget).then_some(pick - budget),
        cheapest_within: None,
    }
}

#[test]
fn an_over_budget_pick_names_the_substitute_within_it() {
    // $1,740 against $1,000: $740 over, 740 / 1,000 = 74%.
    let within = option("together", "muse-glimmer-30b", 342.0);
    let line = over_budget(&budget(1000.0, 1740.0), ALL.model, Some(&within), ALL);
    assert_eq!(
        line.as_deref(),
        Some("the pick costs $1,740/month, 74% over the workload's $1,000/month budget; no eligible option of llama-3.3-70b is within it; together serverless of muse-glimmer-30b (a substitute) is, at $342/month")
    );
}

#[test]
fn an_option_of_the_picked_model_within_the_budget_is_named_as_such() {
    // $1,005 against $1,000: $5 over, 5 / 1,000 = 0.50%.
    let within = option("fireworks", ALL.model, 998.0);
    let line = over_budget(&budget(1000.0, 1005.0), ALL.model, Some(&within), ALL);
    assert_eq!(
        line.as_deref(),
        Some("the pick costs $1,005/month, 0.50% over the workload's $1,000/month budget; fireworks serverless is within it, at $998/month")
    );
}

#[test]
fn nothing_within_the_budget_is_said_for_every_acceptable_model() {
    // $135 against $100: $35 over, 35 / 100 = 35%.
    let line = over_budget(&budget(100.0, 135.0), ALL.model, None, ALL);
    assert_eq!(
        line.as_deref(),
        Some("the pick costs $135/month, 35% over the workload's $100/month budget; no eligible option of llama-3.3-70b or of its substitutes is within it")
    );
    let alone = Acceptable {
        substitutes: false,
        ..ALL
    };
    let line = over_budget(&budget(100.0, 135.0), ALL.model, None, alone).unwrap();
    assert!(
        line.ends_with("; no eligible option is within it"),
        "{line}"
    );
}

#[test]
fn a_budget_of_nothing_is_exceeded_in_dollars_not_a_share() {
    let line = over_budget(&budget(0.0, 135.0), ALL.model, None, ALL).unwrap();
    assert!(
        line.starts_with("the pick costs $135/month, $135 over the workload's $0/month budget;"),
        "{line}"
    );
}

#[test]
fn a_pick_within_the_budget_has_no_line() {
    let within = option("together", ALL.model, 900.0);
    assert_eq!(
        over_budget(&budget(1000.0, 900.0), ALL.model, Some(&within), ALL),
        None
    );
}

#[test]
fn a_pick_over_by_less_than_its_rounding_is_just_over() {
    // The flag is set on the unrounded cost; the row's rounded cost can
    // equal the budget ($5,353.33 against $5,353.33): over by $0, which
    // reads "just over", not "0% over".
    let at_the_edge = Budget {
        pick_over_by_usd_per_month: Some(0.0),
        ..budget(5353.33, 5353.33)
    };
    let line = over_budget(&at_the_edge, ALL.model, None, ALL).unwrap();
    assert!(
        line.starts_with(
            "the pick costs $5,353/month, just over the workload's $5,353/month budget;"
        ),
        "{line}"
    );
}
