//! The whole picture: for a workload that also trains, the cheapest plan
//! to train and serve (split across two vendors, and on one vendor), and
//! across workloads, the total of the picks and what everything costs on
//! each single vendor that can serve every workload. Pure: priced
//! workloads in, plans out.

use std::collections::BTreeSet;

use crate::contract::{OfferKind, PlanPart, PricedOption, Report, TrainAndServe, WorkloadResult};
use crate::format::{sig9, usd};

/// The cheapest eligible option of `kind` among `options`, optionally of one vendor.
fn cheapest<'a>(
    options: &'a [PricedOption],
    kind: impl Fn(&PricedOption) -> bool,
    vendor: Option<&str>,
) -> Option<&'a PricedOption> {
    options
        .iter()
        .filter(|o| o.eligible() && kind(o))
        .filter(|o| vendor.is_none_or(|v| o.vendor == v))
        .min_by(|a, b| a.usd_per_month.total_cmp(&b.usd_per_month))
}

fn training(o: &PricedOption) -> bool {
    o.offer == OfferKind::Training
}

fn serving(o: &PricedOption) -> bool {
    o.offer != OfferKind::Training
}

fn plan(train: &PricedOption, serve: &PricedOption) -> PlanPart {
    let total = train.usd_per_month + serve.usd_per_month;
    let summary = if train.vendor == serve.vendor {
        format!(
            "train and serve on {}: {} ({}/month) + {} ({}/month) = {}/month, no hand-off",
            train.vendor,
            train.label(),
            usd(train.usd_per_month),
            serve.label(),
            usd(serve.usd_per_month),
            usd(total)
        )
    } else {
        format!(
            "train on {} ({}, {}/month) and serve on {} ({}, {}/month) = {}/month; the hand-off moves each trained checkpoint or LoRA adapter from {} to {} (egress and re-deploy time, not priced here)",
            train.vendor,
            train.label(),
            usd(train.usd_per_month),
            serve.vendor,
            serve.label(),
            usd(serve.usd_per_month),
            usd(total),
            train.vendor,
            serve.vendor
        )
    };
    PlanPart {
        training: train.key(),
        serving: serve.key(),
        usd_per_month: sig9(total),
        summary,
    }
}

/// The cheapest plan to train and serve: the cheapest training with the
/// cheapest serving (`cheapest`), and the cheapest on one vendor
/// (`same_vendor`); `None` without eligible training options.
pub(crate) fn train_and_serve(options: &[PricedOption]) -> Option<TrainAndServe> {
    let train = cheapest(options, training, None)?;
    let serve = cheapest(options, serving, None)?;
    let vendors: BTreeSet<&str> = options.iter().map(|o| o.vendor.as_str()).collect();
    let same_vendor = vendors
        .into_iter()
        .filter_map(|v| {
            Some((
                cheapest(options, training, Some(v))?,
                cheapest(options, serving, Some(v))?,
            ))
        })
        .min_by(|a, b| {
            (a.0.usd_per_month + a.1.usd_per_month)
                .total_cmp(&(b.0.usd_per_month + b.1.usd_per_month))
        })
        .map(|(t, s)| plan(t, s));
    Some(TrainAndServe {
        cheapest: plan(train, serve),
        same_vendor,
    })
}

/// Every workload on one vendor.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OneVendor {
    /// Vendor id.
    pub vendor: String,
    /// How many workloads it has an eligible serving option for.
    pub served: usize,
    /// The sum of its cheapest eligible serving option over those, $/month.
    pub usd_per_month: f64,
    /// The picks of the same workloads, $/month.
    pub picks_usd_per_month: f64,
}

/// What the workloads cost on each vendor alone: for each vendor, the
/// workloads it can serve and the sum of its cheapest eligible serving
/// option of the picked model over them, against the picks of the same workloads. Vendors that
/// serve the most workloads first, then the cheapest.
pub(crate) fn single_vendor_totals(report: &Report) -> Vec<OneVendor> {
    let vendors: BTreeSet<&str> = report
        .workloads
        .iter()
        .flat_map(|w| w.options.iter().map(|o| o.vendor.as_str()))
        .collect();
    let mut totals: Vec<OneVendor> = vendors
        .into_iter()
        .map(|v| {
            let mut one = OneVendor {
                vendor: v.to_string(),
                served: 0,
                usd_per_month: 0.0,
                picks_usd_per_month: 0.0,
            };
            for w in &report.workloads {
                let Some(p) = w.primary() else { continue };
                // The model the pick chose (the first choice, or the
                // substitute picked where the first choice has none): a
                // vendor alone is priced on what the pick chose among, so
                // it never costs less than the pick (a substitute's $1.37
                // made Together $134 cheaper than bursty-prototype's $135
                // pick; a second read).
                let picked_model = |o: &PricedOption| serving(o) && o.model == p.model;
                if let Some(o) = cheapest(&w.options, picked_model, Some(v)) {
                    one.served += 1;
                    one.usd_per_month += o.usd_per_month;
                    one.picks_usd_per_month += p.usd_per_month;
                }
            }
            one
        })
        .filter(|o| o.served > 0)
        .collect();
    totals.sort_by(|a, b| {
        b.served
            .cmp(&a.served)
            .then_with(|| a.usd_per_month.total_cmp(&b.usd_per_month))
            .then_with(|| a.vendor.cmp(&b.vendor))
    });
    totals
}

/// The total $/month of the picks, and how many workloads have none.
pub(crate) fn picks_total(workloads: &[WorkloadResult]) -> (f64, usize) {
    let picked: Vec<f64> = workloads
        .iter()
        .filter_map(|w| w.primary().map(|p| p.usd_per_month))
        .collect();
    (picked.iter().sum(), workloads.len() - picked.len())
}
