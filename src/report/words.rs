//! Words that several parts of a report share (the options table, the
//! advice, the Method section, the terminal table): how an option is
//! billed, how a crossover reads, a pick over its budget, a labelled fact. A leaf: it imports no other part of the report.

use serde::Serialize;

pub(crate) mod budget;

use crate::contract::{Commits, OfferKind, PricedOption};
use crate::format::{count, percent, usd};
use crate::profile::{Billing, Scaling};

/// A label and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What.
    pub label: String,
    /// Its value, formatted.
    pub value: String,
}

/// A fact: a label and its value.
pub(crate) fn fact(label: &str, value: impl Into<String>) -> Fact {
    Fact {
        label: label.to_string(),
        value: value.into(),
    }
}

/// How an option is billed, in words.
pub(crate) fn billing(o: &PricedOption) -> String {
    match o.offer {
        OfferKind::Serverless => "per token".into(),
        OfferKind::Prediction => "per prediction".into(),
        OfferKind::Training => "per training token".into(),
        OfferKind::Dedicated => {
            let billing = match o.billing {
                Some(Billing::PerSecond) => "per second",
                Some(Billing::PerMinute) => "per minute",
                Some(Billing::PerHour) => "per hour",
                None => "GPU time",
            };
            let scaling = match o.scaling {
                Some(Scaling::AlwaysOn) => "always on",
                Some(Scaling::Autoscale) => "autoscale",
                Some(Scaling::ScaleToZero) => "scale to zero",
                None => "",
            };
            format!("{billing}, {scaling}")
        }
        OfferKind::Committed => match &o.commitment {
            Some(k) => format!("{} for {} months, {}", committed(k), k.term_months, rest(k)),
            None => "committed".into(),
        },
    }
}

/// What a commitment commits: `2 replicas`, `$5,000 a month`.
fn committed(k: &crate::contract::CommitmentPlan) -> String {
    match k.commits {
        Commits::Replicas => crate::format::plural(k.replicas as usize, "replica"),
        Commits::Spend => format!("{} a month", usd(k.commitment_usd_per_month)),
    }
}

/// How the rest of the use is billed, in words.
fn rest(k: &crate::contract::CommitmentPlan) -> String {
    match (k.commits, k.overflow) {
        (Commits::Spend, _) => format!(
            "all use at {} off the per-token rates",
            percent(k.discount.unwrap_or(0.0))
        ),
        (Commits::Replicas, crate::profile::CommitmentOverflow::OnDemand) => {
            "the rest on demand".into()
        }
        (Commits::Replicas, crate::profile::CommitmentOverflow::PerToken) => {
            "the rest per token".into()
        }
    }
}

/// The crossover cell, with its band from the throughput estimate:
/// `21% (15%–30%)`, `never (161%; 86%–236%)` above 100%; empty without a
/// crossover.
pub(crate) fn crossover(o: &PricedOption) -> String {
    o.crossover().map(|c| c.to_string()).unwrap_or_default()
}

/// A break-even volume with its band: `12,000 (9,000–17,000)`.
pub(crate) fn break_even_band(o: &PricedOption) -> Option<String> {
    let be = o.break_even_units_per_day?;
    Some(
        match (
            o.break_even_units_per_day_low,
            o.break_even_units_per_day_high,
        ) {
            (Some(lo), Some(hi)) if count(lo) != count(hi) => {
                format!("{} ({}–{})", count(be), count(lo), count(hi))
            }
            _ => count(be),
        },
    )
}

/// What the workload's substitute models offer, one sentence each (no
/// final period): whether the first choice has an eligible per-token
/// offer, what the crossovers of its dedicated options are measured
/// against when that is a substitute's, the cheapest acceptable
/// alternative, and whether the pick is a substitute's. Empty when the
/// workload lists no substitutes.
pub(crate) fn substitutes(w: &crate::contract::WorkloadResult) -> Vec<String> {
    use crate::format::usd;
    let Some(note) = &w.substitutes else {
        return vec![];
    };
    let first = &w.model;
    let mut lines = Vec::new();
    if let Some(p) = w.primary().filter(|p| p.substitute) {
        lines.push(format!(
            "No option of {first} is eligible, so the pick is of {}, the first acceptable substitute that has one",
            p.model
        ));
    }
    let against = w.option(note.crossover_against.as_ref());
    match against {
        Some(a) if !note.first_choice_per_token => lines.push(format!(
            "No per-token offer of {first} is eligible: the crossovers and break-evens of its dedicated options are measured against {}, the cheapest eligible per-token offer of a substitute ({}/month)",
            a.label(),
            usd(a.usd_per_month)
        )),
        None => lines.push(format!(
            "No per-token offer of {first} or of its substitutes ({}) is eligible: its dedicated options have no crossover",
            note.models.join(", ")
        )),
        Some(_) => {}
    }
    match (
        w.option(note.cheapest_alternative.as_ref()),
        note.cheapest_alternative_usd_per_month,
    ) {
        (Some(o), Some(month)) => lines.push(format!(
            "The cheapest acceptable alternative to {first} is {} at {}/month",
            o.label(),
            usd(month)
        )),
        _ => lines.push(format!(
            "No option of the substitutes ({}) is eligible",
            note.models.join(", ")
        )),
    }
    lines
}

/// An option's commitment plan in one sentence (no final period); `None`
/// without one.
pub(crate) fn commitment(o: &PricedOption) -> Option<String> {
    let k = o.commitment.as_ref()?;
    let pays = match k.break_even_months {
        Some(m) => format!(
            "; it pays if the workload runs at least {} of the {} months",
            crate::format::count(m),
            k.term_months
        ),
        None => String::new(),
    };
    Some(format!(
        "committing {} for {} months, {}, costs {}/month against {}/month uncommitted for the same hours{pays} ({})",
        committed(k),
        k.term_months,
        rest(k),
        usd(k.usd_per_month),
        usd(k.uncommitted_usd_per_month),
        k.source
    ))
}

/// The vendors of the pick's model whose dedicated options have no
/// commitment terms, in one sentence (no final period); `None` when there
/// are none.
pub(crate) fn no_commitment_terms(w: &crate::contract::WorkloadResult) -> Option<String> {
    let vendors = &w.no_commitment_terms;
    (!vendors.is_empty()).then(|| {
        format!(
            "{} {} no commitment prices or discounts, so none is assumed (infercost.toml can state terms you negotiated)",
            vendors.join(", "),
            if vendors.len() == 1 { "publishes" } else { "publish" }
        )
    })
}

/// A figure already written as text, with its noun: singular when the
/// figure reads exactly `1` (`1 replica`, `2 replicas`, `0.5 replicas`).
pub(crate) fn counted(figure: &str, one: &str, many: &str) -> String {
    let noun = if figure == "1" { one } else { many };
    format!("{figure} {noun}")
}

/// Fewer cold starts a day than this are said as "one every N days".
const ONE_EVERY_DAYS_BELOW: f64 = 0.95;

/// Cold starts a day as a founder reads them, never "0.00 cold starts":
/// `no cold starts a day`, `about one cold start every 2 days` (under one
/// a day), `about 1 cold start a day`, `about 116 cold starts a day`.
pub(crate) fn cold_starts_a_day(per_day: f64) -> String {
    if !(per_day > 0.0 && per_day.is_finite()) {
        return "no cold starts a day".into();
    }
    if per_day >= ONE_EVERY_DAYS_BELOW {
        return format!(
            "about {} a day",
            counted(&count(per_day), "cold start", "cold starts")
        );
    }
    let days = (1.0 / per_day).round();
    if days > 1000.0 {
        "fewer than one cold start in 1,000 days".into()
    } else {
        format!("about one cold start every {} days", count(days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_fractions_are_not() {
        assert_eq!(counted("1", "replica", "replicas"), "1 replica");
        assert_eq!(counted("2", "replica", "replicas"), "2 replicas");
        assert_eq!(counted("1.14", "replica", "replicas"), "1.14 replicas");
        assert_eq!(counted("0", "cold start", "cold starts"), "0 cold starts");
    }

    #[test]
    fn rare_cold_starts_read_as_one_every_so_many_days() {
        assert_eq!(cold_starts_a_day(0.0), "no cold starts a day");
        // 1/0.5634 = 1.775 days, said as 2.
        assert_eq!(
            cold_starts_a_day(0.5634),
            "about one cold start every 2 days"
        );
        // 1/0.004 = 250 days: was "about 0.00 cold starts a day".
        assert_eq!(
            cold_starts_a_day(0.004),
            "about one cold start every 250 days"
        );
        assert_eq!(
            cold_starts_a_day(0.0001),
            "fewer than one cold start in 1,000 days"
        );
        assert_eq!(cold_starts_a_day(1.0), "about 1 cold start a day");
        assert_eq!(cold_starts_a_day(116.2), "about 116 cold starts a day");
    }
}
