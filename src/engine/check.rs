//! The simulation check of a scaled pick (issue 13): where the pool's
//! closed form misses the seeded simulation by more than [`BOUND`], the
//! option is billed by the simulation instead, and its flags say which
//! method billed it and by how much they differ. Only picks are checked,
//! and only where the check is cheap ([`MOST_ARRIVALS_A_DAY`]): simulating
//! every option at every volume would cost the report many times its time.

use crate::contract::{OptionKey, Pick, PricedOption};
use crate::format::{percent, sig9};
use crate::model::pool::sim;
use crate::model::{usd_per_month, usd_per_mtok, Demand};
use crate::pick;
use crate::price::Costed;

/// Largest relative difference at which the closed form stands.
pub const BOUND: f64 = 0.03;
/// Most arrivals a day for which a pick is simulated: [`DAYS`] days of
/// them take about 15 ms on one core (~70 ns a request). Above, the
/// closed form stands, where its measured error is smallest (large,
/// steady pools: docs/design.md, "Replica pools").
pub const MOST_ARRIVALS_A_DAY: f64 = 50_000.0;
/// Days simulated for a check.
pub const DAYS: u32 = 4;
/// The seed of every check (the report stays the same byte for byte).
pub const SEED: u64 = 1;

/// What a check needs of the workload.
pub(super) struct Workload<'a> {
    /// Its demand.
    pub demand: &'a Demand,
    /// Its 24 hourly traffic weights.
    pub weights: &'a [f64; 24],
    /// Headroom kept on every replica.
    pub target_utilization: f64,
    /// Its budget, $/month, if any.
    pub budget: Option<f64>,
}

/// Checks the pick's primary and runner-up that are scaled pools and were
/// not checked before (`checked`), re-billing an option by the simulation
/// where the closed form is off by more than [`BOUND`]; `true` when a
/// cost changed (the options must be ordered and picked again).
pub(super) fn picks(
    pick: &Pick,
    options: &mut [PricedOption],
    costed: &mut [Costed],
    w: &Workload<'_>,
    checked: &mut Vec<OptionKey>,
) -> bool {
    let mut changed = false;
    for key in [&pick.primary, &pick.runner_up].into_iter().flatten() {
        if checked.contains(key) {
            continue;
        }
        checked.push(key.clone());
        let Some(i) = options.iter().position(|o| o.is(key)) else {
            continue;
        };
        changed |= option(&mut options[i], &mut costed[i], w);
    }
    changed
}

/// One option: simulated when it is a scaled pool with few enough
/// arrivals; re-billed when the closed form is off by more than [`BOUND`].
fn option(o: &mut PricedOption, c: &mut Costed, w: &Workload<'_>) -> bool {
    let Workload {
        demand,
        weights,
        target_utilization,
        budget,
    } = *w;
    let Some((replica, cost)) = &mut c.dedicated else {
        return false;
    };
    let arrivals_per_day = demand.units_per_day * demand.arrivals_per_unit();
    if cost.pool.is_none() || !(arrivals_per_day > 0.0 && arrivals_per_day <= MOST_ARRIVALS_A_DAY) {
        return false;
    }
    let pool = replica.pool(demand, target_utilization);
    let arrivals = demand.hourly_arrivals(weights);
    let simulated = sim::simulate(
        &pool,
        &arrivals,
        sim::Settings {
            days: DAYS,
            seed: SEED,
        },
    )
    .mean
    .billed_replica_hours;
    if simulated <= 0.0 {
        return false;
    }
    let difference = cost.billed_replica_hours / simulated - 1.0;
    let signed = format!(
        "{}{}",
        if difference >= 0.0 { "+" } else { "−" },
        percent(difference.abs())
    );
    if difference.abs() <= BOUND {
        o.flags.push(format!(
            "pool checked by simulation ({DAYS} days, seed {SEED}): the closed form is within {BOUND_TEXT} ({signed})"
        ));
        return false;
    }
    o.flags.push(format!(
        "billed by the pool simulation ({DAYS} days, seed {SEED}): the closed form is {signed} off, beyond {BOUND_TEXT}"
    ));
    cost.billed_replica_hours = simulated;
    cost.usd_per_day = simulated * replica.usd_per_replica_hour;
    cost.utilization = cost.busy_replica_hours / simulated;
    c.usd_per_day = cost.usd_per_day;
    let r = demand.units_per_day;
    c.usd_per_unit = (r > 0.0).then(|| c.usd_per_day / r);
    o.usd_per_day = sig9(c.usd_per_day);
    o.usd_per_month = sig9(usd_per_month(c.usd_per_day));
    o.usd_per_mtok = usd_per_mtok(c.usd_per_day, demand.tokens_per_day()).map(sig9);
    o.usd_per_unit = c.usd_per_unit.map(sig9);
    o.utilization = Some(sig9(cost.utilization));
    o.billed_replica_hours_per_day = Some(sig9(simulated));
    // The over-budget flag names the month's cost: re-judged at the new one.
    match o.flags.iter().position(|f| f.starts_with("over budget (")) {
        Some(at) => match pick::over_budget(c.usd_per_day, budget) {
            Some(flag) => o.flags[at] = flag,
            None => {
                o.flags.remove(at);
            }
        },
        None => o.flags.extend(pick::over_budget(c.usd_per_day, budget)),
    }
    true
}

/// [`BOUND`] in words.
const BOUND_TEXT: &str = "3%";
