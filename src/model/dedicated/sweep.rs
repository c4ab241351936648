//! One deployment priced at many volumes, for the break-even searches: the
//! arithmetic of `price`, bit for bit, reduced to $/day.

use super::{HourLoad, Replica};
use crate::model::pool::{closed, Pool};
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
                closed::billed_replica_hours(&self.pool, &arrivals)
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
        let weight_sum: f64 = self.hour_weight.iter().map(|&i| self.weights[i]).sum();
        let heaviest = self.weights.iter().copied().fold(0.0, f64::max);
        let per_replica = self.seconds_per_unit / 3600.0 / self.target_utilization;
        let most_replicas = 1.01 * max_volume * per_replica * heaviest;
        if most_replicas.is_nan() || most_replicas >= 4e9 {
            return None;
        }
        let floor_per_unit =
            self.replica.usd_per_replica_hour * per_replica * weight_sum * (1.0 - 1e-12);
        let gap = floor_per_unit - usd_per_unit * (1.0 + 1e-11);
        // 24 hours × the 10⁻⁹ forgiven, with room for rounding.
        (gap > 0.0).then(|| 2.5e-8 * self.replica.usd_per_replica_hour / gap)
    }
}
