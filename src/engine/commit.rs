//! The commitment plan of a dedicated option (part of the engine: price ->
//! **pick**): for each commitment offer of the vendor that covers the
//! option's GPU, the cost-minimising number of committed replicas over
//! the workload's 24-hour demand curve (`model::commitment`), the rest on
//! demand or per token as the offer says; the cheapest plan that commits
//! something is kept, beside the option's on-demand cost.

use super::record::Context;
use crate::contract::CommitmentPlan;
use crate::format::sig9;
use crate::model::commitment::{self, Day, Overflow, Terms};
use crate::model::usd_per_month;
use crate::pick::MAX_REPLICAS;
use crate::price::Costed;
use crate::profile::{CommitmentOffer, CommitmentOverflow};

/// The cheapest commitment plan of a dedicated option; `None` for other
/// offers, a vendor without commitment offers for the GPU, or when no
/// level pays.
pub(crate) fn plan(c: &Costed, ctx: &Context<'_>) -> Option<CommitmentPlan> {
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
            (plan.replicas > 0).then(|| CommitmentPlan {
                replicas: plan.replicas,
                term_months: k.term_months,
                overflow: k.overflow,
                usd_per_month: sig9(usd_per_month(plan.usd_per_day)),
                commitment_usd_per_month: sig9(usd_per_month(plan.commitment_usd_per_day)),
                uncommitted_usd_per_month: sig9(usd_per_month(uncommitted)),
                break_even_months: commitment::break_even_months(&plan, &terms, uncommitted)
                    .map(sig9),
                source: k.source.clone(),
            })
        })
        .min_by(|a, b| a.usd_per_month.total_cmp(&b.usd_per_month))
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
