//! The substitute rules on hand-made options: which model the pick takes,
//! what a dedicated option is measured against, and the contract's note.

use chrono::NaiveDate;

use super::{comparator, note, preferred_model};
use crate::contract::{OfferKind, PricedOption};
use crate::profile::Workload;
use crate::verdict::{Exclusion, Verdict};

fn workload() -> Workload {
    let text = "workload: w\nname: W\nmodel: old-70b\nsubstitutes: [new-30b, other-8b]\nrequests_per_day: 1000\ninput_tokens: 100\noutput_tokens: 10\n";
    crate::profile::parse::workload("w.yaml", "w", text).unwrap()
}

fn retired() -> Verdict {
    Verdict {
        exclusions: vec![Exclusion::Retired {
            on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        }],
        ..Verdict::default()
    }
}

/// An option of `model` of kind `offer` at `usd` a month.
fn of(vendor: &str, offer: OfferKind, model: &str, usd: f64, verdict: Verdict) -> PricedOption {
    PricedOption {
        offer,
        model: model.into(),
        substitute: model != "old-70b",
        ..PricedOption::for_tests(vendor, usd, verdict)
    }
}

/// The first choice keeps a dedicated option, its per-token offer is
/// retired; two substitutes sell per token, the dearer one first in the
/// order of preference.
fn options() -> Vec<PricedOption> {
    vec![
        of(
            "a",
            OfferKind::Dedicated,
            "old-70b",
            700.0,
            Verdict::default(),
        ),
        of("b", OfferKind::Serverless, "old-70b", 90.0, retired()),
        of(
            "c",
            OfferKind::Serverless,
            "new-30b",
            300.0,
            Verdict::default(),
        ),
        of(
            "d",
            OfferKind::Serverless,
            "other-8b",
            200.0,
            Verdict::default(),
        ),
    ]
}

#[test]
fn the_pick_keeps_the_first_choice_while_it_has_an_eligible_option() {
    assert_eq!(preferred_model(&workload(), &options()), "old-70b");
}

#[test]
fn the_pick_falls_to_the_first_substitute_with_an_eligible_option() {
    let mut o = options();
    o[0].verdict = retired();
    // new-30b ($300) comes before other-8b ($200) in the order of preference.
    assert_eq!(preferred_model(&workload(), &o), "new-30b");
}

#[test]
fn a_first_choice_without_per_token_is_measured_against_the_cheapest_substitute() {
    let w = workload();
    let o = options();
    // b (old-70b, $90) is retired: the cheapest eligible per-token offer of
    // a substitute is d ($200), not c ($300) that is preferred.
    assert_eq!(comparator(&w, &o, "old-70b"), Some(3));
    // A substitute's own dedicated options are measured against its own only.
    assert_eq!(comparator(&w, &o, "new-30b"), Some(2));
}

#[test]
fn a_first_choice_with_per_token_is_measured_against_its_own() {
    let w = workload();
    let mut o = options();
    o[1].verdict = Verdict::default();
    assert_eq!(comparator(&w, &o, "old-70b"), Some(1));
    let n = note(&w, &o).unwrap();
    assert!(n.first_choice_per_token);
    assert_eq!(n.crossover_against, Some(o[1].key()));
}

#[test]
fn the_note_names_the_cheapest_acceptable_alternative() {
    let o = options();
    let n = note(&workload(), &o).unwrap();
    assert!(!n.first_choice_per_token);
    assert_eq!(n.models, ["new-30b", "other-8b"]);
    assert_eq!(n.crossover_against, Some(o[3].key()));
    assert_eq!(n.cheapest_alternative, Some(o[3].key()));
    assert_eq!(n.cheapest_alternative_usd_per_month, Some(200.0));
}

#[test]
fn no_note_without_substitutes() {
    let mut w = workload();
    w.substitutes.clear();
    assert_eq!(note(&w, &options()), None);
}
