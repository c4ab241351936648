//! Words that several parts of a report share (the options table, the
//! advice, the Method section): how an option is billed, how a crossover
//! reads, a labelled fact. A leaf: it imports no other part of the report.

use serde::Serialize;

use crate::contract::{OfferKind, PricedOption};
use crate::format::{count, percent};
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
pub fn billing(o: &PricedOption) -> String {
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
    }
}

/// A crossover utilization; above 100% the dedicated option never wins.
pub fn crossover(x: f64) -> String {
    if x > 1.0 {
        format!("{} (never)", percent(x))
    } else {
        percent(x)
    }
}

/// The crossover with its band from the throughput estimate:
/// `21% (15–30%)`; the bare figure when the throughput is the vendor's or
/// the band is a point.
pub fn crossover_band(o: &PricedOption) -> String {
    let Some(x) = o.crossover_utilization else {
        return String::new();
    };
    match (o.crossover_utilization_low, o.crossover_utilization_high) {
        (Some(lo), Some(hi)) if percent(lo) != percent(hi) => {
            format!("{} ({}–{})", crossover(x), percent(lo), percent(hi))
        }
        _ => crossover(x),
    }
}

/// A break-even volume with its band: `12,000 (9,000–17,000)`.
pub fn break_even_band(o: &PricedOption) -> Option<String> {
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
