//! The commitment plan of a dedicated option (part of the engine: price ->
//! **pick**): for each commitment offer of the vendor that covers the
//! option's GPU, the cost-minimising number of committed replicas over
//! the workload's 24-hour demand curve (`model::commitment`), the rest on
//! demand or per token as the offer says; the cheapest plan that commits
//! something is kept, beside the option's on-demand cost, and becomes an
//! option of its own ([`OfferKind::Committed`]) that the pick weighs like
//! any other, so it is picked when it costs least.

use super::record::{Context, Record};
use crate::contract::{CommitmentPlan, Commits, OfferKind, PricedOption};
use crate::format::sig9;
use crate::model::commitment::{self, Day, Overflow, Terms};
use crate::model::{usd_per_month, usd_per_mtok, DAYS_PER_MONTH};
use crate::pick::MAX_REPLICAS;
use crate::price::{Costed, Offer};
use crate::profile::{CommitmentOffer, CommitmentOverflow, ServerlessOffer};
use crate::verdict::Flag;

/// A dedicated option's cheapest commitment plan, as the engine keeps it
/// on the committed option's record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Committed {
    /// The plan as the contract states it.
    pub plan: CommitmentPlan,
    /// $ a day of the plan, unrounded: the committed option's bill.
    pub usd_per_day: f64,
}

/// The cheapest commitment plan of a dedicated option; `None` for other
/// offers, a vendor without commitment offers for the GPU, or when no
/// level pays.
pub(crate) fn plan(c: &Costed, ctx: &Context<'_>) -> Option<CommitmentPlan> {
    best(c, ctx).map(|k| k.plan)
}

/// The committed option of an eligible record: its record, with the
/// over-budget flag judged at the plan's cost; `None` when no plan pays or
/// the option is excluded (a commitment changes no requirement, so its
/// twin would only repeat the exclusion).
pub(super) fn committed_record<'a>(r: &Record<'a>, ctx: &Context<'_>) -> Option<Record<'a>> {
    if r.committed.is_some() || !r.verdict.eligible() {
        return None;
    }
    let k = best(&r.costed, ctx)?;
    let mut record = r.clone();
    // Billed by its plan, not by the pool.
    record.verdict.flags.retain(|f| *f != Flag::PoolClosedForm);
    record.verdict.set_over_budget(crate::pick::over_budget(
        k.usd_per_day,
        ctx.workload.budget_usd_per_month,
    ));
    record.committed = Some(k);
    Some(record)
}

/// The committed option's row: the dedicated row it comes from, billed at
/// the plan's cost. Its utilization, crossover and band are the on-demand
/// replicas' and do not apply (its break-even is the term's, in
/// `commitment`), so they are null.
pub(super) fn row(mut o: PricedOption, k: &Committed, ctx: &Context<'_>) -> PricedOption {
    let day = k.usd_per_day;
    let units = ctx.demand.units_per_day;
    o.offer = OfferKind::Committed;
    o.usd_per_day = sig9(day);
    o.usd_per_month = sig9(usd_per_month(day));
    o.usd_per_mtok = usd_per_mtok(day, ctx.demand.tokens_per_day()).map(sig9);
    o.usd_per_unit = (units > 0.0).then(|| sig9(day / units));
    o.utilization = None;
    o.crossover_utilization = None;
    o.break_even_units_per_day = None;
    o.billed_replica_hours_per_day = None;
    o.cold_start_share = None;
    o.usd_per_month_low = None;
    o.usd_per_month_high = None;
    o.crossover_utilization_low = None;
    o.crossover_utilization_high = None;
    o.break_even_units_per_day_low = None;
    o.break_even_units_per_day_high = None;
    o.commitment = Some(k.plan.clone());
    o
}

/// Vendors of the eligible dedicated options of `model` that state no
/// commitment terms for the option's GPU, sorted, each once.
pub(super) fn without_terms(
    options: &[PricedOption],
    records: &[Record],
    model: &str,
) -> Vec<String> {
    let mut vendors: Vec<String> = options
        .iter()
        .zip(records)
        .filter(|(o, _)| o.offer == OfferKind::Dedicated && o.model == model && o.eligible())
        .filter(|(_, r)| {
            r.costed.offer.dedicated().is_some_and(|(d, dep)| {
                !d.commitments
                    .iter()
                    .any(|k| k.gpu.as_deref().is_none_or(|g| g == dep.gpu))
            })
        })
        .map(|(o, _)| o.vendor.clone())
        .collect();
    vendors.sort();
    vendors.dedup();
    vendors
}

/// The cheapest plan of an option, with its unrounded day: committed
/// replicas of a dedicated option, a committed spend on a per-token one.
fn best(c: &Costed, ctx: &Context<'_>) -> Option<Committed> {
    match c.offer {
        Offer::Dedicated(..) => replicas(c, ctx),
        Offer::Serverless(o) => spend(c, o),
        Offer::Prediction(_) | Offer::Training(_) => None,
    }
}

/// The cheapest committed spend on a per-token offer that pays: each
/// costs the larger of its monthly fee and the use at its discount.
fn spend(c: &Costed, o: &ServerlessOffer) -> Option<Committed> {
    let uncommitted = c.usd_per_day;
    o.spend_commitments
        .iter()
        .filter_map(|k| {
            let fee = k.usd_per_month / DAYS_PER_MONTH;
            let day = commitment::spend_usd_per_day(fee, k.discount, uncommitted);
            (day < uncommitted).then(|| Committed {
                usd_per_day: day,
                plan: CommitmentPlan {
                    commits: Commits::Spend,
                    replicas: 0,
                    discount: Some(k.discount),
                    term_months: k.term_months,
                    overflow: CommitmentOverflow::PerToken,
                    usd_per_month: sig9(usd_per_month(day)),
                    commitment_usd_per_month: sig9(k.usd_per_month),
                    uncommitted_usd_per_month: sig9(usd_per_month(uncommitted)),
                    break_even_months: commitment::months_to_pay(
                        fee,
                        day,
                        uncommitted,
                        k.term_months,
                    )
                    .map(sig9),
                    source: k.source.clone(),
                },
            })
        })
        .min_by(|a, b| a.usd_per_day.total_cmp(&b.usd_per_day))
}

/// The cheapest number of committed replicas of a dedicated option.
fn replicas(c: &Costed, ctx: &Context<'_>) -> Option<Committed> {
    let (d, dep) = c.offer.dedicated()?;
    let (replica, cost) = c.dedicated.as_ref()?;
    if d.commitments.is_empty() || cost.replicas_peak > MAX_REPLICAS {
        return None;
    }
    let u = ctx.workload.traffic.target_utilization;
    let mut day = Day {
        replicas: [0; 24],
        load: [0.0; 24],
        units: [0.0; 24],
        target_utilization: u,
    };
    for h in 0..24 {
        day.load[h] = cost.busy_replica_hours * ctx.weights[h];
        // Bounded by the peak check above.
        day.replicas[h] = (day.load[h] / u).ceil() as u32;
        day.units[h] = ctx.demand.units_per_day * ctx.weights[h];
    }
    let on_demand = replica.usd_per_replica_hour;
    d.commitments
        .iter()
        .filter(|k| k.gpu.as_deref().is_none_or(|g| g == dep.gpu))
        .filter_map(|k| {
            let overflow = match k.overflow {
                CommitmentOverflow::OnDemand => Overflow::OnDemand {
                    usd_per_replica_hour: on_demand,
                },
                CommitmentOverflow::PerToken => Overflow::PerToken {
                    usd_per_unit: ctx.per_token_for(dep.model)?,
                },
            };
            let terms = Terms {
                term_months: k.term_months,
                usd_per_replica_hour: committed_rate(k, on_demand, dep.gpus_per_replica),
                min_replicas: k.min_replicas,
                overflow,
            };
            let plan = commitment::plan(&terms, &day);
            let uncommitted = commitment::usd_per_day(0, &terms, &day);
            (plan.replicas > 0).then(|| Committed {
                usd_per_day: plan.usd_per_day,
                plan: CommitmentPlan {
                    commits: Commits::Replicas,
                    replicas: plan.replicas,
                    discount: None,
                    term_months: k.term_months,
                    overflow: k.overflow,
                    usd_per_month: sig9(usd_per_month(plan.usd_per_day)),
                    commitment_usd_per_month: sig9(usd_per_month(plan.commitment_usd_per_day)),
                    uncommitted_usd_per_month: sig9(usd_per_month(uncommitted)),
                    break_even_months: commitment::break_even_months(&plan, &terms, uncommitted)
                        .map(sig9),
                    source: k.source.clone(),
                },
            })
        })
        .min_by(|a, b| a.usd_per_day.total_cmp(&b.usd_per_day))
}

/// $ per committed replica-hour: the stated GPU-hour price, or the
/// on-demand rate less the discount.
fn committed_rate(k: &CommitmentOffer, on_demand: f64, gpus: u32) -> f64 {
    match (k.usd_per_gpu_hour, k.discount) {
        (Some(price), _) => price * f64::from(gpus),
        (None, Some(off)) => on_demand * (1.0 - off),
        (None, None) => on_demand,
    }
}
