//! The engine: prices every workload on every offer, judges eligibility,
//! finds where each dedicated option flips, and picks. Pure: profiles and a
//! report date in, the contract out.

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::contract::{
    OfferKind, PricedOption, Report, StaleVendor, UnitKind, WorkloadResult, SCHEMA_VERSION,
};
use crate::format::sig9;
use crate::model::breakeven::{break_even_volume, crossover_utilization};
use crate::model::{traffic, usd_per_month, usd_per_mtok, Demand};
use crate::pick::{self, Verdict};
use crate::price::{self, Costed, Offer};
use crate::profile::{Profiles, Vendor, Workload};

/// Settings of one run that are not in the profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The report date; `None` takes the newest `as_of` among the vendors.
    pub as_of: Option<NaiveDate>,
    /// Vendors whose `as_of` is more than this many days before the report date are stale.
    pub max_age_days: i64,
    /// Which profiles were used, for the report.
    pub profiles: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            as_of: None,
            max_age_days: 90,
            profiles: "folders".to_string(),
        }
    }
}

/// The report date: the given one, or the newest `as_of` among the vendors.
pub fn report_date(vendors: &[Vendor], given: Option<NaiveDate>) -> NaiveDate {
    given
        .or_else(|| vendors.iter().map(|v| v.as_of).max())
        .unwrap_or(NaiveDate::MIN)
}

/// Vendors whose prices are older than `max_age_days` before `date`.
pub fn stale_vendors(vendors: &[Vendor], date: NaiveDate, max_age_days: i64) -> Vec<StaleVendor> {
    vendors
        .iter()
        .map(|v| (v, (date - v.as_of).num_days()))
        .filter(|(_, age)| *age > max_age_days)
        .map(|(v, age)| StaleVendor {
            vendor: v.vendor.clone(),
            as_of: v.as_of.to_string(),
            age_days: age,
        })
        .collect()
}

/// Prices every workload; the result is the JSON contract.
pub fn run(profiles: &Profiles, settings: &Settings) -> Report {
    let date = report_date(&profiles.vendors, settings.as_of);
    let stale = stale_vendors(&profiles.vendors, date, settings.max_age_days);
    let mut workloads: Vec<WorkloadResult> = profiles
        .workloads
        .par_iter()
        .map(|w| price_workload(w, &profiles.vendors, &stale))
        .collect();
    workloads.sort_by(|a, b| a.workload.cmp(&b.workload));
    Report {
        schema_version: SCHEMA_VERSION,
        as_of: date.to_string(),
        profiles: settings.profiles.clone(),
        stale_vendors: stale,
        workloads,
    }
}

/// Prices one workload on every vendor's offers and picks.
pub fn price_workload(
    workload: &Workload,
    vendors: &[Vendor],
    stale: &[StaleVendor],
) -> WorkloadResult {
    let demand = Demand::of(workload);
    let weights = traffic::weights(&workload.traffic);
    let (offers, unserved) = price::offers(workload, vendors);
    let judged: Vec<(Costed, Verdict)> = offers
        .into_iter()
        .map(|(v, o)| {
            let c = price::cost(v, o, workload, &demand, &weights);
            let verdict = pick::judge(&c, workload, &demand);
            (c, verdict)
        })
        .collect();
    let per_token = cheapest_eligible_per_token(&judged);
    let mut options: Vec<PricedOption> = judged
        .into_iter()
        .map(|(c, verdict)| {
            let is_stale = stale.iter().any(|s| s.vendor == c.vendor.vendor);
            option(
                &c, verdict, workload, &demand, &weights, per_token, is_stale,
            )
        })
        .collect();
    pick::sort(&mut options);
    let pick = pick::choose(&options);
    WorkloadResult {
        workload: workload.workload.clone(),
        name: workload.name.clone(),
        model: workload.model.clone(),
        unit: if workload.episode.is_some() {
            UnitKind::Episode
        } else {
            UnitKind::Request
        },
        units_per_day: demand.units_per_day,
        tokens_per_day: sig9(demand.tokens_per_day()),
        options,
        unserved,
        pick,
    }
}

/// $ per unit of the cheapest eligible per-token offer: what dedicated options are measured against.
fn cheapest_eligible_per_token(judged: &[(Costed, Verdict)]) -> Option<f64> {
    judged
        .iter()
        .filter(|(c, v)| v.reasons.is_empty() && c.offer.kind() == OfferKind::Serverless)
        .filter_map(|(c, _)| c.usd_per_unit)
        .min_by(f64::total_cmp)
}

fn option(
    c: &Costed,
    verdict: Verdict,
    workload: &Workload,
    demand: &Demand,
    weights: &[f64; 24],
    per_token: Option<f64>,
    stale: bool,
) -> PricedOption {
    let mut flags = verdict.flags;
    if stale {
        flags.push(format!("stale prices (as of {})", c.vendor.as_of));
    }
    let (gpu, gpus_per_replica, billing, scaling) = match c.offer {
        Offer::Dedicated(d, dep) => (
            Some(dep.gpu.clone()),
            Some(dep.gpus_per_replica),
            Some(d.billing),
            Some(d.scaling),
        ),
        _ => (None, None, None, None),
    };
    let serving = c.offer.kind() != OfferKind::Training;
    let mut o = PricedOption {
        vendor: c.vendor.vendor.clone(),
        offer: c.offer.kind(),
        model: workload.model.clone(),
        gpu,
        tier: c.offer.tier().map(str::to_string),
        gpus_per_replica,
        eligible: verdict.reasons.is_empty(),
        reasons: verdict.reasons,
        flags,
        usd_per_day: sig9(c.usd_per_day),
        usd_per_month: sig9(usd_per_month(c.usd_per_day)),
        usd_per_mtok: usd_per_mtok(c.usd_per_day, demand.tokens_per_day())
            .filter(|_| serving)
            .map(sig9),
        usd_per_unit: c.usd_per_unit.map(sig9),
        utilization: None,
        crossover_utilization: None,
        break_even_units_per_day: None,
        replicas_peak: None,
        billed_replica_hours_per_day: None,
        cold_start_share: None,
        billing,
        scaling,
    };
    if let Some((replica, cost)) = &c.dedicated {
        o.utilization = Some(sig9(cost.utilization));
        o.replicas_peak = Some(cost.replicas_peak);
        o.billed_replica_hours_per_day = Some(sig9(cost.billed_replica_hours));
        o.cold_start_share = (replica.scaling == crate::profile::Scaling::ScaleToZero)
            .then(|| sig9(cost.cold_start_share));
        if let Some(a) = per_token {
            o.crossover_utilization = crossover_utilization(replica, demand, a).map(sig9);
            o.break_even_units_per_day = break_even_volume(
                replica,
                demand,
                weights,
                workload.traffic.target_utilization,
                a,
            )
            .map(sig9);
        }
    }
    o
}
