//! Where the answer flips: the utilization at which a dedicated replica beats
//! a per-token offer, and the daily volume at which it starts to.

use super::dedicated::{self, Replica};
use super::Demand;
use crate::profile::Scaling;

/// Crossover utilization u* = (s/3600 · usd_per_replica_hour) / per-token cost
/// per unit. Dedicated is cheaper above u*; u* > 1 means never. `None` when the
/// per-token offer is free.
pub fn crossover_utilization(
    replica: &Replica,
    demand: &Demand,
    per_token_usd_per_unit: f64,
) -> Option<f64> {
    (per_token_usd_per_unit > 0.0)
        .then(|| replica.usd_per_unit_at_full_load(&demand.unit) / per_token_usd_per_unit)
}

/// Largest volume searched, units a day; beyond it the answer is "never".
const MAX_VOLUME: f64 = 1e13;

/// The smallest units/day at which the dedicated deployment's cost falls below
/// the per-token offer's (`per_token_usd_per_unit` × volume), under the
/// workload's traffic shape. `None` when it never does below 10¹³ a day.
pub fn break_even_volume(
    replica: &Replica,
    demand: &Demand,
    weights: &[f64; 24],
    target_utilization: f64,
    per_token_usd_per_unit: f64,
) -> Option<f64> {
    if per_token_usd_per_unit <= 0.0 {
        return None;
    }
    let dedicated_at = |volume: f64| {
        dedicated::price(
            replica,
            &demand.at_volume(volume),
            weights,
            target_utilization,
        )
        .usd_per_day
    };
    match replica.scaling {
        Scaling::AlwaysOn | Scaling::Autoscale => {
            step_break_even(dedicated_at, per_token_usd_per_unit)
        }
        Scaling::ScaleToZero => bisect_break_even(dedicated_at, per_token_usd_per_unit),
    }
}

/// For a cost that is a non-decreasing step function of volume: iterate
/// R ← D(R⁺)/a. Every iterate is a volume below which dedicated cannot be
/// cheaper; when a step no longer moves D, dedicated is cheaper just above R.
fn step_break_even(dedicated_at: impl Fn(f64) -> f64, a: f64) -> Option<f64> {
    let just_above = |r: f64| dedicated_at(r * (1.0 + 1e-12) + 1e-12);
    let mut cost = just_above(0.0);
    for _ in 0..10_000 {
        let next = cost / a;
        if next > MAX_VOLUME {
            return None;
        }
        let next_cost = just_above(next);
        if next_cost <= cost * (1.0 + 1e-12) {
            return Some(next);
        }
        cost = next_cost;
    }
    None
}

/// For a continuous cost whose average per unit falls with volume (scale to
/// zero): bisect log(volume) on "dedicated is cheaper".
fn bisect_break_even(dedicated_at: impl Fn(f64) -> f64, a: f64) -> Option<f64> {
    let cheaper = |r: f64| dedicated_at(r) < a * r;
    let (mut lo, mut hi) = (1e-6_f64, MAX_VOLUME);
    if !cheaper(hi) {
        return None;
    }
    if cheaper(lo) {
        return Some(0.0);
    }
    for _ in 0..64 {
        let mid = (lo * hi).sqrt();
        if cheaper(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
        if hi / lo < 1.0 + 1e-9 {
            break;
        }
    }
    Some(hi)
}
