//! The sentences are the contract's strings (pinned here, one per kind),
//! and the decisions that read verdicts read the typed values: none of them
//! would notice a sentence reworded.

use chrono::NaiveDate;

use super::*;
use crate::contract::{OfferKind, PricedOption};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A per-token option of `vendor` at `usd_per_month` with `verdict`.
fn option(vendor: &str, usd_per_month: f64, verdict: Verdict) -> PricedOption {
    PricedOption {
        vendor: vendor.into(),
        offer: OfferKind::Serverless,
        model: "m".into(),
        gpu: None,
        tier: None,
        gpus_per_replica: None,
        verdict,
        usd_per_day: usd_per_month / (365.0 / 12.0),
        usd_per_month,
        usd_per_mtok: None,
        usd_per_unit: None,
        utilization: None,
        crossover_utilization: None,
        break_even_units_per_day: None,
        replicas_peak: None,
        billed_replica_hours_per_day: None,
        cold_start_share: None,
        billing: None,
        scaling: None,
        throughput: None,
        usd_per_month_low: None,
        usd_per_month_high: None,
        crossover_utilization_low: None,
        crossover_utilization_high: None,
        break_even_units_per_day_low: None,
        break_even_units_per_day_high: None,
        streams_per_replica: None,
        output_tokens_per_s_per_stream: None,
        engine: None,
    }
}

fn flagged(flags: Vec<Flag>) -> Verdict {
    Verdict {
        flags,
        ..Verdict::default()
    }
}

#[test]
fn each_kind_has_the_contracts_sentence() {
    let hipaa = Unknown::Compliance {
        item: "hipaa".into(),
        vendor: "Acme".into(),
    };
    let cases: Vec<(String, &str)> = vec![
        (
            Exclusion::Unverified(hipaa.clone()).to_string(),
            "HIPAA not verified: no source found for Acme (--allow-unverified admits it)",
        ),
        (
            Flag::Admitted(hipaa).to_string(),
            "HIPAA not verified: no source found for Acme; admitted by --allow-unverified",
        ),
        (
            Flag::Admitted(Unknown::GpuPrice {
                vendor: "Anyscale".into(),
                gpu: "h100-80gb".into(),
            })
            .to_string(),
            "Anyscale's h100-80gb price not verified: its profile marks the rate a placeholder; admitted by --allow-unverified",
        ),
        (
            Exclusion::OutputSpeed {
                tokens_per_s: 41.5,
                min: 60.0,
                derived_on: Some((2, "h100-80gb".into())),
            }
            .to_string(),
            "one stream decodes at most ~41.5 output tokens/s on 2×h100-80gb for this model, below the required 60",
        ),
        (
            Exclusion::TooManyReplicas {
                peak: u32::MAX,
                most: 1_000_000,
            }
            .to_string(),
            "needs more than 1,000,000 replicas at peak (over 4.29 billion); infercost prices at most 1,000,000 replicas of one deployment",
        ),
        (
            Flag::UnverifiedLatency {
                ttft: true,
                speed: true,
            }
            .to_string(),
            "unverified latency: no published time to first token or output speed",
        ),
        (
            Flag::OverBudget {
                usd_per_month: 1501.95,
                budget: 1000.0,
            }
            .to_string(),
            "over budget ($1,502/month against $1,000)",
        ),
        (
            Flag::Pool(PoolCheck {
                billed_by: Method::Simulation,
                days: 4,
                seed: 1,
                bound: 0.03,
                difference: -0.11,
            })
            .to_string(),
            "billed by the pool simulation (4 days, seed 1): the closed form is −11% off, beyond 3%",
        ),
        (
            Flag::Retires {
                on: date("2027-03-01"),
            }
            .to_string(),
            "retires on 2027-03-01",
        ),
    ];
    for (said, contract) in cases {
        assert_eq!(said, contract);
    }
}

#[test]
fn the_contract_carries_the_requirement_keys_beside_the_sentences() {
    let v = Verdict {
        exclusions: vec![
            Exclusion::SharedInfrastructure,
            Exclusion::Retired {
                on: date("2026-11-01"),
            },
            Exclusion::NotOffered {
                item: "hipaa".into(),
                vendor: "Acme".into(),
                source: "https://acme.example/trust".into(),
            },
        ],
        ..Verdict::default()
    };
    // A retirement breaks no requirement: two keys for three reasons.
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["eligible"], false);
    assert_eq!(
        json["excluded_by"],
        serde_json::json!(["isolated", "compliance:hipaa"])
    );
    assert_eq!(json["reasons"][1], "retired on 2026-11-01");
}

#[test]
fn a_tie_is_broken_on_the_typed_latency_flag() {
    let unverified = Flag::UnverifiedLatency {
        ttft: true,
        speed: false,
    };
    let a = option("a", 100.0, flagged(vec![unverified]));
    let b = option("b", 100.2, Verdict::default());
    let (ordered, rule) = crate::pick::ties::break_tie(&[&a, &b], &|_| None);
    assert_eq!(ordered[0].vendor, "b");
    assert!(rule.contains("published latency"), "{rule}");
}

#[test]
fn the_successor_note_reads_the_typed_lifecycle() {
    let deprecated = Flag::Deprecated {
        on: date("2026-10-22"),
    };
    let old = option("old", 10.0, flagged(vec![deprecated.clone()]));
    let new = option(
        "new",
        12.0,
        flagged(vec![Flag::Stale {
            as_of: date("2026-01-05"),
        }]),
    );
    let note = crate::lifecycle::successor_note(&old, &[old.clone(), new.clone()]).unwrap();
    assert_eq!(
        note,
        "; but it was deprecated on 2026-10-22: the cheapest eligible successor is new serverless at $12.00/month"
    );
    assert!(deprecated.is_lifecycle());
    assert!(!Flag::Stale {
        as_of: date("2026-01-05")
    }
    .is_lifecycle());
}

#[test]
fn requirement_costs_count_a_typed_unknown_as_unverified() {
    let primary = option("p", 150.0, Verdict::default());
    let unknown = option(
        "u",
        100.0,
        Verdict {
            exclusions: vec![Exclusion::Unverified(Unknown::Isolation {
                vendor: "U".into(),
            })],
            ..Verdict::default()
        },
    );
    let costs = crate::tradeoffs::requirement_costs(
        &[unknown.clone(), primary.clone()],
        Some(&primary.key()),
    );
    assert_eq!(costs.len(), 1);
    assert_eq!(costs[0].requirement, "isolated");
    assert!(costs[0].unverified);
    // $150 − $100 = $50 a month.
    assert_eq!(costs[0].extra_usd_per_month, Some(50.0));
}
