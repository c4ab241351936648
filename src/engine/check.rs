//! The simulation check of a scaled pick (issue 13): where the pool's
//! closed form misses the seeded simulation by more than [`BOUND`] plus
//! the simulation's own 95% CI (so that a short, noisy check does not
//! re-bill an option by its noise), the option is billed by the
//! simulation instead, and its flags say which
//! method billed it and by how much they differ. Only picks are checked,
//! and only where the check is cheap ([`MOST_ARRIVALS_A_DAY`]): simulating
//! every option at every volume would cost the report many times its time.

use super::record::{Context, Record, SimulatedBill};
use crate::contract::{OptionKey, Pick, PricedOption};
use crate::model::pool::sim;
use crate::verdict::{Method, PoolCheck, MIN_ARRIVALS_TO_REBILL};

/// Largest relative difference at which the closed form stands.
pub(super) const BOUND: f64 = 0.03;
/// Most arrivals a day for which a pick is simulated: [`DAYS`] days of
/// them take about 15 ms on one core (~70 ns a request). Above, the
/// closed form stands, where its measured error is smallest (large,
/// steady pools: docs/design.md, "Replica pools").
pub(super) const MOST_ARRIVALS_A_DAY: f64 = 50_000.0;
/// Days simulated for a check.
pub(super) const DAYS: u32 = 4;
/// The seed of every check (the report stays the same byte for byte).
pub(super) const SEED: u64 = 1;

/// Checks the pick's primary and runner-up that are scaled pools and were
/// not checked before (`checked`), recording each check on its record
/// ([`Record::check`]) and projecting its row again; `true` when the
/// simulation re-billed one (the options must be ordered and picked again).
pub(super) fn picks(
    pick: &Pick,
    options: &mut [(PricedOption, Record<'_>)],
    ctx: &Context<'_>,
    checked: &mut Vec<OptionKey>,
) -> bool {
    let mut rebilled = false;
    for key in [&pick.primary, &pick.runner_up].into_iter().flatten() {
        if checked.contains(key) {
            continue;
        }
        checked.push(key.clone());
        let Some(i) = options.iter().position(|(o, _)| o.is(key)) else {
            continue;
        };
        let (row, record) = &mut options[i];
        let Some((check, simulated)) = simulate(record, ctx) else {
            continue;
        };
        rebilled |= check.billed_by == Method::Simulation;
        record.check(check, simulated, ctx);
        *row = record.row(ctx);
    }
    rebilled
}

/// One record: simulated when it is a scaled pool with few enough
/// arrivals (`None` otherwise): the check, billed by the simulation when
/// the closed form is off by more than [`BOUND`], and the day the
/// simulation bills.
fn simulate(record: &Record<'_>, ctx: &Context<'_>) -> Option<(PoolCheck, SimulatedBill)> {
    // A committed option is billed by its plan, not by the pool.
    if record.committed.is_some() {
        return None;
    }
    let (replica, cost) = record.costed.dedicated.as_ref()?;
    let demand = ctx.demand;
    let arrivals_per_day = demand.units_per_day * demand.arrivals_per_unit();
    if cost.pool.is_none() || !(arrivals_per_day > 0.0 && arrivals_per_day <= MOST_ARRIVALS_A_DAY) {
        return None;
    }
    let pool = replica.pool(demand, ctx.workload.traffic.target_utilization);
    let arrivals = demand.hourly_arrivals(ctx.weights);
    let run = sim::simulate(
        &pool,
        &arrivals,
        sim::Run {
            days: DAYS,
            seed: SEED,
        },
    );
    let day = run.mean;
    let simulated = SimulatedBill {
        replica_hours: day.billed_replica_hours,
        cold_start_share: day.cold_start_wait_share,
    };
    if simulated.replica_hours <= 0.0 {
        return None;
    }
    let difference = cost.billed_replica_hours / simulated.replica_hours - 1.0;
    // The simulation's own 95% CI, relative: a check of a quiet workload
    // (43 arrivals a day, 4 days: ±12%) cannot tell a closed form 5% off
    // from one on the mark, and must not re-bill it by its noise.
    let noise = (run.billed_ci95[1] - run.billed_ci95[0]) / 2.0 / simulated.replica_hours;
    let billed_by = if difference.abs() <= BOUND + noise || run.requests < MIN_ARRIVALS_TO_REBILL {
        Method::ClosedForm
    } else {
        Method::Simulation
    };
    let check = PoolCheck {
        billed_by,
        days: DAYS,
        seed: SEED,
        bound: BOUND,
        difference,
        arrivals: run.requests,
        noise,
    };
    Some((check, simulated))
}
