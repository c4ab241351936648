//! The sentences are the contract's strings (pinned here, one per kind).
//! The decisions that read verdicts (ties, the successor note, requirement
//! costs) are tested beside them on the typed values.

use chrono::NaiveDate;

use super::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
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
                arrivals: 4_000,
                noise: 0.02,
            })
            .to_string(),
            "billed by the pool simulation (4 days, seed 1): the closed form is −11% off, beyond 3%",
        ),
        (
            // Off by more than 3%, kept: within the simulation's noise.
            Flag::Pool(PoolCheck {
                billed_by: Method::ClosedForm,
                days: 4,
                seed: 1,
                bound: 0.03,
                difference: 0.052,
                arrivals: 4_000,
                noise: 0.041,
            })
            .to_string(),
            "pool checked by simulation (4 days, seed 1): the closed form is +5.2% off, within 3% plus the simulation's own ±4.1%; billed by the closed form",
        ),
        (
            // Off by more, kept: 12 arrivals cannot re-bill (it said
            // "within 3% (+87%)").
            Flag::Pool(PoolCheck {
                billed_by: Method::ClosedForm,
                days: 4,
                seed: 1,
                bound: 0.03,
                difference: 0.87,
                arrivals: 12,
                noise: 0.3,
            })
            .to_string(),
            "pool checked by simulation (4 days, seed 1): the closed form is +87% off, but 12 arrivals are too few to bill by (1,000 needed); billed by the closed form",
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
