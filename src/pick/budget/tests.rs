//! The budget verdict on hand-made options whose over-budget flags are the
//! judge's own ([`crate::pick::over_budget`]): a pick over the budget with
//! a substitute within it, one with an option of its own model within it,
//! one with nothing within it, and a pick within it.

use super::verdict;
use crate::contract::{OfferKind, PricedOption};
use crate::profile::Workload;
use crate::verdict::{Exclusion, Verdict};

/// A month is 365/12 days: $48 a day is 48 · 365 / 12 = $1,460 a month.
const MONTH_DAYS: f64 = 365.0 / 12.0;

fn workload(budget: Option<f64>) -> Workload {
    let budget = budget.map_or(String::new(), |b| format!("budget_usd_per_month: {b}\n"));
    let text = format!(
        "workload: w\nname: W\nmodel: old-70b\nsubstitutes: [new-30b]\nrequests_per_day: 1000\ninput_tokens: 100\noutput_tokens: 10\n{budget}"
    );
    crate::profile::parse::workload("w.yaml", "w", &text).unwrap()
}

/// An option of `model` costing `usd_per_day`, judged against `budget` as
/// the judge does; `excluded` makes it ineligible.
fn of(
    vendor: &str,
    offer: OfferKind,
    model: &str,
    usd_per_day: f64,
    budget: f64,
    excluded: bool,
) -> PricedOption {
    let mut verdict = Verdict::default();
    verdict
        .flags
        .extend(crate::pick::over_budget(usd_per_day, Some(budget)));
    if excluded {
        verdict.exclusions.push(Exclusion::SharedInfrastructure);
    }
    PricedOption {
        offer,
        model: model.into(),
        substitute: model != "old-70b",
        usd_per_day,
        ..PricedOption::for_tests(vendor, usd_per_day * MONTH_DAYS, verdict)
    }
}

/// Sorted by $/month, as the engine's rows are; the pick is "a", the
/// cheapest eligible option of the first choice, old-70b:
/// - c, new-30b, excluded: $6/day = $182.50/month;
/// - t, a training option: $10/day = $304.17/month (never serving);
/// - s, new-30b per token: $12/day = $365/month;
/// - d, new-30b per token: $24/day = $730/month;
/// - a, old-70b dedicated: $48/day = $1,460/month;
/// - b, old-70b per token: $60/day = $1,825/month.
fn options(budget: f64) -> Vec<PricedOption> {
    vec![
        of("c", OfferKind::Dedicated, "new-30b", 6.0, budget, true),
        of("t", OfferKind::Training, "old-70b", 10.0, budget, false),
        of("s", OfferKind::Serverless, "new-30b", 12.0, budget, false),
        of("d", OfferKind::Serverless, "new-30b", 24.0, budget, false),
        of("a", OfferKind::Dedicated, "old-70b", 48.0, budget, false),
        of("b", OfferKind::Serverless, "old-70b", 60.0, budget, false),
    ]
}

const PICK: usize = 4;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn a_pick_over_the_budget_names_the_cheapest_substitute_within_it() {
    // Budget $1,000; the pick "a" costs $1,460: $460 over (46%). Every
    // old-70b option is over ("b" costs $1,825), so the cheapest within is
    // a substitute's: "s" at $365 (the excluded "c" at $182.50 and the
    // training "t" at $304.17 do not count).
    let o = options(1000.0);
    let v = verdict(&workload(Some(1000.0)), &o, Some(&o[PICK].key())).unwrap();
    assert_eq!(v.usd_per_month, 1000.0);
    assert!(close(v.pick_usd_per_month, 1460.0), "{v:?}");
    assert!(close(v.pick_over_by_usd_per_month.unwrap(), 460.0), "{v:?}");
    let within = v.cheapest_within.unwrap();
    assert_eq!(within.option.vendor, "s");
    assert!(within.substitute);
    assert!(close(within.usd_per_month, 365.0));
}

#[test]
fn an_option_of_the_picked_model_within_the_budget_comes_before_a_cheaper_substitute() {
    // "e", old-70b, costs $47.90/day = 47.9 · 365 / 12 = $1,456.96/month,
    // tied with the pick "a" ($1,460, 0.21% apart, within the 0.5% of a
    // tie) and sorted before it; say the tie went to "a". Budget $1,458:
    // "a" is $2 over, "e" is within by $1.04 and is named before the
    // cheaper substitute "s" ($365), as the pick prefers its model.
    let mut o = options(1458.0);
    let e = of("e", OfferKind::Serverless, "old-70b", 47.9, 1458.0, false);
    o.insert(PICK, e);
    let pick = o[PICK + 1].key();
    let v = verdict(&workload(Some(1458.0)), &o, Some(&pick)).unwrap();
    assert!(close(v.pick_over_by_usd_per_month.unwrap(), 2.0), "{v:?}");
    let within = v.cheapest_within.unwrap();
    assert_eq!(within.option.vendor, "e");
    assert!(!within.substitute);
    assert!(close(within.usd_per_month, 47.9 * 365.0 / 12.0));
}

#[test]
fn nothing_eligible_within_the_budget_is_said_as_none() {
    // Budget $300: "s" ($365) and every dearer option are over; "c"
    // ($182.50) is excluded and "t" ($304.17, over anyway) trains.
    let o = options(300.0);
    let v = verdict(&workload(Some(300.0)), &o, Some(&o[PICK].key())).unwrap();
    assert!(
        close(v.pick_over_by_usd_per_month.unwrap(), 1160.0),
        "{v:?}"
    );
    assert_eq!(v.cheapest_within, None);
}

#[test]
fn a_pick_within_the_budget_is_not_over_and_is_its_own_cheapest_within() {
    // Budget $1,500 against the pick's $1,460: within by $40. The
    // cheapest within of the picked model is the pick itself, although a
    // substitute's "s" ($365) costs less; "b" ($1,825) is over.
    let o = options(1500.0);
    let v = verdict(&workload(Some(1500.0)), &o, Some(&o[PICK].key())).unwrap();
    assert_eq!(v.pick_over_by_usd_per_month, None);
    assert_eq!(v.cheapest_within.unwrap().option, o[PICK].key());
}

#[test]
fn without_a_budget_or_a_pick_there_is_no_verdict() {
    let o = options(1000.0);
    assert_eq!(verdict(&workload(None), &o, Some(&o[PICK].key())), None);
    assert_eq!(verdict(&workload(Some(1000.0)), &o, None), None);
}
