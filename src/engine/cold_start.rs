//! The cold-start plan of a workload's pick (engine stage, after the pick):
//! for a scale-to-zero pick, who waits for a cold start and what a replica
//! kept warm in every hour costs; for a scaled pick, what its pool does in
//! the day (as billed) and in its first hour when traffic starts from a
//! quiet pool (simulated: the closed form has no ramp). The report words
//! these figures ([`ColdStartPlan`] in the contract); it prices nothing.

use crate::contract::{
    ColdStartAllowance, ColdStartPlan, ColdStartWait, FirstHour, PoolPlan, PricedOption,
};
use crate::format::sig9;
use crate::model::dedicated::{self, Replica};
use crate::model::pool::{sim, Policy};
use crate::model::{usd_per_month, Demand};
use crate::price::Costed;
use crate::profile::{Scaling, Workload};
use crate::verdict::Method;

/// The seed of the first-hour simulation (the report stays the same byte for byte).
const SEED: u64 = 1;

/// The plan of the pick `option`, billed as `billed` by `billed_by`, with
/// the cold-start share its check simulated (`checked`); `None` unless it
/// is a dedicated option that scales (autoscale or scale-to-zero).
pub(super) fn plan(
    option: &PricedOption,
    billed: (&Costed, Method),
    checked: Option<f64>,
    workload: &Workload,
    demand: &Demand,
    weights: &[f64; 24],
) -> Option<ColdStartPlan> {
    let (costed, billed_by) = billed;
    let (replica, _) = costed.dedicated.as_ref()?;
    let wait = match replica.scaling {
        Scaling::AlwaysOn => return None,
        Scaling::Autoscale => None,
        Scaling::ScaleToZero => Some(wait(option, replica, workload, demand, weights)),
    };
    Some(ColdStartPlan {
        allowance: allowance(option, replica, workload, demand, (billed_by, checked)),
        wait,
        pool: pool(costed, workload, demand, weights),
    })
}

/// The pick's cold-start waits against the workload's allowance.
fn allowance(
    option: &PricedOption,
    replica: &Replica,
    workload: &Workload,
    demand: &Demand,
    (billed_by, checked): (Method, Option<f64>),
) -> ColdStartAllowance {
    let share = option.cold_start_share.unwrap_or(0.0);
    let max_share = crate::pick::cold_start_allowance(workload);
    ColdStartAllowance {
        share,
        waiting_per_day: sig9(share * demand.units_per_day * demand.arrivals_per_unit()),
        wait_s: replica.cold_start_s,
        max_share,
        over: share > max_share,
        billed_by,
        // Where the simulation bills the pick, `share` is already its own.
        simulated_share: checked
            .filter(|_| billed_by == Method::ClosedForm)
            .map(sig9),
    }
}

/// Who waits for a cold start, and what a replica kept warm all day costs.
fn wait(
    option: &PricedOption,
    replica: &Replica,
    workload: &Workload,
    demand: &Demand,
    weights: &[f64; 24],
) -> ColdStartWait {
    let share = option.cold_start_share.unwrap_or(0.0);
    let arrivals = demand.units_per_day * demand.arrivals_per_unit();
    let top_up = warm_top_up_hours(replica, workload, demand, weights);
    let extra = usd_per_month(top_up * replica.usd_per_replica_hour);
    ColdStartWait {
        share,
        waiting_per_day: sig9(share * arrivals),
        cold_start_s: replica.cold_start_s,
        warm_top_up_replica_hours_per_day: sig9(top_up),
        warm_extra_usd_per_month: sig9(extra),
        warm_usd_per_month: sig9(option.usd_per_month + extra),
    }
}

/// Replica-hours a day that keeping one replica warm adds: the same pool
/// with one replica kept all day (autoscale, min_replicas 1) less what
/// scale-to-zero bills. (Hour by hour, "1 minus what the hour bills" no
/// longer adds up: the closed form carries replicas from hour to hour.)
fn warm_top_up_hours(
    replica: &Replica,
    workload: &Workload,
    demand: &Demand,
    weights: &[f64; 24],
) -> f64 {
    let target = workload.traffic.target_utilization;
    let warm = Replica {
        scaling: Scaling::Autoscale,
        min_replicas: 1,
        ..*replica
    };
    let kept = dedicated::price(&warm, demand, weights, target).billed_replica_hours;
    let cold = dedicated::price(replica, demand, weights, target).billed_replica_hours;
    (kept - cold).max(0.0)
}

/// What the pool does: its day (billed as the option is; the rest the
/// closed form's) and its first hour from a quiet pool at the busiest
/// hour's rate (simulated).
fn pool(
    billed: &Costed,
    workload: &Workload,
    demand: &Demand,
    weights: &[f64; 24],
) -> Option<PoolPlan> {
    let (replica, cost) = billed.dedicated.as_ref()?;
    let day = cost.pool?;
    let pool = replica.pool(demand, workload.traffic.target_utilization);
    let arrivals = demand.hourly_arrivals(weights);
    let from_replicas = match pool.policy {
        Policy::Scaled { min_replicas } | Policy::Fixed(min_replicas) => min_replicas,
    };
    let first_hour = sim::first_hour(&pool, &arrivals, SEED)
        .ok()
        .map(|ramp| FirstHour {
            from_replicas,
            peak_replicas: sig9(ramp.peak_replicas),
            cold_starts: sig9(ramp.cold_starts),
            wait_share: sig9(ramp.cold_start_wait_share),
            seed: SEED,
        });
    let busiest = arrivals.into_iter().fold(0.0, f64::max);
    Some(PoolPlan {
        billed_replica_hours_per_day: sig9(cost.billed_replica_hours),
        busy_replica_hours_per_day: sig9(day.busy_replica_hours),
        peak_replicas: sig9(day.peak_replicas),
        cold_starts_per_day: sig9(day.cold_starts),
        first_hour,
        first_hour_arrivals: sig9(3600.0 * busiest),
    })
}
