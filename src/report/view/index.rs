//! The view of `index.md` and `index.html`: every workload's pick and
//! runner-up in one line each, and how fresh every vendor's prices are.

use serde::Serialize;

use super::sources::{freshness, Freshness};
use crate::contract::{PricedOption, Report};
use crate::format::usd;
use crate::profile::Profiles;

/// One row of `index.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexRow {
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
pub struct IndexView {
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
}

/// The index of every workload.
pub fn index(report: &Report, profiles: &Profiles) -> IndexView {
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
                    .unwrap_or_else(|| "every option is excluded; see the report".into()),
            }
        })
        .collect();
    let freshness = freshness(report, profiles.vendors.iter());
    IndexView {
        as_of: report.as_of.to_string(),
        profiles: report.profiles.clone(),
        any_stale: freshness.iter().any(|f| f.stale),
        workloads,
        freshness,
    }
}
