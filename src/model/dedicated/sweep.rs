//! One deployment priced at many volumes, for the break-even searches: the
//! arithmetic of `price`, bit for bit, reduced to $/day.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{HourLoad, Replica};
use crate::model::pool::{closed, Arrivals, Policy, Pool};
use crate::model::Demand;
use crate::profile::Scaling;

/// A deployment under one traffic shape, priced at many volumes: what the
/// break-even searches call dozens of times per option. It computes only
/// $/day, with the very operations of [`price`](super::price) (so the same bits), and
/// prices hours of equal weight once where the sum allows (always-on);
/// a scaled pool is priced by the closed form's day, which prices a run
/// of equal hours once itself.
#[derive(Debug, Clone)]
pub struct VolumeSweep {
    replica: Replica,
    target_utilization: f64,
    /// s: replica-seconds per unit.
    seconds_per_unit: f64,
    /// Arrivals at a replica per unit.
    arrivals_per_unit: f64,
    /// The distinct hourly weights, in order of first appearance.
    weights: Vec<f64>,
    /// For each hour, the index of its weight in `weights`.
    hour_weight: [usize; 24],
    /// The replica pool (autoscale and scale-to-zero).
    pool: Pool,
}

impl VolumeSweep {
    /// Prepares the sweep of a deployment for a demand's unit and traffic shape.
    pub fn new(
        replica: &Replica,
        demand: &Demand,
        weights: &[f64; 24],
        target_utilization: f64,
    ) -> VolumeSweep {
        let mut distinct: Vec<f64> = Vec::with_capacity(24);
        let hour_weight =
            weights.map(
                |w| match distinct.iter().position(|d| d.to_bits() == w.to_bits()) {
                    Some(i) => i,
                    None => {
                        distinct.push(w);
                        distinct.len() - 1
                    }
                },
            );
        VolumeSweep {
            pool: replica.pool(demand, target_utilization),
            replica: *replica,
            target_utilization,
            seconds_per_unit: replica.seconds_per_unit(&demand.unit),
            arrivals_per_unit: demand.arrivals_per_unit(),
            weights: distinct,
            hour_weight,
        }
    }

    /// $ a day at `units_per_day`: `price(..).usd_per_day`, bit for bit.
    pub fn usd_per_day(&self, units_per_day: f64) -> f64 {
        self.usd_per_day_with(units_per_day, None)
    }

    /// [`VolumeSweep::usd_per_day`], a scaled pool's day looked up in (or
    /// added to) `memo` when given.
    pub(crate) fn usd_per_day_with(&self, units_per_day: f64, memo: Option<&PoolDays>) -> f64 {
        let busy = units_per_day * self.seconds_per_unit / 3600.0;
        let arrivals_per_day = units_per_day * self.arrivals_per_unit;
        let hour = |w: f64| HourLoad::at(busy, arrivals_per_day, w, self.target_utilization);
        let replica_hours = match self.replica.scaling {
            Scaling::AlwaysOn => {
                let peak = self
                    .weights
                    .iter()
                    .map(|&w| hour(w).whole_replicas())
                    .max()
                    .unwrap_or(0)
                    .max(1);
                24.0 * f64::from(peak)
            }
            Scaling::Autoscale | Scaling::ScaleToZero => {
                let arrivals = self
                    .hour_weight
                    .map(|i| hour(self.weights[i]).arrivals_per_s);
                match memo {
                    Some(memo) => memo.billed_replica_hours(&self.pool, &arrivals),
                    None => closed::billed_replica_hours(&self.pool, &arrivals),
                }
            }
        };
        replica_hours * self.replica.usd_per_replica_hour
    }

    /// For always-on: a volume from which on dedicated costs
    /// more than `usd_per_unit` per unit, by a relative 10⁻¹¹ whatever the
    /// rounding, up to the largest volume searched (`max_volume`). Every hour
    /// bills at least its load with headroom, L_h/target_utilization, less the
    /// 10⁻⁹ that rounding up forgives, as long as no hour needs more replicas
    /// than a `u32` counts. `None` when the cost per unit at full load with
    /// headroom is not above `usd_per_unit`.
    pub fn dearer_from(&self, usd_per_unit: f64, max_volume: f64) -> Option<f64> {
        let heaviest = self.weights.iter().copied().fold(0.0, f64::max);
        let most_replicas = 1.01 * max_volume * self.replicas_per_unit() * heaviest;
        if most_replicas.is_nan() || most_replicas >= 4e9 {
            return None;
        }
        let gap = self.floor_gap(usd_per_unit);
        // 24 hours × the 10⁻⁹ forgiven, with room for rounding.
        (gap > 0.0).then(|| 2.5e-8 * self.replica.usd_per_replica_hour / gap)
    }

    /// For a scaled pool: whether it costs more than `usd_per_unit` per
    /// unit at every volume. Every hour of its closed form bills at least
    /// its load with headroom, L_h/target_utilization (`closed`'s floor),
    /// so its $ a day is at least the volume times the floor's $ a unit;
    /// a floor above the per-token price, by a relative 10⁻¹¹ whatever the
    /// rounding, is dearer everywhere.
    pub(crate) fn dearer_everywhere(&self, usd_per_unit: f64) -> bool {
        self.floor_gap(usd_per_unit) > 0.0
    }

    /// Replica-hours a unit keeps busy over the day at the target
    /// utilization, per unit of hourly weight.
    fn replicas_per_unit(&self) -> f64 {
        self.seconds_per_unit / 3600.0 / self.target_utilization
    }

    /// The floor's $ a unit (load with headroom, no rounding up) less
    /// `usd_per_unit`, each moved a hair against "dearer".
    fn floor_gap(&self, usd_per_unit: f64) -> f64 {
        self.floor_per_unit() * (1.0 - 1e-12) - usd_per_unit * (1.0 + 1e-11)
    }

    /// The floor's $ a unit: every hour's load with headroom at the
    /// replica's price, no rounding up.
    pub(crate) fn floor_per_unit(&self) -> f64 {
        let weight_sum: f64 = self.hour_weight.iter().map(|&i| self.weights[i]).sum();
        self.replica.usd_per_replica_hour * self.replicas_per_unit() * weight_sum
    }
}

/// The billed replica-hours of the scaled pools' days already priced for
/// one workload, by pool and hourly arrivals (their bits): the break-even
/// searches of one workload price the same pool at the same volumes many
/// times (every search starts at the same volumes, and the low and high
/// ends of the throughput band, and an option re-billed by its check, search
/// again). Within one workload's pricing only: nothing is kept across runs
/// or workloads.
///
/// Shared by the rows of one workload, which are priced on every core: a
/// day is looked up and stored under a lock, and computed outside it (two
/// cores may compute the same day once each; the value is the same bits).
#[derive(Debug, Default)]
pub(crate) struct PoolDays {
    days: Mutex<Days>,
}

/// A pool and a day's arrivals, bit for bit.
type DayKey = ([u64; 9], [u64; 24]);

/// Billed replica-hours by pool and day.
type Days = HashMap<DayKey, f64, BuildHasherDefault<WordHasher>>;

impl PoolDays {
    /// `closed::billed_replica_hours(pool, arrivals)`, computed once per
    /// distinct input.
    fn billed_replica_hours(&self, pool: &Pool, arrivals: &Arrivals) -> f64 {
        let key = (pool_bits(pool), arrivals.map(f64::to_bits));
        if let Some(&hours) = self.locked().get(&key) {
            return hours;
        }
        let hours = closed::billed_replica_hours(pool, arrivals);
        self.locked().insert(key, hours);
        hours
    }

    /// The days, locked (a poisoned lock still holds whole entries: each
    /// is inserted in one call).
    fn locked(&self) -> MutexGuard<'_, Days> {
        self.days.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Every field of a pool, as bits (the policy's kind in the top bit of
/// the first).
fn pool_bits(pool: &Pool) -> [u64; 9] {
    let policy = match pool.policy {
        Policy::Fixed(n) => u64::from(n),
        Policy::Scaled { min_replicas } => (1 << 63) | u64::from(min_replicas),
    };
    [
        policy,
        u64::from(pool.slots),
        pool.seconds_per_request.to_bits(),
        pool.target_utilization.to_bits(),
        pool.cold_start_s.to_bits(),
        pool.idle_timeout_s.to_bits(),
        pool.last_idle_timeout_s.to_bits(),
        pool.billing_increment_s.to_bits(),
        u64::from(pool.cold_start_billed),
    ]
}

/// A multiply-rotate hash of 64-bit words (FxHash's): the memo's keys are
/// 33 words of bits, and SipHash over them cost a tenth of what the memo
/// saved. Not for keys an adversary chooses (none are: they come from the
/// profiles' own arithmetic).
#[derive(Debug, Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pool::Policy;

    /// The memo answers each pool with its own day: pools that differ in
    /// one field only (the last replica's window, whether the cold start is
    /// billed, …) are not taken for each other (the cold-start field was
    /// once left out of the key: a billed twin priced first gave its bill to
    /// the unbilled pool).
    #[test]
    fn the_memo_tells_apart_pools_that_differ_in_one_field() {
        let base = Pool {
            policy: Policy::Scaled { min_replicas: 0 },
            slots: 8,
            seconds_per_request: 1.0,
            target_utilization: 0.7,
            cold_start_s: 180.0,
            idle_timeout_s: 600.0,
            last_idle_timeout_s: 600.0,
            billing_increment_s: 1.0,
            cold_start_billed: true,
        };
        let variants = [
            base,
            Pool {
                cold_start_billed: false,
                ..base
            },
            Pool {
                last_idle_timeout_s: 3600.0,
                ..base
            },
            Pool {
                idle_timeout_s: 300.0,
                last_idle_timeout_s: 300.0,
                ..base
            },
        ];
        let arrivals: Arrivals = std::array::from_fn(|h| if h % 3 == 0 { 0.02 } else { 0.0 });
        let memo = PoolDays::default();
        let direct: Vec<f64> = variants
            .iter()
            .map(|p| closed::billed_replica_hours(p, &arrivals))
            .collect();
        // Four different days, each answered as computed directly.
        for (i, p) in variants.iter().enumerate() {
            assert_eq!(memo.billed_replica_hours(p, &arrivals), direct[i], "{p:?}");
            for j in 0..i {
                assert_ne!(direct[i], direct[j], "{i} {j}");
            }
        }
    }
}
