//! The view of `index.md` and `index.html`: every workload's pick and
//! runner-up in one line each, and how fresh every vendor's prices are.

use serde::Serialize;

use super::sources::{freshness, Freshness};
use crate::contract::{OfferKind, PricedOption, Report, WorkloadResult};
use crate::format::{count, percent, usd};
use crate::pick::ties::{break_tie, tie_allowance, tied};
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
                why: pick.map_or_else(
                    || "every option is excluded; see the report".into(),
                    |p| why(w, p, profiles) + &cold_start_note(w) + &budget_note(w),
                ),
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

/// Why the pick, in the index's words: the row already shows both options
/// and their $/month, so this says only what they do not: how far apart
/// they are (or the tie and how it was broken), where the pick runs
/// against its crossover, and a retirement.
fn why(w: &WorkloadResult, p: &PricedOption, profiles: &Profiles) -> String {
    let mut s = match w.runner_up() {
        Some(r) if tied(p.usd_per_month, r.usd_per_month) => tie(w, p, profiles),
        Some(r) if r.usd_per_month > 0.0 => format!(
            "{} below the runner-up",
            percent(1.0 - p.usd_per_month / r.usd_per_month)
        ),
        Some(_) => "as cheap as the runner-up".into(),
        None => "the only eligible vendor".into(),
    };
    if let (Some(u), Some(c)) = (p.utilization, p.crossover()) {
        s.push_str(&format!("; {}", c.runs_at(u)));
    }
    s.extend(crate::lifecycle::successor_note(p, &w.options));
    s
}

/// "a tie with the runner-up (within ...); broken by ...": the rule of
/// [`crate::pick::ties`] applied again to the same options, as the pick did.
fn tie(w: &WorkloadResult, p: &PricedOption, profiles: &Profiles) -> String {
    let group: Vec<&PricedOption> = w
        .options
        .iter()
        .filter(|o| o.eligible() && o.offer != OfferKind::Training)
        .filter(|o| tied(o.usd_per_month, p.usd_per_month))
        .collect();
    let as_of = |vendor: &str| {
        profiles
            .vendors
            .iter()
            .find(|v| v.vendor == vendor)
            .map(|v| v.as_of)
    };
    let (ordered, rule) = break_tie(&group, &as_of);
    let others: Vec<String> = ordered.iter().skip(1).map(|o| o.label()).collect();
    format!(
        "a tie with {} ({}); {rule}",
        others.join(" and "),
        tie_allowance()
    )
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

/// For a pick over its workload's budget: which budget.
fn budget_note(w: &WorkloadResult) -> String {
    match &w.pick.budget {
        Some(b) if b.is_over() => {
            format!("; over its {}/month budget", usd(b.usd_per_month))
        }
        _ => String::new(),
    }
}
