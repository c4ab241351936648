//! The engine: prices every workload on every offer, judges eligibility,
//! finds where each dedicated option flips, and picks. Pure: resolved
//! profiles ([`crate::resolve`]) and a report date in; out comes the
//! contract and, beside each of its workloads, the priced workload it was
//! derived from (demand, traffic load, each offer's costed result with its
//! profile references), which is all a renderer reads.

use chrono::NaiveDate;
use rayon::prelude::*;

mod check;

use crate::capacity::Basis;
use crate::contract::{
    OfferKind, PricedOption, Report, StaleVendor, UnitKind, WorkloadResult, SCHEMA_VERSION,
};
use crate::format::sig9;
use crate::lifecycle;
use crate::model::breakeven::{break_even_volume, crossover_utilization};
use crate::model::dedicated::{self, Replica};
use crate::model::{traffic, usd_per_month, usd_per_mtok, Demand};
use crate::pick::{self, Verdict};
use crate::price::{self, Costed};
use crate::profile::{Profiles, Vendor, Workload};
use crate::resolve::{self, Resolved, ResolvedWorkload, Throughput};

/// Settings of one run that are not in the profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The report date; `None` takes the newest `as_of` among the vendors.
    pub as_of: Option<NaiveDate>,
    /// Vendors whose `as_of` is more than this many days before the report date are stale.
    pub max_age_days: i64,
    /// Which profiles were used, for the report.
    pub profiles: String,
    /// Admit options whose required facts (compliance) nobody has sourced
    /// either way, flagged, instead of excluding them.
    pub allow_unverified: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            as_of: None,
            max_age_days: 90,
            profiles: "folders".to_string(),
            allow_unverified: false,
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
            as_of: v.as_of,
            age_days: age,
        })
        .collect()
}

/// Every workload priced: the contract, and beside each of its workloads
/// (same order) what it was derived from.
#[derive(Debug, Clone)]
pub struct Priced<'a> {
    /// The JSON contract.
    pub report: Report,
    /// `report.workloads[i]` was derived from `workloads[i]`.
    pub workloads: Vec<Pricing<'a>>,
}

impl<'a> Priced<'a> {
    /// Each workload's contract entry with its pricing.
    pub fn iter(&self) -> impl Iterator<Item = (&WorkloadResult, &Pricing<'a>)> {
        self.report.workloads.iter().zip(&self.workloads)
    }
}

/// One workload as the engine priced it.
#[derive(Debug, Clone)]
pub struct Pricing<'a> {
    /// The workload profile.
    pub workload: &'a Workload,
    /// Its demand.
    pub demand: Demand,
    /// Its 24 hourly traffic weights.
    pub weights: [f64; 24],
    /// Each offer's costed result, in the order of the contract's options.
    pub costed: Vec<Costed<'a>>,
}

/// Resolves and prices every workload; the result is the JSON contract.
pub fn run(profiles: &Profiles, settings: &Settings) -> Report {
    price(&resolve::resolve(profiles), settings).report
}

/// Prices every workload: the contract and what it was derived from.
pub fn price<'a>(resolved: &'a Resolved<'a>, settings: &Settings) -> Priced<'a> {
    let profiles = resolved.profiles;
    let date = report_date(&profiles.vendors, settings.as_of);
    let stale = stale_vendors(&profiles.vendors, date, settings.max_age_days);
    let mut priced: Vec<(WorkloadResult, Pricing)> = resolved
        .workloads
        .par_iter()
        .map(|w| {
            price_workload_with(
                w,
                &profiles.vendors,
                &stale,
                date,
                settings.allow_unverified,
            )
        })
        .collect();
    priced.sort_by(|a, b| a.0.workload.cmp(&b.0.workload));
    let (workloads, pricing) = priced.into_iter().unzip();
    Priced {
        report: Report {
            schema_version: SCHEMA_VERSION,
            as_of: date,
            profiles: settings.profiles.clone(),
            stale_vendors: stale,
            workloads,
        },
        workloads: pricing,
    }
}

/// Prices one workload on every vendor's offers and picks, unverified facts
/// excluding; `date` is the report date, on which lifecycle dates are judged.
pub fn price_workload<'a>(
    workload: &'a ResolvedWorkload<'a>,
    vendors: &'a [Vendor],
    stale: &[StaleVendor],
    date: NaiveDate,
) -> (WorkloadResult, Pricing<'a>) {
    price_workload_with(workload, vendors, stale, date, false)
}

/// Prices one workload; `allow_unverified` admits options whose required
/// facts are unknown, flagged.
pub fn price_workload_with<'a>(
    resolved: &'a ResolvedWorkload<'a>,
    vendors: &'a [Vendor],
    stale: &[StaleVendor],
    date: NaiveDate,
    allow_unverified: bool,
) -> (WorkloadResult, Pricing<'a>) {
    let workload = resolved.workload;
    let demand = Demand::of(workload);
    let weights = traffic::weights(&workload.traffic);
    let (offers, unserved) = price::offers(resolved, vendors);
    let judged: Vec<(Costed, Verdict)> = offers
        .into_iter()
        .map(|(v, o)| {
            let c = price::cost(v, o, workload, &demand, &weights);
            let mut verdict = pick::judge(&c, workload, &demand);
            let life = lifecycle::status(lifecycle::Lifecycle::of(&o), date);
            verdict.reasons.extend(life.reason);
            verdict.flags.extend(life.flags);
            verdict.settle(allow_unverified);
            (c, verdict)
        })
        .collect();
    let per_token = cheapest_eligible_per_token(&judged);
    let mut both: Vec<(PricedOption, Costed)> = judged
        .into_iter()
        .map(|(c, verdict)| {
            let stale = stale.iter().find(|s| s.vendor == c.vendor.vendor);
            let o = option(&c, verdict, workload, &demand, &weights, per_token, stale);
            (o, c)
        })
        .collect();
    let as_of = |vendor: &str| vendors.iter().find(|v| v.vendor == vendor).map(|v| v.as_of);
    // Pick; check the scaled picks against the simulation; where that
    // re-bills one, order and pick again (each option is checked once).
    let mut checked = Vec::new();
    let (options, costed, pick) = loop {
        both.sort_by_cached_key(|(o, _)| pick::order(o));
        let (mut options, mut costed): (Vec<PricedOption>, Vec<Costed>) = both.into_iter().unzip();
        let pick = pick::choose(&options, &as_of);
        let load = check::Workload {
            demand: &demand,
            weights: &weights,
            target_utilization: workload.traffic.target_utilization,
            budget: workload.budget_usd_per_month,
        };
        let rebilled = check::picks(&pick, &mut options, &mut costed, &load, &mut checked);
        if !rebilled {
            break (options, costed, pick);
        }
        both = options.into_iter().zip(costed).collect();
    };
    let requirement_costs = crate::tradeoffs::requirement_costs(&options, pick.primary.as_ref());
    let train_and_serve = crate::whole::train_and_serve(&options);
    let pricing = Pricing {
        workload,
        demand,
        weights,
        costed,
    };
    let result = WorkloadResult {
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
        requirement_costs,
        train_and_serve,
    };
    (result, pricing)
}

/// The option's cost, crossover and break-even at both ends of its
/// throughput band: the replica re-priced with its prefill and decode rates
/// scaled by the band (higher throughput, lower figures).
fn band(
    o: &mut PricedOption,
    replica: &Replica,
    origin: &Throughput,
    workload: &Workload,
    demand: &Demand,
    weights: &[f64; 24],
    per_token: Option<f64>,
) {
    let at = |share: f64| Replica {
        prefill_tokens_per_s: replica.prefill_tokens_per_s * share,
        decode_tokens_per_s: replica.decode_tokens_per_s * share,
        ..*replica
    };
    let (fast, slow) = (at(origin.high), at(origin.low));
    let u = workload.traffic.target_utilization;
    let month = |r: &Replica| {
        sig9(usd_per_month(
            dedicated::price(r, demand, weights, u).usd_per_day,
        ))
    };
    o.usd_per_month_low = Some(month(&fast));
    o.usd_per_month_high = Some(month(&slow));
    if let Some(a) = per_token {
        o.crossover_utilization_low = crossover_utilization(&fast, demand, a).map(sig9);
        o.crossover_utilization_high = crossover_utilization(&slow, demand, a).map(sig9);
        o.break_even_units_per_day_low = break_even_volume(&fast, demand, weights, u, a).map(sig9);
        o.break_even_units_per_day_high = break_even_volume(&slow, demand, weights, u, a).map(sig9);
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
    stale: Option<&StaleVendor>,
) -> PricedOption {
    let mut flags = verdict.flags;
    flags.extend(stale.map(StaleVendor::flag));
    let dedicated = c.offer.dedicated();
    let gpu = dedicated.map(|(_, dep)| dep.gpu.to_string());
    let gpus_per_replica = dedicated.map(|(_, dep)| dep.gpus_per_replica);
    let billing = dedicated.map(|(d, _)| d.billing);
    let scaling = dedicated.map(|(d, _)| d.scaling);
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
        excluded_by: verdict.excluded_by,
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
        throughput: None,
        usd_per_month_low: None,
        usd_per_month_high: None,
        crossover_utilization_low: None,
        crossover_utilization_high: None,
        break_even_units_per_day_low: None,
        break_even_units_per_day_high: None,
    };
    if let (Some((replica, _)), Some((_, dep))) = (&c.dedicated, dedicated) {
        let origin = &dep.throughput;
        let (id, flag) = match origin.basis() {
            Some(Basis::Estimated { .. }) => (
                "estimated",
                "estimated throughput (capacity catalog; see Method)",
            ),
            Some(Basis::Measured { .. }) => ("measured", "measured throughput (capacity catalog)"),
            None => ("vendor", "the vendor's throughput figures"),
        };
        o.throughput = Some(id.to_string());
        o.flags.push(flag.to_string());
        band(
            &mut o, replica, origin, workload, demand, weights, per_token,
        );
    }
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
