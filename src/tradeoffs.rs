//! What each requirement costs: for a requirement that excludes options,
//! the cheapest serving option it alone excludes, and how much more the
//! pick costs than that option ("HIPAA costs you $3,979/month: the cheapest
//! option without it is …"). Pure: priced options in, lines out.

use std::collections::BTreeSet;

use crate::contract::{OfferKind, OptionKey, PricedOption, RequirementCost};
use crate::format::usd;
use crate::profile::ids::compliance_name;
use crate::verdict::{Exclusion, Requirement};

/// A requirement group, in words; `items` are the compliance ids seen.
fn requirement_name(key: &str, items: &[&str]) -> String {
    match key {
        "compliance" => {
            let names: Vec<&str> = items.iter().map(|i| compliance_name(i)).collect();
            format!("Requiring {}", names.join(" and "))
        }
        "isolated" => "Requiring isolated GPUs".into(),
        "fine_tuned" => "Requiring a fine-tuned LoRA".into(),
        "max_ttft_ms" => "The time-to-first-token limit".into(),
        "min_output_tokens_per_s" => "The output-speed minimum".into(),
        "verified_price" => "Requiring a verified GPU price".into(),
        other => other.to_string(),
    }
}

/// For each requirement that alone excludes some serving option, the
/// cheapest such option and the difference to the primary (`None` when
/// there is no primary). Requirements sorted by key; `fit` (model,
/// modality, context) is not a requirement one can drop.
pub(crate) fn requirement_costs(
    options: &[PricedOption],
    primary: Option<&OptionKey>,
) -> Vec<RequirementCost> {
    let primary = primary.and_then(|id| options.iter().find(|o| o.key() == *id));
    let all: BTreeSet<Requirement> = options
        .iter()
        .flat_map(|o| o.verdict.excluded_by())
        .collect();
    // Compliance items count as one requirement: a vendor usually lacks a
    // source for all of them at once.
    let items: Vec<&str> = all
        .iter()
        .filter_map(|r| match r {
            Requirement::Compliance(item) => Some(item.as_str()),
            _ => None,
        })
        .collect();
    let keys: BTreeSet<&str> = all
        .iter()
        .map(Requirement::group)
        .filter(|k| *k != Requirement::Fit.group())
        .collect();
    keys.into_iter()
        .filter_map(|key| {
            let cheapest = options
                .iter()
                .filter(|o| o.offer != OfferKind::Training)
                .filter(|o| {
                    let mut by = o.verdict.excluded_by().peekable();
                    by.peek().is_some() && by.all(|r| r.group() == key)
                })
                .min_by(|a, b| a.usd_per_month.total_cmp(&b.usd_per_month))?;
            let extra = primary.map(|p| p.usd_per_month - cheapest.usd_per_month);
            if extra.is_some_and(|x| x <= 0.0) {
                return None;
            }
            let unverified = cheapest
                .verdict
                .exclusions
                .iter()
                .any(|e| matches!(e, Exclusion::Unverified(_)));
            Some(cost(key, &items, cheapest, extra, unverified))
        })
        .collect()
}

fn cost(
    key: &str,
    items: &[&str],
    o: &PricedOption,
    extra: Option<f64>,
    unverified: bool,
) -> RequirementCost {
    let name = requirement_name(key, items);
    let without = if unverified {
        "the cheapest option excluded only because it is not verified"
    } else {
        "the cheapest option without it"
    };
    let option = format!("{} at {}/month", o.label(), usd(o.usd_per_month));
    let summary = match extra {
        Some(x) => format!("{name} costs you {}/month: {without} is {option}", usd(x)),
        None => format!("{name} leaves no eligible option; {without} is {option}"),
    };
    RequirementCost {
        requirement: key.to_string(),
        option: o.key(),
        usd_per_month: o.usd_per_month,
        extra_usd_per_month: extra.map(crate::format::sig9),
        unverified,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{Unknown, Verdict};

    fn option(vendor: &str, usd_per_month: f64, verdict: Verdict) -> PricedOption {
        PricedOption::for_tests(vendor, usd_per_month, verdict)
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
        let costs = requirement_costs(&[unknown.clone(), primary.clone()], Some(&primary.key()));
        assert_eq!(costs.len(), 1);
        assert_eq!(costs[0].requirement, "isolated");
        assert!(costs[0].unverified);
        // $150 − $100 = $50 a month.
        assert_eq!(costs[0].extra_usd_per_month, Some(50.0));
    }
}
