//! The options table of a workload report: one row per serving option with
//! its role in the pick, how it is billed and what it costs; the training
//! options; and the excluded options with their reasons.

use serde::Serialize;

use crate::contract::{OfferKind, PricedOption, UnitKind, WorkloadResult};
use crate::format::{percent, usd};
use crate::report::words::billing;
use crate::verdict::joined;

/// One row of the options table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct OptionRow {
    /// `pick`, `runner-up` or empty.
    pub role: String,
    /// Vendor id.
    pub vendor: String,
    /// Offer kind, with its tier.
    pub offer: String,
    /// Model id.
    pub model: String,
    /// `2×h100-80gb`, or empty.
    pub gpu: String,
    /// How it is billed.
    pub billing: String,
    /// $/day.
    pub usd_day: String,
    /// $/month.
    pub usd_month: String,
    /// $/M tokens.
    pub usd_mtok: String,
    /// $/1k requests or $/episode.
    pub per_unit: String,
    /// Utilization.
    pub utilization: String,
    /// Crossover utilization.
    pub crossover: String,
    /// Flags, or `excluded`.
    pub flags: String,
    /// Excluded.
    pub excluded: bool,
}

/// One training option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TrainingRow {
    /// Vendor id.
    pub vendor: String,
    /// Tier, or empty.
    pub tier: String,
    /// $/day.
    pub usd_day: String,
    /// $/month.
    pub usd_month: String,
    /// Whether the vendor also serves the model.
    pub serves: String,
}

/// An excluded option and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Excluded {
    /// The option's label.
    pub label: String,
    /// Its $/month.
    pub usd_month: String,
    /// The reasons, joined.
    pub reasons: String,
}

/// Header of the per-unit column.
pub(super) fn per_unit_header(unit: UnitKind) -> String {
    match unit {
        UnitKind::Request => "$/1k requests".into(),
        UnitKind::Episode => "$/episode".into(),
    }
}

/// The serving options, by $/month.
pub(super) fn option_rows(w: &WorkloadResult) -> Vec<OptionRow> {
    w.options
        .iter()
        .filter(|o| o.offer != OfferKind::Training)
        .map(|o| option_row(w, o))
        .collect()
}

fn option_row(w: &WorkloadResult, o: &PricedOption) -> OptionRow {
    let per_unit = o.usd_per_unit.map_or(String::new(), |u| match w.unit {
        UnitKind::Request => usd(u * 1000.0),
        UnitKind::Episode => usd(u),
    });
    OptionRow {
        role: w.role(o).to_string(),
        vendor: o.vendor.clone(),
        offer: match &o.tier {
            Some(t) => format!("{} ({t})", o.offer.as_str()),
            None => o.offer.as_str().to_string(),
        },
        model: o.model.clone(),
        gpu: o.replica_gpus().unwrap_or_default(),
        billing: billing(o),
        usd_day: usd(o.usd_per_day),
        usd_month: usd(o.usd_per_month),
        usd_mtok: o.usd_per_mtok.map_or(String::new(), usd),
        per_unit,
        utilization: o.utilization.map_or(String::new(), percent),
        crossover: crate::report::words::crossover(o),
        flags: if o.eligible() {
            joined(&o.verdict.flags)
        } else {
            "excluded (see below)".to_string()
        },
        excluded: !o.eligible(),
    }
}

/// The training options, and whether their vendor also serves the model.
pub(super) fn training_rows(w: &WorkloadResult) -> Vec<TrainingRow> {
    w.options
        .iter()
        .filter(|o| o.offer == OfferKind::Training)
        .map(|o| {
            let serves = w
                .options
                .iter()
                .any(|s| s.vendor == o.vendor && s.offer != OfferKind::Training && s.eligible());
            TrainingRow {
                vendor: o.vendor.clone(),
                tier: o.tier.clone().unwrap_or_default(),
                usd_day: usd(o.usd_per_day),
                usd_month: usd(o.usd_per_month),
                serves: if serves {
                    "yes: train and deploy in one place".into()
                } else {
                    "no".into()
                },
            }
        })
        .collect()
}

/// The options that fail a requirement, with the reasons.
pub(super) fn excluded(w: &WorkloadResult) -> Vec<Excluded> {
    w.options
        .iter()
        .filter(|o| !o.eligible())
        .map(|o| Excluded {
            label: o.label(),
            usd_month: usd(o.usd_per_month),
            reasons: joined(&o.verdict.exclusions),
        })
        .collect()
}
