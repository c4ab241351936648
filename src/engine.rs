//! The engine: prices every workload on every offer, judges eligibility,
//! finds where each dedicated option flips, and picks. Pure: resolved
//! profiles ([`crate::resolve`]) and a report date in; out comes the
//! contract and, beside each of its workloads, the priced workload it was
//! derived from (demand, traffic load, each offer's costed result with its
//! profile references), which is all a renderer reads. Each option is kept
//! as one record (`engine/record.rs`) through the pick and the simulation
//! checks; its contract row is projected from it.

use chrono::NaiveDate;
use rayon::prelude::*;

mod check;
mod cold_start;
mod commit;
mod record;

use crate::contract::{
    PricedOption, Report, StaleVendor, UnitKind, WorkloadResult, SCHEMA_VERSION,
};
use crate::format::sig9;
use crate::lifecycle;
use crate::model::dedicated::PoolDays;
use crate::model::{traffic, Demand};
use crate::pick;
use crate::price::{self, Costed};
use crate::profile::{Profiles, Vendor, Workload};
use crate::resolve::{self, Resolved, ResolvedWorkload};
use record::{Context, Record};

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
    /// Each offer's costed result as billed (the simulation's bill where
    /// the pick's check re-billed it), in the order of the contract's options.
    pub costed: Vec<Costed<'a>>,
}

/// Resolves and prices every workload; the result is the JSON contract.
pub fn run(profiles: &Profiles, settings: &Settings) -> Report {
    price(&resolve::resolve(profiles), settings).report
}

/// Resolves and prices the workloads `chunk` at a time, in the report's
/// order (by workload id), handing each chunk to `each` and dropping it
/// before the next starts, so that a large set is never held whole (the
/// JSON report of 10,000 workloads). Each chunk's report has the whole
/// report's header (date, profiles, stale vendors) and its own workloads;
/// `each` is called once with no workload when there is none.
pub fn price_in_chunks<E>(
    profiles: &Profiles,
    settings: &Settings,
    chunk: usize,
    mut each: impl FnMut(&Priced<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let estimator = crate::capacity::Estimator::bundled().ok();
    let mut order: Vec<&Workload> = profiles.workloads.iter().collect();
    order.sort_by(|a, b| a.workload.cmp(&b.workload));
    let chunks: Vec<&[&Workload]> = match order.len() {
        0 => vec![&[]],
        _ => order.chunks(chunk.max(1)).collect(),
    };
    for workloads in chunks {
        let resolved = Resolved {
            profiles,
            workloads: workloads
                .par_iter()
                .map(|w| resolve::workload(w, &profiles.vendors, estimator))
                .collect(),
        };
        each(&price(&resolved, settings))?;
    }
    Ok(())
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
    let records: Vec<Record> = offers
        .into_iter()
        .map(|(v, o)| {
            let c = price::cost(v, o, workload, &demand, &weights);
            let mut verdict = pick::judge(&c, workload, &demand);
            let life = lifecycle::status(lifecycle::Lifecycle::of(&o), date);
            verdict.exclusions.extend(life.reason);
            verdict.flags.extend(life.flags);
            verdict.settle(allow_unverified);
            let stale = stale.iter().find(|s| s.vendor == c.vendor.vendor);
            Record::new(c, verdict, stale)
        })
        .collect();
    let ctx = Context {
        workload,
        demand: &demand,
        weights: &weights,
        per_token: record::per_token_comparators(workload, &records),
        pool_days: PoolDays::default(),
    };
    let mut both: Vec<(PricedOption, Record)> =
        records.into_par_iter().map(|r| (r.row(&ctx), r)).collect();
    // A dedicated option whose commitment plan pays is also an option of
    // its own, billed at the plan's cost, so the pick can choose it.
    let committed: Vec<(PricedOption, Record)> = both
        .iter()
        .filter_map(|(_, r)| commit::committed_record(r, &ctx))
        .map(|r| (r.row(&ctx), r))
        .collect();
    both.extend(committed);
    let as_of = |vendor: &str| vendors.iter().find(|v| v.vendor == vendor).map(|v| v.as_of);
    // Pick; check the scaled picks against the simulation (a checked
    // option's row is projected again from its record); where that
    // re-bills one, order and pick again (each option is checked once).
    let mut checked = Vec::new();
    // The pick is made among the options of the first acceptable model
    // with an eligible one (`pick::substitutes`).
    let mut pick = loop {
        both.sort_by_cached_key(|(o, _)| pick::order(o));
        let rows: Vec<PricedOption> = both.iter().map(|(o, _)| o.clone()).collect();
        let model = pick::substitutes::preferred_model(workload, &rows);
        let options: Vec<PricedOption> = rows.into_iter().filter(|o| o.model == model).collect();
        let pick = pick::choose(&options, &as_of);
        if !check::picks(&pick, &mut both, &ctx, &mut checked) {
            break pick;
        }
    };
    let (options, records): (Vec<PricedOption>, Vec<Record>) = both.into_iter().unzip();
    // The budget is judged against every acceptable model's options, so
    // that an over-budget pick can name a substitute within it.
    pick.budget = pick::budget::verdict(workload, &options, pick.primary.as_ref());
    let costed: Vec<Costed> = records.iter().map(|r| r.billed(&demand)).collect();
    let cold_start_plan = pick.primary.as_ref().and_then(|key| {
        let i = options.iter().position(|o| o.is(key))?;
        let billed = (&costed[i], records[i].billed_by());
        let checked = records[i].checked.map(|(s, _)| s.cold_start_share);
        cold_start::plan(&options[i], billed, checked, workload, &demand, &weights)
    });
    let substitutes = pick::substitutes::note(workload, &options);
    // Requirement costs and the plan to train and serve are of the picked
    // model (training is priced for the first choice only).
    let model = pick
        .primary
        .as_ref()
        .map_or(workload.model.as_str(), |k| k.model.as_str());
    let no_commitment_terms = commit::without_terms(&options, &records, model);
    let of_model: std::borrow::Cow<[PricedOption]> = if workload.substitutes.is_empty() {
        std::borrow::Cow::Borrowed(&options)
    } else {
        options
            .iter()
            .filter(|o| o.model == model)
            .cloned()
            .collect()
    };
    let requirement_costs = crate::tradeoffs::requirement_costs(&of_model, pick.primary.as_ref());
    let train_and_serve = crate::whole::train_and_serve(&of_model);
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
        cold_start_plan,
        substitutes,
        no_commitment_terms,
        recorded_traffic: None,
    };
    (result, pricing)
}
