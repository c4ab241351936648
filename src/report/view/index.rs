//! The view of `index.md` and `index.html`: every workload's pick and
//! runner-up in one line each, and how fresh every vendor's prices are.

use serde::Serialize;

use super::sources::{freshness, Freshness};
use crate::contract::{PricedOption, Report, WorkloadResult};
use crate::format::{count, percent, usd};
use crate::profile::Profiles;

/// One row of `index.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct IndexRow {
    /// Workload id (the folder of its report).
    pub id: String,
    /// Workload name.
    pub name: String,
    /// The primary option's label, or a dash.
    pub pick: String,
    /// Its $/month.
    pub pick_month: String,
    /// The runner-up's label, or a dash.
    pub runner_up: String,
    /// Its $/month.
    pub runner_up_month: String,
    /// Why the pick, in one line.
    pub why: String,
}

/// `index.md` and `index.html`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct IndexView {
    /// The report date.
    pub as_of: String,
    /// Which profiles were used.
    pub profiles: String,
    /// One row per workload.
    pub workloads: Vec<IndexRow>,
    /// Every vendor's price date.
    pub freshness: Vec<Freshness>,
    /// Some vendor is stale.
    pub any_stale: bool,
    /// The picks of every workload together, $/month (and how many have no pick).
    pub picks_total: String,
    /// Each vendor that can serve every workload: everything on it.
    pub single_vendor: Vec<SingleVendor>,
}

/// The workloads one vendor can serve, on it alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SingleVendor {
    /// Vendor id.
    pub vendor: String,
    /// `10 of 10`.
    pub served: String,
    /// The sum of its cheapest eligible option per workload served, $/month.
    pub month: String,
    /// The picks of the same workloads, $/month.
    pub picks: String,
    /// How much more than those picks.
    pub more: String,
}

/// The index of every workload.
pub(crate) fn index(report: &Report, profiles: &Profiles) -> IndexView {
    let workloads = report
        .workloads
        .iter()
        .map(|w| {
            let (pick, runner_up) = (w.primary(), w.runner_up());
            IndexRow {
                id: w.workload.clone(),
                name: w.name.clone(),
                pick: pick.map_or("no eligible option".into(), PricedOption::label),
                pick_month: pick.map_or("–".into(), |o| usd(o.usd_per_month)),
                runner_up: runner_up.map_or("–".into(), PricedOption::label),
                runner_up_month: runner_up.map_or("–".into(), |o| usd(o.usd_per_month)),
                why: w
                    .pick
                    .primary_reason
                    .clone()
                    .map(|why| why + &cold_start_note(w))
                    .unwrap_or_else(|| "every option is excluded; see the report".into()),
            }
        })
        .collect();
    let freshness = freshness(report, profiles.vendors.iter());
    let (total, unpicked) = crate::whole::picks_total(&report.workloads);
    let picks_total = match unpicked {
        0 => format!("{}/month", usd(total)),
        n => format!(
            "{}/month for the workloads with a pick ({} without one)",
            usd(total),
            crate::format::plural(n, "workload")
        ),
    };
    let single_vendor = crate::whole::single_vendor_totals(report)
        .into_iter()
        .map(|o| SingleVendor {
            served: format!("{} of {}", o.served, report.workloads.len() - unpicked),
            month: usd(o.usd_per_month),
            picks: usd(o.picks_usd_per_month),
            more: usd(o.usd_per_month - o.picks_usd_per_month),
            vendor: o.vendor,
        })
        .collect();
    IndexView {
        picks_total,
        single_vendor,
        as_of: report.as_of.to_string(),
        profiles: report.profiles.clone(),
        any_stale: freshness.iter().any(|f| f.stale),
        workloads,
        freshness,
    }
}

/// For a pick over its cold-start allowance: who waits and how long.
fn cold_start_note(w: &WorkloadResult) -> String {
    match &w.cold_start_plan {
        Some(plan) if plan.allowance.over => format!(
            "; {} of {}s wait about {} s for a cold start (allowance {})",
            percent(plan.allowance.share),
            w.unit.arrival_word(),
            count(plan.allowance.wait_s),
            percent(plan.allowance.max_share)
        ),
        _ => String::new(),
    }
}
